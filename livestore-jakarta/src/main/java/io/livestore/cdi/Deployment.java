package io.livestore.cdi;

import io.livestore.cdi.internal.DeploymentRules;
import io.livestore.cdi.internal.IdTemplate;
import io.livestore.cdi.internal.StoreDeployment;
import io.livestore.cdi.internal.StorePlan;
import io.livestore.registry.StoreDefinition;
import io.livestore.store.StoreIds;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.InjectionPoint;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * What the extension validated, kept for the run time ({@link StoreDeployment}): the application's one
 * instance of each definition, and the plan of each {@code @LiveStore} injection point. Also does the
 * validating itself: definitions (0301, 0305) and plans (0302, 0303, 0306, 0307), plus what the
 * {@link DeploymentRules} of the layers above find.
 */
final class Deployment implements StoreDeployment {

    /** A definition bean found during discovery. */
    record DefinitionBean(String name, Bean<?> bean, Type type, Class<?> schema) { }

    private final ApplicationBeans applicationBeans;
    private final List<DeploymentRules> rules;
    private final Set<String> declaredNames = ConcurrentHashMap.newKeySet();
    private final Map<String, StoreDefinition<?>> definitions = new ConcurrentHashMap<>();
    private final Map<Class<?>, List<StorePlan>> plansByBeanClass = new ConcurrentHashMap<>();
    private final Map<String, StorePlan> plans = new ConcurrentHashMap<>();

    Deployment(ApplicationBeans applicationBeans, List<DeploymentRules> rules) {
        this.applicationBeans = applicationBeans;
        this.rules = List.copyOf(rules);
    }

    /** Resolves the definition beans (one instance per name) and reports what is wrong with them. */
    void resolveDefinitions(List<DefinitionBean> beans, BeanManager bm, Consumer<String> problems) {
        Map<String, List<DefinitionBean>> byName = new LinkedHashMap<>();
        for (DefinitionBean d : beans) {
            declaredNames.add(d.name());
            byName.computeIfAbsent(d.name(), n -> new ArrayList<>()).add(d);
        }
        byName.forEach((name, sameName) -> {
            if (sameName.size() > 1) {
                List<String> where = sameName.stream().map(b -> InjectionPoints.describe(b.bean())).toList();
                problems.accept("LIVESTORE-0301: definition name '" + name + "' is declared " + sameName.size() + " times: " + where);
                // Go on with the first, so the injection points that use it are still checked.
            }
            resolveDefinition(sameName.get(0), bm, problems);
        });
    }

    private void resolveDefinition(DefinitionBean d, BeanManager bm, Consumer<String> problems) {
        String name = d.name();
        String bean = "LIVESTORE-0305: definition bean " + InjectionPoints.describe(d.bean());
        StoreDefinition<?> definition;
        try {
            definition = (StoreDefinition<?>) bm.getReference(d.bean(), d.type(), bm.createCreationalContext(d.bean()));
            if (definition == null) {
                problems.accept(bean + " @StoreDef(\"" + name + "\") produced null");
                return;
            }
            definition.name();
        } catch (RuntimeException | LinkageError e) {
            // LinkageError: a definition in a static field whose class failed to initialize.
            problems.accept(bean + " @StoreDef(\"" + name + "\") failed: " + rootCause(e));
            return;
        }
        if (!definition.name().equals(name)) {
            problems.accept(bean + " is @StoreDef(\"" + name + "\") but its definition is named '" + definition.name()
                    + "'; use the same name");
        } else if (definition.schemaClass() != d.schema()) {
            problems.accept(bean + " is declared StoreDefinition<" + d.schema().getSimpleName() + "> but its schema is "
                    + definition.schemaClass().getName());
        } else {
            definitions.put(name, definition);
        }
    }

    /**
     * The cause that says what went wrong: the innermost exception with a LiveStore message id (it names the schema or
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

    /** Checks a bean that injects stores with every rule. */
    void checkInjectingBean(Bean<?> bean, String where, Consumer<String> problems) {
        for (DeploymentRules r : rules) {
            r.checkInjectingBean(bean, where, problems);
        }
    }

    /** Plans a declared injection point at deployment; what is wrong goes to {@code problems}. */
    void planDeclared(LiveStore q, Class<?> schema, String where, Class<?> beanClass, Consumer<String> problems) {
        StorePlan plan = plan(q, schema, where, beanClass, problems);
        if (plan != null) {
            plansByBeanClass.computeIfAbsent(beanClass, c -> new ArrayList<>()).add(plan);
            plans.put(key(q, schema, beanClass), plan);
        }
    }

    /** Works out one injection point; reports what is wrong and returns null then. */
    private StorePlan plan(LiveStore q, Class<?> schema, String where, Class<?> beanClass, Consumer<String> problems) {
        StoreDefinition<?> definition = definitionFor(q, schema, where, problems);
        if (definition == null) {
            return null;
        }
        StorePlan plan = idSource(q, definition, where, problems);
        if (plan == null) {
            return null;
        }
        List<String> found = new ArrayList<>();
        for (DeploymentRules r : rules) {
            r.checkPlan(plan, beanClass, found::add);
        }
        found.forEach(problems);
        return found.isEmpty() ? plan : null;
    }

    private StoreDefinition<?> definitionFor(LiveStore q, Class<?> schema, String where, Consumer<String> problems) {
        if (!q.def().isEmpty()) {
            StoreDefinition<?> definition = definitions.get(q.def());
            if (definition == null) {
                if (!declaredNames.contains(q.def())) {
                    problems.accept("LIVESTORE-0302: " + where + " uses @LiveStore(def = \"" + q.def()
                            + "\") but no definition has that name; known: " + new TreeSet<>(declaredNames));
                }
                return null; // else its definition bean is reported already
            }
            if (definition.schemaClass() != schema) {
                problems.accept("LIVESTORE-0303: " + where + " injects Store<" + schema.getSimpleName() + "> but definition '"
                        + q.def() + "' has schema " + definition.schemaClass().getSimpleName());
                return null;
            }
            return definition;
        }
        List<StoreDefinition<?>> matching = definitions.values().stream().filter(d -> d.schemaClass() == schema).toList();
        if (matching.size() != 1) {
            problems.accept("LIVESTORE-0306: " + where + " injects Store<" + schema.getSimpleName() + "> without def, but "
                    + (matching.isEmpty() ? "no definition has that schema"
                    : matching.size() + " definitions have it: " + matching.stream().map(StoreDefinition::name).sorted().toList())
                    + "; name one with @LiveStore(def = ...)");
            return null;
        }
        return matching.get(0);
    }

    /** Where the id comes from, in C3's order: the given id, the fixed id, a resolver, the path parameter. */
    private StorePlan idSource(LiveStore q, StoreDefinition<?> definition, String where, Consumer<String> problems) {
        if (!q.id().isEmpty()) {
            IdTemplate template;
            try {
                template = IdTemplate.parse(q.id());
            } catch (IllegalArgumentException e) {
                problems.accept("LIVESTORE-0307: " + where + " has id \"" + q.id() + "\": " + e.getMessage());
                return null;
            }
            if (!template.isLiteral()) {
                return new StorePlan(definition, StorePlan.IdSource.TEMPLATE, template, where);
            }
            if (!StoreIds.isValidName(q.id())) {
                problems.accept("LIVESTORE-0307: " + where + " has id \"" + q.id()
                        + "\", which is not a valid storeId (1-128 characters of [A-Za-z0-9._:-])");
                return null;
            }
            return new StorePlan(definition, StorePlan.IdSource.LITERAL, template, where);
        }
        if (definition.fixedStoreId().isPresent()) {
            return new StorePlan(definition, StorePlan.IdSource.FIXED, IdTemplate.parse(definition.fixedStoreId().get()), where);
        }
        if (applicationBeans.hasResolver(definition.name())) {
            return new StorePlan(definition, StorePlan.IdSource.RESOLVER, null, where);
        }
        return new StorePlan(definition, StorePlan.IdSource.PATH_PARAMETER, IdTemplate.parse("{" + definition.name() + "Id}"), where);
    }

    @Override
    public StorePlan plan(InjectionPoint ip) {
        LiveStore q = InjectionPoints.qualifier(ip);
        if (q == null) {
            q = LiveStore.Literal.INSTANCE;
        }
        Class<?> schema = InjectionPoints.schemaOf(InjectionPoints.unwrapAsync(InjectionPoints.unwrapLookup(ip.getType())));
        Class<?> beanClass = InjectionPoints.beanClass(ip);
        String key = key(q, schema, beanClass);
        StorePlan plan = plans.get(key);
        if (plan != null) {
            return plan;
        }
        List<String> found = new ArrayList<>();
        plan = plan(q, schema, InjectionPoints.where(ip), beanClass, found::add);
        if (plan == null) {
            throw new StoreResolutionException(String.join("; ", found));
        }
        StorePlan raced = plans.putIfAbsent(key, plan);
        return raced != null ? raced : plan;
    }

    @Override
    public List<StorePlan> plansFor(Class<?> beanClass) {
        return plansByBeanClass.getOrDefault(beanClass, List.of());
    }

    @Override
    public StoreDefinition<?> definition(String name) {
        StoreDefinition<?> d = definitions.get(name);
        if (d == null) {
            throw new StoreResolutionException("no store definition named '" + name + "'; known: " + new TreeSet<>(declaredNames));
        }
        return d;
    }

    @Override
    public Map<String, StoreDefinition<?>> definitions() {
        return Map.copyOf(definitions);
    }

    @Override
    public boolean allows(BeanManager bm, String definition, String storeId) {
        return applicationBeans.allow(bm, definition, storeId);
    }

    @Override
    public boolean allowsClient(BeanManager bm, String definition, String storeId, String syncPayload) {
        return applicationBeans.allowClient(bm, definition, storeId, syncPayload);
    }

    @Override
    public String resolveId(BeanManager bm, String definition) {
        return applicationBeans.resolveId(bm, definition);
    }

    private static String key(LiveStore q, Class<?> schema, Class<?> beanClass) {
        return q.def() + "|" + q.id() + "|" + (schema == null ? "?" : schema.getName()) + "|" + beanClass.getName();
    }
}
