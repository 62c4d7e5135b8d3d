package io.livestore.store;

/**
 * Lets the caller of {@link Stores#open} abandon a load, for example a long rebuild whose store was
 * dropped meanwhile. Checked between rebuild batches; thread interruption is honoured as well.
 */
@FunctionalInterface
public interface CancellationSignal {
    /** A signal that never cancels. */
    CancellationSignal NONE = () -> false;

    /** True once the load should stop. */
    boolean isCancelled();
}
