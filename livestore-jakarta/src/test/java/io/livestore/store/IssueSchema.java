package io.livestore.store;

/**
 * The test schema used across the store tests: issues with titles, comments and a per-store
 * counter whose value depends on event order (so a replay in the wrong order would show).
 */
public final class IssueSchema extends Schema {

    @EventName("v1.IssueCreated")
    public record IssueCreated(String id, String title) implements Event { }

    @EventName("v1.IssueRenamed")
    public record IssueRenamed(String id, String title) implements Event { }

    @EventName("v1.CommentAdded")
    public record CommentAdded(String issueId, String author, @Nullable String text) implements Event { }

    @EventName("v1.IssueClosed")
    public record IssueClosed(String id) implements Event { }

    /** A row of the {@code issue} table. */
    public record IssueRow(String id, String title, boolean closed, long version) { }

    public IssueSchema() {
        table("CREATE TABLE issue (id TEXT PRIMARY KEY, title TEXT NOT NULL, closed INTEGER NOT NULL DEFAULT 0, "
                + "version INTEGER NOT NULL)");
        table("CREATE TABLE comment (seq INTEGER PRIMARY KEY, issue_id TEXT NOT NULL, author TEXT NOT NULL, text TEXT)");
        table("CREATE TABLE counter (name TEXT PRIMARY KEY, value INTEGER NOT NULL)");
        on(IssueCreated.class, (e, tx) -> {
            tx.execute("INSERT INTO issue (id, title, version) VALUES (?, ?, ?)", e.id(), e.title(), tx.seq());
            bump(tx, "issues");
        });
        on(IssueRenamed.class, (e, tx) -> {
            int changed = tx.execute("UPDATE issue SET title = ?, version = ? WHERE id = ?", e.title(), tx.seq(), e.id());
            if (changed != 1) {
                throw new IllegalArgumentException("no issue " + e.id());
            }
        });
        on(CommentAdded.class, (e, tx) -> {
            tx.execute("INSERT INTO comment (seq, issue_id, author, text) VALUES (?, ?, ?, ?)",
                    tx.seq(), e.issueId(), e.author(), e.text());
            bump(tx, "comments");
        });
        on(IssueClosed.class, (e, tx) -> tx.execute("UPDATE issue SET closed = 1, version = ? WHERE id = ?", tx.seq(), e.id()));
    }

    /** Order-sensitive: value = value * 31 + seq, so replaying in another order gives another number. */
    private static void bump(Transaction tx, String name) {
        tx.execute("INSERT INTO counter (name, value) VALUES (?, ?) "
                + "ON CONFLICT(name) DO UPDATE SET value = (value * 31 + excluded.value) % 1000000007", name, tx.seq());
    }
}
