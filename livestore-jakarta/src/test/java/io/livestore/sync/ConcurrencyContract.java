package io.livestore.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.livestore.store.spi.AppendResult;
import io.livestore.store.spi.AppendResult.Conflict;
import io.livestore.store.spi.AppendResult.Ok;
import io.livestore.store.spi.LogEvent;
import io.livestore.store.spi.LogHead;
import io.livestore.store.spi.Upstream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** Y2 under real threads: writers of one store serialize into one dense order; stores do not wait for each other. */
interface ConcurrencyContract extends UpstreamFixture {

    /** Batches each writer thread appends; an implementation may lower it when its appends are slow. */
    default int batchesPerWriter() {
        return 25;
    }

    /** Everything in a store's log, paging as a node catching up would. */
    private static List<LogEvent> pullAll(Upstream upstream, String storeId) {
        List<LogEvent> all = new ArrayList<>();
        while (true) {
            List<LogEvent> page = upstream.pull(storeId, all.size(), 37);
            if (page.isEmpty()) {
                return all;
            }
            all.addAll(page);
        }
    }

    @Test
    default void eightWritersOnTwoNodesRetryingOnConflictWriteEveryAcknowledgedEventOnceInOneOrder() throws Exception {
        int writers = 8;
        List<Upstream> nodes = List.of(upstream(), node());
        ConcurrentLinkedQueue<List<LogEvent>> acknowledged = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Attempt> conflicts = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> backendIds = new ConcurrentLinkedQueue<>();
        CyclicBarrier start = new CyclicBarrier(writers);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<List<Long>>> futures = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                Upstream node = nodes.get(w % nodes.size());
                futures.add(pool.submit(() -> {
                    start.await();
                    List<Long> positions = new ArrayList<>();
                    long expectedHead = 0;
                    for (int b = 0; b < batchesPerWriter(); b++) {
                        List<String> ids = new ArrayList<>();
                        for (int e = 0; e <= (writer + b) % 3; e++) {
                            ids.add("w" + writer + "-b" + b + "-e" + e);
                        }
                        while (true) {
                            List<LogEvent> batch = TestEvents.batch(expectedHead, ids.toArray(String[]::new));
                            AppendResult result = node.append("shared", expectedHead, batch);
                            backendIds.add(result.head().backendId());
                            if (result instanceof Ok ok) {
                                assertEquals(expectedHead + batch.size(), ok.head().head(), "Ok answers the new head");
                                acknowledged.add(batch);
                                positions.add(batch.get(0).seqNum());
                                expectedHead = ok.head().head();
                                break;
                            }
                            Conflict conflict = (Conflict) result;
                            assertTrue(conflict.head().head() > expectedHead, "a conflict means others moved the log");
                            conflicts.add(new Attempt(expectedHead, conflict));
                            expectedHead = conflict.head().head();
                        }
                    }
                    return positions;
                }));
            }
            for (Future<List<Long>> future : futures) {
                List<Long> positions = future.get(3, TimeUnit.MINUTES);
                for (int i = 1; i < positions.size(); i++) {
                    assertTrue(positions.get(i) > positions.get(i - 1), "one writer's batches keep their order");
                }
            }
        } finally {
            pool.shutdownNow();
        }

        List<LogEvent> log = pullAll(upstream(), "shared");
        assertEquals(log, pullAll(nodes.get(1), "shared"), "every node pulls the same order");
        assertEquals(log, pullAll(node(), "shared"), "a new node pulls the same order");
        for (int i = 0; i < log.size(); i++) {
            assertEquals(i + 1, log.get(i).seqNum(), "dense from 1");
        }
        Map<Long, LogEvent> bySeqNum = new HashMap<>();
        log.forEach(event -> bySeqNum.put(event.seqNum(), event));
        int acknowledgedEvents = 0;
        for (List<LogEvent> batch : acknowledged) {
            acknowledgedEvents += batch.size();
            for (LogEvent event : batch) {
                assertEquals(event, bySeqNum.get(event.seqNum()), "an acknowledged event stands where it was written");
            }
        }
        assertEquals(acknowledgedEvents, log.size(), "every event in the log was acknowledged, once");
        assertEquals(log.size(), new HashSet<>(TestEvents.ids(log)).size(), "no event twice");
        assertEquals(1, new HashSet<>(backendIds).size(), "one log, one backendId: " + new HashSet<>(backendIds));
        assertEquals(new LogHead(backendIds.peek(), log.size()), upstream().head("shared").orElseThrow());
        for (Attempt attempt : conflicts) {
            // the missing events are those after the attempt's expected head, not merely the log's tail
            List<LogEvent> missing = attempt.conflict().missing();
            assertFalse(missing.isEmpty(), "a conflict above the expected head carries the missing events");
            for (int i = 0; i < missing.size(); i++) {
                assertEquals(attempt.expectedHead() + 1 + i, missing.get(i).seqNum(),
                        "the missing events start right after the attempt's expected head " + attempt.expectedHead());
                assertEquals(bySeqNum.get(missing.get(i).seqNum()), missing.get(i), "a conflict's catch-up is the log's order");
            }
            assertTrue(missing.get(missing.size() - 1).seqNum() <= attempt.conflict().head().head());
        }
        assertFalse(conflicts.isEmpty(), "the writers really contended (no conflict at all: no concurrency tested)");
    }

    @Test
    default void aWriterHeldOnOneStoreDoesNotDelayAnotherStore() throws Exception {
        Upstream other = node();
        upstream().append("slow", 0, TestEvents.batch(0, "a"));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (AutoCloseable held = writersHeld("slow")) {
            Future<AppendResult> blocked = pool.submit(() -> other.append("slow", 1, TestEvents.batch(1, "b")));
            Future<AppendResult> free = pool.submit(() -> upstream().append("fast", 0, TestEvents.batch(0, "a")));
            assertInstanceOf(Ok.class, within(free, "an append to a store whose writers are free"));
            assertInstanceOf(Ok.class, within(pool.submit(() -> other.append("fast", 1, TestEvents.batch(1, "b"))),
                    "an append to a free store through the node whose writer waits"));
            assertEquals(List.of(TestEvents.event(1, "a")),
                    within(pool.submit(() -> other.pull("slow", 0, 10)), "a pull of the held store"));
            assertEquals(1, within(pool.submit(() -> upstream().head("slow")), "the head of the held store")
                    .orElseThrow().head());
            assertEquals(Set.of("slow", "fast"), within(pool.submit(() -> other.heads(List.of("slow", "fast"))),
                    "the heads of the held and a free store").keySet());
            assertFalse(blocked.isDone(), "the held store's writer waits (else the test holds nothing)");
            held.close();
            assertEquals(2, assertInstanceOf(Ok.class, within(blocked, "the released writer")).head().head());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    default void writersOfDifferentStoresOnTwoNodesEachGetTheirOwnDenseLog() throws Exception {
        int stores = 8;
        List<Upstream> nodes = List.of(upstream(), node());
        CyclicBarrier start = new CyclicBarrier(stores);
        ExecutorService pool = Executors.newFixedThreadPool(stores);
        Set<String> storeIds = new HashSet<>();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int s = 0; s < stores; s++) {
                String storeId = "store-" + s;
                storeIds.add(storeId);
                Upstream node = nodes.get(s % 2);
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int b = 0; b < batchesPerWriter(); b++) {
                        assertInstanceOf(Ok.class, node.append(storeId, b, TestEvents.batch(b, "e" + b)));
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get(3, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        Map<String, LogHead> heads = node().heads(storeIds);
        assertEquals(storeIds, heads.keySet());
        for (String storeId : storeIds) {
            assertEquals(batchesPerWriter(), heads.get(storeId).head());
            assertEquals(batchesPerWriter(), pullAll(upstream(), storeId).size());
        }
    }

    /** One append answered with a conflict, and the head it expected. */
    record Attempt(long expectedHead, Conflict conflict) {
    }

    /** A result that must come within the generous deadline: a wait, not a measurement. */
    private static <T> T within(Future<T> future, String what) throws Exception {
        try {
            return future.get(RecordingListener.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return fail(what + ": no answer within " + RecordingListener.DEADLINE + " while the writers of 'slow' "
                    + "were held; it waits for them");
        }
    }
}
