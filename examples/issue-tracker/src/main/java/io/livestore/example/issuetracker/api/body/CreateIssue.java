package io.livestore.example.issuetracker.api.body;

import io.livestore.example.issuetracker.api.problem.ApiProblem;
import io.livestore.example.issuetracker.stores.Ids;

/**
 * {@code POST /api/workspaces/{workspaceId}/issues}:
 * {@code {"title": "Login fails", "description": "...", "parentId": "i-..."}}; description and parentId
 * are optional, parentId makes the new issue a child of that one.
 */
public record CreateIssue(String title, String description, String parentId) {
    public CreateIssue {
        title = Input.required(title, "title", Limits.TITLE);
        description = Input.optional(description, "description", Limits.TEXT, "");
        parentId = parentId == null || parentId.isBlank() ? null : parentId.strip();
        if (parentId != null && !Ids.isIssueId(parentId)) {
            throw ApiProblem.invalid("parentId '" + parentId + "' is not an issue id");
        }
    }
}
