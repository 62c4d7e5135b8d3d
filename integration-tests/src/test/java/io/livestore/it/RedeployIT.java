package io.livestore.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Undeploying the application closes its registry and releases every store file; deploying it again finds
 * the data. The steps depend on each other, so they run in order. (Payara Micro's adapter starts a server
 * per deployment and stops it at undeployment; WildFly keeps running, so only the application goes.)
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedeployIT {

    private static final String APP = "redeployed";
    private static final Path FILE = StoreFiles.of("notebook", "kept-1");

    @Deployment(name = APP, managed = false, testable = false)
    static WebArchive deployment() {
        return Server.war();
    }

    @ArquillianResource
    Deployer deployer;

    @Test
    @Order(1)
    void deploy() {
        deployer.deploy(APP);
    }

    @Test
    @Order(2)
    void writeWhileDeployed(@ArquillianResource @OperateOnDeployment(APP) URL url) {
        Server server = new Server(url);
        server.json(server.post("notebooks/kept-1/notes?noteId=a&text=survives+redeploy"));
        server.json(server.post("notebooks/kept-1/notes?noteId=b&text=twice"));
        assertTrue(StoreFiles.heldByAnotherProcess(FILE), "the server holds the open store");
    }

    @Test
    @Order(3)
    void undeployClosesTheRegistryAndReleasesTheFiles() throws InterruptedException {
        deployer.undeploy(APP);
        // Payara Micro's adapter signals the server to stop and returns: wait for the process to let go.
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (StoreFiles.heldByAnotherProcess(FILE)) {
            if (System.nanoTime() > deadline) {
                fail("60 s after undeploy the server still holds " + FILE);
            }
            Thread.sleep(50);
        }
        // A store closed by the registry checkpoints its log into the file: no write-ahead log is left.
        // (Nothing here has opened the file with SQLite, which would remove a leftover log itself.)
        assertFalse(Files.exists(StoreFiles.walOf(FILE)), "closed cleanly, WAL checkpointed and removed");
    }

    @Test
    @Order(4)
    void redeploy() {
        deployer.deploy(APP);
    }

    @Test
    @Order(5)
    void theDataIsStillThere(@ArquillianResource @OperateOnDeployment(APP) URL url) {
        Server server = new Server(url);
        JsonNode notebook = server.json(server.get("notebooks/kept-1"));
        assertEquals(2, notebook.get("head").asLong());
        assertEquals("survives redeploy", notebook.get("notes").get(0).get("text").asText());
        assertEquals("twice", notebook.get("notes").get(1).get("text").asText());
    }

    @Test
    @Order(6)
    void undeployAgain() {
        deployer.undeploy(APP);
    }
}
