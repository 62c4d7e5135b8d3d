package io.livestore.store.internal;

import io.livestore.store.Store;
import io.livestore.store.UnknownEventException;
import io.livestore.store.spi.LogEvent;
import io.livestore.store.spi.LogHead;
import java.util.List;

/**
 * A store's local log in the shape of the upstream SPI (Y1): what the registry and the sync layer read
 * from a loaded store and write into it to keep it a copy of its upstream log. Not an application API:
 * applications commit and read through {@link Store}; only the library's own layers above the store
 * layer (registry, sync) use this, which is why it lives in {@code store.internal} and not in
 * {@code store.spi} (an SPI is for others to implement; this is implemented once, by the SQLite store).
 *
 * <p>Thread-safe: every method takes the store's lock, so it is ordered with commits and queries.
 */
public interface LocalLog {

    /**
     * The local log of {@code store}.
     *
     * @throws IllegalArgumentException for a store not opened by this library's {@link io.livestore.store.StoreOpener}
     */
    static LocalLog of(Store<?> store) {
        if (store instanceof SqliteStore<?> sqlite) {
            return sqlite.localLog();
        }
        throw new IllegalArgumentException("store '" + store.storeId() + "' is a " + store.getClass().getName()
                + ", not a store opened by StoreOpener; it has no local log to read or apply to");
    }

    /** The log's identity (Y1, Y6): a UUID made when the local log was created, or the one adopted from upstream. */
    String backendId();

    /** The backendId and the head (the last seqNum, 0 for an empty log). */
    LogHead logHead();

    /**
     * At most {@code limit} events with a seqNum above {@code afterSeqNum}, in order, as the log keeps
     * them (args as written).
     *
     * @throws IllegalArgumentException for a negative cursor or a limit below 1
     */
    List<LogEvent> logEventsAfter(long afterSeqNum, int limit);

    /**
     * Applies events from the upstream log, all or nothing, in one transaction: decodes each event's
     * args with its type's codec, runs the materializers, stores the rows with their args text unchanged
     * and their writer's ids and times, then notifies subscriptions as a commit does. An empty list does
     * nothing.
     *
     * @return the new head
     * @throws IllegalArgumentException events not numbered one after the other
     * @throws IllegalStateException    events that do not continue at {@code head + 1}, a call from a materializer,
     *                                  or a store that follows an upstream log (its events come through {@link #catchUp})
     * @throws UnknownEventException    an event name the schema does not declare (Y8); nothing was written
     * @throws io.livestore.store.InvalidEventException args that are not a valid event of their name
     * @throws io.livestore.store.MaterializerException a materializer threw; nothing was written
     * @throws io.livestore.store.CommitFailedException SQLite refused the transaction (e.g. an event id already in the log)
     * @throws io.livestore.store.StoreClosedException  the store is closed
     */
    long apply(List<LogEvent> events);

    /** The head as of the last write, read without waiting for the store's lock (may lag a write in progress). */
    long appliedHead();

    /**
     * Whether an announced {@code head} needs no catch-up: the copy has the events up to it, or they are
     * this node's own commit still finishing (which applies them, or closes the copy). Without waiting for
     * the store's lock.
     */
    boolean hasOrIsApplying(long head);

    /**
     * Brings the local log up to its upstream log (cluster mode, Y4, Y5): pulls and applies every event
     * after the local head, in pages, under the store's lock — ordered with commits, so a catch-up and a
     * commit never apply the same events twice. A store whose log holds an event its schema does not
     * declare stops there and refuses commits from then on (Y8,
     * {@link io.livestore.store.SchemaBehindLogException}); reads keep answering the state before it.
     *
     * @return the local head after it
     * @throws io.livestore.store.UpstreamUnavailableException the upstream cannot be read; what was applied stays
     * @throws io.livestore.store.SchemaBehindLogException     the log holds an event the schema does not declare
     * @throws IllegalStateException                           a store without an upstream log
     */
    long catchUp();

    /**
     * {@link #catchUp()}, but at most about {@code maxEvents} events (a page of the upstream log), so that
     * a caller can check a cancellation between pages; the head does not move once the copy is current
     * (or stopped by Y8).
     *
     * @return the local head after it
     */
    long catchUp(long maxEvents);

    /**
     * {@link #catchUp()} unless the local head has reached {@code announcedHead} by the time the store's
     * lock is taken: an announcement of this node's own commit often arrives while that commit still
     * holds the lock, and asking the upstream then would be a round trip for nothing.
     *
     * @return the local head after it
     */
    long catchUpTo(long announcedHead);

    /**
     * Records {@code backendId} as the log's identity (Y6): when a cache file was (re)built from an upstream
     * log, or a local log was pushed upstream as its initial events (Y12). The caller makes sure that the
     * local events are that log's events; nothing else changes.
     *
     * @throws IllegalArgumentException a backendId that is not 1–128 characters of {@code [A-Za-z0-9._:-]}
     */
    void adoptBackendId(String backendId);

    /**
     * Appends a batch a LiveStore client pushed (L3): only if its first event's {@code parentSeqNum} is the
     * log's head — in cluster mode the head of the upstream log, checked by the upstream's compare-and-set
     * (Y2) — else nothing is written and the answer says how far the log is. Events the schema declares are
     * materialized as a commit's are; the batch is durable (upstream too) when this returns accepted, and
     * {@link Listener}s and subscriptions have been told. When the log is ahead, the events the client
     * lacks are in the local log by the time this returns (a cluster copy catches up first), so a
     * listener has them.
     *
     * @param events one or more, numbered one after the other, with the writer's ids and times; args as
     *               the client sent them
     * @return whether it was written, and the log's head after the call
     * @throws IllegalArgumentException events not numbered one after the other
     * @throws io.livestore.store.UnknownEventException an event name the schema does not declare, when the
     *         store keeps no unknown events; nothing was written
     * @throws io.livestore.store.InvalidEventException  args that are not a valid event of their name
     * @throws io.livestore.store.MaterializerException  a materializer refused an event; nothing was written
     * @throws io.livestore.store.UpstreamUnavailableException the upstream log cannot be reached; nothing was written
     * @throws io.livestore.store.CommitOutcomeUnknownException the upstream's answer was lost twice: maybe written
     * @throws io.livestore.store.SchemaBehindLogException the store refuses writes (Y8)
     * @throws io.livestore.store.StoreClosedException the store is closed
     */
    Pushed push(List<LogEvent> events);

    /**
     * The log's identity as the log's clients may keep it: in single-node mode the local backendId; in
     * cluster mode that of the upstream log, which is created (empty) if it does not exist yet — so that a
     * LiveStore client never sees an identity that changes when the first event is written (a client that
     * sees its backend's identity change wipes its data).
     *
     * @throws io.livestore.store.UpstreamUnavailableException the upstream log cannot be reached
     */
    String settledBackendId();

    /**
     * Registers {@code listener} for every batch written to the log from now on (see {@link Listener}),
     * under the store's lock, so {@link Tap#head()} is the head it starts after: the events up to it are
     * read with {@link #logEventsAfter}, the later ones reach the listener, none is missed or doubled.
     *
     * @throws io.livestore.store.StoreClosedException the store is closed
     */
    Tap tap(Listener listener);

    /** What {@link #push} did. */
    record Pushed(boolean accepted, long head) {
    }

    /**
     * Told of each batch that becomes durable in a store's log, in log order, on the writing thread and
     * under the store's lock: it must only hand the events on (queue them), never block or call the
     * store. What it throws is logged and changes nothing.
     */
    interface Listener {
        /** The events just written, numbered one after the other, args as written. */
        void appended(List<LogEvent> events);

        /** The store closed (disposed, or closed itself): nothing more comes. */
        void closed();
    }

    /** A registered {@link Listener}. */
    interface Tap extends AutoCloseable {
        /** The log's head when the listener was registered: it gets the events after it. */
        long head();

        /** Ends the registration; no call to the listener begins after it. */
        @Override
        void close();
    }
}
