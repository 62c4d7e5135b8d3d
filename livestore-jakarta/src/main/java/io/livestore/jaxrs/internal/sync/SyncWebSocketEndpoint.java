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
 * <p>Messages up to {@value #MAX_MESSAGE} bytes are taken whole (pushes and pages are up to 900 KB); a
 * longer one makes the container close the connection with 1009.
 */
public final class SyncWebSocketEndpoint extends Endpoint {

    /** Largest message, text or binary, taken whole: 2 MiB, room for a 900 KB push in any encoding. */
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
        socket.addMessageHandler(String.class, new MessageHandler.Whole<String>() {
            @Override
            public void onMessage(String frame) {
                deliver(session, t, frame);
            }
        });
        socket.addMessageHandler(ByteBuffer.class, new MessageHandler.Whole<ByteBuffer>() {
            @Override
            public void onMessage(ByteBuffer frame) {
                String text;
                try {
                    text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(frame).toString();
                } catch (CharacterCodingException e) {
                    t.close(CloseReason.CloseCodes.NOT_CONSISTENT.getCode(), "a binary message that is not UTF-8 text");
                    return;
                }
                deliver(session, t, text);
            }
        });
        t.attach(socket);
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
        // A client that went away, a message too big (the container closes with 1009): a connection's fate,
        // not the server's; the connection is over for the engine either way.
        LOG.log(Level.DEBUG, "sync connection failed", failure);
        WebSocketTransport t = transport;
        if (t != null) {
            t.ended();
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
