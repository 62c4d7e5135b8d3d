package io.livestore.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Builds what {@link StoreRegistry#stats()} and {@link StoreRegistry#snapshot()} report (R16) from the
 * registry's entries and counters. Separate from the registry because it only reads: it walks every
 * entry (taking each one's lock for the snapshot) and changes nothing, so none of the access, retention
 * or disposal logic needs to be read to check it.
 */
final class RegistryObservation {

    private RegistryObservation() {
    }

    /** The counters, with the number of READY entries retained right now. */
    static RegistryStats stats(Iterable<RegistryEntry> entries, RegistryCounters counters) {
        int retained = 0;
        for (RegistryEntry e : entries) {
            if (e.phase == RegistryEntry.Phase.READY && e.retentions() > 0) {
                retained++;
            }
        }
        return counters.stats(retained);
    }

    /** Every entry not yet closed, sorted by storeId: the stores of a snapshot. */
    static List<StoreSnapshot> stores(Iterable<RegistryEntry> entries, RegistryThreads threads) {
        List<StoreSnapshot> stores = new ArrayList<>();
        long now = threads.now();
        for (RegistryEntry e : entries) {
            synchronized (e.lock) {
                if (e.phase == RegistryEntry.Phase.CLOSED) {
                    continue;
                }
                StoreState state = e.state();
                Optional<Duration> left = Optional.empty();
                if (state == StoreState.INACTIVE && e.deadline() != Long.MAX_VALUE) {
                    left = Optional.of(Duration.ofNanos(Math.max(0, e.deadline() - now)));
                }
                stores.add(new StoreSnapshot(e.storeId, e.definition.name(), state, e.retentions(),
                        UnusedCacheTimes.toDuration(e.effectiveNanos()), left));
            }
        }
        stores.sort(Comparator.comparing(StoreSnapshot::storeId));
        return List.copyOf(stores);
    }
}
