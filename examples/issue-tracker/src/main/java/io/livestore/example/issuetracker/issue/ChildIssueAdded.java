package io.livestore.example.issuetracker.issue;

import io.livestore.store.Event;
import io.livestore.store.EventName;

/** An issue was created as a child of this one; the child's own store holds its content. */
@EventName("v1.ChildIssueAdded")
public record ChildIssueAdded(String childIssueId) implements Event {
}
