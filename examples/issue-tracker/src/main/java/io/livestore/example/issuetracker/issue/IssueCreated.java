package io.livestore.example.issuetracker.issue;

import io.livestore.store.Event;
import io.livestore.store.EventName;
import io.livestore.store.Nullable;
import java.time.Instant;

/** The first event of every issue store; {@code parentId} is set for a child issue. */
@EventName("v1.IssueCreated")
public record IssueCreated(String issueId, String workspaceId, @Nullable String parentId, String title,
                           String description, Instant createdAt) implements Event {
}
