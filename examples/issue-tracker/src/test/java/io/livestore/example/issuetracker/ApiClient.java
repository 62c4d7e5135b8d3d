package io.livestore.example.issuetracker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The example's JSON API over real HTTP (HTTP/1.1, as browsers speak to it), for tests. */
public final class ApiClient {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final URI base;
    private final HttpClient http;

    /** A client of the application at {@code base} ({@code http://127.0.0.1:<port>/...}). */
    public ApiClient(URI base) {
        this.base = base;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
    }

    /** The application's root. */
    public URI base() {
        return base;
    }

    /** The underlying client (HTTP/1.1), for streams. */
    public HttpClient http() {
        return http;
    }

    /** An answer: status, headers and body. */
    public record Answer(int status, HttpResponse<String> response) {
        /** The body as text. */
        public String body() {
            return response.body();
        }

        /** The first value of a header, or "". */
        public String header(String name) {
            return response.headers().firstValue(name).orElse("");
        }

        /** The body as JSON. */
        public JsonNode json() {
            try {
                return JSON.readTree(body());
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body(), e);
            }
        }

        /** The body as JSON, after checking the status. */
        public JsonNode expect(int expected) {
            assertEquals(expected, status, () -> "status of " + response.request().method() + " "
                    + response.request().uri() + "; body: " + body());
            return json();
        }

        /**
         * Checks that this is an RFC 9457 problem with {@code expected} status and no stack trace, and
         * returns its document.
         */
        public JsonNode problem(int expected) {
            JsonNode problem = expect(expected);
            assertEquals("application/problem+json", header("Content-Type"), "problem media type; body: " + body());
            assertEquals(expected, problem.path("status").asInt(), "status in the document: " + body());
            assertFalse(problem.path("title").asText().isEmpty(), "a title: " + body());
            assertFalse(problem.path("detail").asText().isEmpty(), "a detail: " + body());
            assertFalse(body().contains("\tat ") || body().contains(".java:") || body().contains("Exception"),
                    "no stack trace or exception name: " + body());
            return problem;
        }
    }

    /** GET {@code path}, relative to the application's root. */
    public Answer get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    /** POST a JSON body. */
    public Answer post(String path, String json) {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** PUT a JSON body. */
    public Answer put(String path, String json) {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** Any request, for the odd cases (another media type, another method). */
    public Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** A JSON object of string fields, {@code object("name", "Platform")}, escaped properly. */
    public static String object(String... namesAndValues) {
        var node = JSON.createObjectNode();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            node.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return node.toString();
    }

    /** Creates a workspace; its id. */
    public String createWorkspace(String name) {
        return post("api/workspaces", object("name", name)).expect(201).path("id").asText();
    }

    /** Creates a top-level issue; its id. */
    public String createIssue(String workspaceId, String title) {
        return post("api/workspaces/" + workspaceId + "/issues", object("title", title)).expect(201).path("id").asText();
    }

    /** Creates a child issue; its id. */
    public String createChildIssue(String workspaceId, String parentId, String title) {
        return post("api/workspaces/" + workspaceId + "/issues", object("title", title, "parentId", parentId))
                .expect(201).path("id").asText();
    }
}
