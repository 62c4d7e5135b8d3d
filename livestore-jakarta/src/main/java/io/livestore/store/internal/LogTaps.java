package io.livestore.store.internal;

import io.livestore.store.spi.LogEvent;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The {@link LocalLog.Listener}s of one store: told of every batch of events that becomes durable in the
 * local log — this node's commits, events applied from an upstream log, batches pushed by LiveStore
 * clients — in log order, and once when the store closes. Called under the store's lock, right after the
 * write (so the order is the log's and no batch is missed between {@link #add} and the next write); a
 * listener must only hand the events on. Its failure is logged and changes nothing of the write.
 */
final class LogTaps {

    private static final System.Logger LOG = System.getLogger(LogTaps.class.getName());

    private final CopyOnWriteArrayList<Registered> taps = new CopyOnWriteArrayList<>();

    /** Under the store's lock: registers {@code listener}; events after {@code head} reach it. */
    LocalLog.Tap add(LocalLog.Listener listener, long head) {
        Registered tap = new Registered(listener, head);
        taps.add(tap);
        return tap;
    }

    /** Under the store's lock, after {@code batch} was written at {@code first, first + 1, ...}. */
    void written(EventBatch batch, long first, long now) {
        if (taps.isEmpty() || batch.size() == 0) {
            return;
        }
        List<LogEvent> view = batch.logEvents(first, now);
        for (Registered tap : taps) {
            if (tap.ended) {
                continue;
            }
            try {
                tap.listener.appended(view);
            } catch (RuntimeException | Error e) {
                LOG.log(Level.WARNING, "a listener of the log failed on events " + first + "-" + (first + batch.size() - 1)
                        + "; the write stands", e);
            }
        }
    }

    /** Under the store's lock, when it closes: every listener is told once and removed. */
    void closed() {
        for (Registered tap : taps) {
            taps.remove(tap);
            try {
                tap.listener.closed();
            } catch (RuntimeException | Error e) {
                LOG.log(Level.WARNING, "a listener of the log failed on its close", e);
            }
        }
    }

    private final class Registered implements LocalLog.Tap {
        final LocalLog.Listener listener;
        final long head;
        volatile boolean ended;

        Registered(LocalLog.Listener listener, long head) {
            this.listener = listener;
            this.head = head;
        }

        @Override
        public long head() {
            return head;
        }

        @Override
        public void close() {
            ended = true;
            taps.remove(this);
        }
    }
}
