package io.livestore.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livestore.cdi.StoreAccessDeniedException;
import io.livestore.cdi.StoreResolutionException;
import io.livestore.registry.RegistryClosedException;
import io.livestore.registry.StoreDroppedException;
import io.livestore.registry.StoreIdConflictException;
import io.livestore.registry.StoreLoadException;
import io.livestore.registry.StoreLoadTimeoutException;
import io.livestore.store.CommitFailedException;
import io.livestore.store.InvalidEventException;
import io.livestore.store.InvalidStoreIdException;
import io.livestore.store.LiveStoreException;
import io.livestore.store.MaterializerException;
import io.livestore.store.StoreClosedException;
import io.livestore.store.StoreLoadCancelledException;
import io.livestore.store.StoreOpenException;
import io.livestore.store.StoreRebuildException;
import io.livestore.store.UnknownEventException;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.core.Response;
import java.io.StringReader;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.glassfish.jersey.internal.RuntimeDelegateImpl;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The one place that turns a library exception into a status and a problem document (item 16, defect 9). */
class LiveStoreProblemMapperTest {

    @BeforeAll
    static void jaxrsRuntime() {
        jakarta.ws.rs.ext.RuntimeDelegate.setInstance(new RuntimeDelegateImpl());
    }

    static Response answer(LiveStoreException e) {
        return new LiveStoreProblemMapper().toResponse(e);
    }

    static JsonObject body(Response r) {
        try (var reader = Json.createReader(new StringReader((String) r.getEntity()))) {
            return reader.readObject();
        }
    }

    @Test
    void eachMeaningHasItsStatus() {
        Map<Integer, List<LiveStoreException>> byStatus = Map.of(
                400, List.of(new InvalidStoreIdException("bad")),
                403, List.of(new StoreAccessDeniedException("d", "s")),
                409, List.of(new StoreIdConflictException("in use")),
                422, List.of(new InvalidEventException("x"), new UnknownEventException("x"), new MaterializerException("x")),
                503, List.of(new StoreLoadException("x"), new StoreLoadTimeoutException("x"), new StoreDroppedException("x"),
                        new StoreClosedException("x"), new RegistryClosedException("x"), new StoreOpenException("x"),
                        new StoreRebuildException("x"), new StoreLoadCancelledException("x"), new CommitFailedException("x")),
                500, List.of(new StoreResolutionException("x")));
        byStatus.forEach((status, exceptions) -> {
            for (LiveStoreException e : exceptions) {
                Response r = answer(e);
                assertEquals(status, r.getStatus(), e.getClass().getSimpleName());
                assertEquals(status, LiveStoreProblemMapper.statusOf(e), e.getClass().getSimpleName());
                JsonObject body = body(r);
                assertEquals(status, body.getInt("status"));
                assertEquals(e.messageId(), body.getString("messageId"));
                assertEquals("urn:livestore:problem:" + e.messageId(), body.getString("type"));
                assertEquals(LiveStoreProblemMapper.PROBLEM_JSON, r.getMediaType().toString());
            }
        });
    }

    @Test
    void aLoadTimeoutCarriesRetryAfterFromItsHint() {
        assertEquals("1", answer(new StoreLoadTimeoutException("slow")).getHeaderString("Retry-After"));
        assertEquals("3", answer(new StoreLoadTimeoutException("slow", Duration.ofMillis(2_500), null))
                .getHeaderString("Retry-After"));
        assertNull(answer(new StoreLoadException("failed")).getHeaderString("Retry-After"), "no hint, no header");
    }

    @Test
    void aStoreProblemIsAnsweredByItsCausesMeaning() {
        // The former constructor names a status; the cause's meaning decides when it has one.
        Response r = answer(new StoreProblem(500, "issue", "bad id", null, new InvalidStoreIdException("bad id")));
        assertEquals(400, r.getStatus());
        assertEquals("bad id", body(r).getString("storeId"));
        Response timeout = answer(new StoreProblem("issue", "s-1", new StoreLoadTimeoutException("slow", Duration.ofSeconds(7), null)));
        assertEquals(503, timeout.getStatus());
        assertEquals("7", timeout.getHeaderString("Retry-After"));
        assertEquals("LIVESTORE-0204", body(timeout).getString("messageId"));
        // An application's exception (a resolver that threw) has no meaning: the thrower's status, else 500.
        assertEquals(500, answer(new StoreProblem("issue", null, new IllegalStateException("resolver broke"))).getStatus());
        Response interrupted = answer(new StoreProblem(503, "issue", "s-2", 1, new InterruptedException()));
        assertEquals(503, interrupted.getStatus());
        assertEquals("1", interrupted.getHeaderString("Retry-After"));
    }

    @Test
    void aClientErrorsDetailHasNoCauseTextNorClassName() {
        SQLException sqlite = new SQLException("[SQLITE_ERROR] SQL error or missing database (no such table: x)");
        IllegalStateException wrapped = new IllegalStateException("statement 'INSERT INTO x VALUES (?)' failed: " + sqlite, sqlite);
        MaterializerException e = new MaterializerException("store 's' (definition 'd'): materializer for event #0 v1.ThingAdded"
                + " (seq 1) failed: " + wrapped + "; the commit of 1 event(s) was rolled back", wrapped);
        String detail = body(answer(e)).getString("detail");
        assertTrue(detail.startsWith("store 's' (definition 'd'): materializer for event #0 v1.ThingAdded (seq 1) failed"), detail);
        for (String internal : List.of("SQLITE", "INSERT", "no such table", "IllegalStateException", "java.")) {
            assertFalse(detail.contains(internal), internal + " in " + detail);
        }
        assertTrue(detail.contains("rolled back"), detail);
    }

    @Test
    void aShortCauseMessageDoesNotEatTheExceptionsOwnWords() {
        IllegalStateException cause = new IllegalStateException("1");
        MaterializerException e = new MaterializerException("materializer for event #1 v1.ThingAdded (seq 1) failed: " + cause, cause);
        assertEquals("materializer for event #1 v1.ThingAdded (seq 1) failed: " + ProblemText.SEE_LOG,
                body(answer(e)).getString("detail"));
    }

    @Test
    void aServerErrorsDetailIsASummary() {
        StoreOpenException e = new StoreOpenException("store 's' (definition 'd'): /var/data/d/s.db is locked");
        e.concerning("d", "s");
        String detail = body(answer(e)).getString("detail");
        assertEquals("store 's' (definition 'd') is unavailable; the server log has the cause", detail);
    }

    @Test
    void longIdsAndDetailsAreCut() {
        String id = "x".repeat(300);
        String definition = "d".repeat(200);
        InvalidStoreIdException e = new InvalidStoreIdException("storeId '" + id + "' of '" + definition + "' is too long "
                + "y".repeat(1_000));
        e.concerning(definition, id);
        JsonObject body = body(answer(e));
        assertEquals("x".repeat(LiveStoreProblemMapper.MAX_ID) + "…", body.getString("storeId"));
        assertEquals("d".repeat(LiveStoreProblemMapper.MAX_ID) + "…", body.getString("definition"));
        String detail = body.getString("detail");
        assertEquals(LiveStoreProblemMapper.MAX_DETAIL + 1, detail.length());
        assertTrue(detail.startsWith("storeId '" + "x".repeat(LiveStoreProblemMapper.MAX_ID) + "…' of '"), detail);
        assertEquals("ab…", LiveStoreProblemMapper.cut("abc", 2));
        assertEquals("a…", LiveStoreProblemMapper.cut("a\uD83D\uDE00b", 2), "never half a surrogate pair");
    }

    @Test
    void anUnknownEventsDetailNamesTypesWithoutTheApplicationsPackages() {
        UnknownEventException e = new UnknownEventException("store 'a.b.Cde' (definition 'd'): event #0 of type "
                + "com.acme.tracker.IssueEvents$IssueCreated is not declared by schema com.acme.tracker.IssueSchema");
        String detail = body(answer(e)).getString("detail");
        assertEquals("store 'a.b.Cde' (definition 'd'): event #0 of type IssueCreated is not declared by schema IssueSchema",
                detail, "qualified names become simple names; a quoted storeId with dots is kept");
    }

    @Test
    void clusterFailuresAnswer409And503WithRetryAfterAndNameTheUnknownEvent() {
        Response conflict = answer(new io.livestore.store.CommitConflictException("store 's': lost 5 times").concerning("d", "s"));
        assertEquals(409, conflict.getStatus());
        assertEquals("Commit conflict", body(conflict).getString("title"));
        assertEquals(io.livestore.store.CommitConflictException.ID, body(conflict).getString("messageId"));

        Response down = answer(new io.livestore.store.UpstreamUnavailableException("appending to store 's' failed",
                Duration.ofSeconds(3), new SQLException("Connection to 127.0.0.1:5432 refused")).concerning("d", "s"));
        assertEquals(503, down.getStatus());
        assertEquals("3", String.valueOf(down.getHeaderString("Retry-After")));
        assertFalse(body(down).getString("detail").contains("127.0.0.1"), body(down).getString("detail"));

        Response behind = answer(new io.livestore.store.SchemaBehindLogException("store 's': event 7 'v2.IssueArchived' unknown",
                "v2.IssueArchived", Duration.ofSeconds(60)).concerning("d", "s"));
        assertEquals(503, behind.getStatus());
        assertEquals("60", String.valueOf(behind.getHeaderString("Retry-After")));
        assertEquals(io.livestore.store.SchemaBehindLogException.ID, body(behind).getString("messageId"));
        assertTrue(body(behind).getString("detail").contains("'v2.IssueArchived'"), body(behind).getString("detail"));
    }
}
