package io.livestore.jaxrs.internal.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The WebSocket transport embedded (Tyrus on Grizzly, as a Java SE application runs it) with a stand-in
 * engine, driven by the JDK's WebSocket client over 127.0.0.1.
 */
class SyncWebSocketEndpointTest {

    static final EchoSessions ENGINE = new EchoSessions();
    static TyrusOnGrizzly server;

    @BeforeAll
    static void start() throws Exception {
        server = TyrusOnGrizzly.start(SyncWebSocketEndpoint.config(SyncPath.DEFAULT, () -> ENGINE));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void forget() {
        ENGINE.handshakes.clear();
        ENGINE.sessions.clear();
    }

    @Test
    void theHandshakeIsTheDefinitionAndTheQueryDecodedOnce() throws Exception {
        // as the client sends it: payload JSON, encodeURIComponent'ed, then form-encoded again
        WsClient client = WsClient.connect(server.uri("/livestore/notebook?storeId=store-%C3%BC+1"
                + "&payload=%257B%2522authToken%2522%253A%2522secret%2526x%253D1%2522%257D&transport=ws"));
        client.send("hello");
        assertEquals("echo:hello", client.next());
        assertEquals(new SyncHandshake("notebook", "store-ü 1",
                        "%7B%22authToken%22%3A%22secret%26x%3D1%22%7D", "ws"), ENGINE.handshakes.get(0));
        client.socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
        assertTrue(ENGINE.last().closedLatch.await(20, TimeUnit.SECONDS));
    }

    @Test
    void absentParametersAreNull() throws Exception {
        WsClient client = WsClient.connect(server.uri("/livestore/notebook"));
        client.send("x");
        assertEquals("echo:x", client.next());
        assertEquals(new SyncHandshake("notebook", null, null, null), ENGINE.handshakes.get(0));
    }

    @Test
    void tenThousandQuickFramesKeepTheirOrderBothWays() throws Exception {
        WsClient client = WsClient.connect(server.uri("/livestore/notebook?storeId=s1&transport=ws"));
        int n = 10_000;
        CompletableFuture<WebSocket> sending = CompletableFuture.completedFuture(client.socket);
        for (int i = 0; i < n; i++) {
            String frame = Integer.toString(i);
            sending = sending.thenCompose(ws -> ws.sendText(frame, true)); // one outstanding send at a time
        }
        sending.get(60, TimeUnit.SECONDS);
        for (int i = 0; i < n; i++) {
            assertEquals("echo:" + i, client.next());
        }
        EchoSessions.Echo session = ENGINE.last();
        assertEquals(n, session.frames.get());
        assertFalse(session.overlapped, "the container delivered one connection's frames one at a time");
    }

    @Test
    void aOneMegabyteFrameArrivesWholeAndGoesBackWhole() throws Exception {
        WsClient client = WsClient.connect(server.uri("/livestore/notebook?storeId=s1&transport=ws"));
        String big = "{\"_tag\":\"Request\",\"payload\":\"" + "ü".repeat(500_000) + "\"}"; // ~1 MB of UTF-8
        client.send(big);
        assertEquals("echo:" + big, client.next());
        assertEquals(big.length(), ENGINE.last().longestFrame, "one onFrame with the whole message");
    }

    @Test
    void aFrameOverTheLimitIsClosedTooBigByTheContainer() throws Exception {
        WsClient client = WsClient.connect(server.uri("/livestore/notebook?storeId=s1&transport=ws"));
        client.socket.sendText("x".repeat(SyncWebSocketEndpoint.MAX_MESSAGE + 1), true);
        assertEquals(1009, client.awaitEnding().code());
        EchoSessions.Echo session = ENGINE.last();
        assertTrue(session.closedLatch.await(20, TimeUnit.SECONDS));
        assertEquals(0, session.frames.get());
    }

    @Test
    void aBinaryFrameIsTakenAsUtf8Text() throws Exception {
        WsClient client = WsClient.connect(server.uri("/livestore/notebook?storeId=s1&transport=ws"));
        client.socket.sendBinary(java.nio.ByteBuffer.wrap("{\"_tag\":\"Ping\",\"x\":\"ü\"}".getBytes(
                java.nio.charset.StandardCharsets.UTF_8)), true).get(10, TimeUnit.SECONDS);
        assertEquals("echo:{\"_tag\":\"Ping\",\"x\":\"ü\"}", client.next());
    }

    @Test
    void aRefusalOpensNoSessionAndClosesWithPolicyViolationAndTheReason() throws Exception {
        WsClient client = WsClient.connect(server.uri("/livestore/refused?storeId=s1&transport=ws"));
        WsClient.Ending ending = client.awaitEnding();
        assertEquals(1008, ending.code());
        assertEquals("store 's1' of definition 'refused' is not open to this client", ending.reason());
        assertEquals(1, ENGINE.handshakes.size());
        assertTrue(ENGINE.sessions.isEmpty());
    }

    @Test
    void aLongRefusalReasonIsCutTo123Bytes() throws Exception {
        WsClient client = WsClient.connect(server.uri("/livestore/refused?storeId=" + "é".repeat(200) + "&transport=ws"));
        WsClient.Ending ending = client.awaitEnding();
        assertEquals(1008, ending.code());
        assertTrue(ending.reason().getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 123, ending.reason());
        assertTrue(ending.reason().endsWith("…"), ending.reason());
    }

    @Test
    void theSessionIsClosedOnceWhenTheClientCloses() throws Exception {
        WsClient client = WsClient.connect(server.uri("/livestore/notebook?storeId=s1&transport=ws"));
        client.send("a");
        client.next();
        EchoSessions.Echo session = ENGINE.last();
        client.socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
        assertEquals(WebSocket.NORMAL_CLOSURE, client.awaitEnding().code(), "the server answered the close");
        assertTrue(session.closedLatch.await(20, TimeUnit.SECONDS));
        assertFalse(session.transport.send("late"), "nothing is sent after the end");
        assertEquals(1, session.closed.get());
    }

    @Test
    void theSessionIsClosedOnceWhenTheServerCloses() throws Exception {
        WsClient client = WsClient.connect(server.uri("/livestore/notebook?storeId=s1&transport=ws"));
        client.send("close");
        WsClient.Ending ending = client.awaitEnding();
        assertEquals(1008, ending.code());
        assertEquals("closed by the server", ending.reason());
        EchoSessions.Echo session = ENGINE.last();
        assertTrue(session.closedLatch.await(20, TimeUnit.SECONDS));
        assertFalse(session.transport.send("late"));
        session.transport.close(1011, "again"); // idempotent
        assertEquals(1, session.closed.get());
    }

    @Test
    void theSessionIsClosedWhenTheClientVanishes() throws Exception {
        WsClient client = WsClient.connect(server.uri("/livestore/notebook?storeId=s1&transport=ws"));
        client.send("a");
        client.next();
        client.socket.abort(); // no close frame: the TCP connection just ends, as a Node client that exits
        EchoSessions.Echo session = ENGINE.last();
        assertTrue(session.closedLatch.await(20, TimeUnit.SECONDS));
        assertEquals(1, session.closed.get());
    }

    @Test
    void aClientThatDoesNotReadIsClosedWhenItsQueueIsFullAndSendNeverBlocks() throws Exception {
        WsClient client = WsClient.connect(server.uri("/livestore/notebook?storeId=s1&transport=ws"), false);
        client.send("flood:65536"); // the engine sends 64 KB frames until the transport says no
        EchoSessions.Echo session = ENGINE.last();
        assertTrue(session.floodDone.await(30, TimeUnit.SECONDS), "send never blocked the engine");
        assertTrue(session.closedLatch.await(30, TimeUnit.SECONDS), "the session was told the connection ended");
        int sent = session.floodSent;
        assertTrue(sent > 0 && sent < 1_000_000, "send said no after " + sent + " frames");
        assertFalse(session.transport.send("more"));
        assertEquals(1, session.closed.get());
        client.startReading(); // what reached the client's buffers, then the end of the connection
        WsClient.Ending ending = client.awaitEnding();
        System.out.println("not reading: send said no after " + sent + " frames of 64 KB; the client saw " + ending);
        assertTrue(ending.code() == 1008 || ending.code() == -1, "closed: " + ending);
    }
}
