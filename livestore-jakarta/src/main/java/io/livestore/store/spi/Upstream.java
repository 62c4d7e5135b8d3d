package io.livestore.store.spi;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A store's authoritative event log outside the node (DESIGN.md §8). Thread-safe; every method may be
 * called concurrently, for the same store and for different ones. Stores are independent: only writers
 * of one store serialize.
 *
 * <p>Every method that reaches the log throws {@link io.livestore.store.UpstreamUnavailableException}
 * when it cannot (connection refused, timed out, the log's server stopped); then nothing of the call took
 * effect — or, for an append whose outcome is unknown, retrying it with the same event ids is safe.
 */
public interface Upstream extends AutoCloseable {

    /**
     * Appends {@code events} to the store's log if its head is {@code expectedHead} (Y2): atomically, all
     * or nothing. A store without a log gets one (with a fresh backendId) when {@code expectedHead} is 0.
     *
     * <p>If the events are already the log's events at {@code expectedHead + 1 ...} (same event ids — a
     * retry after an unknown outcome), the answer is {@link AppendResult.Ok} without writing them again.
     *
     * @param events at least one; numbered {@code expectedHead + 1, +2, ...}
     * @throws IllegalArgumentException when the events are empty or not numbered from {@code expectedHead + 1}
     */
    AppendResult append(String storeId, long expectedHead, List<LogEvent> events);

    /**
     * At most {@code limit} events with a seqNum above {@code afterSeqNum}, in order; empty when there
     * are none or the store has no log.
     *
     * @throws IllegalArgumentException for a negative cursor or a limit below 1
     */
    List<LogEvent> pull(String storeId, long afterSeqNum, int limit);

    /** The store's log head; empty when the store has no log yet. */
    Optional<LogHead> head(String storeId);

    /** The heads of those of {@code storeIds} that have a log, in one round trip. */
    Map<String, LogHead> heads(Collection<String> storeIds);

    /**
     * Announces appends to every store's log — this node's and other nodes' — until the registration is
     * closed. The listener first gets {@link ChangeListener#resync} once listening has begun.
     */
    Registration listen(ChangeListener listener);

    /** Ends the listening, releases connections and threads. */
    @Override
    void close();

    /** Ends one {@link #listen} registration. */
    interface Registration extends AutoCloseable {
        @Override
        void close();
    }
}
