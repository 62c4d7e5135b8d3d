package io.livestore.example.issuetracker.api;

import io.livestore.cdi.LiveStore;
import io.livestore.example.issuetracker.api.body.AddComment;
import io.livestore.example.issuetracker.api.body.RenameIssue;
import io.livestore.example.issuetracker.issue.Comment;
import io.livestore.example.issuetracker.issue.CommentAdded;
import io.livestore.example.issuetracker.issue.IssueQueries;
import io.livestore.example.issuetracker.issue.IssueRenamed;
import io.livestore.example.issuetracker.issue.IssueSchema;
import io.livestore.example.issuetracker.stores.EventTime;
import io.livestore.example.issuetracker.stores.StoreDefinitions;
import io.livestore.example.issuetracker.workspace.IssueChanged;
import io.livestore.example.issuetracker.workspace.WorkspaceSchema;
import io.livestore.jaxrs.LiveQueries;
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
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Instant;

/**
 * One issue: read it, rename it, comment on it, watch it live. Every change is also recorded in the
 * workspace ({@link IssueChanged}), so whoever watches the workspace learns that its list changed.
 */
@Path("/api/workspaces/{workspaceId}/issues/{issueId}")
@RequestScoped
public class IssueResource {

    /** Both stores are loaded by the library, in parallel, before a method runs. */
    @Inject
    @LiveStore(def = "workspace", id = "{workspaceId}")
    Store<WorkspaceSchema> workspace;
    @Inject
    @LiveStore(def = "issue", id = "{issueId}")
    Store<IssueSchema> issue;
    @Inject
    Views views;
    @Inject
    LiveQueries live;

    /** The issue with its comments and child issues. */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public String get() {
        return Json.write(views.issue(issue));
    }

    /** Renames the issue; answers its view. */
    @PUT
    @Path("title")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public String rename(String body) {
        RenameIssue request = Json.read(body, RenameIssue.class);
        issue.commit(new IssueRenamed(request.title()));
        workspace.commit(new IssueChanged(issue.storeId(), EventTime.now()));
        return Json.write(views.issue(issue));
    }

    /** Adds a comment: 201 with the comment. */
    @POST
    @Path("comments")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response comment(String body) {
        AddComment request = Json.read(body, AddComment.class);
        Instant now = EventTime.now();
        long seq = issue.commit(new CommentAdded(request.author(), request.text(), now));
        workspace.commit(new IssueChanged(issue.storeId(), now));
        return Response.status(Response.Status.CREATED)
                .entity(Json.write(new Comment(seq, request.author(), request.text(), now))).build();
    }

    /** The issue's head (title, description, counts, revision) as Server-Sent Events: now, and after every change. */
    @GET
    @Path("live")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void live(@PathParam("issueId") String issueId, @Context SseEventSink sink, @Context Sse sse) {
        live.stream(StoreDefinitions.ISSUE, issueId, IssueQueries.HEAD, sink, sse);
    }
}
