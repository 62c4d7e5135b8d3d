package io.livestore.registry;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Counts registry hits without a shared write on the hit path: each thread increments its own padded
 * slot, and {@link #sum()} adds them up. A shared atomic (even a LongAdder) or a counter on the store's
 * entry made every hit move a cache line between cores, which cost two-thread hits most of their speed.
 */
final class HitCounter {

    /** The slot sits mid-array so neighbouring allocations never share its cache line. */
    private static final int SLOT = 8;

    private final Queue<long[]> slots = new ConcurrentLinkedQueue<>();
    private final ThreadLocal<long[]> local = ThreadLocal.withInitial(this::register);

    private long[] register() {
        long[] slot = new long[2 * SLOT];
        slots.add(slot);
        return slot;
    }

    void increment() {
        local.get()[SLOT]++;
    }

    /** The total; concurrent increments may or may not be included yet. */
    long sum() {
        long total = 0;
        for (long[] slot : slots) {
            total += slot[SLOT];
        }
        return total;
    }
}
