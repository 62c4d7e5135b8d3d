package io.livestore.store;

/**
 * An event: an immutable fact appended to a store's log.
 *
 * <p>Events are Java records that implement this interface and carry a stable, versioned name
 * through {@link EventName}, for example {@code @EventName("v1.IssueCreated")}. The name, not the
 * Java class name, is what the log stores, so classes can be renamed or moved without breaking
 * existing stores. Record components are required (non-null) unless annotated {@link Nullable}.
 */
public interface Event {
}
