package io.livestore.sync;

import io.livestore.store.spi.Upstream;

/** What the contract's tests get from {@link UpstreamContract}: the nodes of one fresh backend. */
interface UpstreamFixture {

    /** The first node on this test's backend. */
    Upstream upstream();

    /** Another node on the same backend, closed after the test. */
    Upstream node();

    /** Holds the writers of {@code storeId} (which has a log) until closed on the same thread. */
    AutoCloseable writersHeld(String storeId) throws Exception;
}
