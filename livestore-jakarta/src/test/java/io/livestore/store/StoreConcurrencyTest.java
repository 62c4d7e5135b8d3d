package io.livestore.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livestore.store.IssueSchema.CommentAdded;
import io.livestore.store.IssueSchema.IssueCreated;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** S6: many threads commit and query one store; commits are serialized and never interleave. S7 under load. */
class StoreConcurrencyTest {

    @TempDir
    Path dir;

    @Test
    void concurrentCommitsAreSerializedWithoutGapsOrInterleaving() throws Exception {
        int threads = 8;
        int commitsPerThread = 200;
        try (Store<IssueSchema> store = StoreOpener.builder("issue", IssueSchema.class)
                .storage(StoreStorage.directory(dir)).build().open("busy")) {
            store.commit(new IssueCreated("a", "A"));
            ExecutorService pool = Executors.newFixedThreadPool(threads + 2);
            CountDownLatch start = new CountDownLatch(1);
            ConcurrentLinkedQueue<Long> heads = new ConcurrentLinkedQueue<>();
            AtomicBoolean writing = new AtomicBoolean(true);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < commitsPerThread; i++) {
                        // Each commit is a batch of 3 from one thread; interleaving would break the triples.
                        heads.add(store.commit(new CommentAdded("a", "t" + thread, "1"), new CommentAdded("a", "t" + thread, "2"),
                                new CommentAdded("a", "t" + thread, "3")));
                    }
                    return null;
                }));
            }
            List<Long> observed = Collections.synchronizedList(new ArrayList<>());
            futures.add(pool.submit(() -> {
                start.await();
                while (writing.get()) {
                    long count = store.query(Query.first(Long.class, "SELECT count(*) FROM comment")).orElseThrow();
                    assertEquals(0, count % 3, "a reader saw a half-applied commit: " + count);
                    observed.add(count);
                }
                return null;
            }));
            start.countDown();
            for (int i = 0; i < threads; i++) {
                futures.get(i).get(60, TimeUnit.SECONDS);
            }
            writing.set(false);
            futures.get(threads).get(10, TimeUnit.SECONDS);
            pool.shutdown();

            long expectedHead = 1 + 3L * threads * commitsPerThread;
            assertEquals(expectedHead, store.head());
            assertEquals(threads * commitsPerThread, heads.size());
            assertEquals(threads * commitsPerThread, heads.stream().distinct().count(), "every commit got its own head");
            List<CommittedEvent> log = store.eventsSince(0);
            assertEquals(expectedHead, log.size());
            for (int i = 0; i < log.size(); i++) {
                assertEquals(i + 1, log.get(i).seq(), "no gaps");
            }
            for (int i = 1; i < log.size(); i += 3) {
                CommentAdded first = (CommentAdded) log.get(i).event();
                for (int j = 0; j < 3; j++) {
                    CommentAdded c = (CommentAdded) log.get(i + j).event();
                    assertEquals(first.author(), c.author(), "batch interleaved at seq " + (i + j + 1));
                    assertEquals(Integer.toString(j + 1), c.text());
                }
            }
            assertTrue(observed.size() > 0);
        }
    }

    @Test
    void closeWaitsForTheInFlightCommitAndLaterCallsFailCleanly() throws Exception {
        CountDownLatch inMaterializer = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        class Slow extends Schema {
            Slow() {
                table("CREATE TABLE t (x TEXT)");
                on(IssueCreated.class, (e, tx) -> {
                    inMaterializer.countDown();
                    release.await();
                    tx.execute("INSERT INTO t VALUES (?)", e.id());
                });
            }
        }
        StoreOpener<Slow> opener = StoreOpener.builder("slow", CompiledSchema.of(new Slow()))
                .storage(StoreStorage.directory(dir)).build();
        Store<Slow> store = opener.open("s");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Future<Long> commit = pool.submit(() -> store.commit(new IssueCreated("a", "A")));
        assertTrue(inMaterializer.await(10, TimeUnit.SECONDS));
        Future<?> close = pool.submit(store::close);
        // close cannot finish while the commit holds the store.
        assertEquals(false, close.isDone());
        release.countDown();
        assertEquals(1L, commit.get(10, TimeUnit.SECONDS), "the in-flight commit completes");
        close.get(10, TimeUnit.SECONDS);
        assertTrue(store.isClosed());
        pool.shutdown();
        try (Store<Slow> reopened = opener.open("s")) {
            assertEquals(1, reopened.head(), "the commit acknowledged before close is durable");
        }
    }
}
