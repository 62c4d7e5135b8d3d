package io.livestore.registry;

import io.livestore.store.spi.AppendResult;
import io.livestore.store.spi.ChangeListener;
import io.livestore.store.spi.LogEvent;
import io.livestore.store.spi.LogHead;
import io.livestore.store.spi.Upstream;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real upstream with faults a test switches on: a step run inside each append before it reaches the
 * log (another writer that always comes first) or after it (the local side failing after the log took
 * the events), and a node that hears no announcements (only the periodic head check brings it current).
 */
final class FaultyUpstream implements Upstream {

    /** Runs with the store id and expected head of an append. */
    interface AppendStep {
        void run(String storeId, long expectedHead);
    }

    private final Upstream log;
    private final boolean deaf;
    volatile AppendStep beforeAppend;
    volatile Runnable afterAppend;
    /** Calls of {@link #pull}: what catching up asked of the log. */
    final AtomicInteger pulls = new AtomicInteger();
    /** Announcements this node's listeners were given. */
    final AtomicInteger announcements = new AtomicInteger();

    FaultyUpstream(Upstream log, boolean deaf) {
        this.log = log;
        this.deaf = deaf;
    }

    @Override
    public AppendResult append(String storeId, long expectedHead, List<LogEvent> events) {
        AppendStep before = beforeAppend;
        if (before != null) {
            before.run(storeId, expectedHead);
        }
        AppendResult result = log.append(storeId, expectedHead, events);
        Runnable after = afterAppend;
        if (after != null && result instanceof AppendResult.Ok) {
            afterAppend = null;
            after.run();
        }
        return result;
    }

    @Override
    public List<LogEvent> pull(String storeId, long afterSeqNum, int limit) {
        pulls.incrementAndGet();
        return log.pull(storeId, afterSeqNum, limit);
    }

    @Override
    public Optional<LogHead> head(String storeId) {
        return log.head(storeId);
    }

    @Override
    public Map<String, LogHead> heads(Collection<String> storeIds) {
        return log.heads(storeIds);
    }

    @Override
    public Interest follow(String storeId) {
        return log.follow(storeId);
    }

    @Override
    public Registration listen(ChangeListener listener) {
        if (deaf) {
            return () -> { };
        }
        return log.listen(new ChangeListener() {
            @Override
            public void changed(String storeId, long head) {
                listener.changed(storeId, head);
                announcements.incrementAndGet();
            }

            @Override
            public void resync() {
                listener.resync();
            }
        });
    }

    @Override
    public void close() {
        log.close();
    }
}
