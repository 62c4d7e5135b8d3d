package io.livestore.example.issuetracker.api.view;

import io.livestore.example.issuetracker.workspace.WorkspaceHead;

/** A workspace in the list of all workspaces. */
public record WorkspaceSummary(String id, String name, long issueCount) {

    /** The summary of a workspace's head. */
    public static WorkspaceSummary of(WorkspaceHead head) {
        return new WorkspaceSummary(head.id(), head.name(), head.issueCount());
    }
}
