package io.livestore.jaxrs.internal.sync;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * The LiveStore sync protocol's WebSocket endpoint at {@code <livestore.sync.path>/{definition}} (L1), one
 * instance per connection. It carries frames and knows nothing of the protocol: every text message goes
 * to the connection's {@link SyncSession} whole, binary messages decoded as UTF-8 (the client sends text
 * only, but Effect's socket accepts binary too), and answers go out through a {@link WebSocketTransport}.
 *
 * <p>Where the session comes from: on a server, {@link SyncUpgradeFilter} opened it before the upgrade
 * (so a refusal was an HTTP status) and it arrives in the connection's user properties; with a container
 * that has no servlet filter in front (Tyrus on Grizzly in Java SE) this endpoint opens it in
 * {@link #onOpen}, and a refusal is an accepted connection closed at once with 1008 and the reason.
 *
 * <p>Threads: the container delivers one connection's messages one at a time (Jakarta WebSocket §5.1), so
 * {@link SyncSession#onFrame} is never called concurrently for one connection, though not always on the
 * same thread; sends happen on any thread (see {@link WebSocketTransport}).
 *
 * <p>Messages up to {@value #MAX_MESSAGE} characters (binary: bytes) are taken whole (pushes and pages are
 * up to 900 KB); a longer one closes the connection with 1009, the same on every container.
 */
public final class SyncWebSocketEndpoint extends Endpoint {

    /** Largest message taken whole, in characters (text) or bytes (binary): 2 Mi, room for a 900 KB push. */
    public static final int MAX_MESSAGE = 2 * 1024 * 1024;

    private static final System.Logger LOG = System.getLogger(SyncWebSocketEndpoint.class.getName());

    private final Supplier<SyncSessions> sessions;
    private volatile WebSocketTransport transport;

    SyncWebSocketEndpoint(Supplier<SyncSessions> sessions) {
        this.sessions = sessions;
    }

    /**
     * The endpoint's configuration for {@code ServerContainer.addEndpoint}.
     *
     * @param base     the normalized {@link SyncPath}
     * @param sessions where sessions are opened (looked up on first use)
     */
    public static ServerEndpointConfig config(String base, Supplier<SyncSessions> sessions) {
        return ServerEndpointConfig.Builder.create(SyncWebSocketEndpoint.class, SyncPath.endpointTemplate(base))
                .configurator(new SyncEndpointConfigurator(sessions))
                .build();
    }

    @Override
    public void onOpen(Session socket, EndpointConfig config) {
        socket.setMaxTextMessageBufferSize(MAX_MESSAGE);
        socket.setMaxBinaryMessageBufferSize(MAX_MESSAGE);
        Object handedOver = socket.getUserProperties().remove(UpgradeHandoff.KEY);
        WebSocketTransport t;
        SyncSession session;
        if (handedOver instanceof UpgradeHandoff.PreOpened preOpened) {
            t = preOpened.transport();
            session = preOpened.session();
        } else {
            t = new WebSocketTransport();
            try {
                session = sessions.get().open(SyncQuery.handshake(socket.getPathParameters().get("definition"),
                        socket.getQueryString()), t);
            } catch (SyncRefusedException e) {
                LOG.log(Level.DEBUG, () -> "sync connection refused (" + e.status() + "): " + e.getMessage());
                close(socket, CloseReason.CloseCodes.VIOLATED_POLICY, e.getMessage());
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "opening a sync connection failed", e);
                close(socket, CloseReason.CloseCodes.UNEXPECTED_CONDITION, "server error; the server log has the cause");
                return;
            }
            t.bind(session);
        }
        transport = t;
        socket.addMessageHandler(String.class, new TextMessages(session, t));
        socket.addMessageHandler(ByteBuffer.class, new BinaryMessages(session, t));
        t.attach(socket);
    }

    /**
     * Assembles text messages from their parts, up to {@value #MAX_MESSAGE} characters. The limit is kept
     * here, not left to {@code setMaxTextMessageBufferSize}: Undertow 2.3 (WildFly 39) does not enforce that
     * for a message that arrives over several reads (UNDERTOW-2770), and this way every container answers
     * the same 1009.
     */
    private static final class TextMessages implements MessageHandler.Partial<String> {
        private final SyncSession session;
        private final WebSocketTransport t;
        private StringBuilder parts = new StringBuilder();
        private boolean tooBig;

        TextMessages(SyncSession session, WebSocketTransport t) {
            this.session = session;
            this.t = t;
        }

        @Override
        public void onMessage(String part, boolean last) {
            if (!tooBig && (long) parts.length() + part.length() > MAX_MESSAGE) {
                tooBig = true;
                parts = new StringBuilder();
                t.close(CloseReason.CloseCodes.TOO_BIG.getCode(), "a message longer than " + MAX_MESSAGE + " characters");
            }
            if (tooBig) {
                return; // the rest of the message, on its way while the connection closes
            }
            if (last && parts.length() == 0) {
                deliver(session, t, part); // the usual case: the whole message in one part
                return;
            }
            parts.append(part);
            if (last) {
                String frame = parts.toString();
                parts = new StringBuilder(); // not kept at the size of the largest message
                deliver(session, t, frame);
            }
        }
    }

    /** Assembles binary messages up to {@value #MAX_MESSAGE} bytes and hands them on as UTF-8 text. */
    private static final class BinaryMessages implements MessageHandler.Partial<ByteBuffer> {
        private final SyncSession session;
        private final WebSocketTransport t;
        private java.io.ByteArrayOutputStream parts = new java.io.ByteArrayOutputStream();
        private boolean failed;

        BinaryMessages(SyncSession session, WebSocketTransport t) {
            this.session = session;
            this.t = t;
        }

        @Override
        public void onMessage(ByteBuffer part, boolean last) {
            if (!failed && (long) parts.size() + part.remaining() > MAX_MESSAGE) {
                failed = true;
                t.close(CloseReason.CloseCodes.TOO_BIG.getCode(), "a message longer than " + MAX_MESSAGE + " bytes");
            }
            if (failed) {
                return;
            }
            byte[] bytes = new byte[part.remaining()];
            part.get(bytes);
            parts.write(bytes, 0, bytes.length);
            if (!last) {
                return;
            }
            ByteBuffer whole = ByteBuffer.wrap(parts.toByteArray());
            parts = new java.io.ByteArrayOutputStream();
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(whole).toString();
            } catch (CharacterCodingException e) {
                failed = true;
                t.close(CloseReason.CloseCodes.NOT_CONSISTENT.getCode(), "a binary message that is not UTF-8 text");
                return;
            }
            deliver(session, t, text);
        }
    }

    private static void deliver(SyncSession session, WebSocketTransport t, String frame) {
        try {
            session.onFrame(frame);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "the sync protocol failed on a frame; closing the connection", e);
            t.close(CloseReason.CloseCodes.UNEXPECTED_CONDITION.getCode(), "server error; the server log has the cause");
        }
    }

    @Override
    public void onClose(Session socket, CloseReason closeReason) {
        WebSocketTransport t = transport;
        if (t != null) {
            t.ended();
        }
    }

    @Override
    public void onError(Session socket, Throwable failure) {
        // A client that went away, a message too big (Tyrus and Undertow send 1009 themselves): a connection's
        // fate, not the server's. The connection is over for the engine either way; Undertow leaves the socket
        // to the endpoint after an error, so it is closed here (no second close frame if one went out already).
        LOG.log(Level.DEBUG, "sync connection failed", failure);
        WebSocketTransport t = transport;
        if (t != null) {
            t.ended();
        }
        if (socket.isOpen()) {
            close(socket, CloseReason.CloseCodes.UNEXPECTED_CONDITION, "connection failed");
        }
    }

    private static void close(Session socket, CloseReason.CloseCode code, String reason) {
        try {
            socket.close(new CloseReason(code, CloseReasons.fit(reason)));
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.DEBUG, "closing a refused sync connection failed (it is gone already)", e);
        }
    }
}
