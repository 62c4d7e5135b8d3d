package io.livestore.example.issuetracker.issue;

import java.time.Instant;

/** A comment; {@code seq} is the sequence number of its event, unique within the issue. */
public record Comment(long seq, String author, String text, Instant createdAt) {
}
