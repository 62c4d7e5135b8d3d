package io.livestore.example.issuetracker.api.body;

/** {@code POST /api/workspaces}: {@code {"name": "Platform"}}. */
public record CreateWorkspace(String name) {
    public CreateWorkspace {
        name = Input.required(name, "name", Limits.NAME);
    }
}
