package io.livestore.store.internal;

import io.livestore.store.Query;
import io.livestore.store.Subscription;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The live queries of one store and their delivery after each commit (S4). Used under the store's
 * lock only; the lock is what orders deliveries.
 *
 * <p><b>Rules.</b> Deliveries happen after the commit is durable, so nothing a listener does changes
 * the commit's outcome or what other listeners get: any {@link Throwable} a listener throws is logged
 * and contained (the listener stays subscribed). A listener may commit to its own store: that commit
 * runs at once as its own transaction and returns its head to the listener, but its deliveries wait
 * until the current delivery round has reached every subscriber; then a new round delivers the state
 * after all such commits, repeated until no listener committed. So listeners are never re-entered,
 * every subscriber sees every round, and no commit is lost. Rounds deliver only changed results, so a
 * listener sees the latest state, not every intermediate one.
 */
final class Subscriptions {

    private static final System.Logger LOG = System.getLogger(Subscriptions.class.getName());

    private final SqliteStore<?> store;
    private final List<LiveQuery<?>> live = new CopyOnWriteArrayList<>();
    /** Tables written by commits whose round has not run yet (commits made by listeners). */
    private final Tables.Accumulator pending = new Tables.Accumulator();
    private boolean delivering;

    Subscriptions(SqliteStore<?> store) {
        this.store = store;
    }

    /** Registers a live query and delivers its current result to {@code listener} on this thread. */
    <T> Subscription add(Query<T> query, Tables reads, Consumer<? super T> listener) {
        long headBefore = store.headLocked();
        T initial = store.queries().run(query, true);
        LiveQuery<T> q = new LiveQuery<>(query, reads, listener, initial);
        listener.accept(initial); // an exception here is the subscriber's own: it is not subscribed
        live.add(q);
        if (store.headLocked() != headBefore) {
            q.refresh(); // the first delivery committed: it must not miss its own commit
        }
        return q;
    }

    /** Delivers a durable commit that wrote {@code written}; deferred when a listener made the commit. */
    void committed(Tables written) {
        if (written.isEmpty()) {
            return;
        }
        pending.add(written);
        if (delivering) {
            return; // a listener committed: delivered once the current round has reached everyone
        }
        delivering = true;
        try {
            while (!pending.isEmpty() && !store.isClosed()) {
                Tables round = pending.result();
                pending.clear();
                for (LiveQuery<?> q : live) {
                    if (store.isClosed()) {
                        break; // a listener closed the store
                    }
                    if (q.reads.overlaps(round)) {
                        q.refresh();
                    }
                }
            }
        } finally {
            pending.clear();
            delivering = false;
        }
    }

    void clear() {
        live.clear();
    }

    /** A subscription: its query, the tables it reads and the last result delivered. */
    private final class LiveQuery<T> implements Subscription {
        final Query<T> query;
        final Tables reads;
        final Consumer<? super T> listener;
        T last;

        LiveQuery(Query<T> query, Tables reads, Consumer<? super T> listener, T initial) {
            this.query = query;
            this.reads = reads;
            this.listener = listener;
            this.last = initial;
        }

        void refresh() {
            T result;
            try {
                // The application's row mapper and equals run here too: after a durable commit, nothing
                // they throw (an Error, a sneaky checked exception) may escape commit() either.
                result = store.queries().run(query, true);
                if (Objects.equals(result, last)) {
                    return;
                }
            } catch (Throwable t) {
                LOG.log(t instanceof Error ? Level.ERROR : Level.WARNING,
                        store.where() + ": subscription query failed after a commit; it stays subscribed", t);
                return;
            }
            last = result;
            try {
                listener.accept(result);
            } catch (Throwable t) {
                // The commit is durable: a failing listener must neither fail it (a retry would duplicate
                // it) nor starve the other listeners. Errors too — the stack has unwound to here.
                LOG.log(t instanceof Error ? Level.ERROR : Level.WARNING,
                        store.where() + ": subscription listener threw; it stays subscribed", t);
            }
        }

        @Override
        public void close() {
            live.remove(this);
        }
    }
}
