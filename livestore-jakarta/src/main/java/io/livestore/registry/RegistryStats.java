package io.livestore.registry;

import java.time.Duration;
import java.util.Map;

/**
 * Registry counters since it was created (R16).
 *
 * @param hits           accesses that found the store loaded or loading
 * @param misses         accesses that started a load
 * @param loads          loads that succeeded
 * @param loadFailures   loads that failed (each failure reached all its waiters once)
 * @param totalLoadTime  time spent in successful loads
 * @param disposals      stores closed, by cause
 * @param loadedStores   stores loaded now (active or inactive)
 * @param retainedStores stores with at least one retention now
 */
public record RegistryStats(long hits, long misses, long loads, long loadFailures, Duration totalLoadTime,
                            Map<DisposalCause, Long> disposals, int loadedStores, int retainedStores) {

    /** Disposals of one cause. */
    public long disposals(DisposalCause cause) {
        return disposals.getOrDefault(cause, 0L);
    }

    /** Mean duration of a successful load, or zero before the first. */
    public Duration averageLoadTime() {
        return loads == 0 ? Duration.ZERO : totalLoadTime.dividedBy(loads);
    }
}
