package io.livestore.it;

/** A row of the {@code note} table. */
public record Note(String id, String text) {
}
