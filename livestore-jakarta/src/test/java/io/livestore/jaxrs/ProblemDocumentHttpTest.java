package io.livestore.jaxrs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livestore.cdi.LiveStore;
import io.livestore.cdi.StoreDef;
import io.livestore.registry.RegistryOptions;
import io.livestore.registry.StoreDefinition;
import io.livestore.store.Event;
import io.livestore.store.EventName;
import io.livestore.store.Schema;
import io.livestore.store.Store;
import io.livestore.store.StoreStorage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.SeBootstrap;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.MediaType;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Defect 9 over real HTTP: a 4xx problem document says what was wrong in the client's terms — no
 * exception class, SQL or SQLite text from a materializer's failure — and repeats no id whole when it
 * is longer than {@link LiveStoreProblemMapper#MAX_ID}.
 */
class ProblemDocumentHttpTest {

    static WeldContainer weld;
    static SeBootstrap.Instance server;
    static URI base;
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    /** A schema whose only event's materializer runs SQL that SQLite refuses. */
    public static final class FailingSchema extends Schema {
        @EventName("v1.ThingAdded")
        public record ThingAdded(String name) implements Event { }

        public FailingSchema() {
            table("CREATE TABLE thing (name TEXT NOT NULL)");
            on(ThingAdded.class, (e, tx) -> tx.execute("INSERT INTO no_such_table (name) VALUES (?)", e.name()));
        }
    }

    @ApplicationScoped
    public static class Definitions {
        @jakarta.enterprise.inject.Produces
        @StoreDef("failing")
        static final StoreDefinition<FailingSchema> FAILING = StoreDefinition.builder("failing", FailingSchema.class).build();

        @jakarta.enterprise.inject.Produces
        RegistryOptions options() {
            return RegistryOptions.builder().storage(StoreStorage.inMemory()).build();
        }
    }

    @Path("/things/{failingId}")
    @RequestScoped
    public static class ThingResource {
        @Inject
        @LiveStore(def = "failing")
        Store<FailingSchema> store;

        @POST
        @Produces(MediaType.TEXT_PLAIN)
        public String add() {
            return Long.toString(store.commit(new FailingSchema.ThingAdded("x")));
        }

        /** A programming error: the application's query names a table the schema does not have. */
        @POST
        @Path("bad-query")
        @Produces(MediaType.TEXT_PLAIN)
        public String badQuery() {
            return String.valueOf(store.query(io.livestore.store.Query.of(String.class, "SELECT secret FROM no_such_table")));
        }
    }

    public static class App extends Application {
        @Override
        public Set<Class<?>> getClasses() {
            Set<Class<?>> classes = new HashSet<>(LiveStoreJaxrsExtension.PROVIDERS);
            classes.add(ThingResource.class);
            return classes;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        weld = new Weld().property(Weld.SHUTDOWN_HOOK_SYSTEM_PROPERTY, false)
                .addBeanClasses(Definitions.class, ThingResource.class, LiveStoreProblemMapper.class)
                .initialize();
        SeBootstrap.Configuration config = SeBootstrap.Configuration.builder().protocol("HTTP").host("127.0.0.1")
                .port(SeBootstrap.Configuration.FREE_PORT).rootPath("/").build();
        server = SeBootstrap.start(new App(), config).toCompletableFuture().get(30, TimeUnit.SECONDS);
        base = URI.create("http://127.0.0.1:" + server.configuration().port() + "/");
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        if (weld != null) {
            weld.shutdown();
        }
    }

    static JsonObject problem(String path, int status) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(status, r.statusCode(), r.body());
        assertEquals(LiveStoreProblemMapper.PROBLEM_JSON, r.headers().firstValue("Content-Type").orElse(""));
        try (var reader = Json.createReader(new StringReader(r.body()))) {
            return reader.readObject();
        }
    }

    @Test
    void aMaterializerFailureIs422WithoutTheCausesClassSqlOrSqliteText() throws Exception {
        JsonObject body = problem("things/t-1", 422);
        String text = body.toString();
        assertEquals("LIVESTORE-0122", body.getString("messageId"));
        assertEquals("t-1", body.getString("storeId"));
        assertEquals("failing", body.getString("definition"));
        String detail = body.getString("detail");
        assertTrue(detail.contains("v1.ThingAdded"), "the detail names the event: " + detail);
        for (String internal : new String[] {"Exception", "no_such_table", "INSERT", "SQLITE", "no such table", "org.sqlite"}) {
            assertFalse(text.contains(internal), "'" + internal + "' leaks into the problem document: " + text);
        }
    }

    @Test
    void aVeryLongStoreIdIsCutInTheWholeDocument() throws Exception {
        String id = "a".repeat(5_000);
        JsonObject body = problem("things/" + id, 400);
        assertEquals("LIVESTORE-0101", body.getString("messageId"));
        String storeId = body.getString("storeId");
        assertEquals(LiveStoreProblemMapper.MAX_ID + 1, storeId.length(), "length of the storeId echoed");
        assertTrue(storeId.endsWith("…") && id.startsWith(storeId.substring(0, LiveStoreProblemMapper.MAX_ID)), "cut, not changed");
        assertTrue(body.getString("detail").length() <= LiveStoreProblemMapper.MAX_DETAIL + 1, body.getString("detail"));
        assertTrue(body.toString().length() < 1_500, "nothing else repeats the id: " + body);
    }

    @Test
    void aProgrammingErrorIsA500ProblemWithItsIdAndNoSql() throws Exception {
        JsonObject body = problem("things/t-3/bad-query", 500);
        assertEquals("LIVESTORE-0150", body.getString("messageId"));
        assertFalse(body.toString().contains("no_such_table"), body.toString());
        assertFalse(body.toString().contains("SELECT"), body.toString());
    }
}
