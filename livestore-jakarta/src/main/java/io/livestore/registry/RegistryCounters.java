package io.livestore.registry;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** The registry's counters (R16) and its count of loaded stores, which the bound (R14) reads. */
final class RegistryCounters {

    final HitCounter hits = new HitCounter();
    final LongAdder misses = new LongAdder();
    final LongAdder loads = new LongAdder();
    final LongAdder loadFailures = new LongAdder();
    final LongAdder loadNanos = new LongAdder();
    /** READY entries; changed under the entry's lock with its phase. */
    final AtomicInteger loaded = new AtomicInteger();
    private final Map<DisposalCause, LongAdder> disposals = new EnumMap<>(DisposalCause.class);

    RegistryCounters() {
        for (DisposalCause c : DisposalCause.values()) {
            disposals.put(c, new LongAdder());
        }
    }

    void disposed(DisposalCause cause) {
        disposals.get(cause).increment();
    }

    RegistryStats stats(int retainedStores) {
        Map<DisposalCause, Long> byCause = new EnumMap<>(DisposalCause.class);
        disposals.forEach((cause, n) -> byCause.put(cause, n.sum()));
        return new RegistryStats(hits.sum(), misses.sum(), loads.sum(), loadFailures.sum(),
                Duration.ofNanos(loadNanos.sum()), Map.copyOf(byCause), loaded.get(), retainedStores);
    }
}
