package io.livestore.example.issuetracker.api.body;

/**
 * {@code POST /api/workspaces/{workspaceId}/issues/{issueId}/comments}:
 * {@code {"author": "ada", "text": "Reproduced."}}; without an author the comment is anonymous.
 */
public record AddComment(String author, String text) {
    public AddComment {
        author = Input.optional(author, "author", Limits.NAME, "anonymous");
        text = Input.required(text, "text", Limits.TEXT);
    }
}
