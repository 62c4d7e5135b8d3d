package io.livestore.example.issuetracker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Server-Sent Events client for tests: a reader thread parses events into a queue, and
 * {@link #next(Duration)} waits for the next one with a deadline, so a missing event fails the test
 * with a message instead of hanging it.
 */
public final class EventStream implements AutoCloseable {

    /** One event: its name ({@code message} when none was sent) and its data. */
    public record Event(String name, String data) {
        /** The data as JSON. */
        public JsonNode json() {
            try {
                return ApiClient.JSON.readTree(data);
            } catch (IOException e) {
                throw new AssertionError("event data is not JSON: " + data, e);
            }
        }
    }

    private static final Event END = new Event("", "");

    private final URI uri;
    private final InputStream body;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

    private EventStream(URI uri, InputStream body) {
        this.uri = uri;
        this.body = body;
        Thread reader = new Thread(this::read, "sse-" + uri.getPath());
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens the stream; fails unless the server answers 200 with {@code text/event-stream}. */
    public static EventStream open(HttpClient http, URI uri) {
        HttpRequest request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(20)).build();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                String body = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
                throw new AssertionError("stream " + uri + " answered " + response.statusCode() + ": " + body);
            }
            assertEquals("text/event-stream", response.headers().firstValue("Content-Type").orElse("").split(";")[0]);
            return new EventStream(uri, response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The next event (comments such as heartbeats skipped), waiting at most {@code timeout}. */
    public Event next(Duration timeout) {
        try {
            Event event = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (event == null) {
                throw new AssertionError("no event from " + uri + " within " + timeout);
            }
            if (event == END) {
                throw new AssertionError("stream " + uri + " ended");
            }
            return event;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The data of the next {@code result} event, as JSON. */
    public JsonNode nextResult(Duration timeout) {
        Event event = next(timeout);
        assertEquals("result", event.name(), () -> "event from " + uri + ": " + event);
        return event.json();
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String name = null;
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isEmpty()) { // an event ends at a blank line
                    if (data.length() > 0) {
                        events.add(new Event(name == null ? "message" : name, data.toString()));
                    }
                    name = null;
                    data.setLength(0);
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    data.append(data.length() > 0 ? "\n" : "").append(line.substring(5).strip());
                }
            }
        } catch (IOException closed) {
            // closed by close(), or the server went away: END says so to a waiting test
        } finally {
            events.add(END);
        }
    }

    @Override
    public void close() {
        try {
            body.close();
        } catch (IOException ignored) {
            // closing is best effort; the reader thread is a daemon
        }
    }
}
