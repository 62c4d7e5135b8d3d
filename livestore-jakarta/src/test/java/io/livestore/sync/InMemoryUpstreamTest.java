package io.livestore.sync;

import io.livestore.store.spi.Upstream;

/** The upstream contract on the in-memory implementation. */
class InMemoryUpstreamTest extends UpstreamContract {

    private InMemoryUpstream backend;

    @Override
    protected Upstream newBackend() {
        backend = new InMemoryUpstream();
        return backend;
    }

    @Override
    protected Upstream newNode() {
        return backend.node();
    }

    @Override
    protected AutoCloseable holdWriters(String storeId) {
        return backend.holdWriters(storeId);
    }
}
