package io.livestore.example.issuetracker.issue;

import io.livestore.store.Event;
import io.livestore.store.EventName;
import java.time.Instant;

/** Someone commented on the issue. */
@EventName("v1.CommentAdded")
public record CommentAdded(String author, String text, Instant createdAt) implements Event {
}
