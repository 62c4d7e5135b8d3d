package io.livestore.store.spi;

/**
 * Told about appends to upstream logs (any store; a listener keeps to the ones it holds). Called on
 * the upstream's own thread: return quickly, hand work to another thread.
 *
 * <p><b>Best effort.</b> Announcements and resyncs are hints that make a node catch up early, not a
 * guarantee: a notification can be lost without any failure being noticed (a connection that dies
 * quietly is only found by the next check, a database failover may drop what was queued). A consumer
 * that must converge therefore also polls {@link Upstream#heads} for the stores it holds periodically,
 * whether or not anything was announced.
 */
public interface ChangeListener {

    /** A store's log has moved to at least {@code head}. Announcements may arrive late, merged or out of order. */
    void changed(String storeId, long head);

    /**
     * Announcements may have been missed (the first connection, or a reconnect after an outage): check
     * the head of every store held, e.g. with {@link Upstream#heads}. Like announcements, best effort:
     * it does not replace the consumer's own periodic check of the heads.
     */
    void resync();
}
