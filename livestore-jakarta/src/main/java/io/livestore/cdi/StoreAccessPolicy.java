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

    /**
     * Whether a LiveStore JavaScript client may sync the store through the sync endpoint (DESIGN.md L6):
     * asked once per connection, before anything is read or written; a refusal ends the connection.
     * {@code syncPayload} is what the client passed as LiveStore's {@code syncPayload} (for example an
     * auth token), as JSON text exactly as the client sent it, or null when it passed none — the
     * application parses and checks it (with its JSON-P or JSON-B). The default asks
     * {@link #allows(String, String)} and ignores the payload: override it to authenticate clients.
     *
     * @param definition  the definition's name
     * @param storeId     the validated storeId
     * @param syncPayload the client's {@code syncPayload} as JSON text, or null
     * @return true to allow
     */
    default boolean allowsClient(String definition, String storeId, String syncPayload) {
        return allows(definition, storeId);
    }
}
