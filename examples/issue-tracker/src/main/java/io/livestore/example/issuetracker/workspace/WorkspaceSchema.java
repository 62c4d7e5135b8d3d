package io.livestore.example.issuetracker.workspace;

import io.livestore.store.Schema;
import io.livestore.store.Transaction;

/**
 * One workspace: its name and the ids of its issues. The issues themselves live in their own stores
 * ({@link io.livestore.example.issuetracker.issue.IssueSchema}); this store is what tells the
 * application which of those to load.
 *
 * <p>{@code revision} is the sequence number of the last event: it changes with every event, so a
 * live query that reads it is re-sent after every change.
 */
public final class WorkspaceSchema extends Schema {

    public WorkspaceSchema() {
        table("CREATE TABLE workspace (id TEXT PRIMARY KEY, name TEXT NOT NULL, created_at INTEGER NOT NULL, "
                + "revision INTEGER NOT NULL)");
        table("CREATE TABLE workspace_issue (issue_id TEXT PRIMARY KEY, position INTEGER NOT NULL, "
                + "added_at INTEGER NOT NULL, changed_at INTEGER NOT NULL)");

        on(WorkspaceCreated.class, (e, tx) -> tx.execute(
                "INSERT INTO workspace (id, name, created_at, revision) VALUES (?, ?, ?, ?)",
                e.workspaceId(), e.name(), e.createdAt(), tx.seq()));
        on(WorkspaceRenamed.class, (e, tx) ->
                requireOne(tx.execute("UPDATE workspace SET name = ?, revision = ?", e.name(), tx.seq()), "workspace"));
        on(IssueAdded.class, (e, tx) -> {
            tx.execute("INSERT INTO workspace_issue (issue_id, position, added_at, changed_at) VALUES (?, ?, ?, ?)",
                    e.issueId(), tx.seq(), e.addedAt(), e.addedAt());
            touch(tx);
        });
        on(IssueChanged.class, (e, tx) -> {
            requireOne(tx.execute("UPDATE workspace_issue SET changed_at = ? WHERE issue_id = ?",
                    e.changedAt(), e.issueId()), "issue " + e.issueId());
            touch(tx);
        });
    }

    private static void touch(Transaction tx) {
        requireOne(tx.execute("UPDATE workspace SET revision = ?", tx.seq()), "workspace");
    }

    /** A materializer that throws rejects the whole commit: nothing is written (the API answers 422). */
    private static void requireOne(int changed, String what) {
        if (changed != 1) {
            throw new IllegalStateException("no " + what + " in this workspace store");
        }
    }
}
