package io.livestore.registry;

import java.time.Duration;
import java.util.Optional;

/**
 * One store as the registry sees it at a moment (R16).
 *
 * @param storeId         the store
 * @param definition      its definition's name
 * @param state           loading, active, inactive or closing
 * @param retentions      open retentions (leases, request-scoped injections)
 * @param unusedCacheTime the unusedCacheTime in effect: the longest asked for during the current use (R6)
 * @param disposalIn      time left before disposal, when inactive with a finite unusedCacheTime
 */
public record StoreSnapshot(String storeId, String definition, StoreState state, int retentions,
                            Duration unusedCacheTime, Optional<Duration> disposalIn) {
}
