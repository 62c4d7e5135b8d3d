package io.livestore.cdi.internal;

import io.livestore.registry.StoreDefinition;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.InjectionPoint;
import java.util.List;
import java.util.Map;

/**
 * What the extension found and validated at deployment, for the library's beans at run time: the
 * definitions by name, the plans of the {@code @LiveStore} injection points, and the application's
 * access policies and id resolvers. The extension adds it as a synthetic bean; {@link StoreAdmission}
 * is its main user.
 *
 * <p>The {@code BeanManager} parameters are the caller's own: the application's policy and resolver
 * beans are reached through the bean manager of the library's beans (see the extension's notes on
 * bean archive visibility).
 */
public interface StoreDeployment {

    /** Every valid definition, by name. */
    Map<String, StoreDefinition<?>> definitions();

    /**
     * A definition by name.
     *
     * @throws io.livestore.cdi.StoreResolutionException when there is none of that name
     */
    StoreDefinition<?> definition(String name);

    /**
     * The plan of an injection point: declared ones were planned at deployment, programmatic lookups
     * are planned on first use.
     *
     * @throws io.livestore.cdi.StoreResolutionException when the injection point cannot be served
     */
    StorePlan plan(InjectionPoint ip);

    /** The plans of the {@code @LiveStore} injection points a bean class declares (inherited ones included). */
    List<StorePlan> plansFor(Class<?> beanClass);

    /** Whether every {@code StoreAccessPolicy} allows the store. */
    boolean allows(BeanManager bm, String definition, String storeId);

    /** Whether every {@code StoreAccessPolicy} allows a LiveStore client with {@code syncPayload} the store (L6). */
    boolean allowsClient(BeanManager bm, String definition, String storeId, String syncPayload);

    /** The storeId the definition's {@code StoreIdResolver} gives, or null when it gives none. */
    String resolveId(BeanManager bm, String definition);
}
