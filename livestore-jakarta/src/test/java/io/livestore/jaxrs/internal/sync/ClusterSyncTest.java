package io.livestore.jaxrs.internal.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.livestore.registry.ClusterNode;
import io.livestore.registry.StoreDefinition;
import io.livestore.registry.StoreLease;
import io.livestore.sync.InMemoryUpstream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** L8: clients on different nodes of a cluster sync the same store through the shared log. */
class ClusterSyncTest {

    static final StoreDefinition<TodoSchema> TODO = StoreDefinition.builder("todo", TodoSchema.class)
            .unusedCacheTime(StoreDefinition.FOREVER).build();

    @TempDir
    Path dir;

    final InMemoryUpstream log = new InMemoryUpstream();
    final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        log.close();
    }

    SyncSession connect(ClusterNode node, String storeId, SyncTransport transport) {
        StoreLease<TodoSchema> lease = node.registry.retain(TODO, storeId);
        return new ClientConnection(lease, lease.store(), transport, true, Clock.systemUTC());
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what);
            }
            Thread.sleep(5); // waiting for another node's thread, not for time to pass
        }
    }

    @Test
    void aPushAcceptedOnNodeAReachesALivePullOnNodeBAndBothSeeOneIdentity() throws Exception {
        ClusterNode a = new ClusterNode("a", dir.resolve("a"), log.node());
        ClusterNode b = new ClusterNode("b", dir.resolve("b"), log.node());
        open.add(a);
        open.add(b);
        RecordingTransport onA = new RecordingTransport();
        RecordingTransport onB = new RecordingTransport();
        SyncSession clientA = connect(a, "shared", onA);
        SyncSession clientB = connect(b, "shared", onB);
        clientA.onFrame(SyncServiceTest.pull("0", "shared", "{\"_tag\":\"None\"}", true));
        clientB.onFrame(SyncServiceTest.pull("0", "shared", "{\"_tag\":\"None\"}", true));
        String identityA = onA.parsed().get(0).path("values").get(0).path("backendId").asText();
        String identityB = onB.parsed().get(0).path("values").get(0).path("backendId").asText();
        assertEquals(identityA, identityB, "an empty store has one identity on every node before its first event");

        clientA.onFrame(SyncServiceTest.push("1", "shared", identityA, SyncServiceTest.todoCreated(1, "x")));
        assertEquals("Success", onA.exits("1").get(0).path("exit").path("_tag").asText());
        await(() -> onB.pulledSeqNums("0").equals(List.of(1L)), "node A's push on node B's live pull");

        // B's client pushes on the parent it had before A's event reached it: the log decides, B's client rebases
        clientB.onFrame(SyncServiceTest.push("1", "shared", identityB, SyncServiceTest.todoCreated(1, "y")));
        JsonNode error = onB.exits("1").get(0).path("exit").path("cause").path("error");
        assertEquals("ServerAheadError", error.path("_tag").asText());
        assertEquals(1, error.path("minimumExpectedNum").asLong());
        clientB.onFrame(SyncServiceTest.push("2", "shared", identityB, SyncServiceTest.todoCreated(2, "y")));
        assertEquals("Success", onB.exits("2").get(0).path("exit").path("_tag").asText());
        await(() -> onA.pulledSeqNums("0").equals(List.of(1L, 2L)), "node B's push on node A's live pull");
        assertEquals(List.of(1L, 2L), onB.pulledSeqNums("0"));
        assertEquals(2, log.head("shared").orElseThrow().head());
    }

    @Test
    void aPushDuringAnOutageIsAnsweredAsRetryableWritesNothingAndTheSameBatchIsAcceptedAfterwards() throws Exception {
        ClusterNode a = new ClusterNode("a", dir.resolve("a"), log.node());
        open.add(a);
        RecordingTransport t = new RecordingTransport();
        InMemoryUpstream node = log.node();
        ClusterNode b = new ClusterNode("b", dir.resolve("b"), node);
        open.add(b);
        SyncSession client = connect(b, "outage", t);
        client.onFrame(SyncServiceTest.pull("0", "outage", "{\"_tag\":\"None\"}", true));

        node.reachable(false);
        client.onFrame(SyncServiceTest.push("1", "outage", null, SyncServiceTest.todoCreated(1, "x")));
        JsonNode error = t.exits("1").get(0).path("exit").path("cause").path("error");
        assertEquals("UnknownError", error.path("_tag").asText(), "the client retries an UnknownError: " + error);
        String cause = error.path("cause").asText();
        assertTrue(cause.contains("retry later") && !cause.contains("Exception") && !cause.contains("io.livestore"), cause);
        assertEquals(0, t.closeCode, "the connection stays");
        assertEquals(0, b.store(TODO, "outage").head(), "nothing written locally");
        assertEquals(List.of(), t.pulledSeqNums("0"));

        node.reachable(true);
        client.onFrame(SyncServiceTest.push("2", "outage", null, SyncServiceTest.todoCreated(1, "x")));
        assertEquals("Success", t.exits("2").get(0).path("exit").path("_tag").asText(), t.exits("2").toString());
        assertEquals(List.of(1L), t.pulledSeqNums("0"), "echoed once");
        assertEquals(1, log.head("outage").orElseThrow().head());
    }

    @Test
    void aPushWhoseAnswerWasLostOnceIsWrittenOnceAndAcceptedAndAPushAheadOfThisCopyCatchesUpFirst() throws Exception {
        InMemoryUpstream nodeA = log.node();
        ClusterNode a = new ClusterNode("a", dir.resolve("a"), nodeA);
        ClusterNode b = new ClusterNode("b", dir.resolve("b"), log.node());
        open.add(a);
        open.add(b);
        RecordingTransport onA = new RecordingTransport();
        RecordingTransport onB = new RecordingTransport();
        SyncSession clientA = connect(a, "lost", onA);
        SyncSession clientB = connect(b, "lost", onB);
        clientA.onFrame(SyncServiceTest.pull("0", "lost", "{\"_tag\":\"None\"}", true));

        nodeA.loseNextAppendAnswer();
        clientA.onFrame(SyncServiceTest.push("1", "lost", null, SyncServiceTest.todoCreated(1, "x")));
        assertEquals("Success", onA.exits("1").get(0).path("exit").path("_tag").asText(), onA.exits("1").toString());
        assertEquals(1, log.head("lost").orElseThrow().head(), "written once");
        assertEquals(List.of(1L), onA.pulledSeqNums("0"), "echoed once");

        // B's client learnt seqNum 1 elsewhere and pushes on it, whether or not B's copy has it yet
        clientB.onFrame(SyncServiceTest.push("1", "lost", null, SyncServiceTest.todoCreated(2, "y")));
        assertEquals("Success", onB.exits("1").get(0).path("exit").path("_tag").asText(), onB.exits("1").toString());
        assertEquals(2, log.head("lost").orElseThrow().head());
        await(() -> onA.pulledSeqNums("0").equals(List.of(1L, 2L)), "B's push on A's live pull");
    }

    @Test
    void livePullsOnTwoNodesGetEveryEventOnceInOrderWhileBothNodesCommitAndTakePushes() throws Exception {
        ClusterNode a = new ClusterNode("a", dir.resolve("a"), log.node());
        ClusterNode b = new ClusterNode("b", dir.resolve("b"), log.node());
        open.add(a);
        open.add(b);
        LivePullTest.AckingClient pullA = new LivePullTest.AckingClient();
        LivePullTest.AckingClient pullB = new LivePullTest.AckingClient();
        pullA.start(connect(a, "race", pullA), SyncServiceTest.pull("0", "race", "{\"_tag\":\"None\"}", true));
        pullB.start(connect(b, "race", pullB), SyncServiceTest.pull("0", "race", "{\"_tag\":\"None\"}", true));
        java.util.concurrent.atomic.AtomicReference<Throwable> failed = new java.util.concurrent.atomic.AtomicReference<>();
        List<Thread> writers = new ArrayList<>();
        for (ClusterNode node : List.of(a, b)) {
            io.livestore.store.Store<TodoSchema> store = node.store(TODO, "race");
            writers.add(new Thread(() -> {
                try {
                    for (int i = 0; i < 60; ) {
                        try {
                            store.commit(new TodoSchema.TodoCreated(node.name + "-j" + i, "x"));
                            i++;
                        } catch (io.livestore.store.CommitConflictException lostTooOften) {
                            // bounded rebases under this much contention: the caller tries again (Y3)
                        }
                    }
                } catch (Throwable e) {
                    failed.compareAndSet(null, e);
                }
            }));
            RecordingTransport t = new RecordingTransport();
            SyncSession pusher = connect(node, "race", t);
            writers.add(new Thread(() -> {
                try {
                    int id = 1;
                    for (int done = 0; done < 40; ) {
                        long head = log.head("race").map(h -> h.head()).orElse(0L);
                        String rid = String.valueOf(id++);
                        pusher.onFrame(SyncServiceTest.push(rid, "race", null,
                                SyncServiceTest.todoCreated(head + 1, node.name + "-p" + done)));
                        JsonNode exit = t.exits(rid).get(0).path("exit");
                        if (exit.path("_tag").asText().equals("Success")) {
                            done++;
                        } else {
                            assertEquals("ServerAheadError", exit.path("cause").path("error").path("_tag").asText(),
                                    exit.toString());
                        }
                    }
                } catch (Throwable e) {
                    failed.compareAndSet(null, e);
                }
            }));
        }
        writers.forEach(Thread::start);
        for (Thread w : writers) {
            w.join(60_000);
        }
        if (failed.get() != null) {
            throw new AssertionError("a writer failed", failed.get());
        }
        long head = log.head("race").orElseThrow().head();
        assertEquals(2 * (60 + 40), head);
        for (LivePullTest.AckingClient c : List.of(pullA, pullB)) {
            LivePullTest.awaitPulled(c, head);
            LivePullTest.assertExactly(1, head, c.frames.pulledSeqNums("0"), c == pullA ? "node a" : "node b");
            c.stop();
        }
    }
}
