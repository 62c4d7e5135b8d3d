package io.livestore.example.issuetracker.workspace;

import io.livestore.store.Event;
import io.livestore.store.EventName;
import java.time.Instant;

/**
 * Something in one of the workspace's issue stores changed (renamed, commented, got a child). The
 * workspace records when, which keeps its issue list's "last changed" current and lets everyone
 * watching the workspace learn that its list needs a refresh.
 */
@EventName("v1.IssueChanged")
public record IssueChanged(String issueId, Instant changedAt) implements Event {
}
