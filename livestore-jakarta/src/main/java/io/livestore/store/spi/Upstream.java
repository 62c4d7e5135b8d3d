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
 *
 * <p>StoreIds follow {@link io.livestore.store.StoreIds#isValidName the store rules} and are
 * case-sensitive; the registry checks them before they reach an upstream, so another one is a
 * programming error ({@link IllegalArgumentException}). After {@link #close()} every method but
 * {@code close} throws {@link IllegalStateException}.
 */
public interface Upstream extends AutoCloseable {

    /**
     * Appends {@code events} to the store's log if its head is {@code expectedHead} (Y2): atomically, all
     * or nothing. A store without a log gets one (with a fresh backendId) when {@code expectedHead} is 0.
     *
     * <p>When the head is not {@code expectedHead}, nothing is written:
     * <ul>
     *   <li>if the events are already the log's events at {@code expectedHead + 1 ...} (same event ids
     *       at the same positions — a retry after an unknown outcome), the answer is
     *       {@link AppendResult.Ok} with the log's head now (beyond the events when others appended
     *       since); their other parts must equal the written ones, else {@link IllegalArgumentException};</li>
     *   <li>otherwise {@link AppendResult.Conflict} with the events after {@code expectedHead} (none when
     *       {@code expectedHead} is beyond the head). They may include the caller's own events when an
     *       earlier attempt wrote a part of this batch: the caller recognises them by their ids.</li>
     * </ul>
     * An event id names one event of a store's log: an event whose id the log holds at another position
     * is refused ({@link IllegalArgumentException}, nothing written) — it would be that event twice.
     *
     * @param events at least one; numbered {@code expectedHead + 1, +2, ...}; event ids distinct
     * @throws IllegalArgumentException when the events are empty, not numbered from {@code expectedHead + 1},
     *                                  repeat an event id, or reuse one the log holds elsewhere
     * @throws IllegalStateException    when {@code expectedHead} is above 0 and the store has no log (the
     *                                  caller's copy is of a log this upstream does not have)
     */
    AppendResult append(String storeId, long expectedHead, List<LogEvent> events);

    /**
     * At most {@code limit} events with a seqNum above {@code afterSeqNum}, in order; empty when there
     * are none or the store has no log. Fewer than {@code limit} only at the log's end, or when
     * {@code limit} is above the implementation's largest page: paging until an empty answer reads all.
     *
     * @throws IllegalArgumentException for a negative cursor or a limit below 1
     */
    List<LogEvent> pull(String storeId, long afterSeqNum, int limit);

    /**
     * The store's log, created empty with a fresh backendId when the store has none yet, so that its
     * identity is fixed before its first event: a LiveStore client keeps the identity it first sees, and a
     * client that later sees another one wipes its data. An append at expected head 0 writes into such a
     * log like into a new one. The default refuses: an upstream that cannot do this cannot serve LiveStore
     * clients in cluster mode.
     *
     * @return the log's backendId and head (0 for a log created now)
     * @throws UnsupportedOperationException this upstream cannot create an empty log
     */
    default LogHead createLog(String storeId) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot create an empty log for store '"
                + storeId + "'");
    }

    /** The store's log head; empty when the store has no log yet. */
    Optional<LogHead> head(String storeId);

    /** The heads of those of {@code storeIds} that have a log (the others are omitted), in one round trip. */
    Map<String, LogHead> heads(Collection<String> storeIds);

    /**
     * Announces appends to the logs of the stores this node {@linkplain #follow follows} that other
     * nodes made, until the registration is closed. The listener first gets {@link ChangeListener#resync}
     * once listening has begun; every such append after that is announced (until a reconnect, which is
     * again followed by a resync). An implementation may announce more — this node's own appends, stores
     * nobody follows (the in-memory one announces every append) — so a listener ignores what it does not
     * need. Calls come on the upstream's thread, never the appending one, one at a time per
     * registration; a listener's exception is logged and does not end the registration.
     *
     * <p>Announcements are best effort (see {@link ChangeListener}): the consumer must also poll
     * {@link #heads} periodically for the stores it holds, so that a lost announcement delays its copy
     * by at most that period. Do not close the registration, or the upstream, while holding a lock that
     * the listener takes: {@link Registration#close()} waits for a call to the listener in progress.
     */
    Registration listen(ChangeListener listener);

    /**
     * Declares that this node holds a copy of {@code storeId} and wants to hear of other nodes' appends to
     * it, until the returned interest is closed. Follows of one store nest: announcements stop after the
     * last one is closed. Register the interest <em>before</em> the catch-up pull that brings the copy to
     * the log's head (Y4): an append that the pull does not see is then announced. The announcement
     * itself stays best effort — a follow that races the store's very first append, or a lost connection,
     * may leave an append unannounced, which the periodic head check finds.
     *
     * <p>The default does nothing and answers {@link Interest#NONE}: an upstream that announces every
     * append needs no interest. An implementation that records the interest in the log's server throws
     * {@link io.livestore.store.UpstreamUnavailableException} when it cannot (nothing is followed then;
     * the registry fails the load, as its catch-up pull would).
     *
     * @throws IllegalArgumentException for an invalid storeId
     */
    default Interest follow(String storeId) {
        return Interest.NONE;
    }

    /** Ends the listening, releases connections and threads. */
    @Override
    void close();

    /**
     * Ends one {@link #listen} registration: no call to its listener begins after {@code close} returns.
     * From another thread it waits for a call in progress to end; from inside the listener's own call it
     * returns at once (that call is the last).
     */
    interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    /** One {@link #follow}; closing it twice is harmless. */
    interface Interest extends AutoCloseable {
        /** The interest of an upstream that needs none. */
        Interest NONE = () -> { };

        @Override
        void close();
    }
}
