package io.livestore.registry;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * R14: beyond {@code maxLoadedStores}, dispose the least recently used unretained stores. It never
 * disposes a store within the hand-out hold of its last unretained access, nor one used after it was
 * picked (the pick is re-checked under the entry's lock), so it never closes a store under the caller
 * it was just handed to. The loaded count can therefore exceed the bound by the stores in their hold
 * (and, for a moment, by loads completing together); each later load or release brings it back.
 */
final class BoundEviction {

    /** A candidate, with its last use read once so sorting sees stable keys. */
    private record Candidate(long lastUsed, RegistryEntry entry) { }

    private final int maxLoadedStores;
    private final ConcurrentHashMap<String, RegistryEntry> entries;
    private final RegistryCounters counters;
    private final RegistryThreads threads;
    private final EntryLifecycle lifecycle;

    BoundEviction(int maxLoadedStores, ConcurrentHashMap<String, RegistryEntry> entries, RegistryCounters counters,
                  RegistryThreads threads, EntryLifecycle lifecycle) {
        this.maxLoadedStores = maxLoadedStores;
        this.entries = entries;
        this.counters = counters;
        this.threads = threads;
        this.lifecycle = lifecycle;
    }

    /** Cheap when within the bound: one read of the count. */
    void enforce() {
        if (maxLoadedStores < 0 || counters.loaded.get() <= maxLoadedStores) {
            return;
        }
        long now = threads.now();
        long hold = lifecycle.holdNanos();
        List<Candidate> idle = new ArrayList<>();
        for (RegistryEntry e : entries.values()) {
            if (e.phase == RegistryEntry.Phase.READY && e.retentions() == 0 && !e.inHold(now, hold)) {
                idle.add(new Candidate(e.lastUsedNanos(), e));
            }
        }
        idle.sort(Comparator.comparingLong(Candidate::lastUsed));
        for (Candidate c : idle) {
            if (counters.loaded.get() <= maxLoadedStores) {
                return;
            }
            lifecycle.dispose(c.entry(), DisposalCause.BOUND, false, false, c.lastUsed());
        }
    }
}
