package io.livestore.example.issuetracker.catalog;

import io.livestore.store.Event;
import io.livestore.store.EventName;
import java.time.Instant;

/** A workspace was created and may now be found: its own store holds the rest. */
@EventName("v1.WorkspaceRegistered")
public record WorkspaceRegistered(String workspaceId, Instant registeredAt) implements Event {
}
