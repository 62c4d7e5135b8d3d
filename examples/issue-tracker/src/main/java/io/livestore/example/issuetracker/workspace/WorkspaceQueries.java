package io.livestore.example.issuetracker.workspace;

import io.livestore.store.Query;
import java.util.List;
import java.util.Optional;

/** Reads of a {@link WorkspaceSchema workspace} store. */
public final class WorkspaceQueries {

    private WorkspaceQueries() {
    }

    /** The workspace's head: one row, or none before {@link WorkspaceCreated}. */
    public static final Query<List<WorkspaceHead>> HEAD = Query.of(WorkspaceHead.class,
            "SELECT id, name, revision, (SELECT count(*) FROM workspace_issue) AS issue_count FROM workspace");

    /** The ids of all its issues, in the order they were added. */
    public static final Query<List<String>> ISSUE_IDS =
            Query.of(String.class, "SELECT issue_id FROM workspace_issue ORDER BY position");

    /** The id, if the issue belongs to this workspace. */
    public static Query<Optional<String>> issue(String issueId) {
        return Query.first(String.class, "SELECT issue_id FROM workspace_issue WHERE issue_id = ?", issueId);
    }
}
