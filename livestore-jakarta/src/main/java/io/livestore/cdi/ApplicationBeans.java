package io.livestore.cdi;

import io.livestore.registry.RegistryOptions;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The application's beans that configure the library — its {@link RegistryOptions}, its
 * {@link StoreAccessPolicy} beans and a {@link StoreIdResolver} per definition — as found during
 * discovery, and their instances at run time.
 *
 * <p>Why not {@code Instance<T>} lookups from the library's own beans: a server may put the library's
 * beans in a bean archive that does not see the application's classes. On Payara such a lookup found
 * nothing, so the application's options were ignored and a refusing access policy was silently skipped.
 * The beans seen by the extension are resolved with {@link BeanManager#getReference}, which does not
 * depend on that visibility.
 *
 * <p>Each bean is resolved once and its instance kept for the application's lifetime: normal-scoped
 * beans give their client proxy (a {@code @RequestScoped} resolver sees each request); a
 * {@code @Dependent} policy or resolver is one instance, shared.
 */
final class ApplicationBeans {

    private final List<Bean<?>> options = new CopyOnWriteArrayList<>();
    private final List<Bean<?>> policies = new CopyOnWriteArrayList<>();
    private final Map<String, List<Bean<?>>> resolvers = new TreeMap<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();

    private volatile List<StoreAccessPolicy> policyInstances;
    private final Map<String, StoreIdResolver> resolverInstances = new ConcurrentHashMap<>();

    /** Notes {@code bean} if it is one of the kinds above (called for every bean during discovery). */
    synchronized void collect(Bean<?> bean, BeanManager bm) {
        if (bean.getTypes().contains(RegistryOptions.class)) {
            options.add(bean);
            if (bm.isNormalScope(bean.getScope())) {
                // Weld would report this only when the registry is first used, as an error on every request.
                problems.add("LIVESTORE-0312: RegistryOptions bean " + LiveStoreExtension.describe(bean) + " is @"
                        + bean.getScope().getSimpleName() + ", but RegistryOptions is final and cannot be proxied;"
                        + " produce it @Dependent (the default) or @Singleton — the registry reads it once");
            }
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

    /** What is wrong with the collected beans, each with its message id. */
    synchronized List<String> problems() {
        List<String> all = new ArrayList<>(problems);
        if (options.size() > 1) {
            all.add("LIVESTORE-0313: " + options.size() + " RegistryOptions beans, the registry needs one: "
                    + options.stream().map(LiveStoreExtension::describe).toList());
        }
        resolvers.forEach((name, beans) -> {
            if (beans.size() > 1) {
                all.add("LIVESTORE-0314: " + beans.size() + " StoreIdResolver beans for definition '" + name + "': "
                        + beans.stream().map(LiveStoreExtension::describe).toList() + "; keep one");
            }
        });
        return all;
    }

    synchronized boolean hasResolver(String definition) {
        return resolvers.containsKey(definition);
    }

    /** The application's options, if it declares them. */
    Optional<RegistryOptions> registryOptions(BeanManager bm) {
        return options.isEmpty() ? Optional.empty() : Optional.of(reference(options.get(0), RegistryOptions.class, bm));
    }

    /** Every access policy of the application. */
    List<StoreAccessPolicy> policies(BeanManager bm) {
        List<StoreAccessPolicy> instances = policyInstances;
        if (instances == null) {
            instances = policies.stream().map(b -> reference(b, StoreAccessPolicy.class, bm)).toList();
            policyInstances = instances;
        }
        return instances;
    }

    /** The resolver for {@code definition}, or null when it has none. */
    StoreIdResolver resolver(String definition, BeanManager bm) {
        List<Bean<?>> beans;
        synchronized (this) {
            beans = resolvers.get(definition);
        }
        if (beans == null) {
            return null;
        }
        return resolverInstances.computeIfAbsent(definition, d -> reference(beans.get(0), StoreIdResolver.class, bm));
    }

    private static <T> T reference(Bean<?> bean, Class<T> type, BeanManager bm) {
        return type.cast(bm.getReference(bean, type, bm.createCreationalContext(bean)));
    }
}
