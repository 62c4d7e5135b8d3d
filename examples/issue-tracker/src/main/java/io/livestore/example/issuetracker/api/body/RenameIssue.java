package io.livestore.example.issuetracker.api.body;

/** {@code PUT /api/workspaces/{workspaceId}/issues/{issueId}/title}: {@code {"title": "Login fails on Safari"}}. */
public record RenameIssue(String title) {
    public RenameIssue {
        title = Input.required(title, "title", Limits.TITLE);
    }
}
