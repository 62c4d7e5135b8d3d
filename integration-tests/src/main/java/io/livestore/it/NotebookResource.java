package io.livestore.it;

import io.livestore.cdi.LiveStore;
import io.livestore.jaxrs.LiveQueries;
import io.livestore.registry.StoreRegistry;
import io.livestore.store.Store;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.LinkedHashMap;
import java.util.Map;

/** One notebook store per {@code notebookId}, injected by path template. */
@Path("/notebooks/{notebookId}")
@RequestScoped
public class NotebookResource {

    @Inject
    @LiveStore(def = "notebook", id = "{notebookId}")
    Store<NotebookSchema> notebook;

    @Inject
    StoreRegistry registry;

    @Inject
    Gates gates;

    @Inject
    LiveQueries liveQueries;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public String read() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("storeId", notebook.storeId());
        body.put("head", notebook.head());
        body.put("notes", notebook.query(NotebookSchema.NOTES));
        return Json.write(body);
    }

    /** Adds a note; a missing {@code text} is an invalid event (problem 422). */
    @POST
    @Path("/notes")
    @Produces(MediaType.APPLICATION_JSON)
    public String add(@QueryParam("noteId") String noteId, @QueryParam("text") String text) {
        long head = notebook.commit(new NoteAdded(noteId, text));
        return Json.write(Map.of("head", head));
    }

    /** Holds the request, and with it the store, until the test opens {@code gate}. */
    @GET
    @Path("/hold")
    @Produces(MediaType.APPLICATION_JSON)
    public String hold(@QueryParam("gate") String gate) throws InterruptedException {
        boolean opened = gates.await(gate);
        return Json.write(Map.of("opened", opened, "storeId", notebook.storeId()));
    }

    @GET
    @Path("/live")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void live(@PathParam("notebookId") String notebookId, @Context SseEventSink sink, @Context Sse sse) {
        liveQueries.stream(Definitions.NOTEBOOK, notebookId, NotebookSchema.NOTES, sink, sse);
    }
}
