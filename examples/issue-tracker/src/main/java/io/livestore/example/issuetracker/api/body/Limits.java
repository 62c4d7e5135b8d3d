package io.livestore.example.issuetracker.api.body;

/** Longest accepted texts, in characters. */
final class Limits {

    private Limits() {
    }

    /** A workspace name or an author. */
    static final int NAME = 100;
    /** An issue title. */
    static final int TITLE = 200;
    /** A description or a comment. */
    static final int TEXT = 10_000;
}
