package io.livestore.example.issuetracker.api.body;

/** {@code PUT /api/workspaces/{workspaceId}/name}: {@code {"name": "Platform team"}}. */
public record RenameWorkspace(String name) {
    public RenameWorkspace {
        name = Input.required(name, "name", Limits.NAME);
    }
}
