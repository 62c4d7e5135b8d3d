package io.livestore.jaxrs.internal.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The upgrade filter without a server: what it answers for a refusal, and that a session it opened is
 * closed when the container does not upgrade, and handed over when it does.
 */
class SyncUpgradeFilterTest {

    final EchoSessions engine = new EchoSessions();
    final SyncUpgradeFilter filter = new SyncUpgradeFilter("/livestore", () -> engine);
    final Map<String, Object> response = new HashMap<>();
    final ByteArrayOutputStream body = new ByteArrayOutputStream();

    @Test
    void aRefusalIsTheStatusWithAProblemDocumentAndNoUpgrade() throws Exception {
        AtomicBoolean passedOn = new AtomicBoolean();
        filter.doFilter(upgrade("/livestore/refused", "storeId=s%201"), response(), (q, r) -> passedOn.set(true));
        assertFalse(passedOn.get(), "the container never sees the upgrade");
        assertEquals(403, response.get("status"));
        assertEquals(SyncProblems.PROBLEM_JSON, response.get("contentType"));
        String doc = body.toString(StandardCharsets.UTF_8);
        assertTrue(doc.contains("\"status\":403") && doc.contains("store 's 1' of definition 'refused' is not open"), doc);
        assertTrue(engine.sessions.isEmpty());
    }

    @Test
    void aSessionTheContainerDidNotUpgradeIsClosed() throws Exception {
        // the container answers the request itself (a bad handshake): modifyHandshake never runs
        filter.doFilter(upgrade("/livestore/notebook", "storeId=s1"), response(), (q, r) -> { });
        EchoSessions.Echo session = engine.last();
        assertEquals(1, session.closed.get());
        assertFalse(session.transport.send("x"));
    }

    @Test
    void aSessionTheContainerUpgradedIsHandedToTheConnection() throws Exception {
        SyncEndpointConfigurator configurator = new SyncEndpointConfigurator(() -> engine);
        ServerEndpointConfig perConnection = ServerEndpointConfig.Builder.create(SyncWebSocketEndpoint.class, "/x").build();
        FilterChain container = (q, r) -> configurator.modifyHandshake(perConnection, null, null);
        filter.doFilter(upgrade("/livestore/notebook", "storeId=s1"), response(), container);
        EchoSessions.Echo session = engine.last();
        assertEquals(0, session.closed.get());
        Object handedOver = perConnection.getUserProperties().get(UpgradeHandoff.KEY);
        assertTrue(handedOver instanceof UpgradeHandoff.PreOpened p && p.session() == session);
        assertEquals(null, UpgradeHandoff.claim(), "nothing is left on the thread");
    }

    @Test
    void otherRequestsPassUntouched() throws Exception {
        AtomicBoolean passedOn = new AtomicBoolean();
        filter.doFilter(request("GET", "/livestore/a/b", null, "websocket"), response(), (q, r) -> passedOn.set(true));
        assertTrue(passedOn.get());
        passedOn.set(false);
        filter.doFilter(request("GET", "/livestore/notebook", null, null), response(), (q, r) -> passedOn.set(true));
        assertTrue(passedOn.get());
        assertTrue(engine.handshakes.isEmpty());
    }

    /** An upgrade for a definition the engine does not serve is the container's (the application's own endpoint, say). */
    @Test
    void anUpgradeForADefinitionTheEngineDoesNotServePassesUntouched() throws Exception {
        SyncSessions onlyNotebook = new SyncSessions() {
            @Override
            public SyncSession open(SyncHandshake handshake, SyncTransport transport) {
                return engine.open(handshake, transport);
            }

            @Override
            public boolean serves(String definition) {
                return definition.equals("notebook");
            }
        };
        SyncUpgradeFilter narrow = new SyncUpgradeFilter("/livestore", () -> onlyNotebook);
        AtomicBoolean passedOn = new AtomicBoolean();
        narrow.doFilter(upgrade("/livestore/chat", "storeId=s1"), response(), (q, r) -> passedOn.set(true));
        assertTrue(passedOn.get(), "the container routes it");
        assertTrue(engine.handshakes.isEmpty(), "no session, no store admission");
        assertEquals(null, response.get("status"));
    }

    static HttpServletRequest upgrade(String path, String query) {
        return request("GET", path, query, "websocket");
    }

    static HttpServletRequest request(String method, String path, String query, String upgrade) {
        return (HttpServletRequest) Proxy.newProxyInstance(SyncUpgradeFilterTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "getMethod" -> method;
                    case "getServletPath" -> path;
                    case "getPathInfo" -> null;
                    case "getQueryString" -> query;
                    case "getHeader" -> "Upgrade".equalsIgnoreCase((String) args[0]) ? upgrade : null;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    HttpServletResponse response() {
        ServletOutputStream out = new ServletOutputStream() {
            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener writeListener) {
            }

            @Override
            public void write(int b) {
                body.write(b);
            }
        };
        return (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletResponse.class}, (proxy, m, args) -> switch (m.getName()) {
                    case "isCommitted" -> false;
                    case "setStatus" -> response.put("status", args[0]);
                    case "setContentType" -> response.put("contentType", args[0]);
                    case "setContentLength" -> null;
                    case "getOutputStream" -> out;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }
}
