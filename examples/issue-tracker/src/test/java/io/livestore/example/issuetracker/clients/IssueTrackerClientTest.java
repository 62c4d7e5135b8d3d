package io.livestore.example.issuetracker.clients;

import static io.livestore.example.issuetracker.ApiClient.object;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.livestore.example.issuetracker.ApiClient;
import io.livestore.example.issuetracker.RunningTracker;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The example's LiveStore 0.4.0 client (examples/issue-tracker-client: {@code @livestore/adapter-node} with
 * {@code makeWsSync}, the issue store's schema in JavaScript) against the tracker running embedded, as a user
 * runs both: what the client adds is in the API, what the API changes is in the client's output, and only
 * clients of issues the tracker handed out (with its token, when it has one) get anything.
 */
class IssueTrackerClientTest {

    static final Duration WAIT = Duration.ofSeconds(60);
    /** How long a refused client waits for its issue before it gives up (exit 1). */
    static final String REFUSED_WAIT = "3";

    static RunningTracker tracker;
    static ApiClient api;
    /** What ClientAccess logs when it refuses a client. */
    static final List<String> refusals = new CopyOnWriteArrayList<>();
    static final Logger ACCESS_LOG = Logger.getLogger(ClientAccess.class.getName());
    static final Handler RECORDER = new Handler() {
        @Override
        public void publish(LogRecord record) {
            refusals.add(record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeAll
    static void start() {
        assumeFalse(Boolean.getBoolean("sync-client.skip"), "the LiveStore client is skipped (-Dsync-client.skip=true)");
        NodeIssueClient.directory(); // fails early, saying why, when its packages are missing
        ACCESS_LOG.addHandler(RECORDER);
        tracker = RunningTracker.start("client");
        api = tracker.api();
    }

    @AfterAll
    static void stop() {
        ACCESS_LOG.removeHandler(RECORDER);
        if (tracker != null) {
            tracker.close();
        }
    }

    /** The issue's address in the tracker's page, which the client takes as the user copies it from the browser. */
    static String address(String workspaceId, String issueId) {
        return tracker.server().uri() + "#/w/" + workspaceId + "/i/" + issueId;
    }

    static String issuePath(String workspaceId, String issueId) {
        return "api/workspaces/" + workspaceId + "/issues/" + issueId;
    }

    /** The fields the client's --json output shares with the API's issue view. */
    static void assertSameIssue(JsonNode api, JsonNode client) {
        for (String field : List.of("id", "workspaceId", "parentId", "title", "description", "createdAt", "revision", "comments")) {
            assertEquals(api.get(field), client.get(field), field + " of the client's issue is the API's");
        }
    }

    @Test
    void theClientShowsTheIssueLiveAndWhatItAddsReachesTheApi() {
        refusals.clear();
        String workspace = api.createWorkspace("Client");
        String issue = api.post("api/workspaces/" + workspace + "/issues",
                object("title", "Login fails", "description", "On Safari.")).expect(201).path("id").asText();
        String path = issuePath(workspace, issue);
        api.post(path + "/comments", object("author", "ada", "text", "Reproduced.")).expect(201);

        try (NodeIssueClient watcher = NodeIssueClient.start(address(workspace, issue), "watch", "--json")) {
            JsonNode first = watcher.awaitJson("issue with its comment", n -> n.path("comments").size() == 1, WAIT);
            assertSameIssue(api.get(path).expect(200), first);

            // another client comments: the tracker materializes the event with its Java schema
            String text = "From LiveStore ünï \"q\"\nsecond line";
            try (NodeIssueClient commenter = NodeIssueClient.start(address(workspace, issue), "comment", text,
                    "--author", "cli", "--json")) {
                assertEquals(0, commenter.awaitExit(WAIT), commenter.report());
                JsonNode printed = commenter.awaitJson("issue after the comment", n -> true, WAIT);
                assertSameIssue(api.get(path).expect(200), printed);
            }
            JsonNode read = api.get(path).expect(200);
            JsonNode comment = read.path("comments").get(1);
            assertEquals("cli", comment.path("author").asText());
            assertEquals(text, comment.path("text").asText());
            assertEquals(read.path("revision").asLong(), comment.path("seq").asLong(), "the comment is the last event");
            Instant at = Instant.parse(comment.path("createdAt").asText());
            assertTrue(Duration.between(at, Instant.now()).abs().compareTo(WAIT) < 0, "the client's time: " + at);
            // ... and reaches the watching client through the tracker
            assertSameIssue(read, watcher.awaitJson("the other client's comment", n -> n.path("comments").size() == 2, WAIT));

            // changes through the API reach the client
            api.put(path + "/title", object("title", "Login fails on Safari 17")).expect(200);
            watcher.awaitJson("the new title", n -> n.path("title").asText().equals("Login fails on Safari 17"), WAIT);
            api.post(path + "/comments", object("text", "Fixed in 2.1.")).expect(201);
            assertSameIssue(api.get(path).expect(200),
                    watcher.awaitJson("the API's comment", n -> n.path("comments").size() == 3, WAIT));

            // a rename from a client reaches the API and the watcher
            try (NodeIssueClient renamer = NodeIssueClient.start(address(workspace, issue), "rename", "  Renamed by a client ")) {
                assertEquals(0, renamer.awaitExit(WAIT), renamer.report());
            }
            assertEquals("Renamed by a client", api.get(path).expect(200).path("title").asText(), "trimmed, as by the API");
            assertSameIssue(api.get(path).expect(200),
                    watcher.awaitJson("the other client's title", n -> n.path("title").asText().equals("Renamed by a client"), WAIT));
        }
        assertEquals(List.of(), refusals, "no client was refused");
    }

    @Test
    void onlyClientsOfIssuesOfTheirWorkspaceWithTheTrackersTokenGetTheIssue() {
        String workspace = api.createWorkspace("Access");
        String issue = api.createIssue(workspace, "Secret plans");
        String madeUp = "i-aaaaaaaaaa";
        refusals.clear();
        try (NodeIssueClient unknownIssue = NodeIssueClient.start(address(workspace, madeUp), "show", "--timeout", REFUSED_WAIT);
             NodeIssueClient wrongWorkspace = NodeIssueClient.start(address("w-aaaaaaaaaa", issue), "show", "--timeout", REFUSED_WAIT)) {
            assertEquals(1, unknownIssue.awaitExit(WAIT), unknownIssue.report());
            assertTrue(unknownIssue.stderr().contains("did not arrive"), unknownIssue.report());
            assertEquals(1, wrongWorkspace.awaitExit(WAIT), wrongWorkspace.report());
        }
        assertTrue(refusals.stream().anyMatch(r -> r.endsWith("workspace '" + workspace + "' has no issue '" + madeUp + "'")), refusals.toString());
        assertTrue(refusals.stream().anyMatch(r -> r.endsWith("there is no workspace 'w-aaaaaaaaaa'")), refusals.toString());
        assertFalse(Files.exists(tracker.storeFile("issue", madeUp)), "no store was created for a made-up issue");

        System.setProperty(ClientAccess.TOKEN, "t0k3n");
        try {
            refusals.clear();
            try (NodeIssueClient none = NodeIssueClient.start(address(workspace, issue), "show", "--timeout", REFUSED_WAIT);
                 NodeIssueClient wrong = NodeIssueClient.start(address(workspace, issue), "show", "--token", "guess",
                         "--timeout", REFUSED_WAIT)) {
                assertEquals(1, none.awaitExit(WAIT), none.report());
                assertTrue(none.stderr().contains("--token"), "it says what may be missing: " + none.report());
                assertEquals(1, wrong.awaitExit(WAIT), wrong.report());
            }
            assertTrue(refusals.stream().anyMatch(r -> r.endsWith("it brought no token, and the tracker requires one ("
                    + ClientAccess.TOKEN + ")")), refusals.toString());
            assertTrue(refusals.stream().anyMatch(r -> r.endsWith("its token is not the tracker's (" + ClientAccess.TOKEN + ")")),
                    refusals.toString());
            try (NodeIssueClient allowed = NodeIssueClient.start(address(workspace, issue), "show", "--token", "t0k3n", "--json")) {
                assertEquals(0, allowed.awaitExit(WAIT), allowed.report());
                assertSameIssue(api.get(issuePath(workspace, issue)).expect(200), allowed.awaitJson("issue", n -> true, WAIT));
            }
        } finally {
            System.clearProperty(ClientAccess.TOKEN);
        }
    }
}
