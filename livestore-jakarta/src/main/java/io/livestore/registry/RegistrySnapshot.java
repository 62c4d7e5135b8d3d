package io.livestore.registry;

import java.util.List;
import java.util.Optional;

/**
 * Every store the registry holds, at one moment, sorted by storeId: the Java form of LiveStore's
 * devtools view of its registry (R16).
 *
 * @param stores the stores
 * @param stats  the registry's counters at the same moment
 */
public record RegistrySnapshot(List<StoreSnapshot> stores, RegistryStats stats) {

    /** The entry for one storeId, if the registry holds it. */
    public Optional<StoreSnapshot> store(String storeId) {
        return stores.stream().filter(s -> s.storeId().equals(storeId)).findFirst();
    }
}
