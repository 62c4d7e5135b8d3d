package io.livestore.cdi;

import io.livestore.registry.RegistryOptions;
import jakarta.enterprise.context.spi.CreationalContext;
import jakarta.enterprise.inject.AmbiguousResolutionException;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.Specializes;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.Decorator;
import jakarta.enterprise.inject.spi.Interceptor;
import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The application's beans that configure the library — its {@link RegistryOptions}, its
 * {@link StoreAccessPolicy} beans and a {@link StoreIdResolver} per definition — as found during
 * discovery, and their instances at run time.
 *
 * <p>Why not {@code Instance<T>} lookups from the library's own beans: a server may put the library's
 * beans in a bean archive that does not see the application's classes. On Payara such a lookup found
 * nothing, so the application's options were ignored and a refusing access policy was silently skipped.
 * The beans seen by the extension are resolved with {@link BeanManager#resolve} (enabled alternatives
 * win, as in a lookup) and {@link BeanManager#getReference}, which do not depend on that visibility.
 *
 * <p>Instances: a normal-scoped policy or resolver is used through its client proxy, so a
 * {@code @RequestScoped} one sees each request. A {@code @Dependent} one is created for each use and
 * destroyed right after, as {@code Instance.get()} + {@code destroy} would: caching one would serve
 * whatever it captured from its first request to every later one. The options are read once and their
 * dependent objects destroyed when the registry closes ({@link #release()}).
 */
final class ApplicationBeans {

    private final List<Bean<?>> options = new ArrayList<>();
    private final List<Bean<?>> policies = new ArrayList<>();
    private final Map<String, List<Bean<?>>> resolvers = new LinkedHashMap<>();

    // Resolved once, after deployment validation.
    private volatile Bean<?> optionsBean;
    private volatile List<Bean<?>> policyBeans = List.of();
    private volatile Map<String, Bean<?>> resolverBeans = Map.of();
    private final Map<Bean<?>, Object> proxies = new ConcurrentHashMap<>();
    private final List<CreationalContext<?>> optionContexts = new ArrayList<>();

    /** Notes {@code bean} if it is one of the kinds above (called for every bean during discovery). */
    synchronized void collect(Bean<?> bean) {
        if (bean instanceof Decorator<?> || bean instanceof Interceptor<?>) {
            return; // they wrap the beans below, they are not more of them
        }
        if (bean.getTypes().contains(RegistryOptions.class) && bean.getQualifiers().contains(Default.Literal.INSTANCE)) {
            options.add(bean);
        }
        if (bean.getTypes().contains(StoreAccessPolicy.class)) {
            policies.add(bean);
        }
        if (bean.getTypes().contains(StoreIdResolver.class)) {
            for (Annotation q : bean.getQualifiers()) {
                if (q instanceof StoreDef def) {
                    resolvers.computeIfAbsent(def.value(), n -> new ArrayList<>()).add(bean);
                }
            }
        }
    }

    /**
     * Resolves what was collected as a lookup would (enabled alternatives win, specialized beans give
     * way) and returns what is wrong, each with its message id.
     */
    synchronized List<String> resolve(BeanManager bm) {
        List<String> problems = new ArrayList<>();
        Set<Bean<?>> optionSet = withoutSpecialized(options);
        if (!optionSet.isEmpty()) {
            try {
                optionsBean = bm.resolve(optionSet);
            } catch (AmbiguousResolutionException e) {
                problems.add("LIVESTORE-0313: " + optionSet.size() + " RegistryOptions beans, the registry needs one: "
                        + optionSet.stream().map(InjectionPoints::describe).toList());
            }
            for (Bean<?> bean : optionSet) {
                if (bm.isNormalScope(bean.getScope())) {
                    // Weld would report this only when the registry is first used, as an error on every request.
                    problems.add("LIVESTORE-0312: RegistryOptions bean " + InjectionPoints.describe(bean) + " is @"
                            + bean.getScope().getSimpleName() + ", but RegistryOptions is final and cannot be proxied;"
                            + " produce it @Dependent (the default) or @Singleton — the registry reads it once");
                    optionsBean = null;
                }
            }
        }
        policyBeans = List.copyOf(withoutSpecialized(policies));
        Map<String, Bean<?>> chosen = new LinkedHashMap<>();
        resolvers.forEach((name, beans) -> {
            Set<Bean<?>> set = withoutSpecialized(beans);
            try {
                chosen.put(name, bm.resolve(set));
            } catch (AmbiguousResolutionException e) {
                problems.add("LIVESTORE-0314: " + set.size() + " StoreIdResolver beans for definition '" + name + "': "
                        + set.stream().map(InjectionPoints::describe).toList() + "; keep one");
            }
        });
        resolverBeans = Map.copyOf(chosen);
        return problems;
    }

    /** {@code beans} without those a {@code @Specializes} bean among them replaces. */
    private static Set<Bean<?>> withoutSpecialized(List<Bean<?>> beans) {
        Set<Class<?>> replaced = new HashSet<>();
        for (Bean<?> b : beans) {
            if (b.getBeanClass().isAnnotationPresent(Specializes.class)) {
                replaced.add(b.getBeanClass().getSuperclass());
            }
        }
        Set<Bean<?>> kept = new LinkedHashSet<>();
        for (Bean<?> b : beans) {
            if (!replaced.contains(b.getBeanClass()) || b.getBeanClass().isAnnotationPresent(Specializes.class)) {
                kept.add(b);
            }
        }
        return kept;
    }

    synchronized boolean hasResolver(String definition) {
        return resolvers.containsKey(definition);
    }

    /** The application's options, if it declares them; their dependents live until {@link #release()}. */
    Optional<RegistryOptions> registryOptions(BeanManager bm) {
        Bean<?> bean = optionsBean;
        if (bean == null) {
            return Optional.empty();
        }
        CreationalContext<?> context = bm.createCreationalContext(bean);
        synchronized (optionContexts) {
            optionContexts.add(context);
        }
        return Optional.of((RegistryOptions) bm.getReference(bean, RegistryOptions.class, context));
    }

    /** Whether every access policy allows the store; each {@code @Dependent} policy lives for this call. */
    boolean allow(BeanManager bm, String definition, String storeId) {
        for (Bean<?> bean : policyBeans) {
            if (!use(bm, bean, StoreAccessPolicy.class, p -> p.allows(definition, storeId))) {
                return false;
            }
        }
        return true;
    }

    /** Whether every access policy allows a LiveStore client with {@code syncPayload} the store (L6). */
    boolean allowClient(BeanManager bm, String definition, String storeId, String syncPayload) {
        for (Bean<?> bean : policyBeans) {
            if (!use(bm, bean, StoreAccessPolicy.class, p -> p.allowsClient(definition, storeId, syncPayload))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The storeId the definition's resolver gives (null if it returns null), or throws when the
     * definition has none; a {@code @Dependent} resolver lives for this call.
     */
    String resolveId(BeanManager bm, String definition) {
        Bean<?> bean = resolverBeans.get(definition);
        if (bean == null) {
            throw new StoreResolutionException("definition '" + definition + "' has no StoreIdResolver");
        }
        return use(bm, bean, StoreIdResolver.class, StoreIdResolver::resolve);
    }

    private <T, R> R use(BeanManager bm, Bean<?> bean, Class<T> type, Function<T, R> call) {
        if (bm.isNormalScope(bean.getScope())) {
            Object proxy = proxies.computeIfAbsent(bean, b -> bm.getReference(b, type, bm.createCreationalContext(b)));
            return call.apply(type.cast(proxy));
        }
        CreationalContext<?> context = bm.createCreationalContext(bean);
        try {
            return call.apply(type.cast(bm.getReference(bean, type, context)));
        } finally {
            context.release();
        }
    }

    /** Destroys the dependent objects of the options (their producer's disposer, {@code @PreDestroy}). */
    void release() {
        synchronized (optionContexts) {
            optionContexts.forEach(CreationalContext::release);
            optionContexts.clear();
        }
    }
}
