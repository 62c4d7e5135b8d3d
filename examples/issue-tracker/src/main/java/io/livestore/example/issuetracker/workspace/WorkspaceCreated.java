package io.livestore.example.issuetracker.workspace;

import io.livestore.store.Event;
import io.livestore.store.EventName;
import java.time.Instant;

/** The first event of every workspace store. */
@EventName("v1.WorkspaceCreated")
public record WorkspaceCreated(String workspaceId, String name, Instant createdAt) implements Event {
}
