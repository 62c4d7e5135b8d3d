package io.livestore.sync;

import io.livestore.store.spi.AppendResult;
import io.livestore.store.spi.LogEvent;
import io.livestore.store.spi.LogHead;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One store's log in memory: appended under the store's own lock (only its writers serialize), read
 * without any lock.
 *
 * <p>Publication: a writer stores the new events into the array (a larger copy when full), publishes
 * the array, then the head, both volatile. A reader reads the head first, then the array: seeing a head
 * it sees an array holding at least that many events, so reads never wait for a writer.
 */
final class InMemoryStoreLog {

    /** The most events one answer carries (a pull page, a conflict's catch-up). */
    static final int LARGEST_PAGE = 1_000;

    private final String backendId = UUID.randomUUID().toString();

    /** Taken by every append to this store, and by tests that hold the store's writers. */
    final ReentrantLock writers = new ReentrantLock();

    /** The position of every event id in this log; guarded by {@link #writers}. */
    private final Map<String, Long> positions = new HashMap<>();

    /** Created by {@code createLog}: it exists while still empty. */
    volatile boolean created;

    private volatile LogEvent[] events = new LogEvent[16];
    private volatile int head;

    /** The head now; 0 until the first append has completed. */
    LogHead head() {
        return new LogHead(backendId, head);
    }

    /** At most {@code limit} events after {@code afterSeqNum}, in order. */
    List<LogEvent> read(long afterSeqNum, int limit) {
        return slice(afterSeqNum, Math.min(limit, LARGEST_PAGE));
    }

    private List<LogEvent> slice(long afterSeqNum, int count) {
        int end = head;
        LogEvent[] published = events;
        if (afterSeqNum >= end) {
            return List.of();
        }
        int from = (int) afterSeqNum;
        int to = (int) Math.min(end, from + (long) count);
        return List.of(Arrays.copyOfRange(published, from, to));
    }

    /**
     * The compare-and-set of {@link io.livestore.store.spi.Upstream#append}, on arguments already checked
     * for their form ({@link UpstreamArguments#requireAppend}).
     */
    AppendResult append(String storeId, long expectedHead, List<LogEvent> batch) {
        writers.lock();
        try {
            int current = head;
            if (current != expectedHead) {
                if (expectedHead < current && UpstreamArguments.isRetry(storeId, batch,
                        slice(expectedHead, batch.size()))) {
                    return new AppendResult.Ok(head());
                }
                return new AppendResult.Conflict(head(), read(expectedHead, LARGEST_PAGE));
            }
            for (LogEvent event : batch) {
                Long writtenAt = positions.get(event.eventId());
                if (writtenAt != null) {
                    throw UpstreamArguments.eventIdElsewhere(storeId, event, writtenAt);
                }
            }
            if (current + (long) batch.size() > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("store '" + storeId + "': an in-memory log holds at most "
                        + (Integer.MAX_VALUE - 8) + " events");
            }
            int next = current + batch.size();
            LogEvent[] array = events;
            if (next > array.length) {
                array = Arrays.copyOf(array, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(next, 2L * array.length)));
            }
            for (LogEvent event : batch) {
                array[(int) event.seqNum() - 1] = event;
                positions.put(event.eventId(), event.seqNum());
            }
            events = array;
            head = next;
            return new AppendResult.Ok(head());
        } finally {
            writers.unlock();
        }
    }
}
