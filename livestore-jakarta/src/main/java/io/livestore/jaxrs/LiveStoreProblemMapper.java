package io.livestore.jaxrs;

import io.livestore.store.AccessRefusedException;
import io.livestore.store.CommitConflictException;
import io.livestore.store.ConflictException;
import io.livestore.store.EventRejectedException;
import io.livestore.store.InvalidInputException;
import io.livestore.store.LiveStoreException;
import io.livestore.store.SchemaBehindLogException;
import io.livestore.store.StoreUnavailableException;
import io.livestore.store.CommitOutcomeUnknownException;
import io.livestore.store.UpstreamUnavailableException;
import jakarta.json.Json;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Map;

/**
 * Every {@link LiveStoreException} that reaches JAX-RS becomes an RFC 9457 problem response
 * ({@code application/problem+json}), never a stack trace (C6): {@code type} (a URN with the message
 * id), {@code title}, {@code status}, {@code detail}, {@code messageId}, and {@code definition} /
 * {@code storeId} when known.
 *
 * <p>The one place that decides a status, by the exception's meaning class: {@link InvalidInputException}
 * 400, {@link AccessRefusedException} 403, {@link ConflictException} 409, {@link EventRejectedException}
 * 422, {@link StoreUnavailableException} 503 (with Retry-After when it has a hint, e.g. a load that did
 * not finish in time), any other 500. A {@link StoreProblem} is answered by the meaning of its cause.
 *
 * <p>What a client sees: a 5xx detail is a summary (the log has the cause, which can carry paths and
 * driver text); a 4xx detail is the exception's own message with the text of every cause removed
 * (a materializer's exception, SQLite's message), and no detail is longer than {@value #MAX_DETAIL}
 * characters nor an id longer than {@value #MAX_ID} (then cut, ending in "…"). The body is written with
 * the server's JSON-P, so the library adds no JSON provider to the application.
 */
@Provider
public class LiveStoreProblemMapper implements ExceptionMapper<LiveStoreException> {

    /** The problem media type. */
    public static final String PROBLEM_JSON = "application/problem+json";
    /** Longest storeId or definition name a problem document repeats; longer ones are cut. */
    public static final int MAX_ID = 128;
    /** Longest detail a problem document carries; longer ones are cut. */
    public static final int MAX_DETAIL = 512;

    private static final System.Logger LOG = System.getLogger(LiveStoreProblemMapper.class.getName());

    @Override
    public Response toResponse(LiveStoreException e) {
        LiveStoreException meaning = meaningOf(e);
        int status = statusOf(e);
        String definition = e.definition() != null || e.storeId() != null ? e.definition() : meaning.definition();
        String storeId = e.definition() != null || e.storeId() != null ? e.storeId() : meaning.storeId();
        Integer retryAfter = status == 503 ? retryAfterSeconds(e, meaning) : null;
        if (status >= 500) {
            LOG.log(Level.WARNING, "store problem answered with " + status, e);
        } else {
            LOG.log(Level.DEBUG, "store problem answered with " + status, e);
        }
        JsonObjectBuilder body = problem(meaning.messageId(), status, status >= 500
                ? serverDetail(status, meaning, definition, storeId, retryAfter) : clientDetail(meaning, definition, storeId));
        if (meaning instanceof CommitConflictException) {
            body.add("title", "Commit conflict"); // 409's default title speaks of store ids
        }
        if (definition != null) {
            body.add("definition", cut(definition, MAX_ID));
        }
        if (storeId != null) {
            body.add("storeId", cut(storeId, MAX_ID));
        }
        Response.ResponseBuilder response = Response.status(status).type(PROBLEM_JSON).entity(body.build().toString());
        if (retryAfter != null) {
            response.header("Retry-After", retryAfter);
        }
        return response.build();
    }

    /**
     * The detail {@link #toResponse} gives for {@code e}, for answers that are not problem documents (a
     * LiveStore client's error answer, a refused sync connection): a summary for a server failure, else
     * the exception's own words without any cause's text or Java class names. The caller logs a server
     * failure's cause.
     *
     * @param e a library exception
     * @return the text a client may read
     */
    public static String clientText(LiveStoreException e) {
        LiveStoreException meaning = meaningOf(e);
        int status = statusOf(e);
        String definition = e.definition() != null || e.storeId() != null ? e.definition() : meaning.definition();
        String storeId = e.definition() != null || e.storeId() != null ? e.storeId() : meaning.storeId();
        return status >= 500 ? serverDetail(status, meaning, definition, storeId, status == 503 ? retryAfterSeconds(e, meaning) : null)
                : clientDetail(meaning, definition, storeId);
    }

    /**
     * The HTTP status for {@code e}, from its meaning class (for a {@link StoreProblem}, its cause's).
     *
     * @param e a library exception
     * @return 400, 403, 409, 422, 503 or 500
     */
    public static int statusOf(LiveStoreException e) {
        LiveStoreException meaning = meaningOf(e);
        if (meaning instanceof InvalidInputException) {
            return 400;
        }
        if (meaning instanceof AccessRefusedException) {
            return 403;
        }
        if (meaning instanceof ConflictException) {
            return 409;
        }
        if (meaning instanceof EventRejectedException) {
            return 422;
        }
        if (meaning instanceof StoreUnavailableException) {
            return 503;
        }
        if (meaning instanceof StoreProblem p && p.fallbackStatus() != 0) {
            return p.fallbackStatus(); // a cause of the application's, with the status its thrower chose
        }
        return 500; // the base: e.g. StoreResolutionException, a configuration problem
    }

    /** The exception whose meaning answers: a StoreProblem's library cause, else the exception itself. */
    private static LiveStoreException meaningOf(LiveStoreException e) {
        return e instanceof StoreProblem && e.getCause() instanceof LiveStoreException cause ? cause : e;
    }

    private static Integer retryAfterSeconds(LiveStoreException e, LiveStoreException meaning) {
        if (e instanceof StoreProblem p && p.retryAfterSeconds() != null) {
            return p.retryAfterSeconds();
        }
        if (meaning instanceof StoreUnavailableException unavailable) {
            return unavailable.retryAfter().map(LiveStoreProblemMapper::wholeSeconds).orElse(null);
        }
        return null;
    }

    private static int wholeSeconds(Duration d) {
        long seconds = d.toSeconds() + (d.toNanosPart() == 0 ? 0 : 1); // rounded up
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, seconds));
    }

    private static String serverDetail(int status, LiveStoreException meaning, String definition, String storeId,
                                       Integer retryAfter) {
        String which = storeId != null ? "store '" + cut(storeId, MAX_ID) + "' (definition '" + cut(definition, MAX_ID) + "')"
                : definition != null ? "a store of definition '" + cut(definition, MAX_ID) + "'" : "a store";
        if (meaning instanceof SchemaBehindLogException behind) {
            // Y8: the event's name is the application's own term and tells the operator what to deploy.
            return which + " takes no commits on this server: its log holds event '" + cut(behind.eventName(), MAX_ID)
                    + "', which this server's version does not know; reads are answered, retry later";
        }
        if (meaning instanceof CommitOutcomeUnknownException) {
            return which + ": the outcome of the commit is unknown (the shared event log's answer was lost); it was "
                    + "not acknowledged, and if it was written the store shows it: read before committing it again";
        }
        if (meaning instanceof UpstreamUnavailableException || meaning.getCause() instanceof UpstreamUnavailableException) {
            return which + " is unavailable: its shared event log cannot be reached; no change was made, retry later";
        }
        if (status == 503) {
            return which + " is unavailable" + (retryAfter != null ? "; it is still loading, retry later" : "")
                    + "; the server log has the cause";
        }
        return which + " could not be provided; the server log has the cause";
    }

    /** The exception's own words, without any cause's text, with long ids cut, at most MAX_DETAIL long. */
    static String clientDetail(LiveStoreException e, String definition, String storeId) {
        String detail = ProblemText.withoutCauses(e.detail(), e.getCause());
        for (String id : new String[] {storeId, e.storeId(), definition, e.definition()}) {
            if (id != null && id.length() > MAX_ID) {
                detail = detail.replace(id, cut(id, MAX_ID));
            }
        }
        detail = ProblemText.withoutClassNames(detail).strip();
        return detail.isEmpty() ? titleOf(statusOf(e)) : cut(detail, MAX_DETAIL);
    }

    /** The members every problem document of the library has: type, title, status, detail, messageId. */
    static JsonObjectBuilder problem(String messageId, int status, String detail) {
        return Holder.JSON.createObjectBuilder()
                .add("type", "urn:livestore:problem:" + messageId)
                .add("title", titleOf(status))
                .add("status", status)
                .add("detail", detail)
                .add("messageId", messageId);
    }

    /** {@code text} if at most {@code max} characters, else its first {@code max} followed by "…". */
    static String cut(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max; // never half a character
        return text.substring(0, end) + "…";
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

    // The JSON-P provider is looked up once, when the first problem is written, not at deployment.
    private static final class Holder {
        static final JsonBuilderFactory JSON = Json.createBuilderFactory(Map.of());
    }
}
