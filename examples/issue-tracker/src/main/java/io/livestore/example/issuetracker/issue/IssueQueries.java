package io.livestore.example.issuetracker.issue;

import io.livestore.store.Query;
import java.util.List;

/** Reads of an {@link IssueSchema issue} store. */
public final class IssueQueries {

    private IssueQueries() {
    }

    /** The issue's head: one row, or none before {@link IssueCreated}. */
    public static final Query<List<IssueHead>> HEAD = Query.of(IssueHead.class,
            "SELECT id, workspace_id, parent_id, title, description, created_at, revision, "
                    + "(SELECT count(*) FROM comment) AS comment_count, "
                    + "(SELECT count(*) FROM child_issue) AS child_count FROM issue");

    /** Its comments, oldest first. */
    public static final Query<List<Comment>> COMMENTS =
            Query.of(Comment.class, "SELECT seq, author, text, created_at FROM comment ORDER BY seq");

    /** The ids of its child issues, in the order they were added. */
    public static final Query<List<String>> CHILD_IDS =
            Query.of(String.class, "SELECT issue_id FROM child_issue ORDER BY position");
}
