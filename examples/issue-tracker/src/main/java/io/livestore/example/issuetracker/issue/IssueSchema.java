package io.livestore.example.issuetracker.issue;

import io.livestore.store.Schema;
import io.livestore.store.Transaction;

/**
 * One issue: title, description, comments and the ids of its child issues (each child is an issue
 * store of its own). {@code revision} is the sequence number of the last event, so a live query that
 * reads it is re-sent after every change.
 */
public final class IssueSchema extends Schema {

    public IssueSchema() {
        table("CREATE TABLE issue (id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL, parent_id TEXT, "
                + "title TEXT NOT NULL, description TEXT NOT NULL, created_at INTEGER NOT NULL, revision INTEGER NOT NULL)");
        table("CREATE TABLE comment (seq INTEGER PRIMARY KEY, author TEXT NOT NULL, text TEXT NOT NULL, "
                + "created_at INTEGER NOT NULL)");
        table("CREATE TABLE child_issue (issue_id TEXT PRIMARY KEY, position INTEGER NOT NULL)");

        on(IssueCreated.class, (e, tx) -> tx.execute(
                "INSERT INTO issue (id, workspace_id, parent_id, title, description, created_at, revision) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?)",
                e.issueId(), e.workspaceId(), e.parentId(), e.title(), e.description(), e.createdAt(), tx.seq()));
        on(IssueRenamed.class, (e, tx) ->
                requireIssue(tx.execute("UPDATE issue SET title = ?, revision = ?", e.title(), tx.seq())));
        on(CommentAdded.class, (e, tx) -> {
            tx.execute("INSERT INTO comment (seq, author, text, created_at) VALUES (?, ?, ?, ?)",
                    tx.seq(), e.author(), e.text(), e.createdAt());
            touch(tx);
        });
        on(ChildIssueAdded.class, (e, tx) -> {
            tx.execute("INSERT INTO child_issue (issue_id, position) VALUES (?, ?)", e.childIssueId(), tx.seq());
            touch(tx);
        });
    }

    private static void touch(Transaction tx) {
        requireIssue(tx.execute("UPDATE issue SET revision = ?", tx.seq()));
    }

    /** A materializer that throws rejects the whole commit: nothing is written (the API answers 422). */
    private static void requireIssue(int changed) {
        if (changed != 1) {
            throw new IllegalStateException("this issue store has no issue yet");
        }
    }
}
