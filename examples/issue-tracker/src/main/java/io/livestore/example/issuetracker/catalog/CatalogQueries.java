package io.livestore.example.issuetracker.catalog;

import io.livestore.store.Query;
import java.util.List;
import java.util.Optional;

/** Reads of the {@link CatalogSchema catalog}. */
public final class CatalogQueries {

    private CatalogQueries() {
    }

    /** Every workspace id, oldest first. */
    public static final Query<List<String>> WORKSPACE_IDS =
            Query.of(String.class, "SELECT id FROM workspace ORDER BY registered_at, id");

    /** The id, if such a workspace exists. */
    public static Query<Optional<String>> workspace(String workspaceId) {
        return Query.first(String.class, "SELECT id FROM workspace WHERE id = ?", workspaceId);
    }
}
