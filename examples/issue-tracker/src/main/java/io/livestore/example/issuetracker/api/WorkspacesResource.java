package io.livestore.example.issuetracker.api;

import io.livestore.cdi.LiveStore;
import io.livestore.cdi.Stores;
import io.livestore.example.issuetracker.api.body.CreateWorkspace;
import io.livestore.example.issuetracker.catalog.CatalogQueries;
import io.livestore.example.issuetracker.catalog.CatalogSchema;
import io.livestore.example.issuetracker.catalog.WorkspaceRegistered;
import io.livestore.example.issuetracker.stores.EventTime;
import io.livestore.example.issuetracker.stores.Ids;
import io.livestore.example.issuetracker.stores.StoreDefinitions;
import io.livestore.example.issuetracker.workspace.WorkspaceCreated;
import io.livestore.example.issuetracker.workspace.WorkspaceSchema;
import io.livestore.store.Store;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Instant;

/** All workspaces: list them, create one. */
@Path("/api/workspaces")
@RequestScoped
public class WorkspacesResource {

    /** The single catalog store: no id needed, its definition has a fixed one. */
    @Inject
    @LiveStore
    Store<CatalogSchema> catalog;
    @Inject
    Stores stores;
    @Inject
    Views views;

    /** Every workspace with its name and issue count; their stores load in parallel. */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public String list() {
        return Json.write(views.workspaces(catalog.query(CatalogQueries.WORKSPACE_IDS)));
    }

    /** Creates a workspace: 201 with its view and its address. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response create(String body, @Context UriInfo uri) {
        CreateWorkspace request = Json.read(body, CreateWorkspace.class);
        String id = Ids.newWorkspaceId();
        Instant now = EventTime.now();
        Store<WorkspaceSchema> workspace = stores.get(StoreDefinitions.WORKSPACE, id);
        workspace.commit(new WorkspaceCreated(id, request.name(), now));
        // Registered last: whatever fails before leaves nothing that can be found half-made.
        catalog.commit(new WorkspaceRegistered(id, now));
        return Response.created(uri.getAbsolutePathBuilder().path(id).build())
                .entity(Json.write(views.workspace(workspace))).build();
    }
}
