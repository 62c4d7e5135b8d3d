package io.livestore.cdi;

import io.livestore.cdi.internal.ClusterSettings;
import io.livestore.cdi.internal.DeploymentRules;
import io.livestore.cdi.internal.LeasedStore;
import io.livestore.cdi.internal.RetainsStores;
import io.livestore.cdi.internal.StoreAdmission;
import io.livestore.cdi.internal.StoreDeployment;
import io.livestore.cdi.internal.StoreInjections;
import io.livestore.cdi.internal.StoreRequestContext;
import io.livestore.cdi.internal.StoreRetentionInterceptor;
import io.livestore.registry.StoreDefinition;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.AnnotatedType;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.BeforeBeanDiscovery;
import jakarta.enterprise.inject.spi.DeploymentException;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.InjectionPoint;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;
import jakarta.enterprise.inject.spi.ProcessBean;
import jakarta.enterprise.inject.spi.ProcessInjectionPoint;
import jakarta.enterprise.inject.spi.WithAnnotations;
import jakarta.inject.Singleton;
import java.lang.annotation.Annotation;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * The portable extension (SmallRye Config's shape). It registers the library's internal beans in
 * BeforeBeanDiscovery, so applications need no beans.xml entries; collects store definitions and
 * {@code @LiveStore} injection points during discovery; adds one synthetic {@code @Dependent} bean per
 * injected store type (and the validated {@code StoreDeployment}) in AfterBeanDiscovery; and in
 * AfterDeploymentValidation reports every problem at once (C2), each with a stable id and the injection
 * point as {@code Class.member}. The layers above add their checks as {@link DeploymentRules} (the
 * JAX-RS layer: path parameters and resource scopes); this layer knows none of them.
 *
 * <p>Message ids: 0301 duplicate definition name, 0302 unknown definition, 0303 schema mismatch,
 * 0305 definition bean misnamed, 0306 no or several definitions for a schema, 0307 invalid id,
 * 0309 unsupported injection type, 0330–0333 bad cluster keys ({@code ClusterSettings}), 0312 RegistryOptions bean in a normal scope, 0313 several
 * RegistryOptions beans, 0314 several resolvers for one definition, 0399 validation itself failed (a bug
 * or an incompatible container; the cause is logged and reported). The JAX-RS layer's: 0304 id template
 * naming a path parameter the resource cannot have, 0308 resource not request-scoped, 0310 no source for
 * the storeId.
 */
public class LiveStoreExtension implements Extension {

    private static final System.Logger LOG = System.getLogger(LiveStoreExtension.class.getName());

    /** A declared {@code @LiveStore} injection point. */
    private record Point(InjectionPoint ip, LiveStore qualifier, Class<?> schema, Class<?> beanClass, String where) { }

    // Filled during discovery, which a container may run on several threads (Weld's concurrent deployer).
    private final List<Deployment.DefinitionBean> definitionBeans = Collections.synchronizedList(new ArrayList<>());
    private final ApplicationBeans applicationBeans = new ApplicationBeans();
    private final List<Point> points = Collections.synchronizedList(new ArrayList<>());
    private final Set<Type> storeTypes = Collections.synchronizedSet(new LinkedHashSet<>());
    private final Set<Type> asyncTypes = Collections.synchronizedSet(new LinkedHashSet<>());
    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());

    // Validated in AfterDeploymentValidation, read at run time through the StoreDeployment bean.
    private final Deployment deployment = new Deployment(applicationBeans, loadRules());

    private static List<DeploymentRules> loadRules() {
        List<DeploymentRules> rules = new ArrayList<>();
        try {
            ServiceLoader.load(DeploymentRules.class, LiveStoreExtension.class.getClassLoader()).forEach(rules::add);
        } catch (ServiceConfigurationError | LinkageError e) {
            // A layer whose API the application lacks (no JAX-RS): its checks do not apply.
            LOG.log(System.Logger.Level.DEBUG, "deployment rules not loaded: " + e);
        }
        return rules;
    }

    void registerInternalBeans(@Observes BeforeBeanDiscovery bbd, BeanManager bm) {
        for (Class<?> c : List.of(RegistryProducer.class, StoreInjections.class, StoreAdmission.class,
                StoreRequestContext.class, Stores.class, StoreRetentionInterceptor.class)) {
            bbd.addAnnotatedType(bm.createAnnotatedType(c), LiveStoreExtension.class.getName() + "." + c.getSimpleName());
        }
    }

    /** Binds the retention interceptor (C4) to bean classes with {@code @LiveStore} fields. */
    <T> void bindRetention(@Observes @WithAnnotations(LiveStore.class) ProcessAnnotatedType<T> pat) {
        AnnotatedType<T> type = pat.getAnnotatedType();
        boolean hasStoreField = type.getFields().stream().anyMatch(f -> f.isAnnotationPresent(LiveStore.class));
        // A final class cannot be intercepted; its stores are still released by the container's
        // destruction of their @Dependent objects.
        if (hasStoreField && !Modifier.isFinal(type.getJavaClass().getModifiers()) && !type.getJavaClass().isInterface()) {
            pat.configureAnnotatedType().add(RetainsStores.Literal.INSTANCE);
        }
    }

    void collectInjectionPoint(@Observes ProcessInjectionPoint<?, ?> pip) {
        InjectionPoint ip = pip.getInjectionPoint();
        LiveStore qualifier = InjectionPoints.qualifier(ip);
        if (qualifier == null) {
            return;
        }
        String where = InjectionPoints.where(ip);
        Type declared = InjectionPoints.unwrapLookup(ip.getType());
        Type type = InjectionPoints.unwrapAsync(declared);
        Class<?> schema = InjectionPoints.schemaOf(type);
        if (schema == null) {
            problems.add("LIVESTORE-0309: " + where + " injects @LiveStore as " + ip.getType().getTypeName()
                    + "; expected Store<S> or CompletionStage<Store<S>> with a concrete schema class S");
            return;
        }
        if (type == declared) {
            storeTypes.add(type);
        } else {
            asyncTypes.add(declared);
        }
        points.add(new Point(ip, qualifier, schema, InjectionPoints.beanClass(ip), where));
    }

    void collectBean(@Observes ProcessBean<?> pb) {
        Bean<?> bean = pb.getBean();
        applicationBeans.collect(bean);
        StoreDef storeDef = null;
        for (Annotation q : bean.getQualifiers()) {
            if (q instanceof StoreDef sd) {
                storeDef = sd;
            }
        }
        if (storeDef == null) {
            return;
        }
        for (Type t : bean.getTypes()) {
            Class<?> raw = t instanceof ParameterizedType p ? (Class<?>) p.getRawType() : t instanceof Class<?> c ? c : null;
            if (raw == StoreDefinition.class) {
                Class<?> schema = t instanceof ParameterizedType p && p.getActualTypeArguments()[0] instanceof Class<?> c ? c : null;
                if (schema == null) {
                    problems.add("LIVESTORE-0305: definition bean " + InjectionPoints.describe(bean) + " @StoreDef(\""
                            + storeDef.value() + "\") must have the type StoreDefinition<S> with a concrete schema class, not "
                            + t.getTypeName());
                } else {
                    definitionBeans.add(new Deployment.DefinitionBean(storeDef.value(), bean, t, schema));
                }
            }
        }
    }

    void addBeans(@Observes AfterBeanDiscovery abd) {
        abd.addBean().beanClass(LiveStoreExtension.class).types(StoreDeployment.class, Object.class)
                .qualifiers(Default.Literal.INSTANCE, Any.Literal.INSTANCE).scope(Singleton.class)
                .createWith(c -> deployment);
        // Every definition's Store<S>, so `@Any Instance<Store<S>>.select(LiveStore.Literal.of(..))` works
        // even when no field declares that type.
        for (Deployment.DefinitionBean d : definitionBeans) {
            StoreType type = new StoreType(d.schema());
            if (storeTypes.stream().noneMatch(type::equals)) {
                storeTypes.add(type);
            }
        }
        for (Type type : storeTypes) {
            abd.addBean().beanClass(LeasedStore.class).types(type, Object.class)
                    .qualifiers(LiveStore.Literal.INSTANCE, Any.Literal.INSTANCE).scope(Dependent.class)
                    .produceWith(in -> injections(in).inject(in.select(InjectionPoint.class).get()))
                    .disposeWith((store, in) -> injections(in).release(store));
        }
        for (Type type : asyncTypes) {
            abd.addBean().beanClass(LeasedStore.class).types(type, Object.class)
                    .qualifiers(LiveStore.Literal.INSTANCE, Any.Literal.INSTANCE).scope(Dependent.class)
                    .produceWith(in -> injections(in).injectAsync(in.select(InjectionPoint.class).get()))
                    .disposeWith((stage, in) -> injections(in).release(stage));
        }
    }

    private static StoreInjections injections(Instance<Object> in) {
        return in.select(StoreInjections.class).get();
    }

    void validate(@Observes AfterDeploymentValidation adv, BeanManager bm) {
        try {
            validateDeployment(adv, bm);
        } catch (RuntimeException | LinkageError e) {
            // A bug of ours or an incompatible container: say so with the cause, which some servers drop.
            LOG.log(System.Logger.Level.ERROR, "LIVESTORE-0399: validating the deployment failed", e);
            adv.addDeploymentProblem(new DeploymentException("LIVESTORE-0399: validating the deployment failed: " + e, e));
        }
    }

    private void validateDeployment(AfterDeploymentValidation adv, BeanManager bm) {
        List<String> all = new ArrayList<>(problems);
        all.addAll(applicationBeans.resolve(bm));
        all.addAll(ClusterSettings.problems());
        deployment.resolveDefinitions(List.copyOf(definitionBeans), bm, all::add);
        for (Point p : List.copyOf(points)) {
            deployment.checkInjectingBean(p.ip().getBean(), p.where(), all::add);
            deployment.planDeclared(p.qualifier(), p.schema(), p.where(), p.beanClass(), all::add);
        }
        if (!all.isEmpty()) {
            String report = "LiveStore found " + all.size() + " problem(s) in this deployment:\n  " + String.join("\n  ", all);
            // Logged as well: some servers (Payara) print only their own wrapper of the deployment problem.
            LOG.log(System.Logger.Level.ERROR, report);
            adv.addDeploymentProblem(new DeploymentException(report));
        }
    }

    /** The application's options, policies and resolvers, as discovered (for {@link RegistryProducer}). */
    ApplicationBeans applicationBeans() {
        return applicationBeans;
    }

    /** Every valid definition, by name (after deployment validation). */
    public Map<String, StoreDefinition<?>> definitions() {
        return deployment.definitions();
    }
}
