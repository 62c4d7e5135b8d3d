package io.livestore.registry;

import io.livestore.store.IssueSchema.CommentAdded;
import io.livestore.store.IssueSchema.IssueClosed;
import io.livestore.store.IssueSchema.IssueCreated;
import io.livestore.store.IssueSchema.IssueRenamed;
import io.livestore.store.Schema;
import io.livestore.store.Transaction;

/**
 * The issue schema of a node deployed with a stricter rule: the same events and tables, but its
 * materializer refuses an empty title that the other version accepted (a rolling deploy whose versions
 * disagree about an event already in the log, Y8).
 */
public final class IssueSchemaStrict extends Schema {

    public IssueSchemaStrict() {
        table("CREATE TABLE issue (id TEXT PRIMARY KEY, title TEXT NOT NULL, closed INTEGER NOT NULL DEFAULT 0, "
                + "version INTEGER NOT NULL)");
        table("CREATE TABLE comment (seq INTEGER PRIMARY KEY, issue_id TEXT NOT NULL, author TEXT NOT NULL, text TEXT)");
        table("CREATE TABLE counter (name TEXT PRIMARY KEY, value INTEGER NOT NULL)");
        on(IssueCreated.class, (e, tx) -> {
            tx.execute("INSERT INTO issue (id, title, version) VALUES (?, ?, ?)", e.id(), e.title(), tx.seq());
            bump(tx, "issues");
        });
        on(IssueRenamed.class, (e, tx) -> {
            if (e.title().isEmpty()) {
                throw new IllegalArgumentException("a title may not be empty");
            }
            tx.execute("UPDATE issue SET title = ?, version = ? WHERE id = ?", e.title(), tx.seq(), e.id());
        });
        on(CommentAdded.class, (e, tx) -> {
            tx.execute("INSERT INTO comment (seq, issue_id, author, text) VALUES (?, ?, ?, ?)",
                    tx.seq(), e.issueId(), e.author(), e.text());
            bump(tx, "comments");
        });
        on(IssueClosed.class, (e, tx) -> tx.execute("UPDATE issue SET closed = 1, version = ? WHERE id = ?", tx.seq(), e.id()));
    }

    /** As IssueSchema's: the tables of both versions agree on every event both apply. */
    private static void bump(Transaction tx, String name) {
        tx.execute("INSERT INTO counter (name, value) VALUES (?, ?) "
                + "ON CONFLICT(name) DO UPDATE SET value = (value * 31 + excluded.value) % 1000000007", name, tx.seq());
    }
}
