package io.livestore.jaxrs.internal.sync;

import io.livestore.store.internal.LocalLog;
import io.livestore.store.spi.LogEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One pull request of a client (L2): the store's events after the client's cursor, in order, without gaps
 * or duplicates, in pages of at most 100 events and 900 KB ({@link SyncFrames#pages}) — {@code MoreKnown}
 * while more are known, the last one {@code NoMore}, one empty {@code NoMore} page when there is nothing —
 * then, for a live pull, every later batch of the log as it becomes durable.
 *
 * <p>No gap between backlog and live: the listener is registered on the log ({@link LocalLog#tap}) before
 * the backlog is read, so every later write reaches it; what it hears while the backlog is still being
 * sent waits in {@link #pending} (or, past {@link #MAX_PENDING} events, is read from the log again), and
 * everything is de-duplicated by seqNum against {@link #sent}.
 *
 * <p>Flow: a WebSocket client acknowledges every chunk; the backlog is sent {@link #WINDOW} pages ahead of
 * the acknowledgements, so a large store does not flood the connection's queue. Live batches are sent as
 * they come, as the reference server does. The backlog is read without holding this object's monitor (the
 * log's listener is called under the store's lock, then takes the monitor: reading the log under the
 * monitor would take the locks the other way round).
 */
final class LivePull implements LocalLog.Listener {

    private static final System.Logger LOG = System.getLogger(LivePull.class.getName());

    /** Backlog pages sent ahead of the client's acknowledgements. */
    static final int WINDOW = 16;
    /** Live events held while the backlog is still being sent; beyond this they are read from the log again. */
    static final int MAX_PENDING = 10_000;

    private final String requestId;
    private final LocalLog log;
    private final SyncTransport transport;
    private final String backendId;
    private final boolean live;
    private final boolean acks;
    /** Told once when the pull ends, with this pull (its connection forgets it, unless another took its id). */
    private final Consumer<LivePull> onEnd;

    // guarded by this
    private LocalLog.Tap tap;
    private long sent;
    private long chunks;
    private long acked;
    private boolean backlogDone;
    private boolean reading;
    private boolean stopped;
    private boolean anyPageSent;
    private boolean lastPageNoMore;
    private boolean pendingOverflowed;
    private final List<LogEvent> pending = new ArrayList<>();

    LivePull(String requestId, LocalLog log, SyncTransport transport, String backendId, long after, boolean live,
             boolean acks, Consumer<LivePull> onEnd) {
        this.requestId = requestId;
        this.log = log;
        this.transport = transport;
        this.backendId = backendId;
        this.sent = after;
        this.live = live;
        this.acks = acks;
        this.onEnd = onEnd;
    }

    /** Registers for the log's writes, then starts sending the backlog. */
    void start() {
        LocalLog.Tap registered = log.tap(this);
        synchronized (this) {
            if (stopped) {
                registered.close();
                return;
            }
            tap = registered;
        }
        pump();
    }

    /** The client took in a chunk: the backlog may go on. */
    void acked() {
        synchronized (this) {
            acked++;
        }
        pump();
    }

    /** Ends the pull: the client interrupted it, or the connection ended. */
    void stop() {
        synchronized (this) {
            end();
        }
    }

    /**
     * Under the monitor: ends the pull once, whoever ends it — the client, the connection, the transport
     * refusing a frame, the store closing. Every one of these paths must release the tap: a tap left behind
     * keeps this pull (and what it holds) registered on the store for as long as the store is loaded.
     * Closing a tap takes no lock, so this is safe under the store's lock too (a listener's call).
     */
    private void end() {
        if (stopped) {
            return;
        }
        stopped = true;
        pending.clear();
        if (tap != null) {
            tap.close();
        }
        onEnd.accept(this);
    }

    /** Sends backlog pages while the window allows; switches to live once the log has no more. */
    private void pump() {
        while (true) {
            long from;
            synchronized (this) {
                if (stopped || backlogDone || reading || (acks && chunks - acked >= WINDOW)) {
                    return;
                }
                reading = true;
                from = sent;
            }
            List<LogEvent> page;
            long head;
            try {
                page = log.logEventsAfter(from, SyncFrames.MAX_PAGE_EVENTS);
                head = log.appliedHead();
            } catch (RuntimeException e) {
                synchronized (this) {
                    reading = false;
                }
                throw e;
            }
            boolean ended;
            synchronized (this) {
                reading = false;
                if (stopped) {
                    return;
                }
                if (page.isEmpty()) {
                    ended = caughtUp();
                } else {
                    long last = page.get(page.size() - 1).seqNum();
                    send(SyncFrames.pages(page, Math.max(0, head - last), backendId));
                    ended = !stopped && lastPageNoMore && caughtUp();
                }
            }
            if (ended) {
                stop();
                return;
            }
        }
    }

    /**
     * Under the monitor, when a read of the log found nothing more: closes the backlog with a {@code NoMore}
     * page if the last page sent was not one (or none was sent), then goes live (or ends a non-live pull).
     * Live events held meanwhile are sent now; if they overflowed, the backlog goes on from the log instead.
     *
     * @return true when the pull has ended (not live)
     */
    private boolean caughtUp() {
        if (pendingOverflowed) {
            pendingOverflowed = false;
            pending.clear();
            return false; // read on from the log, where the dropped events are
        }
        if (!anyPageSent || !lastPageNoMore) {
            send(SyncFrames.pages(List.of(), 0, backendId));
        }
        backlogDone = true;
        if (!live) {
            transport.send(SyncFrames.streamEnded(requestId));
            return true;
        }
        List<LogEvent> held = new ArrayList<>(pending);
        pending.clear();
        sendLive(held);
        return false;
    }

    @Override
    public void appended(List<LogEvent> events) {
        synchronized (this) {
            if (stopped) {
                return;
            }
            if (!backlogDone) {
                if (pending.size() + events.size() > MAX_PENDING) {
                    pendingOverflowed = true;
                    pending.clear();
                } else if (!pendingOverflowed) {
                    pending.addAll(events);
                }
                return;
            }
            sendLive(events);
        }
    }

    @Override
    public void closed() {
        transport.close(1011, "the store was closed on the server; connect again");
        stop();
    }

    /** Under the monitor: the events after {@link #sent}, as {@code NoMore} pages. */
    private void sendLive(List<LogEvent> events) {
        List<LogEvent> fresh = new ArrayList<>(events.size());
        for (LogEvent e : events) {
            if (e.seqNum() > sent) {
                fresh.add(e);
            }
        }
        if (fresh.isEmpty()) {
            return;
        }
        if (fresh.get(0).seqNum() != sent + 1) {
            // Cannot happen while the tap sees every write. Never send a gap (the client would take the events
            // after it as the log): end the connection instead; the client reconnects and pulls from its cursor.
            LOG.log(System.Logger.Level.ERROR, "a live pull of a LiveStore client would skip events " + (sent + 1) + "-"
                    + (fresh.get(0).seqNum() - 1) + "; closing its connection");
            end();
            transport.close(1011, "the server lost track of this pull; connect again");
            return;
        }
        send(SyncFrames.pages(fresh, 0, backendId));
    }

    /** Under the monitor: one chunk per page. */
    private void send(List<PullPage> pages) {
        for (PullPage p : pages) {
            if (!transport.send(SyncFrames.chunk(requestId, List.of(p)))) {
                end(); // the connection is going away: nothing more can reach the client on it
                return;
            }
            chunks++;
            anyPageSent = true;
            lastPageNoMore = p.remaining() == 0;
            if (!p.batch().isEmpty()) {
                sent = p.batch().get(p.batch().size() - 1).seqNum();
            }
        }
    }
}
