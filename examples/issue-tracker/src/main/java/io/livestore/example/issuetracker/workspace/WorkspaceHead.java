package io.livestore.example.issuetracker.workspace;

/**
 * What the page streams live about a workspace: its name, and a revision that changes with every
 * event (then the page fetches the issue list, which comes from the issue stores).
 */
public record WorkspaceHead(String id, String name, long revision, long issueCount) {
}
