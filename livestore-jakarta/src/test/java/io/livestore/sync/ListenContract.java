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
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Y4, Y5: a registration starts with a resync, then hears of every append — through its own node and
 * through others — on the upstream's thread, until it is closed. Waits are bounded; none is an assertion.
 */
interface ListenContract extends UpstreamFixture {

    private long appendOk(Upstream upstream, String storeId, long expectedHead, List<LogEvent> events) {
        return assertInstanceOf(Ok.class, upstream.append(storeId, expectedHead, events)).head().head();
    }

    @Test
    default void aRegistrationHearsAResyncFirstThenTheAppendsOfItsNode() throws Exception {
        RecordingListener listener = new RecordingListener();
        try (Upstream.Registration ignored = upstream().listen(listener)) {
            // made before listening may have begun: the resync that follows covers it, an announcement need not
            appendOk(upstream(), "todos", 0, batch(0, "a"));
            assertTrue(listener.next().isResync(), "the first call is a resync: " + listener.calls());
            appendOk(upstream(), "todos", 1, batch(1, "b"));
            Call changed = listener.awaitChanged("todos", 2);
            assertNotSame(Thread.currentThread(), changed.thread(), "announced on the upstream's thread, not the writer's");
            appendOk(upstream(), "todos", 2, batch(2, "c", "d"));
            listener.awaitChanged("todos", 4);
        }
    }

    @Test
    default void appendsThroughAnotherNodeAreAnnounced() throws Exception {
        Upstream reader = upstream();
        Upstream writer = node();
        RecordingListener readerListener = new RecordingListener();
        RecordingListener writerListener = new RecordingListener();
        try (Upstream.Registration r1 = reader.listen(readerListener);
             Upstream.Registration r2 = writer.listen(writerListener)) {
            readerListener.awaitResync();
            writerListener.awaitResync();
            appendOk(writer, "todos", 0, batch(0, "a"));
            readerListener.awaitChanged("todos", 1);
            writerListener.awaitChanged("todos", 1);
            appendOk(reader, "notes", 0, batch(0, "a", "b"));
            writerListener.awaitChanged("notes", 2);
            readerListener.awaitChanged("notes", 2);
        }
    }

    @Test
    default void aClosedRegistrationIsNotCalledAgainWhileOthersAre() throws Exception {
        RecordingListener closing = new RecordingListener();
        RecordingListener staying = new RecordingListener();
        Upstream.Registration closed = upstream().listen(closing);
        try (Upstream.Registration ignored = upstream().listen(staying)) {
            closing.awaitResync();
            staying.awaitResync();
            appendOk(upstream(), "todos", 0, batch(0, "a"));
            closing.awaitChanged("todos", 1);
            staying.awaitChanged("todos", 1);
            closed.close();
            closed.close();
            int callsWhenClosed = closing.calls().size();
            appendOk(upstream(), "todos", 1, batch(1, "b"));
            appendOk(node(), "todos", 2, batch(2, "c"));
            appendOk(upstream(), "todos", 3, batch(3, "d"));
            staying.awaitChanged("todos", 4);
            assertEquals(callsWhenClosed, closing.calls().size(), "no call after close: " + closing.calls());
        }
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
        try (Upstream.Registration r1 = upstream().listen(throwing);
             Upstream.Registration r2 = upstream().listen(other)) {
            recorder.awaitResync();
            other.awaitResync();
            appendOk(upstream(), "todos", 0, batch(0, "a"));
            recorder.awaitChanged("todos", 1);
            other.awaitChanged("todos", 1);
            appendOk(upstream(), "todos", 1, batch(1, "b"));
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
        try (Upstream.Registration ignored = upstream().listen(stayingListener)) {
            leaving.listen(leavingListener);
            leavingListener.awaitResync();
            stayingListener.awaitResync();
            appendOk(leaving, "todos", 0, batch(0, "a"));
            leavingListener.awaitChanged("todos", 1);
            leaving.close();
            leaving.close();
            int callsWhenClosed = leavingListener.calls().size();

            assertThrows(IllegalStateException.class, () -> leaving.append("todos", 1, batch(1, "b")));
            assertThrows(IllegalStateException.class, () -> leaving.pull("todos", 0, 10));
            assertThrows(IllegalStateException.class, () -> leaving.head("todos"));
            assertThrows(IllegalStateException.class, () -> leaving.heads(List.of("todos")));
            assertThrows(IllegalStateException.class, () -> leaving.listen(new RecordingListener()));

            appendOk(upstream(), "todos", 1, batch(1, "b"));
            stayingListener.awaitChanged("todos", 2);
            assertEquals(batch(0, "a", "b"), node().pull("todos", 0, 10), "the log outlives the node");
            assertEquals(callsWhenClosed, leavingListener.calls().size(), "no call after close: "
                    + leavingListener.calls());
        }
    }
}
