package io.livestore.example.issuetracker.issue;

import io.livestore.store.Event;
import io.livestore.store.EventName;

/** The issue has a new title. */
@EventName("v1.IssueRenamed")
public record IssueRenamed(String title) implements Event {
}
