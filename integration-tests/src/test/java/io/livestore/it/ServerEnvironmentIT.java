package io.livestore.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.zip.ZipFile;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What adding the library does to the application and the machine, on each server: the application's
 * JSON provider stays the server's JSON-B, the event codec runs the library's own relocated Jackson
 * (defect 11), and the server listens on 127.0.0.1 only (defect 10).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ServerEnvironmentIT {

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
    void theApplicationsJsonProviderIsTheServersJsonb() throws IOException {
        JsonNode entity = server.json(server.get("environment/json-provider"));
        assertEquals("by JSON-B", entity.path("renamed").asText(), "JSON-B's @JsonbProperty applied: " + entity);
        assertFalse(entity.has("original"), "not written by a Jackson provider: " + entity);
        if ("wildfly".equals(System.getProperty("arquillian.launch"))) {
            Path log = Path.of(System.getProperty("jboss.home"), "standalone", "log", "server.log");
            assertFalse(Files.readString(log).contains("WFLYRS0018"),
                    "WildFly switched a deployment from JSON-B to Jackson (WFLYRS0018 in " + log + ")");
        }
    }

    @Test
    void theWarBringsNoJacksonAndTheLibraryJarNamesItsModule() throws IOException {
        List<String> jackson = new ArrayList<>();
        String library = null;
        try (ZipFile war = new ZipFile("target/livestore-it.war")) {
            for (var entry : war.stream().toList()) {
                if (entry.getName().startsWith("WEB-INF/lib/jackson-")) {
                    jackson.add(entry.getName());
                } else if (entry.getName().matches("WEB-INF/lib/livestore-jakarta-.*\\.jar")) {
                    library = entry.getName();
                    try (JarInputStream jar = new JarInputStream(war.getInputStream(entry))) {
                        assertEquals("io.livestore.jakarta", jar.getManifest().getMainAttributes().getValue("Automatic-Module-Name"));
                        for (JarEntry e = jar.getNextJarEntry(); e != null; e = jar.getNextJarEntry()) {
                            if (e.getName().startsWith("com/fasterxml/")) {
                                jackson.add(library + "!" + e.getName());
                            }
                        }
                    }
                }
            }
        }
        assertTrue(library != null, "the library's jar is in WEB-INF/lib");
        assertEquals(List.of(), jackson, "the library's Jackson is inside its own jar, relocated");
    }

    @Test
    void theEventCodecRunsTheLibrarysRelocatedJackson() {
        JsonNode codec = server.json(server.get("environment/codec"));
        assertTrue(codec.path("objectMapper").asText().startsWith("io.livestore.internal.shaded.jackson."), codec.toString());
        assertEquals(codec.path("library").asText(), codec.path("from").asText(), "from the library's own jar: " + codec);
    }

    @Test
    void everySocketTheServerListensOnIsBoundTo127001() throws IOException {
        long pid = Long.parseLong(server.get("environment/pid").body().trim());
        List<ListeningSockets.Socket> sockets = ListeningSockets.of(pid);
        assertTrue(sockets.stream().anyMatch(s -> s.port() == deployment.getPort()),
                "the HTTP port " + deployment.getPort() + " is among the sockets found for process " + pid + ": " + sockets);
        List<ListeningSockets.Socket> open = sockets.stream().filter(s -> !s.loopback()).toList();
        assertEquals(List.of(), open, "sockets of server process " + pid + " not bound to 127.0.0.1 (all: " + sockets + ")");
    }
}
