package io.livestore.jaxrs.internal.sync;

import io.livestore.cdi.LiveStoreConfig;
import io.livestore.cdi.LiveStoreExtension;
import io.livestore.cdi.StoreDef;
import io.livestore.jaxrs.LiveStoreJaxrsExtension;
import io.livestore.registry.RegistryOptions;
import io.livestore.registry.StoreDefinition;
import io.livestore.store.StoreStorage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

/**
 * A standalone sync server for clients outside the JVM, above all LiveStore's own sync-provider test suite
 * (sync-client/sync-provider-tests/, README "LiveStore's sync-provider tests"): Weld SE with the library's
 * extensions and the WebSocket endpoint on Tyrus + Grizzly, as {@link LiveStoreClientTest} runs them, on
 * 127.0.0.1 and the port given (0 or none: a free one). One definition, {@code open}, synced with every client
 * (no access policy), with {@link OpenSchema}; its stores live in a fresh temporary directory, deleted on exit. Prints the
 * WebSocket URL on the first line of standard output and runs until killed (SIGINT or SIGTERM of this JVM: with
 * {@code exec:exec}, Ctrl-C or {@code kill} of the process id it prints, since killing Maven alone leaves it running).
 *
 * <p>Start it with {@code mvn -q -pl livestore-jakarta -Psync-server test-compile exec:exec -Dsync-server.port=PORT}.
 */
public final class SyncTestServer {

    /** The definition clients sync: {@code ws://127.0.0.1:PORT/livestore/open?storeId=...}. */
    public static final String DEFINITION = "open";

    static Path dataDir;

    private SyncTestServer() {
    }

    /** The definition and where its stores live. */
    @ApplicationScoped
    public static class Definitions {
        @Produces
        @StoreDef(DEFINITION)
        static final StoreDefinition<OpenSchema> OPEN = StoreDefinition.builder(DEFINITION, OpenSchema.class).build();

        @Produces
        RegistryOptions options() {
            return RegistryOptions.builder().storage(StoreStorage.directory(dataDir)).build();
        }
    }

    /**
     * @param args the port on 127.0.0.1 (optional; 0 or absent: a free port)
     */
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        dataDir = Files.createTempDirectory("livestore-sync-test-server");
        System.setProperty(LiveStoreConfig.SYNC_DEFINITIONS, DEFINITION);
        // Weld's own shutdown hook would race this one's: stores closing while their files are deleted
        WeldContainer weld = new Weld().disableDiscovery().skipShutdownHook()
                .addExtensions(new LiveStoreExtension(), new LiveStoreJaxrsExtension())
                .addBeanClasses(Definitions.class).initialize();
        SyncSessions sessions = weld.select(SyncSessions.class).get();
        TyrusOnGrizzly server = TyrusOnGrizzly.start(SyncWebSocketEndpoint.config(SyncPath.DEFAULT, () -> sessions), port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            weld.shutdown();
            deleteTree(dataDir); // the suite's stores are of no use after its run
            stopped.countDown();
        }, "sync-test-server-stop"));
        System.out.println(server.uri(SyncPath.DEFAULT + "/" + DEFINITION));
        System.out.println("stores in " + dataDir + " (deleted on exit); stop with Ctrl-C or kill "
                + ProcessHandle.current().pid());
        System.out.flush();
        stopped.await();
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e.getMessage());
        }
    }
}
