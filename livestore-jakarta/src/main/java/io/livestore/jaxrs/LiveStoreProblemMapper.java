package io.livestore.jaxrs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livestore.cdi.StoreAccessDeniedException;
import io.livestore.registry.RegistryClosedException;
import io.livestore.registry.StoreDroppedException;
import io.livestore.registry.StoreLoadException;
import io.livestore.registry.StoreLoadTimeoutException;
import io.livestore.store.InvalidEventException;
import io.livestore.store.InvalidStoreIdException;
import io.livestore.store.LiveStoreException;
import io.livestore.store.MaterializerException;
import io.livestore.store.StoreClosedException;
import io.livestore.store.UnknownEventException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.lang.System.Logger.Level;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every {@link LiveStoreException} that reaches JAX-RS becomes an RFC 9457 problem response
 * ({@code application/problem+json}), never a stack trace (C6): {@code type} (a URN with the message
 * id), {@code title}, {@code status}, {@code detail}, {@code messageId}, and {@code definition} /
 * {@code storeId} when known.
 *
 * <p>Statuses: bad storeId 400; access refused 403; storeId in use by another definition 409; invalid or unknown event, or an event its
 * materializer rejected, 422; load failed, store closed or dropped, registry closed 503; load deadline
 * 503 with Retry-After; anything else 500.
 */
@Provider
public class LiveStoreProblemMapper implements ExceptionMapper<LiveStoreException> {

    /** The problem media type. */
    public static final String PROBLEM_JSON = "application/problem+json";

    private static final System.Logger LOG = System.getLogger(LiveStoreProblemMapper.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public Response toResponse(LiveStoreException e) {
        int status;
        String definition = e.definition();
        String storeId = e.storeId();
        Integer retryAfter = null;
        if (e instanceof StoreProblem p) {
            status = p.status();
            retryAfter = p.retryAfterSeconds();
        } else if (e instanceof StoreAccessDeniedException) {
            status = 403;
        } else {
            status = statusOf(e);
        }
        if (status >= 500) {
            LOG.log(Level.WARNING, "store problem answered with " + status, e);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "urn:livestore:problem:" + e.messageId());
        body.put("title", titleOf(status));
        body.put("status", status);
        // Server-side failures can carry paths and driver text: the log gets them, the client a summary.
        body.put("detail", status >= 500 ? serverDetail(status, definition, storeId, retryAfter)
                : e.detail());
        body.put("messageId", e.messageId());
        if (definition != null) {
            body.put("definition", definition);
        }
        if (storeId != null) {
            body.put("storeId", storeId);
        }
        Response.ResponseBuilder response = Response.status(status).type(PROBLEM_JSON).entity(json(body));
        if (retryAfter != null) {
            response.header("Retry-After", retryAfter);
        }
        return response.build();
    }

    private static String serverDetail(int status, String definition, String storeId, Integer retryAfter) {
        String which = storeId != null ? "store '" + storeId + "' (definition '" + definition + "')"
                : definition != null ? "a store of definition '" + definition + "'" : "a store";
        if (status == 503) {
            return which + " is unavailable" + (retryAfter != null ? "; it is still loading, retry later" : "")
                    + "; the server log has the cause";
        }
        return which + " could not be provided; the server log has the cause";
    }

    static int statusOf(LiveStoreException e) {
        if (e instanceof InvalidStoreIdException) {
            return 400;
        }
        if (e instanceof io.livestore.registry.StoreIdConflictException) {
            return 409;
        }
        if (e instanceof InvalidEventException || e instanceof UnknownEventException || e instanceof MaterializerException) {
            return 422;
        }
        if (e instanceof StoreLoadException || e instanceof StoreLoadTimeoutException || e instanceof StoreDroppedException
                || e instanceof StoreClosedException || e instanceof RegistryClosedException) {
            return 503;
        }
        return 500; // StoreResolutionException (a configuration problem) and everything else
    }

    private static String titleOf(int status) {
        switch (status) {
            case 400:
                return "Invalid store id";
            case 403:
                return "Store access refused";
            case 409:
                return "Store id in use by another definition";
            case 422:
                return "Event rejected";
            case 503:
                return "Store unavailable";
            default:
                return "Store error";
        }
    }

    private static String json(Map<String, Object> body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
