package io.livestore.example.issuetracker.api.view;

import java.util.List;

/**
 * A workspace with all its issues, top-level and children alike, in the order they were created
 * ({@code parentId} gives the tree). {@code revision} changes with every change to the workspace or
 * one of its issues.
 */
public record WorkspaceView(String id, String name, long revision, List<IssueSummary> issues) {
}
