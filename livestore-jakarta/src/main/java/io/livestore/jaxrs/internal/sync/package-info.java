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
 *
 * <p>The transports:
 * <ul>
 * <li>WebSocket, {@link io.livestore.jaxrs.internal.sync.SyncWebSocketEndpoint} at
 * {@code <livestore.sync.path>/{definition}} (default {@code /livestore}). On a server it is registered by
 * {@link io.livestore.jaxrs.internal.sync.SyncServletInitializer} (a {@code ServletContainerInitializer} in the
 * library's jar: a filter, and {@code ServerContainer.addEndpoint} from a context listener); the filter opens
 * the session before the container upgrades, so a refusal is the handshake's HTTP status. In Java SE the
 * application adds {@code LiveStoreWebSocket.endpointConfig()} to its container; a refusal is then a
 * connection closed at once with 1008. Sends are asynchronous, ordered and bounded
 * ({@link io.livestore.jaxrs.internal.sync.WebSocketTransport}).</li>
 * <li>HTTP, {@code io.livestore.jaxrs.LiveStoreHttpSync}, enabled by an application's subclass with its own
 * path: one POST, one {@link io.livestore.jaxrs.internal.sync.HttpExchange}, one JSON array as answer.</li>
 * </ul>
 *
 * <p>Threads: a connection's frames reach {@link io.livestore.jaxrs.internal.sync.SyncSession#onFrame} one at
 * a time, in order (the container delivers them so), on the container's threads (worker threads on WildFly
 * and Payara, Grizzly's in Java SE); {@link io.livestore.jaxrs.internal.sync.SyncSession#onClosed} comes once
 * per session, from whichever thread ended the connection, possibly from within the engine's own
 * {@link io.livestore.jaxrs.internal.sync.SyncTransport#close} or {@code send} (a full queue).
 */
package io.livestore.jaxrs.internal.sync;
