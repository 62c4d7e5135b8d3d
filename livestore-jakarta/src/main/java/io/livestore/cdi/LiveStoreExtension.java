package io.livestore.cdi;

import io.livestore.registry.StoreDefinition;
import io.livestore.store.Schema;
import io.livestore.store.Store;
import io.livestore.store.StoreIds;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.AnnotatedType;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;
import jakarta.enterprise.inject.spi.WithAnnotations;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.BeforeBeanDiscovery;
import jakarta.enterprise.inject.spi.DeploymentException;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.InjectionPoint;
import jakarta.enterprise.inject.spi.ProcessBean;
import jakarta.enterprise.inject.spi.ProcessInjectionPoint;
import jakarta.inject.Provider;
import java.lang.annotation.Annotation;
import java.lang.reflect.Constructor;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The portable extension (SmallRye Config's shape): collects store definitions and {@code @LiveStore}
 * injection points during discovery, adds one synthetic {@code @Dependent} bean per injected store
 * type in AfterBeanDiscovery, and in AfterDeploymentValidation reports every problem at once (C2),
 * each with a stable id and the injection point as {@code Class.member}. Its internal beans are added
 * in BeforeBeanDiscovery, so applications need no beans.xml entries.
 *
 * <p>Message ids: 0301 duplicate definition name, 0302 unknown definition, 0303 schema mismatch,
 * 0304 id template naming a path parameter the resource cannot have, 0305 definition bean misnamed,
 * 0306 no or several definitions for a schema, 0307 invalid id, 0308 resource not request-scoped,
 * 0309 unsupported injection type, 0310 no source for the storeId, 0312 RegistryOptions bean in a normal
 * scope, 0313 several RegistryOptions beans, 0314 several resolvers for one definition, 0399 validation itself failed (a bug
 * or an incompatible container; the cause is logged and reported).
 */
public class LiveStoreExtension implements Extension {

    private static final System.Logger LOG = System.getLogger(LiveStoreExtension.class.getName());

    private static final Pattern PATH_PARAMETER = Pattern.compile("\\{\\s*([^}:\\s]+)\\s*(?::[^}]*)?}");

    /** A definition bean found during discovery. */
    private record DefinitionBean(String name, Bean<?> bean, Type type, Class<?> schema) { }

    /** A declared {@code @LiveStore} injection point. */
    private record Point(InjectionPoint ip, LiveStore qualifier, Class<?> schema, Class<?> beanClass, String where) { }

    // Filled during discovery, which a container may run on several threads (Weld's concurrent deployer).
    private final List<DefinitionBean> definitionBeans = Collections.synchronizedList(new ArrayList<>());
    private final ApplicationBeans applicationBeans = new ApplicationBeans();
    private final List<Point> points = Collections.synchronizedList(new ArrayList<>());
    private final Set<Type> storeTypes = Collections.synchronizedSet(new LinkedHashSet<>());
    private final Set<Type> asyncTypes = Collections.synchronizedSet(new LinkedHashSet<>());
    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());

    // Filled in AfterDeploymentValidation, read at run time.
    private final Map<String, StoreDefinition<?>> definitions = new ConcurrentHashMap<>();
    private final Map<Class<?>, List<StorePlan>> plansByBeanClass = new ConcurrentHashMap<>();
    private final Map<String, StorePlan> plans = new ConcurrentHashMap<>();

    void registerInternalBeans(@Observes BeforeBeanDiscovery bbd, BeanManager bm) {
        for (Class<?> c : List.of(RegistryProducer.class, StoreInjections.class, StoreRequestContext.class, Stores.class,
                StoreRetentionInterceptor.class)) {
            bbd.addAnnotatedType(bm.createAnnotatedType(c), LiveStoreExtension.class.getName() + "." + c.getSimpleName());
        }
    }

    /** Binds the retention interceptor (C4) to bean classes with {@code @LiveStore} fields. */
    <T> void bindRetention(@Observes @WithAnnotations(LiveStore.class) ProcessAnnotatedType<T> pat) {
        AnnotatedType<T> type = pat.getAnnotatedType();
        boolean hasStoreField = type.getFields().stream().anyMatch(f -> f.isAnnotationPresent(LiveStore.class));
        // A final class cannot be intercepted; its stores are still released by the container's
        // destruction of their @Dependent objects.
        if (hasStoreField && !java.lang.reflect.Modifier.isFinal(type.getJavaClass().getModifiers())
                && !type.getJavaClass().isInterface()) {
            pat.configureAnnotatedType().add(RetainsStores.Literal.INSTANCE);
        }
    }

    void collectInjectionPoint(@Observes ProcessInjectionPoint<?, ?> pip) {
        InjectionPoint ip = pip.getInjectionPoint();
        LiveStore qualifier = qualifier(ip);
        if (qualifier == null) {
            return;
        }
        String where = where(ip);
        Type type = unwrapLookup(ip.getType());
        boolean async = false;
        if (type instanceof ParameterizedType p && p.getRawType() == CompletionStage.class) {
            type = p.getActualTypeArguments()[0];
            async = true;
        }
        Class<?> schema = schemaOf(type);
        if (schema == null) {
            problems.add("LIVESTORE-0309: " + where + " injects @LiveStore as " + ip.getType().getTypeName()
                    + "; expected Store<S> or CompletionStage<Store<S>> with a concrete schema class S");
            return;
        }
        (async ? asyncTypes : storeTypes).add(async ? unwrapLookup(ip.getType()) : type);
        Class<?> beanClass = ip.getBean() != null ? ip.getBean().getBeanClass() : ip.getMember().getDeclaringClass();
        points.add(new Point(ip, qualifier, schema, beanClass, where));
        if (ip.getBean() != null && isResource(beanClass) && ip.getBean().getScope() != RequestScoped.class) {
            problems.add("LIVESTORE-0308: " + where + ": JAX-RS resource " + beanClass.getName()
                    + " injects a store but is " + ip.getBean().getScope().getSimpleName()
                    + "; annotate it @RequestScoped so its stores are released when each request ends (C4)");
        }
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
                    problems.add("LIVESTORE-0305: definition bean " + describe(bean) + " @StoreDef(\"" + storeDef.value()
                            + "\") must have the type StoreDefinition<S> with a concrete schema class, not " + t.getTypeName());
                } else {
                    definitionBeans.add(new DefinitionBean(storeDef.value(), bean, t, schema));
                }
            }
        }
    }

    /** {@code Store<S>} as a type, for schemas that only programmatic lookups will ask for. */
    private record StoreType(Class<?> schema) implements ParameterizedType {
        @Override
        public Type[] getActualTypeArguments() {
            return new Type[] {schema};
        }

        @Override
        public Type getRawType() {
            return Store.class;
        }

        @Override
        public Type getOwnerType() {
            return null;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ParameterizedType p && p.getRawType() == Store.class && p.getOwnerType() == null
                    && java.util.Arrays.equals(p.getActualTypeArguments(), getActualTypeArguments());
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(getActualTypeArguments()) ^ Store.class.hashCode();
        }

        @Override
        public String getTypeName() {
            return Store.class.getName() + "<" + schema.getName() + ">";
        }
    }

    void addStoreBeans(@Observes AfterBeanDiscovery abd) {
        // Every definition's Store<S>, so `@Any Instance<Store<S>>.select(LiveStore.Literal.of(..))` works
        // even when no field declares that type.
        for (DefinitionBean d : definitionBeans) {
            StoreType type = new StoreType(d.schema());
            if (storeTypes.stream().noneMatch(type::equals)) {
                storeTypes.add(type);
            }
        }
        for (Type type : storeTypes) {
            abd.addBean()
                    .beanClass(LeasedStore.class)
                    .types(type, Object.class)
                    .qualifiers(LiveStore.Literal.INSTANCE, Any.Literal.INSTANCE)
                    .scope(Dependent.class)
                    .produceWith(in -> injections(in).inject(in.select(InjectionPoint.class).get()))
                    .disposeWith((store, in) -> injections(in).release(store));
        }
        for (Type type : asyncTypes) {
            abd.addBean()
                    .beanClass(LeasedStore.class)
                    .types(type, Object.class)
                    .qualifiers(LiveStore.Literal.INSTANCE, Any.Literal.INSTANCE)
                    .scope(Dependent.class)
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
        Map<String, List<DefinitionBean>> byName = new LinkedHashMap<>();
        for (DefinitionBean d : definitionBeans) {
            byName.computeIfAbsent(d.name(), n -> new ArrayList<>()).add(d);
        }
        byName.forEach((name, beans) -> {
            if (beans.size() > 1) {
                List<String> where = beans.stream().map(b -> describe(b.bean())).toList();
                all.add("LIVESTORE-0301: definition name '" + name + "' is declared " + beans.size() + " times: " + where);
                // Go on with the first, so the injection points that use it are still checked.
            }
            DefinitionBean d = beans.get(0);
            StoreDefinition<?> definition;
            try {
                definition = (StoreDefinition<?>) bm.getReference(d.bean(), d.type(), bm.createCreationalContext(d.bean()));
                definition.name();
            } catch (RuntimeException | LinkageError e) {
                // LinkageError: a definition in a static field whose class failed to initialize.
                all.add("LIVESTORE-0305: definition bean " + describe(d.bean()) + " @StoreDef(\"" + name + "\") failed: "
                        + rootCause(e));
                return;
            }
            if (definition == null) {
                all.add("LIVESTORE-0305: definition bean " + describe(d.bean()) + " @StoreDef(\"" + name + "\") produced null");
                return;
            }
            if (!definition.name().equals(name)) {
                all.add("LIVESTORE-0305: definition bean " + describe(d.bean()) + " is @StoreDef(\"" + name
                        + "\") but its definition is named '" + definition.name() + "'; use the same name");
            } else if (definition.schemaClass() != d.schema()) {
                all.add("LIVESTORE-0305: definition bean " + describe(d.bean()) + " is declared StoreDefinition<"
                        + d.schema().getSimpleName() + "> but its schema is " + definition.schemaClass().getName());
            } else {
                definitions.put(name, definition);
            }
        });
        for (Point p : points) {
            List<String> pointProblems = new ArrayList<>();
            StorePlan plan = plan(p.qualifier(), p.schema(), p.where(), p.beanClass(), pointProblems);
            all.addAll(pointProblems);
            if (plan != null) {
                plansByBeanClass.computeIfAbsent(p.beanClass(), c -> new ArrayList<>()).add(plan);
                plans.put(key(p.qualifier(), p.schema(), p.beanClass()), plan);
            }
        }
        if (!all.isEmpty()) {
            String report = "LiveStore found " + all.size() + " problem(s) in this deployment:\n  " + String.join("\n  ", all);
            // Logged as well: some servers (Payara) print only their own wrapper of the deployment problem.
            LOG.log(System.Logger.Level.ERROR, report);
            adv.addDeploymentProblem(new DeploymentException(report));
        }
    }

    /**
     * The cause that says what went wrong: the innermost LiveStore exception (it names the schema or
     * definition), else the innermost cause; the wrappers around it name only the container.
     */
    private static String rootCause(Throwable e) {
        Throwable root = e;
        Throwable ours = null;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            root = t;
            if (t instanceof io.livestore.store.MessageIdentified) {
                ours = t;
            }
        }
        Throwable telling = ours != null ? ours : root;
        return telling == e ? e.toString() : e.getClass().getSimpleName() + " caused by " + telling;
    }

    /** Works out one injection point; adds what is wrong to {@code problems} and returns null then. */
    private StorePlan plan(LiveStore q, Class<?> schema, String where, Class<?> beanClass, List<String> problems) {
        StoreDefinition<?> definition;
        if (!q.def().isEmpty()) {
            definition = definitions.get(q.def());
            if (definition == null) {
                if (definitionBeans.stream().noneMatch(d -> d.name().equals(q.def()))) {
                    problems.add("LIVESTORE-0302: " + where + " uses @LiveStore(def = \"" + q.def()
                            + "\") but no definition has that name; known: " + new TreeSet<>(names()));
                }
                return null;
            }
            if (definition.schemaClass() != schema) {
                problems.add("LIVESTORE-0303: " + where + " injects Store<" + schema.getSimpleName() + "> but definition '"
                        + q.def() + "' has schema " + definition.schemaClass().getSimpleName());
                return null;
            }
        } else {
            List<StoreDefinition<?>> matching = definitions.values().stream()
                    .filter(d -> d.schemaClass() == schema).toList();
            if (matching.size() != 1) {
                problems.add("LIVESTORE-0306: " + where + " injects Store<" + schema.getSimpleName() + "> without def, but "
                        + (matching.isEmpty() ? "no definition has that schema"
                        : matching.size() + " definitions have it: " + matching.stream().map(StoreDefinition::name).sorted().toList())
                        + "; name one with @LiveStore(def = ...)");
                return null;
            }
            definition = matching.get(0);
        }
        Set<String> available = isResource(beanClass) ? pathParameters(beanClass) : null;
        String name = definition.name();
        if (!q.id().isEmpty()) {
            IdTemplate template;
            try {
                template = IdTemplate.parse(q.id());
            } catch (IllegalArgumentException e) {
                problems.add("LIVESTORE-0307: " + where + " has id \"" + q.id() + "\": " + e.getMessage());
                return null;
            }
            if (template.isLiteral()) {
                if (!StoreIds.isValidName(q.id())) {
                    problems.add("LIVESTORE-0307: " + where + " has id \"" + q.id()
                            + "\", which is not a valid storeId (1-128 characters of [A-Za-z0-9._:-])");
                    return null;
                }
                return new StorePlan(definition, StorePlan.IdSource.LITERAL, template, where);
            }
            if (available != null) {
                for (String parameter : template.parameters()) {
                    if (!available.contains(parameter)) {
                        problems.add("LIVESTORE-0304: " + where + " has id \"" + q.id() + "\" but resource "
                                + beanClass.getSimpleName() + " has no path parameter '" + parameter + "'; its paths declare "
                                + available);
                        return null;
                    }
                }
            }
            return new StorePlan(definition, StorePlan.IdSource.TEMPLATE, template, where);
        }
        if (definition.fixedStoreId().isPresent()) {
            return new StorePlan(definition, StorePlan.IdSource.FIXED, IdTemplate.parse(definition.fixedStoreId().get()), where);
        }
        if (applicationBeans.hasResolver(name)) {
            return new StorePlan(definition, StorePlan.IdSource.RESOLVER, null, where);
        }
        String parameter = name + "Id";
        if (available != null && !available.contains(parameter)) {
            problems.add("LIVESTORE-0310: " + where + " gives no id for definition '" + name + "', which has no fixed id"
                    + " and no StoreIdResolver, and resource " + beanClass.getSimpleName() + " has no path parameter '"
                    + parameter + "'; give @LiveStore(id = ...), a fixedStoreId, or a @StoreDef(\"" + name
                    + "\") StoreIdResolver");
            return null;
        }
        return new StorePlan(definition, StorePlan.IdSource.PATH_PARAMETER, IdTemplate.parse("{" + parameter + "}"), where);
    }

    /** The plan for an injection point at run time (declared ones were planned at deployment). */
    StorePlan plan(InjectionPoint ip) {
        LiveStore q = qualifier(ip);
        if (q == null) {
            q = LiveStore.Literal.INSTANCE;
        }
        Type type = unwrapLookup(ip.getType());
        if (type instanceof ParameterizedType p && p.getRawType() == CompletionStage.class) {
            type = p.getActualTypeArguments()[0];
        }
        Class<?> schema = schemaOf(type);
        Class<?> beanClass = ip.getBean() != null ? ip.getBean().getBeanClass()
                : ip.getMember() != null ? ip.getMember().getDeclaringClass() : Object.class;
        String key = key(q, schema, beanClass);
        StorePlan plan = plans.get(key);
        if (plan != null) {
            return plan;
        }
        List<String> found = new ArrayList<>();
        plan = plan(q, schema, where(ip), beanClass, found);
        if (plan == null) {
            throw new StoreResolutionException(String.join("; ", found));
        }
        plans.put(key, plan);
        return plan;
    }

    /** The plans of the injection points a bean class declares. */
    List<StorePlan> plansFor(Class<?> beanClass) {
        return plansByBeanClass.getOrDefault(beanClass, List.of());
    }

    /** A definition by name. */
    StoreDefinition<?> definition(String name) {
        StoreDefinition<?> d = definitions.get(name);
        if (d == null) {
            throw new StoreResolutionException("no store definition named '" + name + "'; known: " + new TreeSet<>(names()));
        }
        return d;
    }

    /** The application's options, policies and resolvers, as discovered. */
    ApplicationBeans applicationBeans() {
        return applicationBeans;
    }

    /** Every valid definition, by name. */
    public Map<String, StoreDefinition<?>> definitions() {
        return Map.copyOf(definitions);
    }

    private Set<String> names() {
        Set<String> names = new TreeSet<>();
        definitionBeans.forEach(d -> names.add(d.name()));
        return names;
    }

    private static String key(LiveStore q, Class<?> schema, Class<?> beanClass) {
        return q.def() + "|" + q.id() + "|" + (schema == null ? "?" : schema.getName()) + "|" + beanClass.getName();
    }

    private static LiveStore qualifier(InjectionPoint ip) {
        for (Annotation a : ip.getQualifiers()) {
            if (a instanceof LiveStore ls) {
                return ls;
            }
        }
        return null;
    }

    private static Type unwrapLookup(Type type) {
        if (type instanceof ParameterizedType p && (p.getRawType() == Instance.class || p.getRawType() == Provider.class)) {
            return p.getActualTypeArguments()[0];
        }
        return type;
    }

    /** S of {@code Store<S>}, or null. */
    private static Class<?> schemaOf(Type type) {
        if (type instanceof ParameterizedType p && p.getRawType() == Store.class
                && p.getActualTypeArguments()[0] instanceof Class<?> c && Schema.class.isAssignableFrom(c)) {
            return c;
        }
        return null;
    }

    /** {@code Class.member}, the way deployment messages name an injection point. */
    static String where(InjectionPoint ip) {
        Member m = ip.getMember();
        if (m == null) {
            return "programmatic lookup of " + ip.getType().getTypeName();
        }
        String owner = m.getDeclaringClass().getName();
        if (m instanceof Constructor<?> || m instanceof Method) {
            String name = m instanceof Constructor<?> ? "<init>" : m.getName();
            int position = ip.getAnnotated() instanceof jakarta.enterprise.inject.spi.AnnotatedParameter<?> ap ? ap.getPosition() : -1;
            return owner + "." + name + (position >= 0 ? "(parameter " + position + ")" : "");
        }
        return owner + "." + m.getName();
    }

    static String describe(Bean<?> bean) {
        return bean.getBeanClass().getName() + bean.getTypes().stream()
                .filter(t -> t instanceof ParameterizedType).findFirst().map(t -> " (" + t.getTypeName() + ")").orElse("");
    }

    /** True for classes JAX-RS serves as root resources ({@code jakarta.ws.rs.Path} on them or an interface). */
    static boolean isResource(Class<?> c) {
        if (pathOf(c) != null) {
            return true;
        }
        for (Class<?> api : c.getInterfaces()) {
            if (pathOf(api) != null) {
                return true;
            }
        }
        return false;
    }

    private static String pathOf(java.lang.reflect.AnnotatedElement element) {
        for (Annotation a : element.getAnnotations()) {
            if (a.annotationType().getName().equals("jakarta.ws.rs.Path")) {
                try {
                    return (String) a.annotationType().getMethod("value").invoke(a);
                } catch (ReflectiveOperationException e) {
                    return "";
                }
            }
        }
        return null;
    }

    /** Every path parameter a resource class's paths (class and methods) declare. */
    static Set<String> pathParameters(Class<?> resource) {
        Set<String> names = new TreeSet<>();
        addParameters(pathOf(resource), names);
        for (Class<?> c = resource; c != null && c != Object.class; c = c.getSuperclass()) {
            addMethodPaths(c, names);
            for (Class<?> api : c.getInterfaces()) {
                addParameters(pathOf(api), names);
                addMethodPaths(api, names); // JAX-RS annotation inheritance: @Path on interface methods counts
            }
        }
        return names;
    }

    private static void addMethodPaths(Class<?> type, Set<String> names) {
        for (Method m : type.getDeclaredMethods()) {
            addParameters(pathOf(m), names);
        }
    }

    private static void addParameters(String path, Set<String> names) {
        if (path == null) {
            return;
        }
        Matcher m = PATH_PARAMETER.matcher(path);
        while (m.find()) {
            names.add(m.group(1));
        }
    }
}
