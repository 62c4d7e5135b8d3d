package io.livestore.example.issuetracker.catalog;

import io.livestore.store.Schema;

/**
 * The catalog: the one store that knows which workspaces exist. Every other store is found from
 * data — workspaces from here, issues from their workspace — so the application never opens (and
 * thereby creates) a store for an id it did not hand out.
 */
public final class CatalogSchema extends Schema {

    /** The catalog's storeId: there is one catalog per application. */
    public static final String STORE_ID = "catalog";

    public CatalogSchema() {
        table("CREATE TABLE workspace (id TEXT PRIMARY KEY, registered_at INTEGER NOT NULL)");
        on(WorkspaceRegistered.class, (e, tx) -> tx.execute(
                "INSERT INTO workspace (id, registered_at) VALUES (?, ?)", e.workspaceId(), e.registeredAt()));
    }
}
