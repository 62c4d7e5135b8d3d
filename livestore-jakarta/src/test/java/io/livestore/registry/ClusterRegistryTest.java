package io.livestore.registry;

import static io.livestore.registry.ClusterNode.await;
import static io.livestore.registry.ClusterNode.replayed;
import static io.livestore.registry.ClusterNode.tables;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livestore.store.CommitConflictException;
import io.livestore.store.IssueSchema;
import io.livestore.store.IssueSchema.IssueCreated;
import io.livestore.store.Query;
import io.livestore.store.Store;
import io.livestore.store.UpstreamUnavailableException;
import io.livestore.store.spi.LogEvent;
import io.livestore.sync.InMemoryUpstream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster mode on the in-memory upstream: two registries in one JVM ("node A", "node B"), own data
 * directories, one shared log, real threads and files (Y3–Y7).
 */
class ClusterRegistryTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    final InMemoryUpstream upstreamA = new InMemoryUpstream();
    final InMemoryUpstream upstreamB = upstreamA.node();
    final List<ClusterNode> nodes = new ArrayList<>();

    @AfterEach
    void closeNodes() throws Exception {
        for (ClusterNode n : nodes) {
            n.close();
        }
        upstreamA.close();
        upstreamB.close();
    }

    ClusterNode node(String name, io.livestore.store.spi.Upstream upstream) {
        ClusterNode n = new ClusterNode(name, dir.resolve(name), upstream);
        nodes.add(n);
        return n;
    }

    static LogEvent created(long seq, String id, String node) {
        return new LogEvent(seq, seq - 1, "v1.IssueCreated", "{\"id\":\"" + id + "\",\"title\":\"T\"}", node, "s",
                Instant.now(), UUID.randomUUID().toString());
    }

    @Test
    void eightThreadsOnEachNodeCommitToOneStoreEveryAcknowledgedEventOnceInOneOrder() throws Exception {
        ClusterNode a = node("a", upstreamA);
        ClusterNode b = node("b", upstreamB);
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger conflicts = new AtomicInteger();
        List<Throwable> unexpected = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (ClusterNode n : List.of(a, b)) {
            Store<IssueSchema> store = n.store("s");
            for (int t = 0; t < 8; t++) {
                String prefix = n.name + t + "-";
                threads.add(new Thread(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < 25; i++) {
                        String id = prefix + i;
                        try {
                            store.commit(new IssueCreated(id, "T"));
                            acknowledged.add(id);
                        } catch (CommitConflictException lost) {
                            conflicts.incrementAndGet(); // a clear, retryable answer: nothing written
                        } catch (Throwable failure) {
                            unexpected.add(failure); // anything else fails the test, with what it was
                            return;
                        }
                    }
                }));
            }
        }
        threads.forEach(Thread::start);
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(List.of(), unexpected, "no worker failed otherwise than by a conflict");
        List<LogEvent> log = upstreamA.pull("s", 0, 100_000);
        assertEquals(acknowledged.size(), log.size(), "every acknowledged event and nothing else is in the log ("
                + conflicts + " commits gave up on conflicts)");
        Set<String> inLog = new HashSet<>();
        for (int i = 0; i < log.size(); i++) {
            assertEquals(i + 1, log.get(i).seqNum(), "one dense order");
            String args = log.get(i).args();
            assertTrue(inLog.add(args.substring(7, args.indexOf('"', 7))), "once: " + args);
        }
        assertEquals(acknowledged, inLog);
        long head = log.size();
        await(() -> a.store("s").head() == head && b.store("s").head() == head, WAIT, "both nodes at the log's head");
        String replay = replayed(log);
        assertEquals(replay, tables(a.store("s")), "node A equals a fresh replay of the log");
        assertEquals(replay, tables(b.store("s")), "node B equals a fresh replay of the log");
        assertEquals(log, io.livestore.store.internal.LocalLog.of(b.store("s")).logEventsAfter(0, 100_000),
                "node B's local log is the log, event for event");
    }

    @Test
    void nodeBsSubscriptionSeesNodeAsCommitsWithoutAnyCallOnB() throws Exception {
        ClusterNode a = node("a", upstreamA);
        ClusterNode b = node("b", upstreamB);
        Store<IssueSchema> onA = a.store("s");
        Store<IssueSchema> onB = b.store("s");
        ConcurrentHashMap<Long, Long> seenAt = new ConcurrentHashMap<>();
        onB.subscribe(Query.first(Long.class, "SELECT count(*) FROM issue"), c -> seenAt.put(c.orElse(0L), System.nanoTime()));
        int n = 200;
        long[] latency = new long[n];
        for (int i = 0; i < n; i++) {
            long before = System.nanoTime();
            onA.commit(new IssueCreated("i" + i, "T"));
            long count = i + 1;
            await(() -> seenAt.containsKey(count), WAIT, "B's subscription sees commit " + count);
            latency[i] = seenAt.get(count) - before;
        }
        java.util.Arrays.sort(latency);
        System.out.printf("cluster latency node A commit -> node B subscription (in-memory upstream, %d commits): "
                + "p50 %.3f ms, p99 %.3f ms%n", n, latency[n / 2] / 1e6, latency[n * 99 / 100] / 1e6);
        assertEquals(tables(onA), tables(onB));
    }

    @Test
    void aCommitThatAlwaysLosesToAnotherWriterEndsInTheConflictErrorWithNothingWritten() throws Exception {
        FaultyUpstream racing = new FaultyUpstream(upstreamA, false);
        ClusterNode a = new ClusterNode("a", dir.resolve("a"), racing, o -> o.maxCommitAttempts(3));
        nodes.add(a);
        Store<IssueSchema> store = a.store("s");
        AtomicInteger others = new AtomicInteger();
        racing.beforeAppend = (storeId, expected) -> upstreamB.append(storeId, expected,
                List.of(created(expected + 1, "other" + others.incrementAndGet(), "b")));
        CommitConflictException e = assertThrows(CommitConflictException.class, () -> store.commit(new IssueCreated("mine", "T")));
        racing.beforeAppend = null;
        assertEquals(CommitConflictException.ID, e.messageId());
        assertTrue(e.getMessage().contains("store 's'") && e.getMessage().contains("3 times"), e.getMessage());
        assertEquals(3, others.get(), "one try per attempt");
        List<LogEvent> log = upstreamA.pull("s", 0, 100);
        assertEquals(3, log.size());
        assertFalse(log.stream().anyMatch(ev -> ev.args().contains("mine")), "nothing of the lost commit was written");
        assertEquals(3, store.head(), "the others' events were applied");
        assertEquals(replayed(log), tables(store));
        assertEquals(4, store.commit(new IssueCreated("mine", "T")), "the next try succeeds");
    }

    @Test
    void anUnreachableUpstreamFailsCommitsClearlyAndBothNodesRecoverByThemselves() throws Exception {
        ClusterNode a = node("a", upstreamA);
        ClusterNode b = node("b", upstreamB);
        Store<IssueSchema> onA = a.store("s");
        Store<IssueSchema> onB = b.store("s");
        onA.commit(new IssueCreated("x", "T"));
        upstreamA.reachable(false);
        UpstreamUnavailableException e = assertThrows(UpstreamUnavailableException.class,
                () -> onA.commit(new IssueCreated("lost", "T")));
        assertTrue(e.retryAfter().isPresent(), "503 with a Retry-After");
        assertEquals("s", e.storeId());
        assertEquals(1, onA.head(), "nothing acknowledged, nothing written locally");
        assertEquals("[x|T|0|1]", onA.query(Query.of(String.class, "SELECT id || '|' || title || '|' || closed || '|' "
                + "|| version FROM issue")).toString(), "reads still answered");
        onB.commit(new IssueCreated("y", "T")); // B still reaches the log
        upstreamA.reachable(true);
        await(() -> onA.head() == 2, WAIT, "node A catches up by itself after the outage (resync)");
        assertEquals(3, onA.commit(new IssueCreated("z", "T")));
        await(() -> onB.head() == 3, WAIT, "node B hears of it");
        assertEquals(replayed(upstreamA.pull("s", 0, 100)), tables(onA));
        assertEquals(tables(onA), tables(onB));
    }

    @Test
    void anAppendWhoseAnswerIsLostIsRetriedWithTheSameIdsAndWrittenOnce() {
        ClusterNode a = node("a", upstreamA);
        Store<IssueSchema> store = a.store("s");
        upstreamA.loseNextAppendAnswer();
        assertEquals(1, store.commit(new IssueCreated("x", "T")));
        assertEquals(1, upstreamA.pull("s", 0, 100).size(), "written once");
        assertEquals(1, store.head());
    }

    @Test
    void aNodeThatHearsNoAnnouncementsIsBroughtCurrentByThePeriodicHeadCheck() {
        ClusterNode a = node("a", upstreamA);
        ClusterNode deaf = node("deaf", new FaultyUpstream(upstreamB, true));
        Store<IssueSchema> onDeaf = deaf.store("s");
        a.store("s").commit(new IssueCreated("x", "T"));
        assertEquals(0, onDeaf.head(), "no announcement reached it");
        deaf.clock.advance(RegistryOptions.DEFAULT_UPSTREAM_CHECK_INTERVAL);
        await(() -> onDeaf.head() == 1, WAIT, "the head check catches it up");
        a.store("s").commit(new IssueCreated("y", "T"));
        deaf.clock.advance(RegistryOptions.DEFAULT_UPSTREAM_CHECK_INTERVAL);
        await(() -> onDeaf.head() == 2, WAIT, "and keeps doing so");
    }

    @Test
    void disposalEndsTheInterestAndTheLogStaysUpstream() {
        ClusterNode a = node("a", upstreamA);
        a.store("s").commit(new IssueCreated("x", "T"));
        assertTrue(a.follows("s"));
        assertEquals(1, upstreamA.followers("s"), "the upstream knows the node follows the store");
        a.registry.drop(ClusterNode.ISSUE, "s");
        assertFalse(a.follows("s"), "interest ended (Y7)");
        assertEquals(0, upstreamA.followers("s"), "and the upstream's interest with it");
        assertEquals(1, upstreamA.head("s").orElseThrow().head(), "the log stays upstream");
        assertEquals(1, a.store("s").head(), "loaded again");
        assertTrue(a.follows("s"));
        assertEquals(1, upstreamA.followers("s"));
        a.registry.close();
        assertEquals(0, upstreamA.followers("s"), "a closed registry follows nothing");
    }

    @Test
    void aLoadThatFailsEndsItsUpstreamInterest() {
        ClusterNode a = node("a", upstreamA);
        upstreamA.reachable(false); // the load's first read of the log fails
        assertThrows(RuntimeException.class, () -> a.store("s"));
        assertFalse(a.follows("s"));
        assertEquals(0, upstreamA.followers("s"), "the failed load's interest ended");
        upstreamA.reachable(true);
        a.store("s");
        assertEquals(1, upstreamA.followers("s"));
    }

    @Test
    void aLocalCommitFailingAfterTheAppendIsNotLostTheStoreReopensWithIt() {
        FaultyUpstream failing = new FaultyUpstream(upstreamA, false);
        ClusterNode a = node("a", failing);
        Store<IssueSchema> store = a.store("s");
        store.commit(new IssueCreated("x", "T"));
        // The local side fails between the upstream's Ok and the local COMMIT: its connection is gone.
        failing.afterAppend = store::close;
        assertEquals(2, store.commit(new IssueCreated("y", "T")), "acknowledged: the event is in the log");
        assertTrue(store.isClosed(), "the store closed itself rather than claim a state without the event");
        assertEquals(2, upstreamA.head("s").orElseThrow().head());
        Store<IssueSchema> again = a.store("s");
        assertEquals(2, again.head(), "the registry's fresh instance has it");
        assertEquals(replayed(upstreamA.pull("s", 0, 100)), tables(again));
    }

    @Test
    void aLoadWhileTheLogIsUnreachableFailsClearlyWithARetryHintAndTouchesNoFile() {
        ClusterNode a = node("a", upstreamA);
        upstreamA.reachable(false);
        java.util.concurrent.CompletionException e = assertThrows(java.util.concurrent.CompletionException.class,
                () -> a.store("s"));
        StoreLoadException load = (StoreLoadException) e.getCause();
        assertTrue(load.getCause() instanceof UpstreamUnavailableException, String.valueOf(load.getCause()));
        assertTrue(load.retryAfter().isPresent(), "503 with Retry-After");
        assertFalse(java.nio.file.Files.exists(dir.resolve("a").resolve("issue")), "no file made before the log answered");
        upstreamA.reachable(true);
        assertEquals(0, a.store("s").head(), "the next access loads");
    }
}
