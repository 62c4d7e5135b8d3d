package io.livestore.example.issuetracker.api.view;

import io.livestore.example.issuetracker.issue.IssueHead;

/** An issue in a list (a workspace's issues, an issue's children); {@code parentId} is null for a top-level issue. */
public record IssueSummary(String id, String parentId, String title, long commentCount, long childCount) {

    /** The summary of an issue's head. */
    public static IssueSummary of(IssueHead head) {
        return new IssueSummary(head.id(), head.parentId(), head.title(), head.commentCount(), head.childCount());
    }
}
