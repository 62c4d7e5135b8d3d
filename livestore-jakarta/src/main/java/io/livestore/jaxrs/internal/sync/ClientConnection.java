package io.livestore.jaxrs.internal.sync;

import io.livestore.jaxrs.LiveStoreProblemMapper;
import io.livestore.registry.StoreLease;
import io.livestore.store.CommitOutcomeUnknownException;
import io.livestore.store.LiveStoreException;
import io.livestore.store.Store;
import io.livestore.store.StoreClosedException;
import io.livestore.store.internal.EventIds;
import io.livestore.store.internal.LocalLog;
import io.livestore.store.spi.LogEvent;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One LiveStore client's connection to one store (L1–L7): answers Pings, runs its pulls
 * ({@link LivePull}) and its pushes, and holds the store's lease until the connection ends.
 *
 * <p>Frames come one at a time from the transport. A push runs on the frame's thread: the store's lock
 * serializes it with every other write of the store (one push at a time per store, L3), and the answer
 * is sent once the batch is durable (upstream too, in cluster mode). The accepted events reach every
 * live pull of the store — this connection's too — through the log's tap before the push's answer, as
 * the reference server orders them.
 *
 * <p>What a client gets for bad input (L7): a push that breaks a rule is answered with an
 * {@code UnknownError} naming what was wrong, and nothing is written (the client retries it later, so a
 * transient failure heals); a frame that cannot be read, or a pull that breaks a rule, ends this
 * connection with close code 1008 (the client reconnects and pulls from its cursor). Other connections
 * never notice.
 */
final class ClientConnection implements SyncSession {

    private static final System.Logger LOG = System.getLogger(ClientConnection.class.getName());
    /** Events per push: what the client sends at most ({@code MAX_PUSH_EVENTS_PER_REQUEST}). */
    static final int MAX_PUSH_EVENTS = 100;
    /** The bytes of a push frame: the client's 900 KB of payload plus the envelope. */
    static final int MAX_PUSH_FRAME_BYTES = 1_000_000;

    private final StoreLease<?> lease;
    private final Store<?> store;
    private final LocalLog log;
    private final SyncTransport transport;
    private final boolean acks;
    private final Clock clock;
    private final String backendId;
    private final Map<String, LivePull> pulls = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final SyncCounters counters;

    /**
     * @param acks whether the client acknowledges chunks (WebSocket): then a pull's backlog is sent a
     *             window of pages at a time; an HTTP client does not, and gets it at once
     */
    ClientConnection(StoreLease<?> lease, Store<?> store, SyncTransport transport, boolean acks, Clock clock) {
        this(lease, store, transport, acks, clock, new SyncCounters());
    }

    ClientConnection(StoreLease<?> lease, Store<?> store, SyncTransport transport, boolean acks, Clock clock,
                     SyncCounters counters) {
        this.counters = counters;
        counters.connections.increment();
        this.lease = lease;
        this.store = store;
        this.log = LocalLog.of(store);
        this.transport = transport;
        this.acks = acks;
        this.clock = clock;
        this.backendId = log.settledBackendId();
    }

    @Override
    public void onFrame(String frame) {
        if (closed.get()) {
            return;
        }
        ClientFrame decoded;
        try {
            decoded = SyncFrames.decode(frame);
        } catch (SyncFrameException e) {
            end(1008, e.getMessage());
            return;
        }
        try {
            handle(decoded);
        } catch (StoreClosedException e) {
            end(1011, "the store was closed on the server; connect again");
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, where() + ": a frame from a LiveStore client failed", e);
            end(1011, "the server failed on a frame; connect again");
        }
    }

    private void handle(ClientFrame frame) {
        if (frame instanceof ClientFrame.Ping) {
            transport.send(SyncFrames.pong());
        } else if (frame instanceof ClientFrame.Ack ack) {
            LivePull pull = pulls.get(ack.requestId());
            if (pull != null) {
                pull.acked();
            }
        } else if (frame instanceof ClientFrame.Interrupt interrupt) {
            LivePull pull = pulls.remove(interrupt.requestId());
            if (pull != null) {
                pull.stop(); // unknown ids (a push already answered) are ignored, as the client sends them
            }
        } else if (frame instanceof ClientFrame.HttpPing ping) {
            transport.send(SyncFrames.httpPong(ping.requestId()));
        } else if (frame instanceof ClientFrame.Pull pull) {
            pull(pull);
        } else if (frame instanceof ClientFrame.Push push) {
            push(push);
        }
        // Eof: nothing to do; the transport tells when the connection ends
    }

    private void pull(ClientFrame.Pull pull) {
        if (!store.storeId().equals(pull.storeId())) {
            end(1008, "pull for store '" + pull.storeId() + "' on a connection to store '" + store.storeId() + "'");
            return;
        }
        if (pull.cursor() != null && !backendId.equals(pull.cursor().backendId())) {
            transport.send(SyncFrames.backendIdMismatch(pull.requestId(), backendId, pull.cursor().backendId()));
            return;
        }
        long after = pull.cursor() == null ? 0 : pull.cursor().eventSequenceNumber();
        // Over HTTP a pull is never live (the client polls): a live one could only end at the transport's deadline.
        LivePull started = new LivePull(pull.requestId(), log, transport, backendId, after, pull.live() && acks, acks,
                ended -> pulls.remove(pull.requestId(), ended)); // not a later pull that reused the id
        LivePull previous = pulls.put(pull.requestId(), started);
        if (previous != null) {
            previous.stop();
        }
        if (closed.get()) {
            started.stop();
            return;
        }
        started.start();
    }

    private void push(ClientFrame.Push push) {
        String id = push.requestId();
        String refusal = checkPush(push);
        if (refusal != null) {
            counters.pushesRefused.increment();
            transport.send(SyncFrames.unknownError(id, refusal + "; nothing was written"));
            return;
        }
        List<WireEvent> batch = push.batch();
        if (batch.isEmpty()) {
            transport.send(SyncFrames.pushAccepted(id));
            return;
        }
        if (push.backendId() != null && !push.backendId().equals(backendId)) {
            transport.send(SyncFrames.backendIdMismatch(id, backendId, push.backendId()));
            return;
        }
        Instant now = clock.instant();
        List<LogEvent> events = new ArrayList<>(batch.size());
        for (WireEvent e : batch) {
            events.add(new LogEvent(e.seqNum(), e.parentSeqNum(), e.name(), e.args(), e.clientId(), e.sessionId(), now,
                    EventIds.next()));
        }
        LocalLog.Pushed pushed;
        try {
            pushed = log.push(events);
        } catch (StoreClosedException e) {
            throw e;
        } catch (CommitOutcomeUnknownException e) {
            // Maybe written: if so, the events reach the client's live pull, which confirms them.
            counters.pushesRefused.increment();
            transport.send(SyncFrames.unknownError(id, "the server could not confirm whether the push was written; "
                    + "it is retried"));
            return;
        } catch (LiveStoreException e) {
            // The client reads this: in its terms, never SQLite's or the JSON parser's text or Java names (L7).
            if (LiveStoreProblemMapper.statusOf(e) >= 500) {
                LOG.log(Level.WARNING, where() + ": a LiveStore client's push failed", e);
            }
            counters.pushesRefused.increment();
            transport.send(SyncFrames.unknownError(id, LiveStoreProblemMapper.clientText(e)));
            return;
        }
        if (pushed.accepted()) {
            counters.pushesAccepted.increment();
            counters.eventsAccepted.add(batch.size());
            java.util.Set<String> declared = lease.definition().schema().eventNames();
            for (WireEvent e : batch) {
                if (!declared.contains(e.name())) {
                    counters.keptUnknown(store.definitionName(), e.name());
                }
            }
            transport.send(SyncFrames.pushAccepted(id));
        } else {
            counters.pushesBehind.increment();
            transport.send(SyncFrames.serverAhead(id, pushed.head(), batch.get(0).parentSeqNum()));
        }
    }

    /** What is wrong with a push before the store is asked (L7), or null. */
    private String checkPush(ClientFrame.Push push) {
        String where = "push to store '" + store.storeId() + "'";
        if (!store.storeId().equals(push.storeId())) {
            return where + " names store '" + push.storeId() + "'";
        }
        List<WireEvent> batch = push.batch();
        if (batch.size() > MAX_PUSH_EVENTS) {
            return where + " has " + batch.size() + " events; a push carries at most " + MAX_PUSH_EVENTS;
        }
        long bytes = 0;
        for (int i = 0; i < batch.size(); i++) {
            WireEvent e = batch.get(i);
            String event = "event #" + i + " '" + e.name() + "'";
            if (e.seqNum() < 1 || e.parentSeqNum() != e.seqNum() - 1) {
                return where + ": " + event + " has seqNum " + e.seqNum() + " and parentSeqNum " + e.parentSeqNum()
                        + "; the parent of an event is the one before it (seqNum - 1)";
            }
            if (i > 0 && e.seqNum() != batch.get(i - 1).seqNum() + 1) {
                return where + ": " + event + " has seqNum " + e.seqNum() + ", expected " + (batch.get(i - 1).seqNum() + 1)
                        + " (the events of a push are numbered one after the other)";
            }
            if (e.clientId().isEmpty() || e.sessionId().isEmpty()) {
                return where + ": " + event + " has no clientId or sessionId";
            }
            bytes += e.args().getBytes(StandardCharsets.UTF_8).length + e.name().length() + 64;
        }
        if (bytes > MAX_PUSH_FRAME_BYTES) {
            return where + " carries about " + bytes + " bytes of events; a push carries at most 900,000";
        }
        return null;
    }

    private void end(int code, String reason) {
        transport.close(code, reason);
        onClosed();
    }

    @Override
    public void onClosed() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (LivePull pull : pulls.values()) {
            pull.stop();
        }
        pulls.clear();
        lease.close();
    }

    private String where() {
        return "store '" + store.storeId() + "' (definition '" + store.definitionName() + "')";
    }
}
