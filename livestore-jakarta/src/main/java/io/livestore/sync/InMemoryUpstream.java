package io.livestore.sync;

import io.livestore.store.UpstreamUnavailableException;
import io.livestore.store.spi.AppendResult;
import io.livestore.store.spi.ChangeListener;
import io.livestore.store.spi.LogEvent;
import io.livestore.store.spi.LogHead;
import io.livestore.store.spi.Upstream;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An {@link Upstream} whose logs live in this JVM's memory: for tests and single-JVM demos, never for
 * production (the logs end with the JVM). It follows the same contract as the PostgreSQL upstream
 * ({@code UpstreamContract} in the tests), so code tested against it behaves the same on a cluster.
 *
 * <p><b>Nodes.</b> {@code new InMemoryUpstream()} makes a set of logs and a first node on it;
 * {@link #node()} another node on the same logs, with its own listener thread — as a second app server
 * has its own connections to the same database. Two registries in one JVM, each with its own node,
 * share every store's log. Closing a node ends its listening only; the logs stay while any node is
 * open (and while anything references them).
 *
 * <p><b>Locking.</b> Every store's log has its own lock, taken by appends only: writers of one store
 * serialize, stores are independent, and reads never wait (see {@link InMemoryStoreLog}).
 *
 * <p><b>Announcements</b> are queued to each node's own thread after the append's lock is released,
 * never called under it or on the writer's thread: a listener that reads or appends (as the registry's
 * catch-up does) cannot deadlock with a writer or make every writer of the store wait for it, and, as
 * with PostgreSQL's NOTIFY, they arrive after the append — code that would only work with
 * synchronous calls fails here too.
 *
 * <p><b>Faults</b> for tests of the layers above: {@link #reachable(boolean)} cuts this node off (every
 * call throws {@link UpstreamUnavailableException}, and reconnecting resyncs its listeners, as after a
 * database outage); {@link #loseNextAppendAnswer()} writes the next append and then fails it, the
 * unknown outcome that a retry with the same event ids must resolve.
 */
public final class InMemoryUpstream implements Upstream {

    private static final AtomicInteger NODES = new AtomicInteger();

    private final InMemoryLogs logs;
    private final ThreadFactory threads;
    private final ListenerDispatcher dispatcher;
    private final AtomicBoolean loseNextAnswer = new AtomicBoolean();
    private final java.util.concurrent.ConcurrentHashMap<String, Integer> followers = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean closed;

    /** New, empty logs and a first node on them; listeners are called on a daemon thread of this node. */
    public InMemoryUpstream() {
        this(daemonThreads());
    }

    /**
     * New, empty logs and a first node on them.
     *
     * @param threads makes this node's listener thread (and those of its {@link #node() sibling nodes}),
     *                e.g. a server's ManagedThreadFactory
     */
    public InMemoryUpstream(ThreadFactory threads) {
        this(new InMemoryLogs(), threads);
    }

    private InMemoryUpstream(InMemoryLogs logs, ThreadFactory threads) {
        this.logs = logs;
        this.threads = threads;
        this.dispatcher = new ListenerDispatcher(threads);
        logs.join(this);
    }

    /** Another node on the same logs: its own listener thread and registrations, the same stores. */
    public InMemoryUpstream node() {
        requireOpen();
        return new InMemoryUpstream(logs, threads);
    }

    @Override
    public AppendResult append(String storeId, long expectedHead, List<LogEvent> events) {
        UpstreamArguments.requireAppend(storeId, expectedHead, events);
        requireReachable("append to store '" + storeId + "'");
        InMemoryStoreLog log = expectedHead == 0 ? logs.getOrCreate(storeId) : logs.get(storeId);
        if (log == null) {
            throw UpstreamArguments.noLog(storeId, expectedHead);
        }
        AppendResult result = log.append(storeId, expectedHead, events);
        // announced after the store's lock is released (see the class comment); a retry answered Ok at the
        // same head is announced once more, which announcements may be
        if (result instanceof AppendResult.Ok && result.head().head() == expectedHead + events.size()) {
            logs.announce(storeId, result.head().head());
        }
        if (loseNextAnswer.compareAndSet(true, false)) {
            throw new UpstreamUnavailableException("append to store '" + storeId + "': the answer was lost (a test "
                    + "fault), so whether the events were written is unknown", Duration.ofSeconds(1), null, true);
        }
        return result;
    }

    @Override
    public List<LogEvent> pull(String storeId, long afterSeqNum, int limit) {
        UpstreamArguments.requirePull(storeId, afterSeqNum, limit);
        requireReachable("pull of store '" + storeId + "'");
        InMemoryStoreLog log = logs.get(storeId);
        return log == null ? List.of() : log.read(afterSeqNum, limit);
    }

    @Override
    public Optional<LogHead> head(String storeId) {
        UpstreamArguments.requireStoreId(storeId);
        requireReachable("head of store '" + storeId + "'");
        return headOf(storeId);
    }

    @Override
    public LogHead createLog(String storeId) {
        UpstreamArguments.requireStoreId(storeId);
        requireReachable("creating the log of store '" + storeId + "'");
        InMemoryStoreLog log = logs.getOrCreate(storeId);
        log.created = true;
        return log.head();
    }

    @Override
    public Map<String, LogHead> heads(Collection<String> storeIds) {
        Collection<String> distinct = UpstreamArguments.requireStoreIds(storeIds);
        requireReachable("heads of " + distinct.size() + " stores");
        Map<String, LogHead> heads = new HashMap<>();
        for (String storeId : distinct) {
            headOf(storeId).ifPresent(head -> heads.put(storeId, head));
        }
        return heads;
    }

    /**
     * A log exists from its first event on, or from {@link #createLog}: one created by an append still
     * running is not shown.
     */
    private Optional<LogHead> headOf(String storeId) {
        InMemoryStoreLog log = logs.get(storeId);
        if (log == null) {
            return Optional.empty();
        }
        LogHead head = log.head();
        return head.head() == 0 && !log.created ? Optional.empty() : Optional.of(head);
    }

    /**
     * {@inheritDoc}
     *
     * <p>This upstream announces every append anyway; it counts the open interests for tests
     * ({@link #followers}). Works while the node is cut off too: nothing is written anywhere.
     */
    @Override
    public Interest follow(String storeId) {
        UpstreamArguments.requireStoreId(storeId);
        requireOpen();
        followers.merge(storeId, 1, Integer::sum);
        AtomicBoolean closed = new AtomicBoolean();
        return () -> {
            if (closed.compareAndSet(false, true)) {
                followers.computeIfPresent(storeId, (id, n) -> n == 1 ? null : n - 1);
            }
        };
    }

    /** Test support: the open {@link #follow} interests of {@code storeId} through this node. */
    public int followers(String storeId) {
        return followers.getOrDefault(storeId, 0);
    }

    @Override
    public Registration listen(ChangeListener listener) {
        java.util.Objects.requireNonNull(listener, "listener");
        requireOpen();
        return dispatcher.listen(listener);
    }

    /**
     * Test support: cuts this node off its logs ({@code false}: every call throws
     * {@link UpstreamUnavailableException}, announcements stop, a new registration waits for the
     * reconnect) or connects it again ({@code true}: its listeners get a resync, as after a reconnect).
     * Other nodes are not affected.
     */
    public void reachable(boolean reachable) {
        requireOpen();
        dispatcher.connected(reachable);
    }

    /**
     * Test support: the next append through this node is carried out, then answers
     * {@link UpstreamUnavailableException} — as when a connection is lost at commit.
     */
    public void loseNextAppendAnswer() {
        requireOpen();
        loseNextAnswer.set(true);
    }

    /** Called by the logs after an append to {@code storeId} through any node. */
    void announce(String storeId, long head) {
        if (!closed && dispatcher.connected()) {
            dispatcher.changed(storeId, head);
        }
    }

    /** Holds the lock of the writers of {@code storeId} until closed on the same thread (for the contract). */
    AutoCloseable holdWriters(String storeId) {
        InMemoryStoreLog log = logs.get(storeId);
        if (log == null) {
            throw new IllegalStateException("store '" + storeId + "' has no log to hold");
        }
        log.writers.lock();
        AtomicBoolean held = new AtomicBoolean(true);
        return () -> {
            if (held.compareAndSet(true, false)) {
                log.writers.unlock();
            }
        };
    }

    /** Ends this node's listening; the logs stay for the other nodes. Closing twice is harmless. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        logs.leave(this);
        dispatcher.close();
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("this upstream node is closed");
        }
    }

    private void requireReachable(String what) {
        requireOpen();
        if (!dispatcher.connected()) {
            throw unavailable(what);
        }
    }

    private static UpstreamUnavailableException unavailable(String what) {
        return new UpstreamUnavailableException(what + ": the upstream log cannot be reached (in-memory node "
                + "switched off by a test)", Duration.ofSeconds(1), null);
    }

    private static ThreadFactory daemonThreads() {
        return runnable -> {
            Thread thread = new Thread(runnable, "livestore-inmemory-upstream-" + NODES.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
