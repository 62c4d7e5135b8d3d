package io.livestore.sync;

import static io.livestore.sync.TestEvents.batch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.livestore.store.UpstreamUnavailableException;
import io.livestore.store.spi.AppendResult.Ok;
import io.livestore.store.spi.ChangeListener;
import io.livestore.store.spi.Upstream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The upstream contract on the in-memory implementation, and what only it offers: nodes, threads, faults. */
class InMemoryUpstreamTest extends UpstreamContract {

    private InMemoryUpstream backend;

    @Override
    protected Upstream newBackend() {
        backend = new InMemoryUpstream();
        return backend;
    }

    @Override
    protected Upstream newNode() {
        return backend.node();
    }

    @Override
    protected AutoCloseable holdWriters(String storeId) {
        return backend.holdWriters(storeId);
    }

    @Test
    void everyNodeCallsItsListenersOnItsOwnThreadFromTheGivenFactory() throws Exception {
        AtomicInteger made = new AtomicInteger();
        ThreadFactory threads = runnable -> {
            Thread thread = new Thread(runnable, "test-upstream-" + made.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        try (InMemoryUpstream first = new InMemoryUpstream(threads); InMemoryUpstream second = first.node()) {
            assertEquals(0, made.get(), "no thread before anything listens");
            RecordingListener one = new RecordingListener();
            RecordingListener two = new RecordingListener();
            first.listen(one);
            second.listen(two);
            Thread firstThread = one.awaitResync().thread();
            Thread secondThread = two.awaitResync().thread();
            assertNotEquals(firstThread, secondThread, "a node's slow listener does not delay another node's");
            assertTrue(firstThread.getName().startsWith("test-upstream-"));
            assertEquals(2, made.get());
        }
    }

    @Test
    void aNodeCutOffFailsEveryCallClearlyWritesNothingAndResyncsWhenBack() throws Exception {
        try (InMemoryUpstream cut = backend.node()) {
            cutOffAndBack(cut);
        }
    }

    private void cutOffAndBack(InMemoryUpstream cut) throws Exception {
        RecordingListener listener = new RecordingListener();
        cut.listen(listener);
        listener.awaitResync();
        cut.reachable(false);

        UpstreamUnavailableException e = assertThrows(UpstreamUnavailableException.class,
                () -> cut.append("todos", 0, batch(0, "a")));
        assertTrue(e.getMessage().contains("'todos'"), e.getMessage());
        assertTrue(e.retryAfter().isPresent());
        assertThrows(UpstreamUnavailableException.class, () -> cut.pull("todos", 0, 10));
        assertThrows(UpstreamUnavailableException.class, () -> cut.head("todos"));
        assertThrows(UpstreamUnavailableException.class, () -> cut.heads(List.of("todos")));
        assertEquals(Optional.empty(), backend.head("todos"), "nothing written");

        assertInstanceOf(Ok.class, backend.append("todos", 0, batch(0, "b")), "other nodes go on");
        RecordingListener late = new RecordingListener();
        cut.listen(late);
        cut.reachable(true);
        listener.awaitResync();
        assertTrue(late.next().isResync(), "a registration made while cut off begins listening on the reconnect");
        assertEquals(batch(0, "b"), cut.pull("todos", 0, 10), "back, it reads what others wrote meanwhile");
        assertInstanceOf(Ok.class, backend.append("todos", 1, batch(1, "c")));
        listener.awaitChanged("todos", 2);
    }

    @Test
    void aLostAnswerLeavesTheAppendWrittenAndItsRetryIsOkWithoutADuplicate() {
        backend.loseNextAppendAnswer();
        assertThrows(UpstreamUnavailableException.class, () -> backend.append("todos", 0, batch(0, "a", "b")));
        assertEquals(2, backend.head("todos").orElseThrow().head(), "the outcome was: written");
        assertInstanceOf(Ok.class, backend.append("todos", 0, batch(0, "a", "b")), "the retry");
        assertEquals(batch(0, "a", "b"), backend.pull("todos", 0, 10));
    }

    @Test
    void aListenerMayReadAppendAndCloseItsOwnRegistrationFromInsideItsCall() throws Exception {
        RecordingListener done = new RecordingListener();
        AtomicReference<Upstream.Registration> self = new AtomicReference<>();
        AtomicInteger changes = new AtomicInteger();
        ChangeListener busy = new ChangeListener() {
            @Override
            public void changed(String storeId, long head) {
                if (!storeId.equals("todos")) {
                    return;
                }
                changes.incrementAndGet();
                long copied = backend.pull("todos", 0, 100).size();
                backend.append("copies", 0, batch(0, "copy-" + copied));
                self.get().close();
            }

            @Override
            public void resync() {
                done.resync();
            }
        };
        self.set(backend.listen(busy));
        backend.listen(done);
        done.awaitResync();
        done.awaitResync();
        backend.append("todos", 0, batch(0, "a"));
        done.awaitChanged("copies", 1);
        backend.append("todos", 1, batch(1, "b"));
        done.awaitChanged("todos", 2);
        assertEquals(1, changes.get(), "closed from inside its own call, it hears nothing more");
    }

    @Test
    void theLogsOutliveTheNodeThatCreatedThem() {
        try (InMemoryUpstream other = backend.node()) {
            backend.append("todos", 0, batch(0, "a"));
            backend.close();
            assertThrows(IllegalStateException.class, backend::node);
            assertEquals(batch(0, "a"), other.pull("todos", 0, 10));
            try (InMemoryUpstream joined = other.node()) {
                assertEquals(batch(0, "a"), joined.pull("todos", 0, 10), "new nodes join through any node");
            }
        }
    }

    /**
     * A registration racing the reconnect gets a resync whichever comes first: before the flip it is in
     * the reconnect's resync, after it it gets its own (many real races, each on two started threads).
     */
    @Test
    void aRegistrationRacingTheReconnectAlwaysGetsItsResync() throws Exception {
        try (InMemoryUpstream node = new InMemoryUpstream()) {
            node.listen(new RecordingListener()); // the node's thread exists: only the flag races
            for (int i = 0; i < 200; i++) {
                node.reachable(false);
                java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
                RecordingListener late = new RecordingListener();
                AtomicReference<Upstream.Registration> registration = new AtomicReference<>();
                Thread listening = new Thread(() -> {
                    await(start);
                    registration.set(node.listen(late));
                });
                Thread reconnecting = new Thread(() -> {
                    await(start);
                    node.reachable(true);
                });
                listening.start();
                reconnecting.start();
                listening.join();
                reconnecting.join();
                late.awaitResync();
                registration.get().close();
            }
        }
    }

    private static void await(java.util.concurrent.CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
