package io.livestore.jaxrs.internal.sync;

/**
 * What a client connection starts with (L1, L6): the definition named by the endpoint's path and the
 * query string the LiveStore client sends ({@code ?storeId=…&payload=…&transport=ws|http}).
 *
 * @param definition the store definition's name, from the path
 * @param storeId    the {@code storeId} query parameter as the container decoded it (once), or null when absent
 * @param payload    the {@code payload} query parameter as the container decoded it (once) — still
 *                   percent-encoded once more by the client, then JSON (see the protocol notes §2.1) — or
 *                   null when absent
 * @param transport  the {@code transport} query parameter ({@code ws} or {@code http}), or null when absent
 */
public record SyncHandshake(String definition, String storeId, String payload, String transport) {
}
