package io.livestore.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livestore.store.CommittedEvent;
import io.livestore.store.IssueSchema;
import io.livestore.store.IssueSchema.CommentAdded;
import io.livestore.store.IssueSchema.IssueCreated;
import io.livestore.store.Query;
import io.livestore.store.Store;
import io.livestore.store.StoreOpener;
import io.livestore.store.StoreStorage;
import io.livestore.store.spi.LogEvent;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commits and applies from an upstream log race on one store: both go through the store's lock, so the
 * log stays dense, every acknowledged write is in it exactly once, and batches never interleave.
 */
class LocalLogConcurrencyTest {

    @TempDir
    Path dir;

    @Test
    void commitsAndAppliesFromManyThreadsKeepOneDenseLog() throws Exception {
        int committers = 3;
        int appliers = 2;
        int writesPerThread = 150;
        StoreOpener<IssueSchema> opener = StoreOpener.builder("issue", IssueSchema.class)
                .storage(StoreStorage.directory(dir)).nodeId("local").build();
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        try (Store<IssueSchema> store = opener.open("race")) {
            store.commit(new IssueCreated("a", "A"));
            LocalLog log = LocalLog.of(store);
            ExecutorService pool = Executors.newFixedThreadPool(committers + appliers);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> futures = new ArrayList<>();
            for (int t = 0; t < committers; t++) {
                String author = "c" + t;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < writesPerThread; i++) {
                        // Two events per commit: interleaving would split the pair.
                        store.commit(new CommentAdded("a", author, i + "/1"), new CommentAdded("a", author, i + "/2"));
                        acknowledged.add(author + ":" + i);
                    }
                    return 0;
                }));
            }
            for (int t = 0; t < appliers; t++) {
                String author = "u" + t;
                futures.add(pool.submit(() -> {
                    start.await();
                    int refused = 0;
                    for (int i = 0; i < writesPerThread; ) {
                        long head = log.logHead().head();
                        List<LogEvent> pair = List.of(upstream(head + 1, author, i + "/1"), upstream(head + 2, author, i + "/2"));
                        try {
                            log.apply(pair);
                            acknowledged.add(author + ":" + i);
                            i++;
                        } catch (IllegalStateException moved) {
                            refused++; // another writer came first: read the head again, as a cluster node would
                        }
                    }
                    return refused;
                }));
            }
            start.countDown();
            for (Future<Integer> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();

            int writers = committers + appliers;
            long expected = 1 + 2L * writers * writesPerThread;
            assertEquals(expected, store.head());
            List<LogEvent> all = log.logEventsAfter(0, Integer.MAX_VALUE);
            assertEquals(expected, all.size());
            Set<String> seen = new HashSet<>();
            List<CommittedEvent> events = store.eventsSince(1);
            for (int i = 0; i < events.size(); i += 2) {
                assertEquals(i + 2, all.get(i + 1).seqNum());
                CommentAdded first = (CommentAdded) events.get(i).event();
                CommentAdded second = (CommentAdded) events.get(i + 1).event();
                String write = first.author() + ":" + first.text().substring(0, first.text().indexOf('/'));
                assertEquals(first.author(), second.author(), "two writes interleaved at seq " + (i + 2));
                assertEquals(first.text().replace("/1", "/2"), second.text());
                assertTrue(seen.add(write), "written twice: " + write);
                assertEquals(first.author().startsWith("u") ? "upstream" : "local", events.get(i).clientId());
            }
            assertEquals(acknowledged, seen);
            assertEquals(expected - 1, (long) store.query(Query.first(Long.class, "SELECT count(*) FROM comment")).orElseThrow());
        }
    }

    private static LogEvent upstream(long seq, String author, String text) {
        String args = "{\"issueId\":\"a\", \"author\":\"" + author + "\", \"text\":\"" + text + "\"}";
        return new LogEvent(seq, seq - 1, "v1.CommentAdded", args, "upstream", "s", Instant.EPOCH, author + "-" + text);
    }
}
