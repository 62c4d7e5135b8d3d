package io.livestore.jaxrs.internal.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livestore.registry.RegistryOptions;
import io.livestore.registry.StoreDefinition;
import io.livestore.registry.StoreLease;
import io.livestore.registry.StoreRegistry;
import io.livestore.store.Store;
import io.livestore.store.StoreStorage;
import io.livestore.testing.ManualScheduler;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HTTP transport with the real engine: where and when the answer is written. */
class HttpExchangeTest {

    static final StoreDefinition<TodoSchema> TODO = StoreDefinition.builder("todo", TodoSchema.class)
            .unusedCacheTime(StoreDefinition.FOREVER).build();

    final StoreRegistry registry = new StoreRegistry(RegistryOptions.builder().storage(StoreStorage.inMemory())
            .scheduler(new ManualScheduler()).executor(Runnable::run).nodeId("server").build());

    /** Threads of their own: the common pool may have one thread on a small machine (and Java 25 queues behind it). */
    final java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newCachedThreadPool();

    @AfterEach
    void close() {
        threads.shutdownNow();
        registry.close();
    }

    /**
     * Writing the answer is a network write (JAX-RS resumes on the calling thread): a slow client must not
     * hold the store. The engine sends a pull's last frame under the pull's monitor, which a commit of the
     * store takes under the store's lock (the pull's tap); so the answer is written once the engine has
     * returned, not from inside its send.
     */
    @Test
    void aSlowClientReadingAPullsAnswerDoesNotHoldTheStoresCommits() throws Exception {
        StoreLease<TodoSchema> lease = registry.retain(TODO, "slow");
        Store<TodoSchema> store = lease.store();
        store.commit(new TodoSchema.TodoCreated("a", "x"));
        String frame = SyncServiceTest.pull("0", "slow", "{\"_tag\":\"None\"}", false);

        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch clientReads = new CountDownLatch(1);
        AtomicReference<HttpExchange.Answer> answered = new AtomicReference<>();
        HttpExchange exchange = new HttpExchange(frame, a -> {
            writing.countDown();
            try {
                clientReads.await(30, TimeUnit.SECONDS); // the client takes its time to read the body
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answered.set(a);
        });
        ClientConnection session = new ClientConnection(lease, store, exchange, false, Clock.systemUTC());
        exchange.bind(session);
        CompletableFuture<Void> request = CompletableFuture.runAsync(() -> exchange.handle(session, frame), threads);
        assertTrue(writing.await(20, TimeUnit.SECONDS), "the answer is being written");

        CompletableFuture<Void> commit = CompletableFuture.runAsync(() -> store.commit(new TodoSchema.TodoCreated("b", "y")), threads);
        try {
            commit.get(20, TimeUnit.SECONDS);
        } finally {
            clientReads.countDown();
        }
        request.get(20, TimeUnit.SECONDS);
        assertEquals(200, answered.get().status());
        assertTrue(answered.get().body().contains("\"Exit\""), answered.get().body());
    }
}
