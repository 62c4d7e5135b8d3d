package io.livestore.jaxrs.internal.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One HTTP sync request ({@code transport=http}, protocol notes §2.2) as the engine's {@link SyncTransport}:
 * it collects every frame the engine sends until the request is answered — the {@code Exit} of the
 * request's id, a {@code Defect}, or, for a body that is no {@code Request}, the first frame (a
 * {@code Pong}) — then answers once: 200 with the JSON array of those frames, and closes the session.
 *
 * <p>The engine's {@link #close} before that is a problem answer instead: 1008 (a protocol violation)
 * 400, 1009 413, 1001 503, others 500. Thread-safe: frames may come from any thread; an answer complete
 * while the engine still handles the request's frame is written once it has returned ({@link #handle}).
 */
public final class HttpExchange implements SyncTransport {

    /** The answer to the HTTP request: status, media type and body. */
    public record Answer(int status, String mediaType, String body) {
    }

    /** The frames the engine never answers (the WebSocket client's flow control and goodbyes). */
    private static final Set<String> UNANSWERED = Set.of("Ack", "Interrupt", "Eof");

    private final String requestId;
    private final String unanswered;
    private final Consumer<Answer> answer;
    private final List<String> frames = new ArrayList<>();
    private final AtomicBoolean sessionClosed = new AtomicBoolean();
    private boolean done;
    /** While the engine handles the request's frame: an answer waits for it to return (see {@link #handle}). */
    private boolean handling;
    private Answer held;
    private volatile SyncSession session;

    /**
     * @param requestBody the request's body (one Request envelope), to learn its id
     * @param answer      called once, on the thread that completes the exchange
     */
    public HttpExchange(String requestBody, Consumer<Answer> answer) {
        FrameTags tags = FrameTags.of(requestBody);
        this.requestId = tags.id();
        this.unanswered = UNANSWERED.contains(tags.tag()) ? tags.tag() : null;
        this.answer = answer;
    }

    /**
     * The body's tag when it is a frame the engine answers with nothing ({@code Ack}, {@code Interrupt},
     * {@code Eof}: the HTTP client never sends them), else null. Such a request is refused before a session
     * is opened: it would otherwise hold its store until the deadline and end as a 504.
     */
    public String unanswered() {
        return unanswered;
    }

    /** The session this exchange feeds; it is closed when the exchange is answered. */
    public void bind(SyncSession session) {
        boolean closeNow;
        synchronized (this) {
            this.session = session;
            closeNow = done;
        }
        if (closeNow) {
            closeSession();
        }
    }

    /**
     * Hands the request's frame to the engine. An answer complete before the engine returns is written after
     * it has returned, on this thread: the engine sends a pull's last frame under the pull's monitor, which a
     * commit of the store waits for under the store's lock, and writing an answer is a network write (a JAX-RS
     * resume writes on the calling thread) that a slow client can make last.
     *
     * @throws RuntimeException what the engine threw; an answer it gave before is still written
     */
    public void handle(SyncSession session, String frame) {
        synchronized (this) {
            handling = true;
        }
        try {
            session.onFrame(frame);
        } finally {
            Answer a;
            synchronized (this) {
                handling = false;
                a = held;
                held = null;
            }
            if (a != null) {
                deliver(a);
            }
        }
    }

    @Override
    public boolean send(String frame) {
        String body;
        synchronized (this) {
            if (done) {
                return false;
            }
            frames.add(frame);
            if (!ends(FrameTags.of(frame))) {
                return true;
            }
            done = true;
            body = "[" + String.join(",", frames) + "]";
        }
        finish(new Answer(200, "application/json", body));
        return true;
    }

    private boolean ends(FrameTags tags) {
        if ("Defect".equals(tags.tag())) {
            return true;
        }
        if (requestId == null) {
            return true; // not a Request: whatever answers it (a Pong) is all there is
        }
        return "Exit".equals(tags.tag()) && requestId.equals(tags.requestId());
    }

    @Override
    public void close(int code, String reason) {
        int status = switch (code) {
            case 1008 -> 400;
            case 1009 -> 413;
            case 1001 -> 503;
            default -> 500;
        };
        fail(status, reason);
    }

    /** Answers with a problem document now, unless answered already (e.g. the request's deadline passed). */
    public void fail(int status, String detail) {
        synchronized (this) {
            if (done) {
                return;
            }
            done = true;
        }
        finish(new Answer(status, SyncProblems.PROBLEM_JSON, SyncProblems.document(status, detail)));
    }

    private void finish(Answer a) {
        synchronized (this) {
            if (handling) {
                held = a; // written when the engine has returned (handle)
                return;
            }
        }
        deliver(a);
    }

    private void deliver(Answer a) {
        try {
            answer.accept(a);
        } finally {
            closeSession();
        }
    }

    private void closeSession() {
        SyncSession s = session;
        if (s != null && sessionClosed.compareAndSet(false, true)) {
            s.onClosed();
        }
    }
}
