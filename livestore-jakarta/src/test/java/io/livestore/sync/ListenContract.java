package io.livestore.sync;

import static io.livestore.sync.TestEvents.batch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livestore.store.spi.AppendResult.Ok;
import io.livestore.store.spi.ChangeListener;
import io.livestore.store.spi.LogEvent;
import io.livestore.store.spi.Upstream;
import io.livestore.sync.RecordingListener.Call;
import io.livestore.store.spi.AppendResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Y4, Y5: a registration starts with a resync, then hears of every append that other nodes make to the
 * stores its node follows, on the upstream's thread, until it is closed; a follow made before the
 * catch-up pull misses nothing. An implementation may announce more (the in-memory one announces every
 * append), so these tests never assert an announcement is absent. Waits are bounded; none is an assertion.
 */
interface ListenContract extends UpstreamFixture {

    private long appendOk(Upstream upstream, String storeId, long expectedHead, List<LogEvent> events) {
        return assertInstanceOf(Ok.class, upstream.append(storeId, expectedHead, events)).head().head();
    }

    @Test
    default void aRegistrationHearsAResyncFirstThenOtherNodesAppendsToAFollowedStore() throws Exception {
        RecordingListener listener = new RecordingListener();
        Upstream writer = node();
        try (Upstream.Interest followed = upstream().follow("todos");
             Upstream.Registration ignored = upstream().listen(listener)) {
            // made before listening may have begun: the resync that follows covers it, an announcement need not
            appendOk(writer, "todos", 0, batch(0, "a"));
            assertTrue(listener.next().isResync(), "the first call is a resync: " + listener.calls());
            appendOk(writer, "todos", 1, batch(1, "b"));
            Call changed = listener.awaitChanged("todos", 2);
            assertNotSame(Thread.currentThread(), changed.thread(), "announced on the upstream's thread, not the writer's");
            appendOk(writer, "todos", 2, batch(2, "c", "d"));
            listener.awaitChanged("todos", 4);
        }
    }

    @Test
    default void eachNodeHearsTheOtherNodesAppendsToTheStoresItFollows() throws Exception {
        Upstream reader = upstream();
        Upstream writer = node();
        RecordingListener readerListener = new RecordingListener();
        RecordingListener writerListener = new RecordingListener();
        try (Upstream.Interest readerFollows = reader.follow("todos");
             Upstream.Interest writerFollows = writer.follow("notes");
             Upstream.Registration r1 = reader.listen(readerListener);
             Upstream.Registration r2 = writer.listen(writerListener)) {
            readerListener.awaitResync();
            writerListener.awaitResync();
            appendOk(writer, "todos", 0, batch(0, "a"));
            readerListener.awaitChanged("todos", 1);
            appendOk(reader, "notes", 0, batch(0, "a", "b"));
            writerListener.awaitChanged("notes", 2);
        }
    }

    @Test
    default void followsOfAStoreNestAndAreClosedOnceEach() throws Exception {
        Upstream writer = node();
        RecordingListener listener = new RecordingListener();
        Upstream.Interest first = upstream().follow("todos");
        try (Upstream.Interest second = upstream().follow("todos");
             Upstream.Registration ignored = upstream().listen(listener)) {
            listener.awaitResync();
            first.close();
            first.close(); // harmless, and it does not end the second follow
            appendOk(writer, "todos", 0, batch(0, "a"));
            listener.awaitChanged("todos", 1);
        }
        assertThrows(IllegalArgumentException.class, () -> upstream().follow("not a store id/"));
    }

    @Test
    default void aClosedRegistrationIsNotCalledAgainWhileOthersAre() throws Exception {
        RecordingListener closing = new RecordingListener();
        RecordingListener staying = new RecordingListener();
        Upstream writer = node();
        Upstream.Registration closed = upstream().listen(closing);
        try (Upstream.Interest followed = upstream().follow("todos");
             Upstream.Registration ignored = upstream().listen(staying)) {
            closing.awaitResync();
            staying.awaitResync();
            appendOk(writer, "todos", 0, batch(0, "a"));
            closing.awaitChanged("todos", 1);
            staying.awaitChanged("todos", 1);
            closed.close();
            closed.close();
            int callsWhenClosed = closing.calls().size();
            appendOk(writer, "todos", 1, batch(1, "b"));
            appendOk(node(), "todos", 2, batch(2, "c"));
            appendOk(writer, "todos", 3, batch(3, "d"));
            staying.awaitChanged("todos", 4);
            assertEquals(callsWhenClosed, closing.calls().size(), "no call after close: " + closing.calls());
        }
    }

    /** Closing from inside the listener's own call neither deadlocks nor waits for itself. */
    @Test
    default void aListenerMayCloseItsRegistrationAndItsNodeFromItsOwnCall() throws Exception {
        Upstream closingNode = node();
        CountDownLatch done = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicReference<Upstream.Registration> self = new java.util.concurrent.atomic.AtomicReference<>();
        CountDownLatch registered = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicLong tookMillis = new java.util.concurrent.atomic.AtomicLong();
        self.set(closingNode.listen(new ChangeListener() {
            @Override
            public void changed(String storeId, long head) {
            }

            @Override
            public void resync() {
                try {
                    registered.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                long start = System.nanoTime();
                self.get().close();
                closingNode.close();
                tookMillis.set(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                done.countDown();
            }
        }));
        registered.countDown();
        assertTrue(done.await(RecordingListener.DEADLINE.toMillis(), TimeUnit.MILLISECONDS),
                "closing from the listener's own call returned");
        assertTrue(tookMillis.get() < 2_000, "and did not wait for itself: " + tookMillis.get() + " ms");
        assertThrows(IllegalStateException.class, () -> closingNode.head("todos"), "the node is closed");
    }

    @Test
    default void aListenerThatThrowsIsCalledAgainAndDoesNotSilenceOthers() throws Exception {
        AtomicInteger failures = new AtomicInteger();
        RecordingListener recorder = new RecordingListener();
        ChangeListener throwing = new ChangeListener() {
            @Override
            public void changed(String storeId, long head) {
                recorder.changed(storeId, head);
                failures.incrementAndGet();
                throw new IllegalStateException("a listener's own failure (expected by the test)");
            }

            @Override
            public void resync() {
                recorder.resync();
                throw new IllegalStateException("a listener's own failure (expected by the test)");
            }
        };
        RecordingListener other = new RecordingListener();
        Upstream writer = node();
        try (Upstream.Interest followed = upstream().follow("todos");
             Upstream.Registration r1 = upstream().listen(throwing);
             Upstream.Registration r2 = upstream().listen(other)) {
            recorder.awaitResync();
            other.awaitResync();
            appendOk(writer, "todos", 0, batch(0, "a"));
            recorder.awaitChanged("todos", 1);
            other.awaitChanged("todos", 1);
            appendOk(writer, "todos", 1, batch(1, "b"));
            recorder.awaitChanged("todos", 2);
            other.awaitChanged("todos", 2);
            assertTrue(failures.get() >= 2);
        }
    }

    @Test
    default void aClosedNodeStopsListeningAndRefusesCallsWhileTheLogStays() throws Exception {
        Upstream leaving = node();
        RecordingListener leavingListener = new RecordingListener();
        RecordingListener stayingListener = new RecordingListener();
        Upstream writer = node();
        try (Upstream.Interest followed = upstream().follow("todos");
             Upstream.Registration ignored = upstream().listen(stayingListener)) {
            leaving.follow("todos");
            leaving.listen(leavingListener);
            leavingListener.awaitResync();
            stayingListener.awaitResync();
            appendOk(upstream(), "todos", 0, batch(0, "a"));
            leavingListener.awaitChanged("todos", 1);
            leaving.close();
            leaving.close();
            int callsWhenClosed = leavingListener.calls().size();

            assertThrows(IllegalStateException.class, () -> leaving.append("todos", 1, batch(1, "b")));
            assertThrows(IllegalStateException.class, () -> leaving.pull("todos", 0, 10));
            assertThrows(IllegalStateException.class, () -> leaving.head("todos"));
            assertThrows(IllegalStateException.class, () -> leaving.heads(List.of("todos")));
            assertThrows(IllegalStateException.class, () -> leaving.listen(new RecordingListener()));
            assertThrows(IllegalStateException.class, () -> leaving.follow("todos"));

            appendOk(writer, "todos", 1, batch(1, "b"));
            stayingListener.awaitChanged("todos", 2);
            assertEquals(batch(0, "a", "b"), node().pull("todos", 0, 10), "the log outlives the node");
            assertEquals(callsWhenClosed, leavingListener.calls().size(), "no call after close: "
                    + leavingListener.calls());
        }
    }

    @Test
    default void aCopyKeptCurrentOnlyByAnnouncementsFollowsWritersOnOtherNodes() throws Exception {
        Upstream follower = upstream();
        List<Upstream> writers = List.of(node(), node());
        try (FollowingCopy copy = new FollowingCopy(follower, "todos");
             Upstream.Interest followed = copy.follow();
             Upstream.Registration ignored = follower.listen(copy)) {
            copy.awaitResync();
            ExecutorService pool = Executors.newFixedThreadPool(writers.size());
            try {
                for (Future<?> writer : startWriters(pool, writers, 60)) {
                    writer.get(2, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(120, follower.head("todos").orElseThrow().head());
            assertEquals(follower.pull("todos", 0, 200), copy.awaitApplied(120),
                    "announcements alone brought the copy to the log's head");
        }
    }

    /**
     * The follow and the registration made while writers keep appending, without waiting for the resync:
     * appends before the follow are covered by the resync's pull, those after by announcements — the copy
     * reaches the head. (Y4: the follow comes before the catch-up pull.)
     */
    @Test
    default void aCopyRegisteredWhileWritersKeepAppendingStillReachesTheHead() throws Exception {
        Upstream follower = upstream();
        List<Upstream> writers = List.of(node(), node());
        ExecutorService pool = Executors.newFixedThreadPool(writers.size());
        try (FollowingCopy copy = new FollowingCopy(follower, "todos")) {
            List<Future<?>> done = startWriters(pool, writers, 60);
            long deadline = System.nanoTime() + RecordingListener.DEADLINE.toNanos();
            while (follower.head("todos").map(h -> h.head()).orElse(0L) < 5) {
                assertTrue(System.nanoTime() < deadline, "the writers began within " + RecordingListener.DEADLINE);
                Thread.sleep(2);
            }
            try (Upstream.Interest followed = copy.follow();
                 Upstream.Registration ignored = follower.listen(copy)) {
                for (Future<?> writer : done) {
                    writer.get(2, TimeUnit.MINUTES);
                }
                assertEquals(120, follower.head("todos").orElseThrow().head());
                assertEquals(follower.pull("todos", 0, 200), copy.awaitApplied(120),
                        "resync and announcements brought the copy to the log's head");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Each writer appends {@code perWriter} events of its own to "todos", retrying on conflict. */
    private static List<Future<?>> startWriters(ExecutorService pool, List<Upstream> writers, int perWriter) {
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < writers.size(); w++) {
            Upstream writer = writers.get(w);
            String prefix = "w" + w + "-";
            done.add(pool.submit(() -> {
                long head = 0;
                for (int i = 0; i < perWriter; ) {
                    AppendResult result = writer.append("todos", head, TestEvents.batch(head, prefix + i));
                    head = result.head().head();
                    i += result instanceof Ok ? 1 : 0;
                }
                return null;
            }));
        }
        return done;
    }

    /**
     * A node's copy of one store, as the registry keeps it: told of changes, it pulls on a thread of its
     * own after the last event it has; it never polls, so an append that is never announced leaves it behind.
     */
    final class FollowingCopy implements ChangeListener, AutoCloseable {
        private final Upstream upstream;
        private final String storeId;
        private final BlockingQueue<Boolean> wakeUps = new LinkedBlockingQueue<>();
        private final List<LogEvent> applied = new CopyOnWriteArrayList<>();
        private final CountDownLatch resynced = new CountDownLatch(1);
        private final Thread puller;
        private volatile Throwable failure;

        FollowingCopy(Upstream upstream, String storeId) {
            this.upstream = upstream;
            this.storeId = storeId;
            this.puller = new Thread(this::pullOnEveryWakeUp, "following-copy");
            puller.setDaemon(true);
            puller.start();
        }

        /** Follows the store, as a node does before its catch-up pull. */
        Upstream.Interest follow() {
            return upstream.follow(storeId);
        }

        @Override
        public void changed(String changedStoreId, long head) {
            if (changedStoreId.equals(storeId)) {
                wakeUps.add(true);
            }
        }

        @Override
        public void resync() {
            wakeUps.add(true);
            resynced.countDown();
        }

        private void pullOnEveryWakeUp() {
            try {
                while (true) {
                    wakeUps.take();
                    wakeUps.clear();
                    List<LogEvent> page;
                    while (!(page = upstream.pull(storeId, applied.size(), 50)).isEmpty()) {
                        applied.addAll(page);
                    }
                }
            } catch (InterruptedException e) {
                // closed
            } catch (RuntimeException e) {
                failure = e;
            }
        }

        void awaitResync() throws InterruptedException {
            assertTrue(resynced.await(RecordingListener.DEADLINE.toMillis(), TimeUnit.MILLISECONDS),
                    "no resync within " + RecordingListener.DEADLINE);
        }

        /** Waits (bounded) until the copy has {@code head} events. */
        List<LogEvent> awaitApplied(long head) throws InterruptedException {
            long end = System.nanoTime() + RecordingListener.DEADLINE.toNanos();
            while (applied.size() < head && failure == null && System.nanoTime() < end) {
                Thread.sleep(5);
            }
            assertEquals(null, failure, "the copy's pull failed");
            assertEquals(head, applied.size(), "the copy stopped behind the log: an append was never announced");
            return List.copyOf(applied);
        }

        @Override
        public void close() {
            puller.interrupt();
        }
    }
}
