package io.livestore.registry;

import io.livestore.store.EventName;
import io.livestore.store.Event;
import io.livestore.store.IssueSchema.CommentAdded;
import io.livestore.store.IssueSchema.IssueClosed;
import io.livestore.store.IssueSchema.IssueCreated;
import io.livestore.store.IssueSchema.IssueRenamed;
import io.livestore.store.Schema;

/** The next version of the issue schema: the same events and tables, and one event the old one lacks (Y8). */
public final class IssueSchemaV2 extends Schema {

    @EventName("v2.IssueArchived")
    public record IssueArchived(String id) implements Event { }

    public IssueSchemaV2() {
        table("CREATE TABLE issue (id TEXT PRIMARY KEY, title TEXT NOT NULL, closed INTEGER NOT NULL DEFAULT 0, "
                + "version INTEGER NOT NULL)");
        table("CREATE TABLE comment (seq INTEGER PRIMARY KEY, issue_id TEXT NOT NULL, author TEXT NOT NULL, text TEXT)");
        table("CREATE TABLE counter (name TEXT PRIMARY KEY, value INTEGER NOT NULL)");
        on(IssueCreated.class, (e, tx) -> tx.execute("INSERT INTO issue (id, title, version) VALUES (?, ?, ?)",
                e.id(), e.title(), tx.seq()));
        on(IssueRenamed.class, (e, tx) -> tx.execute("UPDATE issue SET title = ?, version = ? WHERE id = ?", e.title(),
                tx.seq(), e.id()));
        on(CommentAdded.class, (e, tx) -> tx.execute("INSERT INTO comment (seq, issue_id, author, text) VALUES (?, ?, ?, ?)",
                tx.seq(), e.issueId(), e.author(), e.text()));
        on(IssueClosed.class, (e, tx) -> tx.execute("UPDATE issue SET closed = 1, version = ? WHERE id = ?", tx.seq(), e.id()));
        on(IssueArchived.class, (e, tx) -> tx.execute("UPDATE issue SET closed = 2, version = ? WHERE id = ?", tx.seq(), e.id()));
    }
}
