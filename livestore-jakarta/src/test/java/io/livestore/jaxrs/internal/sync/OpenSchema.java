package io.livestore.jaxrs.internal.sync;

import io.livestore.store.Schema;

/**
 * A schema that declares no tables and no events and keeps every event (L4): the store of
 * {@link SyncTestServer}, which any LiveStore client can push any event name to, stored and forwarded as
 * written — what LiveStore's own sync-provider suite needs, whose fixture events the server knows nothing of.
 */
public final class OpenSchema extends Schema {

    public OpenSchema() {
        keepUnknownEvents();
    }
}
