package io.livestore.store.spi;

/**
 * Told about appends to upstream logs (any store; a listener keeps to the ones it holds). Called on
 * the upstream's own thread: return quickly, hand work to another thread.
 */
public interface ChangeListener {

    /** A store's log has moved to at least {@code head}. Announcements may arrive late, merged or out of order. */
    void changed(String storeId, long head);

    /**
     * Announcements may have been missed (the first connection, or a reconnect after an outage): check
     * the head of every store held, e.g. with {@link Upstream#heads}.
     */
    void resync();
}
