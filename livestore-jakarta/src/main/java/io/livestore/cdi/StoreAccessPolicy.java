package io.livestore.cdi;

/**
 * Decides whether the current request may use a store (C6). Every bean implementing this interface is
 * asked before a store is retained for a request — by the JAX-RS filter before anything loads, by
 * injection and by {@link Stores}; one refusal is enough. A refusal over HTTP is a 403 problem response.
 */
@FunctionalInterface
public interface StoreAccessPolicy {
    /**
     * @param definition the definition's name
     * @param storeId    the validated storeId
     * @return true to allow
     */
    boolean allows(String definition, String storeId);
}
