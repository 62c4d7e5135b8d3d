package io.livestore.example.issuetracker.workspace;

import io.livestore.store.Event;
import io.livestore.store.EventName;

/** The workspace has a new name. */
@EventName("v1.WorkspaceRenamed")
public record WorkspaceRenamed(String name) implements Event {
}
