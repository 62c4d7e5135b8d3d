/**
 * The LiveStore sync protocol endpoint (DESIGN.md §9, L1–L8; wire format in
 * {@code docs/livestore-sync-protocol.md}): unmodified LiveStore 0.4.0 JavaScript clients
 * ({@code makeWsSync} of {@code @livestore/sync-cf}) sync with the server's stores. Not API.
 *
 * <p>Three parts: the codec of the Effect RPC JSON frames ({@code SyncFrames}), the protocol engine —
 * one {@link io.livestore.jaxrs.internal.sync.SyncSession} per client connection, fed by text frames and
 * answering through a {@link io.livestore.jaxrs.internal.sync.SyncTransport} — and the transports that
 * carry frames: a {@code jakarta.websocket} endpoint and a JAX-RS resource for the HTTP variant. The engine
 * knows no transport; a transport knows nothing of the protocol but where a connection starts and ends.
 */
package io.livestore.jaxrs.internal.sync;
