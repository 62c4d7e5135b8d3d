package io.livestore.example.issuetracker.api.view;

import io.livestore.example.issuetracker.issue.Comment;
import java.time.Instant;
import java.util.List;

/** An issue with its comments and its child issues. */
public record IssueView(String id, String workspaceId, String parentId, String title, String description,
                        Instant createdAt, long revision, List<Comment> comments, List<IssueSummary> children) {
}
