package io.livestore.jaxrs.internal.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The WebSocket transport against a scripted {@link Session}: how a container completes its sends (inside
 * {@code sendText}, later on its own thread, with a failure, never) and how it closes (calling the
 * endpoint's {@code onClose} from inside {@code Session.close}, as Undertow does).
 */
class WebSocketTransportTest {

    final WebSocketTransport transport = new WebSocketTransport();
    final List<String> sent = new CopyOnWriteArrayList<>();
    final List<CloseReason> closes = new CopyOnWriteArrayList<>();
    final AtomicInteger inFlight = new AtomicInteger();
    volatile boolean overlapped;
    final AtomicInteger toldClosed = new AtomicInteger();
    final ExecutorService container = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        container.shutdownNow();
    }

    /** A session that counts onClosed and tries to send from inside it (as a pull ending on a full queue does). */
    SyncSession session() {
        return new SyncSession() {
            @Override
            public void onFrame(String frame) {
            }

            @Override
            public void onClosed() {
                toldClosed.incrementAndGet();
                assertFalse(transport.send("from onClosed"), "a closed transport takes no frame");
            }
        };
    }

    /** A socket whose sends {@code how} completes; its close calls the endpoint's onClose inside (Undertow). */
    Session socket(BiConsumer<String, SendHandler> how) {
        RemoteEndpoint.Async remote = (RemoteEndpoint.Async) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {RemoteEndpoint.Async.class}, (proxy, m, args) -> {
                    if (!m.getName().equals("sendText") || args.length != 2) {
                        throw new UnsupportedOperationException(m.getName());
                    }
                    if (inFlight.incrementAndGet() > 1) {
                        overlapped = true;
                    }
                    SendHandler handler = (SendHandler) args[1];
                    how.accept((String) args[0], result -> {
                        inFlight.decrementAndGet();
                        handler.onResult(result);
                    });
                    return null;
                });
        return (Session) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Session.class},
                (proxy, m, args) -> switch (m.getName()) {
                    case "getAsyncRemote" -> remote;
                    case "close" -> {
                        closes.add((CloseReason) args[0]);
                        transport.ended(); // the container's onClose, on this thread
                        yield null;
                    }
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    @Test
    void sendsCompletedInsideSendTextGoOutInOrderWithoutDeepeningTheStack() {
        transport.bind(session());
        int n = WebSocketTransport.MAX_FRAMES;
        for (int i = 0; i < n; i++) {
            assertTrue(transport.send(Integer.toString(i)), "queued before the socket opened");
        }
        AtomicInteger minDepth = new AtomicInteger(Integer.MAX_VALUE);
        AtomicInteger maxDepth = new AtomicInteger();
        transport.attach(socket((text, done) -> {
            int depth = Thread.currentThread().getStackTrace().length;
            minDepth.accumulateAndGet(depth, Math::min);
            maxDepth.accumulateAndGet(depth, Math::max);
            sent.add(text);
            done.onResult(new SendResult());
        }));
        assertEquals(n, sent.size());
        for (int i = 0; i < n; i++) {
            assertEquals(Integer.toString(i), sent.get(i));
        }
        assertEquals(minDepth.get(), maxDepth.get(), "the loop takes the next frame; no recursion");
        assertFalse(overlapped);
    }

    @Test
    void concurrentSendersCompletedOnTheContainersThreadKeepEachOnesOrderOneInFlight() throws Exception {
        transport.bind(session());
        transport.attach(socket((text, done) -> container.execute(() -> {
            sent.add(text);
            done.onResult(new SendResult());
        })));
        int threads = 4;
        int each = 200; // 800 < MAX_FRAMES: never too slow, whatever the timing
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread s = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    assertTrue(transport.send(id + ":" + i));
                }
            });
            senders.add(s);
            s.start();
        }
        go.countDown();
        for (Thread s : senders) {
            s.join(TimeUnit.SECONDS.toMillis(20));
        }
        // each completion pumps the next send onto the container's thread: wait for that chain to run dry
        for (int rounds = 0; sent.size() < threads * each && rounds < threads * each + 1; rounds++) {
            CountDownLatch drained = new CountDownLatch(1);
            container.execute(drained::countDown);
            assertTrue(drained.await(20, TimeUnit.SECONDS));
        }
        assertEquals(threads * each, sent.size());
        int[] next = new int[threads];
        for (String f : sent) {
            int t = Integer.parseInt(f.substring(0, f.indexOf(':')));
            assertEquals(next[t]++, Integer.parseInt(f.substring(f.indexOf(':') + 1)), "order of thread " + t);
        }
        assertFalse(overlapped, "one send in flight at a time");
        assertEquals(0, toldClosed.get());
    }

    @Test
    void aFullQueueClosesTooSlowAndTellsTheSessionOnceBeforeSendSaysNo() throws IOException {
        transport.bind(session());
        transport.attach(socket((text, done) -> sent.add(text))); // the client never reads: no completion
        int accepted = 0;
        while (transport.send("x")) {
            accepted++;
            assertTrue(accepted <= WebSocketTransport.MAX_FRAMES + 1, "the queue is bounded");
        }
        assertEquals(WebSocketTransport.MAX_FRAMES + 1, accepted, "one in flight and a full queue");
        assertEquals(1, toldClosed.get(), "told before send returned false, and once although onClose came too");
        assertEquals(1, closes.size());
        assertEquals(CloseReason.CloseCodes.VIOLATED_POLICY, closes.get(0).getCloseCode());
        assertEquals("client too slow", closes.get(0).getReasonPhrase());
        transport.close(1011, "again");
        transport.ended();
        assertEquals(1, closes.size(), "close is idempotent");
        assertEquals(1, toldClosed.get());
    }

    @Test
    void aSendThatFailsInsideSendTextClosesTheConnectionOnce() {
        transport.bind(session());
        transport.send("a");
        transport.send("b");
        transport.attach(socket((text, done) -> {
            sent.add(text);
            done.onResult(new SendResult(new IOException("broken pipe")));
        }));
        assertEquals(List.of("a"), sent, "nothing after the failed send");
        assertEquals(1, closes.size());
        assertEquals(CloseReason.CloseCodes.UNEXPECTED_CONDITION, closes.get(0).getCloseCode());
        assertEquals("send failed", closes.get(0).getReasonPhrase(), "the client is not told the exception");
        assertEquals(1, toldClosed.get());
        assertFalse(transport.send("c"));
    }

    @Test
    void aCloseBeforeTheSocketOpensClosesItOnAttachWithThatReason() {
        transport.bind(session());
        transport.send("never sent");
        transport.close(1008, "refused later");
        assertEquals(1, toldClosed.get(), "the session is told at once");
        transport.attach(socket((text, done) -> sent.add(text)));
        assertTrue(sent.isEmpty());
        assertEquals(1, closes.size());
        assertEquals("refused later", closes.get(0).getReasonPhrase());
        assertEquals(1, toldClosed.get());
    }

    @Test
    void aCloseReasonIsCutToWhatAControlFrameCarries() {
        transport.bind(session());
        transport.attach(socket((text, done) -> done.onResult(new SendResult())));
        transport.close(1008, "é".repeat(100) + "😀");
        String reason = closes.get(0).getReasonPhrase();
        assertTrue(reason.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= CloseReasons.MAX_BYTES, reason);
        assertTrue(reason.endsWith("…"));
    }
}
