package io.livestore.example.issuetracker.workspace;

import io.livestore.store.Event;
import io.livestore.store.EventName;
import java.time.Instant;

/** An issue (top-level or child) now belongs to the workspace; its own store holds its content. */
@EventName("v1.IssueAdded")
public record IssueAdded(String issueId, Instant addedAt) implements Event {
}
