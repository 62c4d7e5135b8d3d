package io.livestore.example.issuetracker.api;

import io.livestore.example.issuetracker.api.view.IssueSummary;
import io.livestore.example.issuetracker.api.view.IssueView;
import io.livestore.example.issuetracker.api.view.WorkspaceSummary;
import io.livestore.example.issuetracker.api.view.WorkspaceView;
import io.livestore.example.issuetracker.issue.IssueHead;
import io.livestore.example.issuetracker.issue.IssueQueries;
import io.livestore.example.issuetracker.issue.IssueSchema;
import io.livestore.example.issuetracker.stores.StoreDefinitions;
import io.livestore.example.issuetracker.workspace.WorkspaceHead;
import io.livestore.example.issuetracker.workspace.WorkspaceQueries;
import io.livestore.example.issuetracker.workspace.WorkspaceSchema;
import io.livestore.cdi.Stores;
import io.livestore.store.Store;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import java.util.List;

/**
 * Assembles the API's views. A workspace view needs every issue store its workspace lists, an issue
 * view the stores of its children — dependent stores, whose ids come from another store's data. They
 * are taken with {@link Stores#getAll}, which loads them in parallel and keeps them for the request.
 */
@RequestScoped
public class Views {

    @Inject
    Stores stores;

    /** The workspaces {@code workspaceIds}, in that order. */
    public List<WorkspaceSummary> workspaces(List<String> workspaceIds) {
        return stores.getAll(StoreDefinitions.WORKSPACE, workspaceIds).stream()
                .map(Views::workspaceHead).map(WorkspaceSummary::of).toList();
    }

    /** The workspace with all its issues. */
    public WorkspaceView workspace(Store<WorkspaceSchema> workspace) {
        WorkspaceHead head = workspaceHead(workspace);
        return new WorkspaceView(head.id(), head.name(), head.revision(),
                issues(workspace.query(WorkspaceQueries.ISSUE_IDS)));
    }

    /** The issue with its comments and children. */
    public IssueView issue(Store<IssueSchema> issue) {
        IssueHead head = issueHead(issue);
        return new IssueView(head.id(), head.workspaceId(), head.parentId(), head.title(), head.description(),
                head.createdAt(), head.revision(), issue.query(IssueQueries.COMMENTS),
                issues(issue.query(IssueQueries.CHILD_IDS)));
    }

    private List<IssueSummary> issues(List<String> issueIds) {
        return stores.getAll(StoreDefinitions.ISSUE, issueIds).stream()
                .map(Views::issueHead).map(IssueSummary::of).toList();
    }

    private static WorkspaceHead workspaceHead(Store<WorkspaceSchema> workspace) {
        return only(workspace.query(WorkspaceQueries.HEAD), workspace);
    }

    private static IssueHead issueHead(Store<IssueSchema> issue) {
        return only(issue.query(IssueQueries.HEAD), issue);
    }

    /** Stores are only found through data written after their first event, so an empty one is a bug. */
    private static <T> T only(List<T> rows, Store<?> store) {
        if (rows.size() != 1) {
            throw new IllegalStateException(store.definitionName() + " store '" + store.storeId() + "' has "
                    + rows.size() + " head rows instead of one");
        }
        return rows.get(0);
    }
}
