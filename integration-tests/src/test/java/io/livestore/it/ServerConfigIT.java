package io.livestore.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Configuration and threads on a real server (issue 9, items 18 and 19): MicroProfile Config is read,
 * the library's duration converter serves the application, the default data directory is inside the
 * server's own, and loads and live-query sends run on the server's managed threads.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ServerConfigIT {

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Server.war();
    }

    @ArquillianResource
    URL deployment;

    Server server;

    @BeforeEach
    void connect() {
        server = new Server(deployment);
    }

    @Test
    void configurationComesThroughTheServersMicroProfileConfig() {
        JsonNode config = server.json(server.get("server-config"));
        assertEquals("from-the-war", config.get("onlyInMicroProfileConfig").asText(),
                "the library reads the WAR's microprofile-config.properties: " + config);
        assertEquals("PT1M30S", config.get("probeDuration").asText(), "the application reads '90s' as a Duration");
        assertEquals(Server.dataDir().toAbsolutePath().normalize(), Path.of(config.get("dataDirectory").asText()).normalize(),
                "livestore.data-dir as the suite sets it");
    }

    @Test
    void theDefaultDataDirectoryIsInsideTheServersOwnWhereThatIsDurable() {
        JsonNode config = server.json(server.get("server-config"));
        System.out.println("server configuration: " + config); // the report shows where each server puts it
        Path defaultDir = Path.of(config.get("defaultDataDirectory").asText());
        if ("wildfly".equals(System.getProperty("arquillian.launch"))) {
            Path serverData = Path.of(System.getProperty("jboss.home"), "standalone", "data").toAbsolutePath().normalize();
            assertEquals(serverData.toString(), Path.of(config.get("jbossServerDataDir").asText()).normalize().toString());
            assertEquals(serverData.resolve("livestore"), defaultDir.normalize(), config.toString());
        } else {
            // The suite's Payara Micro has no --rootdir: its instance root is a temporary directory that it
            // deletes when it stops (seen here), so the default must stay out of it.
            Path instanceRoot = Path.of(config.get("instanceRoot").asText());
            assertTrue(instanceRoot.getFileName().toString().startsWith("payaramicro-"), config.toString());
            assertFalse(defaultDir.startsWith(instanceRoot), "not in the directory Payara Micro deletes: " + config);
            assertEquals(Path.of(config.get("userDir").asText(), "livestore-data"), defaultDir.normalize(), config.toString());
        }
    }

    @Test
    void aStoreLoadsOnAManagedThread() {
        JsonNode thread = server.json(server.get("server-config/load-thread/threads-load-1"));
        assertManaged(thread);
    }

    @Test
    void aLiveQuerySendsOnAManagedThread() throws Exception {
        HttpResponse<InputStream> stream = Server.client().send(
                HttpRequest.newBuilder(server.uri("server-config/live/threads-live-1"))
                        .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(60)).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, stream.statusCode());
        try (BufferedReader events = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                String line;
                while ((line = events.readLine()) != null && !line.startsWith("event: result") && !line.equals("event:result")) {
                    // skip to the first result
                }
                assertNotNull(line, "the stream ended before its first result");
            });
        }
        assertManaged(server.json(server.get("server-config/send-thread/threads-live-1")));
    }

    private static void assertManaged(JsonNode thread) {
        assertTrue(thread.get("manageable").asBoolean(), "a ManageableThread of the server's factory: " + thread);
        assertTrue(thread.get("javaComp").asBoolean(), "java:comp resolves on it: " + thread);
        assertTrue(thread.get("applicationClassLoader").asBoolean(), "the application's class loader: " + thread);
    }
}
