package io.livestore.sync;

import io.livestore.store.spi.Upstream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The contract every {@link Upstream} implementation passes (DESIGN.md §8, Y1–Y5): extend this class,
 * supply a fresh backend per test, further nodes on it, and a way to hold a store's writers.
 *
 * <p>The tests themselves are in the interfaces this class implements, one aspect each:
 * {@link AppendContract} (compare-and-set, numbering, idempotent retries), {@link ReadContract} (pull,
 * head, heads, the exact form of events, storeIds), {@link ListenContract} (announcements) and
 * {@link ConcurrencyContract} (real threads on several nodes). A node is one process's view of the
 * backend: for PostgreSQL another {@code Upstream} on the same database, in memory another view of the
 * same logs. Every node made through {@link #node()} is closed after the test, then the backend dropped.
 *
 * <p>For a database-backed upstream: a fresh backend is e.g. a new database or schema per test (the
 * server may be shared by the class), {@link #holdWriters} a connection of the test's own holding the
 * store's row lock in an open transaction ({@code SELECT ... FOR UPDATE}), and
 * {@link ConcurrencyContract#batchesPerWriter()} may be overridden when appends are slow.
 */
public abstract class UpstreamContract
        implements AppendContract, ReadContract, ListenContract, ConcurrencyContract {

    private final List<Upstream> nodes = new ArrayList<>();
    private Upstream first;

    /** A fresh, empty backend for one test (no store has a log), and a first node on it. */
    protected abstract Upstream newBackend() throws Exception;

    /** Another node on the backend {@link #newBackend()} made last: its own connections, threads, listeners. */
    protected abstract Upstream newNode() throws Exception;

    /**
     * Holds the lock that writers of {@code storeId} take (the store has a log), until the handle is
     * closed on the same thread (closing it twice is harmless): an append to that store then waits, as
     * behind a slow writer, while reads of that store and every call for other stores go on.
     */
    protected abstract AutoCloseable holdWriters(String storeId) throws Exception;

    /** Drops the backend after every node on it was closed; by default nothing. */
    protected void dropBackend() throws Exception {
    }

    @BeforeEach
    final void openBackend() throws Exception {
        first = newBackend();
        nodes.add(first);
    }

    @AfterEach
    final void closeBackend() throws Exception {
        try {
            for (Upstream node : nodes) {
                node.close();
            }
        } finally {
            nodes.clear();
            dropBackend();
        }
    }

    @Override
    public final Upstream upstream() {
        return first;
    }

    @Override
    public final Upstream node() {
        try {
            Upstream node = newNode();
            nodes.add(node);
            return node;
        } catch (Exception e) {
            throw new IllegalStateException("could not open another node on the backend", e);
        }
    }

    @Override
    public final AutoCloseable writersHeld(String storeId) throws Exception {
        return holdWriters(storeId);
    }
}
