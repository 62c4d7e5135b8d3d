package io.livestore.registry;

import java.time.Duration;
import java.util.Objects;

/** Validation and conversion of unusedCacheTime values, shared by definitions, options and leases. */
final class UnusedCacheTimes {

    /** Nanoseconds standing for "forever": no timer is ever armed. */
    static final long FOREVER_NANOS = Long.MAX_VALUE;

    private UnusedCacheTimes() {
    }

    static Duration requireValid(Duration d, String where) {
        Objects.requireNonNull(d, "unusedCacheTime");
        if (d.isNegative()) {
            throw new IllegalArgumentException(where + ": unusedCacheTime must not be negative, was " + d);
        }
        return d;
    }

    static long toNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException tooLong) {
            return FOREVER_NANOS;
        }
    }

    static Duration toDuration(long nanos) {
        return nanos == FOREVER_NANOS ? StoreDefinition.FOREVER : Duration.ofNanos(nanos);
    }
}
