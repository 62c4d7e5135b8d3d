package io.livestore.example.issuetracker.api;

import io.livestore.cdi.Stores;
import io.livestore.example.issuetracker.api.problem.ApiProblem;
import io.livestore.example.issuetracker.catalog.CatalogQueries;
import io.livestore.example.issuetracker.catalog.CatalogSchema;
import io.livestore.example.issuetracker.stores.Ids;
import io.livestore.example.issuetracker.stores.StoreDefinitions;
import io.livestore.example.issuetracker.workspace.WorkspaceQueries;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.Provider;

/**
 * Answers requests for workspaces and issues that do not exist with 400 or 404, before the library's
 * preload filter ({@code Priorities.USER}) opens their stores: opening a store creates it, and the
 * application must not create stores for ids a client made up.
 *
 * <p>This is the dependent-stores chain of the reference design at the door: the catalog says which
 * workspaces exist, a workspace which issues belong to it.
 */
@Provider
@ApplicationScoped
@Priority(Priorities.USER - 100)
public class KnownIdsFilter implements ContainerRequestFilter {

    @Inject
    Stores stores;

    @Override
    public void filter(ContainerRequestContext request) {
        MultivaluedMap<String, String> path = request.getUriInfo().getPathParameters();
        String workspaceId = path.getFirst("workspaceId");
        if (workspaceId == null) {
            return;
        }
        if (!Ids.isWorkspaceId(workspaceId)) {
            throw ApiProblem.badRequest("'" + workspaceId + "' is not a workspace id");
        }
        if (stores.get(StoreDefinitions.CATALOG, CatalogSchema.STORE_ID)
                .query(CatalogQueries.workspace(workspaceId)).isEmpty()) {
            throw ApiProblem.notFound("there is no workspace '" + workspaceId + "'");
        }
        String issueId = path.getFirst("issueId");
        if (issueId == null) {
            return;
        }
        if (!Ids.isIssueId(issueId)) {
            throw ApiProblem.badRequest("'" + issueId + "' is not an issue id");
        }
        if (stores.get(StoreDefinitions.WORKSPACE, workspaceId).query(WorkspaceQueries.issue(issueId)).isEmpty()) {
            throw ApiProblem.notFound("workspace '" + workspaceId + "' has no issue '" + issueId + "'");
        }
    }
}
