package io.livestore.jaxrs.internal.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.livestore.registry.RegistryOptions;
import io.livestore.registry.StoreDefinition;
import io.livestore.registry.StoreLease;
import io.livestore.registry.StoreRegistry;
import io.livestore.store.Store;
import io.livestore.store.StoreStorage;
import io.livestore.store.internal.LocalLog;
import io.livestore.testing.ManualScheduler;
import java.lang.reflect.Field;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A live pull under real threads (L2, L3, L5): Java commits and clients' pushes racing a pull's backlog and
 * its switch to live, a client that stalls its acknowledgements while more events than can be held arrive,
 * and every way a pull ends releasing the log's tap.
 */
class LivePullTest {

    static final StoreDefinition<TodoSchema> TODO = StoreDefinition.builder("todo", TodoSchema.class)
            .unusedCacheTime(StoreDefinition.FOREVER).build();
    static final String NONE = "{\"_tag\":\"None\"}";
    static final String ACK = "{\"_tag\":\"Ack\",\"requestId\":\"0\"}";

    final ExecutorService pool = Executors.newFixedThreadPool(2);
    final StoreRegistry registry = new StoreRegistry(RegistryOptions.builder().storage(StoreStorage.inMemory())
            .scheduler(new ManualScheduler()).executor(pool).nodeId("server").build());
    final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        registry.close();
        pool.shutdownNow();
    }

    ClientConnection connect(String storeId, SyncTransport transport) {
        StoreLease<TodoSchema> lease = registry.retain(TODO, storeId);
        return new ClientConnection(lease, lease.store(), transport, true, Clock.systemUTC());
    }

    /** The taps registered on the store's log (white box: a tap left behind is a leak no frame shows). */
    static int taps(Store<?> store) throws ReflectiveOperationException {
        Field tapsField = store.getClass().getDeclaredField("taps");
        tapsField.setAccessible(true);
        Object logTaps = tapsField.get(store);
        Field list = logTaps.getClass().getDeclaredField("taps");
        list.setAccessible(true);
        return ((Collection<?>) list.get(logTaps)).size();
    }

    /** A client on its own thread: sends its pull, then acknowledges every chunk it receives, as the real client does. */
    static final class AckingClient implements SyncTransport, Runnable {
        final RecordingTransport frames = new RecordingTransport();
        final BlockingQueue<String> toSend = new LinkedBlockingQueue<>();
        final Thread thread = new Thread(this, "acking-client");
        volatile SyncSession session;
        volatile Throwable failure;

        @Override
        public boolean send(String frame) {
            boolean sent = frames.send(frame);
            if (sent && frame.startsWith("{\"_tag\":\"Chunk\"")) {
                toSend.add(ACK);
            }
            return sent;
        }

        @Override
        public void close(int code, String reason) {
            frames.close(code, reason);
            toSend.add("");
        }

        void start(SyncSession s, String pullFrame) {
            session = s;
            toSend.add(pullFrame);
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void run() {
            try {
                while (true) {
                    String frame = toSend.take();
                    if (frame.isEmpty()) {
                        return;
                    }
                    session.onFrame(frame);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Throwable t) {
                failure = t;
            }
        }

        void stop() throws InterruptedException {
            toSend.add("");
            thread.join(10_000);
        }
    }

    static String cursor(String backendId, long seq) {
        return "{\"_tag\":\"Some\",\"value\":{\"backendId\":\"" + backendId + "\",\"eventSequenceNumber\":" + seq + "}}";
    }

    static void awaitPulled(AckingClient client, long head) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (client.frames.pulledSeqNums("0").size() < head && client.frames.closeCode == 0) {
            if (System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(5); // waiting for the client's thread, not for time to pass
        }
    }

    static void assertExactly(long from, long head, List<Long> pulled, String who) {
        List<Long> expected = new ArrayList<>();
        for (long s = from; s <= head; s++) {
            expected.add(s);
        }
        if (!expected.equals(pulled)) {
            // the first difference, not 20,000 numbers
            int i = 0;
            while (i < Math.min(expected.size(), pulled.size()) && expected.get(i).equals(pulled.get(i))) {
                i++;
            }
            throw new AssertionError(who + ": pulled " + pulled.size() + " events, expected " + expected.size()
                    + " (" + from + ".." + head + "); first difference at index " + i + ": "
                    + pulled.subList(i, Math.min(pulled.size(), i + 5)) + " instead of "
                    + expected.subList(Math.min(i, expected.size()), Math.min(expected.size(), i + 5)));
        }
    }

    @Test
    void livePullsRacingJavaCommitsAndPushesGetEveryEventOnceInOrder() throws Exception {
        Store<TodoSchema> store = registry.retain(TODO, "race").store();
        List<TodoSchema.TodoCreated> backlog = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            backlog.add(new TodoSchema.TodoCreated("b" + i, "x"));
        }
        store.commit(backlog); // 15 pages: more than a window, so the switch to live happens under load
        String backendId = LocalLog.of(store).backendId();

        int javaThreads = 2;
        int commitsEach = 250;
        int pushers = 2;
        int pushesEach = 120;
        CountDownLatch go = new CountDownLatch(1);
        AtomicReference<Throwable> failed = new AtomicReference<>();
        AtomicInteger accepted = new AtomicInteger();
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < javaThreads; t++) {
            int thread = t;
            writers.add(new Thread(() -> {
                try {
                    go.await();
                    for (int i = 0; i < commitsEach; i++) {
                        if (i % 3 == 0) {
                            store.commit(new TodoSchema.TodoCreated("j" + thread + "-" + i, "a"),
                                    new TodoSchema.TodoCompleted("j" + thread + "-" + i));
                        } else {
                            store.commit(new TodoSchema.TodoCreated("j" + thread + "-" + i, "a"));
                        }
                    }
                } catch (Throwable e) {
                    failed.compareAndSet(null, e);
                }
            }, "java-" + t));
        }
        for (int p = 0; p < pushers; p++) {
            int pusher = p;
            RecordingTransport transport = new RecordingTransport();
            SyncSession session = connect("race", transport);
            writers.add(new Thread(() -> {
                try {
                    go.await();
                    int id = 1;
                    for (int done = 0; done < pushesEach; ) {
                        long head = store.head();
                        String rid = String.valueOf(id++);
                        session.onFrame(SyncServiceTest.push(rid, "race", pusher == 0 ? backendId : null,
                                SyncServiceTest.todoCreated(head + 1, "p" + pusher + "-" + done)));
                        JsonNode exit = transport.exits(rid).get(0).path("exit");
                        if (exit.path("_tag").asText().equals("Success")) {
                            done++;
                            accepted.incrementAndGet();
                        } else {
                            JsonNode error = exit.path("cause").path("error");
                            assertEquals("ServerAheadError", error.path("_tag").asText(), exit.toString());
                            assertEquals(head, error.path("providedNum").asLong());
                            assertTrue(error.path("minimumExpectedNum").asLong() > head, exit.toString());
                        }
                    }
                } catch (Throwable e) {
                    failed.compareAndSet(null, e);
                }
            }, "pusher-" + p));
        }

        AckingClient early = new AckingClient();
        AckingClient fromStart = new AckingClient();
        AckingClient fromCursor = new AckingClient();
        early.start(connect("race", early), SyncServiceTest.pull("0", "race", NONE, true));
        writers.forEach(Thread::start);
        go.countDown();
        // two more pulls while the writers run: their backlogs and switches to live race the writes
        fromStart.start(connect("race", fromStart), SyncServiceTest.pull("0", "race", NONE, true));
        fromCursor.start(connect("race", fromCursor), SyncServiceTest.pull("0", "race", cursor(backendId, 700), true));
        for (Thread w : writers) {
            w.join(60_000);
        }
        if (failed.get() != null) {
            throw new AssertionError("a writer failed", failed.get());
        }
        long head = store.head();
        assertEquals(1500 + javaThreads * (commitsEach + (commitsEach + 2) / 3) + pushers * pushesEach, head);
        assertEquals(pushers * pushesEach, accepted.get());

        for (AckingClient c : List.of(early, fromStart, fromCursor)) {
            awaitPulled(c, c == fromCursor ? head - 700 : head);
            assertEquals(0, c.frames.closeCode, "closed: " + c.frames.closeReason);
            assertEquals(null, c.failure);
        }
        assertExactly(1, head, early.frames.pulledSeqNums("0"), "the pull opened before the writers");
        assertExactly(1, head, fromStart.frames.pulledSeqNums("0"), "a pull from the start opened among the writers");
        assertExactly(701, head, fromCursor.frames.pulledSeqNums("0"), "a pull from a cursor opened among the writers");
        for (AckingClient c : List.of(early, fromStart, fromCursor)) {
            List<String> infos = c.frames.pageInfos("0");
            assertEquals("NoMore", infos.get(infos.size() - 1));
            c.stop();
        }
    }

    @Test
    void aClientThatStallsItsAcksWhileMoreEventsArriveThanCanBeHeldStillGetsEachOnceInOrder() throws Exception {
        Store<TodoSchema> store = registry.retain(TODO, "stall").store();
        List<TodoSchema.TodoCreated> batch = new ArrayList<>();
        for (int i = 0; i < LivePull.WINDOW * 100 + 200; i++) {
            batch.add(new TodoSchema.TodoCreated("a" + i, "x"));
        }
        store.commit(batch);
        RecordingTransport t = new RecordingTransport();
        SyncSession client = connect("stall", t);
        client.onFrame(SyncServiceTest.pull("0", "stall", NONE, true));
        assertEquals(LivePull.WINDOW * 100, t.pulledSeqNums("0").size(), "a window of pages, then it waits");

        List<TodoSchema.TodoCreated> more = new ArrayList<>();
        for (int i = 0; i < LivePull.MAX_PENDING + 50; i++) {
            more.add(new TodoSchema.TodoCreated("m" + i, "x"));
        }
        store.commit(more); // more than a pull holds while its backlog is still going: read from the log again
        store.commit(new TodoSchema.TodoCreated("last-before", "x"));
        for (int acked = 0; acked < t.pageInfos("0").size(); acked++) {
            client.onFrame(ACK); // as the client does: one Ack for every chunk it took in
        }
        store.commit(new TodoSchema.TodoCreated("live", "x"));
        assertExactly(1, store.head(), t.pulledSeqNums("0"), "the stalled client");
        assertEquals(0, t.closeCode);
    }

    @Test
    void everyWayAPullEndsReleasesItsTap() throws Exception {
        Store<TodoSchema> store = registry.retain(TODO, "taps").store();
        store.commit(new TodoSchema.TodoCreated("a", "x"));
        assertEquals(0, taps(store));

        // a non-live pull that ran to its end
        RecordingTransport t1 = new RecordingTransport();
        SyncSession c1 = connect("taps", t1);
        c1.onFrame(SyncServiceTest.pull("0", "taps", NONE, false));
        assertEquals(1, t1.exits("0").size());
        assertEquals(0, taps(store), "an ended pull");

        // interrupted by the client
        RecordingTransport t2 = new RecordingTransport();
        SyncSession c2 = connect("taps", t2);
        c2.onFrame(SyncServiceTest.pull("0", "taps", NONE, true));
        assertEquals(1, taps(store));
        c2.onFrame("{\"_tag\":\"Interrupt\",\"requestId\":\"0\"}");
        assertEquals(0, taps(store), "an interrupted pull");

        // the connection ended
        RecordingTransport t3 = new RecordingTransport();
        SyncSession c3 = connect("taps", t3);
        c3.onFrame(SyncServiceTest.pull("0", "taps", NONE, true));
        c3.onClosed();
        assertEquals(0, taps(store), "a pull of an ended connection");

        // the transport refused a live chunk (its queue was full, or it was closing), then the connection ended
        RecordingTransport t4 = new RecordingTransport();
        SyncSession c4 = connect("taps", t4);
        c4.onFrame(SyncServiceTest.pull("0", "taps", NONE, true));
        t4.closeCode = 1006; // the transport sends no more
        store.commit(new TodoSchema.TodoCreated("b", "x"));
        c4.onClosed(); // the transport tells the session its connection ended
        assertEquals(0, taps(store), "a pull whose transport refused a frame");
        store.commit(new TodoSchema.TodoCreated("c", "x"));

        // the same request id again on one connection: the second pull replaces the first, and both end with it
        RecordingTransport t5 = new RecordingTransport();
        SyncSession c5 = connect("taps", t5);
        c5.onFrame(SyncServiceTest.pull("0", "taps", NONE, true));
        c5.onFrame(SyncServiceTest.pull("0", "taps", NONE, true));
        assertEquals(1, taps(store), "the first pull of the id was stopped");
        c5.onClosed();
        assertEquals(0, taps(store), "a pull that replaced another of the same id");
        assertFalse(store.isClosed());
    }
}
