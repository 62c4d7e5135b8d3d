package io.livestore.jaxrs;

import io.livestore.jaxrs.internal.sync.CdiSyncSessions;
import io.livestore.jaxrs.internal.sync.HttpExchange;
import io.livestore.jaxrs.internal.sync.SyncHandshake;
import io.livestore.jaxrs.internal.sync.SyncProblems;
import io.livestore.jaxrs.internal.sync.SyncQuery;
import io.livestore.jaxrs.internal.sync.SyncRefusedException;
import io.livestore.jaxrs.internal.sync.SyncSession;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP variant of the LiveStore sync protocol ({@code makeHttpSync} of {@code @livestore/sync-cf} 0.4.0):
 * one POST per RPC call, answered with the JSON array of every frame of that call. Not registered by the
 * library: an application that wants it subclasses this class with its own path, which must contain
 * {@code {definition}} (JAX-RS inherits the method's annotations):
 *
 * <pre>{@code
 * @Path("/livestore-http/{definition}")
 * public class Sync extends LiveStoreHttpSync {
 * }
 * }</pre>
 *
 * <p>The request: {@code POST <path>?storeId=…&payload=…&transport=http}, header {@code x-livestore-store-id}
 * (used when the query has no storeId), body one {@code Request} envelope (at most {@value #MAX_BODY} bytes).
 * The answer: 200 {@code application/json} {@code [Chunk, …, Exit]}; a refused connection (unknown
 * definition, bad storeId, the application's {@code StoreAccessPolicy}) is an {@code application/problem+json}
 * document with the refusal's status; no answer within {@value #DEADLINE_SECONDS} s is 504. The request
 * does not hold a thread while it waits (an asynchronous response).
 */
public abstract class LiveStoreHttpSync {

    /** Largest request body: a push is at most 900 KB. */
    public static final int MAX_BODY = 2 * 1024 * 1024;
    /** How long a request waits for its answer. */
    public static final long DEADLINE_SECONDS = 30;

    private static final System.Logger LOG = System.getLogger(LiveStoreHttpSync.class.getName());
    private static final CdiSyncSessions SESSIONS = new CdiSyncSessions();

    /**
     * One RPC call.
     *
     * @param definition the definition named by the path
     * @param storeId    the {@code x-livestore-store-id} header, or null
     * @param uri        the request's URI, for its query string as sent
     * @param body       the request's body
     * @param response   where the answer goes
     */
    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces({MediaType.APPLICATION_JSON, SyncProblems.PROBLEM_JSON})
    public void sync(@PathParam("definition") String definition, @HeaderParam("x-livestore-store-id") String storeId,
                     @Context UriInfo uri, InputStream body, @Suspended AsyncResponse response) {
        String frame;
        try {
            frame = read(body);
        } catch (IOException e) {
            response.resume(problem(400, "the request body could not be read"));
            return;
        }
        if (frame == null) {
            response.resume(problem(413, "the request body is larger than " + MAX_BODY + " bytes"));
            return;
        }
        HttpExchange exchange = new HttpExchange(frame, a -> response.resume(
                Response.status(a.status()).type(a.mediaType()).entity(a.body()).build()));
        if (exchange.unanswered() != null) {
            response.resume(problem(400, "the request body is an " + exchange.unanswered() + " frame, which has no answer "
                    + "over HTTP; expected one Request envelope"));
            return;
        }
        SyncSession session;
        try {
            SyncHandshake h = SyncQuery.handshake(definition == null ? "" : definition, uri.getRequestUri().getRawQuery());
            if (h.storeId() == null && storeId != null) {
                h = new SyncHandshake(h.definition(), storeId, h.payload(), h.transport());
            }
            session = SESSIONS.get().open(h, exchange);
        } catch (SyncRefusedException e) {
            LOG.log(Level.DEBUG, () -> "sync request refused (" + e.status() + "): " + e.getMessage());
            response.resume(problem(e.status(), e.getMessage()));
            return;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "opening a sync request failed", e);
            response.resume(problem(500, "the sync request could not be served; the server log has the cause"));
            return;
        }
        response.setTimeoutHandler(r -> exchange.fail(504, "no answer within " + DEADLINE_SECONDS + " s"));
        response.setTimeout(DEADLINE_SECONDS, TimeUnit.SECONDS);
        exchange.bind(session);
        try {
            exchange.handle(session, frame);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "the sync protocol failed on a request", e);
            exchange.fail(500, "the sync request could not be served; the server log has the cause");
        }
    }

    /** The body as UTF-8 text (JSON's encoding), or null when it is longer than {@link #MAX_BODY}. */
    private static String read(InputStream body) throws IOException {
        byte[] bytes = body.readNBytes(MAX_BODY + 1);
        return bytes.length > MAX_BODY ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    private static Response problem(int status, String detail) {
        return Response.status(status).type(SyncProblems.PROBLEM_JSON).entity(SyncProblems.document(status, detail)).build();
    }
}
