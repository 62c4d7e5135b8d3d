package io.livestore.example.issuetracker.api;

import io.livestore.cdi.LiveStore;
import io.livestore.cdi.Stores;
import io.livestore.example.issuetracker.api.body.CreateIssue;
import io.livestore.example.issuetracker.api.body.RenameWorkspace;
import io.livestore.example.issuetracker.api.problem.ApiProblem;
import io.livestore.example.issuetracker.issue.ChildIssueAdded;
import io.livestore.example.issuetracker.issue.IssueCreated;
import io.livestore.example.issuetracker.issue.IssueSchema;
import io.livestore.example.issuetracker.stores.EventTime;
import io.livestore.example.issuetracker.stores.Ids;
import io.livestore.example.issuetracker.stores.StoreDefinitions;
import io.livestore.example.issuetracker.workspace.IssueAdded;
import io.livestore.example.issuetracker.workspace.IssueChanged;
import io.livestore.example.issuetracker.workspace.WorkspaceQueries;
import io.livestore.example.issuetracker.workspace.WorkspaceRenamed;
import io.livestore.example.issuetracker.workspace.WorkspaceSchema;
import io.livestore.jaxrs.LiveQueries;
import io.livestore.store.Event;
import io.livestore.store.Store;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** One workspace: read it, rename it, create issues in it, watch it live. */
@Path("/api/workspaces/{workspaceId}")
@RequestScoped
public class WorkspaceResource {

    /** Loaded by the library before a method runs; {@link KnownIdsFilter} has made sure it exists. */
    @Inject
    @LiveStore(def = "workspace", id = "{workspaceId}")
    Store<WorkspaceSchema> workspace;
    @Inject
    Stores stores;
    @Inject
    Views views;
    @Inject
    LiveQueries live;

    /** The workspace with all its issues, whose stores load in parallel. */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public String get() {
        return Json.write(views.workspace(workspace));
    }

    /** Renames the workspace; answers its view. */
    @PUT
    @Path("name")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public String rename(String body) {
        RenameWorkspace request = Json.read(body, RenameWorkspace.class);
        workspace.commit(new WorkspaceRenamed(request.name()));
        return Json.write(views.workspace(workspace));
    }

    /**
     * Creates an issue, a child of {@code parentId} if given: 201 with the issue's view and address.
     * Each store commits atomically, but three stores cannot commit together, so the order matters:
     * the new issue's store first, then the workspace (from then on it can be found), then the parent's
     * list of children.
     */
    @POST
    @Path("issues")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response createIssue(String body, @Context UriInfo uri) {
        CreateIssue request = Json.read(body, CreateIssue.class);
        String parentId = request.parentId();
        if (parentId != null && workspace.query(WorkspaceQueries.issue(parentId)).isEmpty()) {
            throw ApiProblem.invalid("parentId '" + parentId + "' is not an issue of workspace '" + workspace.storeId() + "'");
        }
        String issueId = Ids.newIssueId();
        Instant now = EventTime.now();
        Store<IssueSchema> issue = stores.get(StoreDefinitions.ISSUE, issueId);
        issue.commit(new IssueCreated(issueId, workspace.storeId(), parentId, request.title(), request.description(), now));
        List<Event> workspaceEvents = new ArrayList<>(List.of(new IssueAdded(issueId, now)));
        if (parentId != null) {
            workspaceEvents.add(new IssueChanged(parentId, now));
        }
        workspace.commit(workspaceEvents);
        if (parentId != null) {
            stores.get(StoreDefinitions.ISSUE, parentId).commit(new ChildIssueAdded(issueId));
        }
        return Response.created(uri.getAbsolutePathBuilder().path(issueId).build())
                .entity(Json.write(views.issue(issue))).build();
    }

    /** The workspace's head (name, revision) as Server-Sent Events: now, and after every change. */
    @GET
    @Path("live")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void live(@PathParam("workspaceId") String workspaceId, @Context SseEventSink sink, @Context Sse sse) {
        live.stream(StoreDefinitions.WORKSPACE, workspaceId, WorkspaceQueries.HEAD, sink, sse);
    }
}
