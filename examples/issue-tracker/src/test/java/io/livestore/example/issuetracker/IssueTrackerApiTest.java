package io.livestore.example.issuetracker;

import static io.livestore.example.issuetracker.ApiClient.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.livestore.example.issuetracker.embedded.EmbeddedServer;
import io.livestore.example.issuetracker.stores.Ids;
import io.livestore.example.issuetracker.stores.StoreDefinitions;
import io.livestore.registry.StoreRegistry;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The JSON API over real HTTP on 127.0.0.1, against the example running embedded. */
class IssueTrackerApiTest {

    static RunningTracker tracker;
    static EmbeddedServer server;
    static ApiClient api;
    static StoreRegistry registry;

    static final Duration EVENT_TIMEOUT = Duration.ofSeconds(10);

    @BeforeAll
    static void start() {
        tracker = RunningTracker.start("api");
        server = tracker.server();
        api = tracker.api();
        registry = tracker.registry();
    }

    @AfterAll
    static void stop() {
        if (tracker != null) {
            tracker.close();
        }
    }

    // ----- the happy paths

    @Test
    void aNewWorkspaceIsCreatedListedAndRead() {
        ApiClient.Answer created = api.post("api/workspaces", object("name", "  Platform  "));
        JsonNode workspace = created.expect(201);
        String id = workspace.path("id").asText();
        assertTrue(Ids.isWorkspaceId(id), id);
        assertEquals("Platform", workspace.path("name").asText(), "the name is trimmed");
        assertEquals(0, workspace.path("issues").size());
        assertEquals(server.uri().resolve("api/workspaces/" + id).toString(), created.header("Location"));

        JsonNode listed = find(api.get("api/workspaces").expect(200), id);
        assertEquals("Platform", listed.path("name").asText());
        assertEquals(0, listed.path("issueCount").asInt());
        assertEquals("Platform", api.get("api/workspaces/" + id).expect(200).path("name").asText());
        assertTrue(Files.exists(tracker.storeFile("workspace", id)), "a SQLite file per workspace");
    }

    @Test
    void issuesAndChildIssuesAreListedByTheirWorkspaceAndParent() {
        String workspace = api.createWorkspace("Tracker");
        JsonNode first = api.post("api/workspaces/" + workspace + "/issues",
                object("title", "Login fails", "description", "On Safari only.")).expect(201);
        String firstId = first.path("id").asText();
        assertTrue(Ids.isIssueId(firstId), firstId);
        assertEquals(workspace, first.path("workspaceId").asText());
        assertEquals("On Safari only.", first.path("description").asText());
        assertTrue(first.path("parentId").isNull());
        String secondId = api.createIssue(workspace, "Slow search");
        String childId = api.createChildIssue(workspace, firstId, "Reproduce on iOS");

        JsonNode issues = api.get("api/workspaces/" + workspace).expect(200).path("issues");
        assertEquals(List.of(firstId, secondId, childId), ids(issues), "every issue, in creation order");
        assertEquals(firstId, issues.get(2).path("parentId").asText());
        assertEquals(1, issues.get(0).path("childCount").asInt());
        assertEquals(3, find(api.get("api/workspaces").expect(200), workspace).path("issueCount").asInt());

        JsonNode parent = api.get("api/workspaces/" + workspace + "/issues/" + firstId).expect(200);
        assertEquals(List.of(childId), ids(parent.path("children")));
        assertEquals("Reproduce on iOS", parent.path("children").get(0).path("title").asText());
        JsonNode child = api.get("api/workspaces/" + workspace + "/issues/" + childId).expect(200);
        assertEquals(firstId, child.path("parentId").asText());
        assertEquals("", child.path("description").asText(), "description is optional");
    }

    @Test
    void workspacesAndIssuesAreRenamed() {
        String workspace = api.createWorkspace("Old name");
        String issue = api.createIssue(workspace, "Old title");

        assertEquals("New name", api.put("api/workspaces/" + workspace + "/name", object("name", "New name"))
                .expect(200).path("name").asText());
        assertEquals("New title", api.put("api/workspaces/" + workspace + "/issues/" + issue + "/title",
                object("title", "New title")).expect(200).path("title").asText());

        JsonNode read = api.get("api/workspaces/" + workspace).expect(200);
        assertEquals("New name", read.path("name").asText());
        assertEquals("New title", read.path("issues").get(0).path("title").asText(), "the list reads the issue's store");
    }

    @Test
    void commentsAreAddedInOrder() {
        String workspace = api.createWorkspace("Comments");
        String issue = api.createIssue(workspace, "Crash on start");
        String comments = "api/workspaces/" + workspace + "/issues/" + issue + "/comments";

        JsonNode first = api.post(comments, object("author", "ada", "text", "Reproduced.")).expect(201);
        assertEquals("ada", first.path("author").asText());
        JsonNode second = api.post(comments, object("text", "Me too.")).expect(201);
        assertEquals("anonymous", second.path("author").asText(), "the author is optional");
        assertTrue(second.path("seq").asLong() > first.path("seq").asLong());

        JsonNode read = api.get("api/workspaces/" + workspace + "/issues/" + issue).expect(200);
        assertEquals(List.of(first, second), list(read.path("comments")), "what was answered is what is read");
        assertEquals(2, api.get("api/workspaces/" + workspace).expect(200).path("issues").get(0).path("commentCount").asInt());
    }

    // ----- bad input: problem documents, and no store is created for an id the application did not make

    @Test
    void unknownWorkspacesAndIssuesAre404AndOpenNoStore() {
        String unknownWorkspace = "w-aaaaaaaaaa";
        JsonNode problem = api.get("api/workspaces/" + unknownWorkspace).problem(404);
        assertEquals("there is no workspace 'w-aaaaaaaaaa'", problem.path("detail").asText());
        api.get("api/workspaces/" + unknownWorkspace + "/live").problem(404);
        api.post("api/workspaces/" + unknownWorkspace + "/issues", object("title", "x")).problem(404);
        assertFalse(registry.has(StoreDefinitions.WORKSPACE, unknownWorkspace), "no store was loaded");
        assertFalse(Files.exists(tracker.storeFile("workspace", unknownWorkspace)), "no file was created");

        String workspace = api.createWorkspace("Known");
        String unknownIssue = "i-aaaaaaaaaa";
        problem = api.get("api/workspaces/" + workspace + "/issues/" + unknownIssue).problem(404);
        assertEquals("workspace '" + workspace + "' has no issue 'i-aaaaaaaaaa'", problem.path("detail").asText());
        api.post("api/workspaces/" + workspace + "/issues/" + unknownIssue + "/comments", object("text", "x")).problem(404);
        assertFalse(registry.has(StoreDefinitions.ISSUE, unknownIssue));
        assertFalse(Files.exists(tracker.storeFile("issue", unknownIssue)));

        String otherWorkspace = api.createWorkspace("Other");
        String othersIssue = api.createIssue(otherWorkspace, "Not yours");
        api.get("api/workspaces/" + workspace + "/issues/" + othersIssue).problem(404);
    }

    @Test
    void malformedIdsAre400() {
        assertEquals("'bad id' is not a workspace id", api.get("api/workspaces/bad%20id").problem(400).path("detail").asText());
        api.get("api/workspaces/W-AAAAAAAAAA").problem(400);
        String workspace = api.createWorkspace("Ids");
        assertEquals("'nope' is not an issue id",
                api.get("api/workspaces/" + workspace + "/issues/nope").problem(400).path("detail").asText());
        api.get("api/workspaces/" + workspace + "/issues/" + workspace).problem(400);
    }

    @Test
    void invalidContentIs422WithTheField() {
        String workspace = api.createWorkspace("Validation");
        String issues = "api/workspaces/" + workspace + "/issues";
        assertEquals("title must not be empty", api.post(issues, object("title", "   ")).problem(422).path("detail").asText());
        assertEquals("title is required", api.post(issues, "{}").problem(422).path("detail").asText());
        assertEquals("title must be at most 200 characters, was 201",
                api.post(issues, object("title", "x".repeat(201))).problem(422).path("detail").asText());
        assertEquals("name must not be empty", api.post("api/workspaces", object("name", "")).problem(422).path("detail").asText());
        assertEquals("parentId 'nope' is not an issue id",
                api.post(issues, object("title", "x", "parentId", "nope")).problem(422).path("detail").asText());
        String elsewhere = api.createIssue(api.createWorkspace("Elsewhere"), "Elsewhere");
        assertEquals("parentId '" + elsewhere + "' is not an issue of workspace '" + workspace + "'",
                api.post(issues, object("title", "x", "parentId", elsewhere)).problem(422).path("detail").asText());
        String issue = api.createIssue(workspace, "Fine");
        api.post(issues + "/" + issue + "/comments", object("author", "ada", "text", "")).problem(422);
        api.put("api/workspaces/" + workspace + "/name", object("name", "n".repeat(101))).problem(422);
        assertEquals(List.of(issue), ids(api.get("api/workspaces/" + workspace).expect(200).path("issues")),
                "nothing was created by the refused requests");
    }

    @Test
    void malformedBodiesAre400() {
        assertEquals("the request body is empty; send a JSON object", api.post("api/workspaces", "").problem(400).path("detail").asText());
        assertTrue(api.post("api/workspaces", "{\"name\":").problem(400).path("detail").asText().startsWith("the request body is not valid JSON"));
        assertEquals("the request body must be a JSON object", api.post("api/workspaces", "[\"x\"]").problem(400).path("detail").asText());
        assertEquals("unknown field 'nme'; known fields: name", api.post("api/workspaces", "{\"nme\":\"x\"}").problem(400).path("detail").asText());
        assertEquals("field 'name' has the wrong type", api.post("api/workspaces", "{\"name\":[\"x\"]}").problem(400).path("detail").asText());
        // Numbers and booleans are not text either: Jackson's default coercion would have stored "5" (201).
        assertEquals("field 'name' has the wrong type", api.post("api/workspaces", "{\"name\":5}").problem(400).path("detail").asText());
        assertEquals("field 'name' has the wrong type", api.post("api/workspaces", "{\"name\":true}").problem(400).path("detail").asText());
        assertEquals("field 'name' has the wrong type", api.post("api/workspaces", "{\"name\":1.5}").problem(400).path("detail").asText());
        String workspace = api.createWorkspace("Typed");
        assertEquals("field 'title' has the wrong type",
                api.post("api/workspaces/" + workspace + "/issues", "{\"title\":5}").problem(400).path("detail").asText());
        assertEquals(0, api.get("api/workspaces/" + workspace).expect(200).path("issues").size(), "nothing was created");
    }

    @Test
    void theRuntimesOwnRefusalsAreProblemsToo() {
        api.get("api/nothing-here").problem(404);
        ApiClient.Answer wrongMethod = api.send(HttpRequest.newBuilder(server.uri().resolve("api/workspaces"))
                .DELETE());
        wrongMethod.problem(405);
        assertTrue(wrongMethod.header("Allow").contains("POST"), wrongMethod.response().headers().map().toString());
        api.send(HttpRequest.newBuilder(server.uri().resolve("api/workspaces")).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("name"))).problem(415);
    }

    // ----- live queries over Server-Sent Events

    @Test
    void liveQueriesResendAfterCommitsOfOtherRequests() {
        String workspace = api.createWorkspace("Live");
        String issue = api.createIssue(workspace, "Watched");
        String issuePath = "api/workspaces/" + workspace + "/issues/" + issue;
        try (EventStream issueEvents = EventStream.open(api.http(), server.uri().resolve(issuePath + "/live"));
             EventStream workspaceEvents = EventStream.open(api.http(), server.uri().resolve("api/workspaces/" + workspace + "/live"))) {
            JsonNode head = issueEvents.nextResult(EVENT_TIMEOUT).get(0);
            assertEquals("Watched", head.path("title").asText());
            assertEquals(0, head.path("commentCount").asInt());
            JsonNode workspaceHead = workspaceEvents.nextResult(EVENT_TIMEOUT).get(0);
            assertEquals("Live", workspaceHead.path("name").asText());

            api.post(issuePath + "/comments", object("text", "Seen live")).expect(201);
            JsonNode changed = issueEvents.nextResult(EVENT_TIMEOUT).get(0);
            assertEquals(1, changed.path("commentCount").asInt());
            assertTrue(changed.path("revision").asLong() > head.path("revision").asLong());
            JsonNode touched = workspaceEvents.nextResult(EVENT_TIMEOUT).get(0);
            assertTrue(touched.path("revision").asLong() > workspaceHead.path("revision").asLong(),
                    "a change to an issue is news for its workspace: " + touched);

            api.put(issuePath + "/title", object("title", "Renamed live")).expect(200);
            assertEquals("Renamed live", issueEvents.nextResult(EVENT_TIMEOUT).get(0).path("title").asText());
            api.put("api/workspaces/" + workspace + "/name", object("name", "Live, renamed")).expect(200);
            JsonNode renamed = workspaceEvents.nextResult(EVENT_TIMEOUT).get(0);
            // the issue rename's IssueChanged may arrive first, coalesced or not
            if (!renamed.path("name").asText().equals("Live, renamed")) {
                renamed = workspaceEvents.nextResult(EVENT_TIMEOUT).get(0);
            }
            assertEquals("Live, renamed", renamed.path("name").asText());
        }
    }

    // ----- the page

    @Test
    void thePageIsServedWithItsBaseAndNothingElse() {
        ApiClient.Answer page = api.get("");
        assertEquals(200, page.status());
        assertTrue(page.header("Content-Type").startsWith("text/html"), page.header("Content-Type"));
        assertTrue(page.body().contains("<base href=\"/\">"), "the base is the application's root");
        assertTrue(page.header("Content-Security-Policy").contains("default-src 'self'"));
        assertEquals(page.body(), api.get("index.html").body());
        assertTrue(api.get("app.js").header("Content-Type").startsWith("text/javascript"));
        assertTrue(api.get("app.css").header("Content-Type").startsWith("text/css"));
        api.get("pom.xml").problem(404);
        api.get("static%2Fapp.js").problem(404);
        for (String file : List.of("", "app.js", "app.css")) {
            String text = api.get(file).body();
            assertFalse(text.contains("http:") || text.contains("https:") || text.contains("//cdn"),
                    file + " refers to nothing outside the application");
        }
    }

    private static JsonNode find(JsonNode array, String id) {
        return StreamSupport.stream(array.spliterator(), false).filter(n -> n.path("id").asText().equals(id))
                .findFirst().orElseThrow(() -> new AssertionError(id + " not in " + array));
    }

    private static List<String> ids(JsonNode array) {
        List<String> ids = new ArrayList<>();
        array.forEach(n -> ids.add(n.path("id").asText()));
        return ids;
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> nodes = new ArrayList<>();
        array.forEach(nodes::add);
        return nodes;
    }
}
