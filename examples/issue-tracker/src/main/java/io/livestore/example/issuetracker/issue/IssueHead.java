package io.livestore.example.issuetracker.issue;

import java.time.Instant;

/**
 * An issue without its comments: what the page streams live about the selected issue and what the
 * workspace's issue list shows. {@code parentId} is null for a top-level issue.
 */
public record IssueHead(String id, String workspaceId, String parentId, String title, String description,
                        Instant createdAt, long revision, long commentCount, long childCount) {
}
