package io.livestore.jaxrs.internal.sync;

import jakarta.websocket.CloseReason;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One WebSocket connection as the engine's {@link SyncTransport}: frames are sent asynchronously, one at a
 * time and in the order of the {@link #send} calls, from a bounded queue; the caller never waits for the
 * network. A client that does not read fills the queue ({@value #MAX_FRAMES} frames or
 * {@value #MAX_CHARS} characters waiting): the connection is closed 1008 "client too slow" and
 * {@link #send} answers false.
 *
 * <p>The transport exists before its WebSocket: a server opens the session while it still can refuse the
 * upgrade with an HTTP status ({@link SyncUpgradeFilter}), so frames sent before the socket is open wait in
 * the queue and go out once it is {@linkplain #attach attached}.
 *
 * <p>It tells the session {@link SyncSession#onClosed()} exactly once, whoever ends the connection: the
 * container's close or error, the engine's {@link #close}, a full queue, a failed send, or a socket that
 * never opened.
 */
final class WebSocketTransport implements SyncTransport {

    /** Frames that may wait for a client before it counts as too slow. */
    static final int MAX_FRAMES = 1_000;
    /** Characters that may wait for a client before it counts as too slow (16 Mi: ~18 full pull pages). */
    static final long MAX_CHARS = 16L * 1024 * 1024;

    private static final System.Logger LOG = System.getLogger(WebSocketTransport.class.getName());

    private final Object lock = new Object();
    private final ArrayDeque<String> queue = new ArrayDeque<>();
    private final AtomicBoolean ended = new AtomicBoolean();
    private long queuedChars;
    private boolean inFlight;
    private boolean closed;
    private CloseReason closeBeforeOpen;
    private Session socket;
    private volatile SyncSession session;

    /** The session this transport feeds; it is told {@link SyncSession#onClosed()} once the connection ends. */
    void bind(SyncSession session) {
        this.session = session;
        if (ended.get()) {
            session.onClosed(); // ended while the engine was still opening it
        }
    }

    /** The WebSocket is open: frames waiting go out now. */
    void attach(Session socket) {
        CloseReason closeNow;
        synchronized (lock) {
            this.socket = socket;
            closeNow = closeBeforeOpen;
        }
        if (closeNow != null) {
            closeQuietly(socket, closeNow);
            return;
        }
        pump();
    }

    /** Whether the WebSocket has been attached (false while the upgrade is still under way). */
    boolean attached() {
        synchronized (lock) {
            return socket != null;
        }
    }

    /**
     * Ends the connection when the WebSocket has not opened within {@code seconds} after a successful
     * upgrade handshake (the client went away before the container could open it), so its store is released.
     */
    void expectOpenWithin(long seconds) {
        CompletableFuture.delayedExecutor(seconds, TimeUnit.SECONDS).execute(() -> {
            if (!attached()) {
                close(CloseReason.CloseCodes.GOING_AWAY.getCode(), "the connection did not open");
            }
        });
    }

    @Override
    public boolean send(String frame) {
        boolean tooSlow = false;
        synchronized (lock) {
            if (closed) {
                return false;
            }
            if (queue.size() >= MAX_FRAMES || queuedChars + frame.length() > MAX_CHARS) {
                tooSlow = true;
            } else {
                queue.add(frame);
                queuedChars += frame.length();
            }
        }
        if (tooSlow) {
            LOG.log(Level.DEBUG, "sync connection closed: the client does not read what it is sent");
            close(CloseReason.CloseCodes.VIOLATED_POLICY.getCode(), "client too slow");
            return false;
        }
        pump();
        return true;
    }

    @Override
    public void close(int code, String reason) {
        Session open;
        CloseReason why = new CloseReason(CloseReason.CloseCodes.getCloseCode(code), CloseReasons.fit(reason));
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            queue.clear();
            queuedChars = 0;
            open = socket;
            if (open == null) {
                closeBeforeOpen = why;
            }
        }
        if (open != null) {
            closeQuietly(open, why);
        }
        ended();
    }

    /** The connection has ended (the container said so, or this transport ended it): tells the session once. */
    void ended() {
        synchronized (lock) {
            closed = true;
            queue.clear();
            queuedChars = 0;
        }
        if (ended.compareAndSet(false, true)) {
            SyncSession s = session;
            if (s != null) {
                s.onClosed();
            }
        }
    }

    /**
     * Sends waiting frames, one in flight at a time. A container may complete a send on the calling thread,
     * inside {@code sendText}: then this loop takes the next frame itself instead of recursing, so a long
     * queue never deepens the stack; otherwise the completion, on the container's thread, calls it again.
     */
    private void pump() {
        while (true) {
            String next;
            Session to;
            synchronized (lock) {
                if (inFlight || closed || socket == null || queue.isEmpty()) {
                    return;
                }
                next = queue.poll();
                queuedChars -= next.length();
                inFlight = true;
                to = socket;
            }
            Completion completion = new Completion();
            try {
                to.getAsyncRemote().sendText(next, completion);
            } catch (RuntimeException e) { // the socket closed meanwhile (IllegalStateException)
                completion.onResult(new SendResult(e));
            }
            if (!completion.returned()) {
                return; // completes later, on the container's thread, and pumps from there
            }
        }
    }

    private void sent(SendResult result) {
        synchronized (lock) {
            inFlight = false;
        }
        if (!result.isOK()) {
            Throwable why = result.getException();
            LOG.log(Level.DEBUG, "sync connection: a send failed, closing it", why);
            close(CloseReason.CloseCodes.UNEXPECTED_CONDITION.getCode(), "send failed");
        }
    }

    /** Whether the completion came inside {@code sendText} (the loop goes on) or after it returned (it pumps). */
    private final class Completion implements SendHandler {
        private static final int SENDING = 0;
        private static final int DONE_INSIDE = 1;
        private static final int RETURNED = 2;
        private final AtomicInteger state = new AtomicInteger(SENDING);

        @Override
        public void onResult(SendResult result) {
            sent(result);
            if (!state.compareAndSet(SENDING, DONE_INSIDE)) {
                pump();
            }
        }

        /** Called once sendText has returned: true if the send already completed (the caller loops on). */
        boolean returned() {
            return !state.compareAndSet(SENDING, RETURNED);
        }
    }

    private static void closeQuietly(Session socket, CloseReason why) {
        try {
            socket.close(why);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.DEBUG, "sync connection: closing it failed (it is gone already)", e);
        }
    }
}
