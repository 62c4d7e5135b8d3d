package io.livestore.it.todo;

import io.livestore.cdi.LiveStore;
import io.livestore.jaxrs.LiveQueries;
import io.livestore.store.Store;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
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

/** A todo store as Java code sees it while JavaScript clients sync it: read, commit, live query. */
@Path("/todos/{storeId}")
@RequestScoped
public class TodoResource {

    private static final Jsonb JSONB = JsonbBuilder.create();

    @Inject
    @LiveStore(def = "todo", id = "{storeId}")
    Store<TodoSchema> store;

    @Inject
    LiveQueries liveQueries;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public String read() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("head", store.head());
        body.put("todos", store.query(TodoSchema.TODOS));
        return JSONB.toJson(body);
    }

    /** Commits a todo from Java; JavaScript clients of the store receive it. */
    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public String create(@QueryParam("id") String id, @QueryParam("text") String text) {
        return JSONB.toJson(Map.of("head", store.commit(new TodoSchema.TodoCreated(id, text))));
    }

    @GET
    @Path("/live")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void live(@PathParam("storeId") String storeId, @Context SseEventSink sink, @Context Sse sse) {
        liveQueries.stream(TodoDefinition.TODO, storeId, TodoSchema.TODOS, sink, sse);
    }
}
