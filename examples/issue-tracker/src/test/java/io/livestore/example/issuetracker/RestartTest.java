package io.livestore.example.issuetracker;

import static io.livestore.example.issuetracker.ApiClient.object;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Everything is in the store files: a server started on the same data directory answers the same. */
class RestartTest {

    @Test
    void aRestartedServerShowsWhatWasCommittedBefore() {
        Path dataDir;
        String workspace;
        String issue;
        JsonNode before;
        try (RunningTracker first = RunningTracker.start("restart")) {
            dataDir = first.dataDir();
            ApiClient api = first.api();
            workspace = api.createWorkspace("Durable");
            issue = api.createIssue(workspace, "Still here");
            api.createChildIssue(workspace, issue, "Child");
            api.post("api/workspaces/" + workspace + "/issues/" + issue + "/comments", object("text", "Kept")).expect(201);
            before = api.get("api/workspaces/" + workspace + "/issues/" + issue).expect(200);
        }
        try (RunningTracker second = RunningTracker.startOn(dataDir)) {
            ApiClient api = second.api();
            assertEquals(before, api.get("api/workspaces/" + workspace + "/issues/" + issue).expect(200));
            assertEquals(workspace, api.get("api/workspaces").expect(200).get(0).path("id").asText());
            assertEquals(2, api.get("api/workspaces/" + workspace).expect(200).path("issues").size());
        }
    }
}
