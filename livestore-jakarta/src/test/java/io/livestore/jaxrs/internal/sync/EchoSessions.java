package io.livestore.jaxrs.internal.sync;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A protocol engine stand-in for the transport tests: it refuses definition {@code refused} (403), and each
 * session echoes every frame prefixed with {@code echo:}, except a few commands: {@code close} (the server
 * closes 1008), {@code flood:<chars>} (sends frames of that size until the transport says no).
 */
final class EchoSessions implements SyncSessions {

    final List<SyncHandshake> handshakes = new CopyOnWriteArrayList<>();
    final List<Echo> sessions = new CopyOnWriteArrayList<>();

    @Override
    public SyncSession open(SyncHandshake handshake, SyncTransport transport) {
        handshakes.add(handshake);
        if ("refused".equals(handshake.definition())) {
            throw new SyncRefusedException(403, "store '" + handshake.storeId() + "' of definition 'refused' is not "
                    + "open to this client");
        }
        Echo echo = new Echo(transport);
        sessions.add(echo);
        return echo;
    }

    /** The session opened last, waiting for the server to open it when needed. */
    Echo last() throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        while (sessions.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no session was opened within 20 s");
            }
            Thread.sleep(5); // polling for an event of another thread, bounded; no timing is asserted
        }
        return sessions.get(sessions.size() - 1);
    }

    static final class Echo implements SyncSession {
        final SyncTransport transport;
        final AtomicInteger closed = new AtomicInteger();
        final CountDownLatch closedLatch = new CountDownLatch(1);
        final AtomicInteger frames = new AtomicInteger();
        volatile int longestFrame;
        volatile int floodSent = -1;
        final CountDownLatch floodDone = new CountDownLatch(1);
        final AtomicInteger concurrent = new AtomicInteger();
        volatile boolean overlapped;

        Echo(SyncTransport transport) {
            this.transport = transport;
        }

        @Override
        public void onFrame(String frame) {
            if (concurrent.incrementAndGet() > 1) {
                overlapped = true;
            }
            try {
                frames.incrementAndGet();
                longestFrame = Math.max(longestFrame, frame.length());
                if (frame.equals("close")) {
                    transport.close(1008, "closed by the server");
                } else if (frame.startsWith("flood:")) {
                    String big = "f".repeat(Integer.parseInt(frame.substring("flood:".length())));
                    int sent = 0;
                    while (sent < 1_000_000 && transport.send(big)) {
                        sent++;
                    }
                    floodSent = sent;
                    floodDone.countDown();
                } else {
                    transport.send("echo:" + frame);
                }
            } finally {
                concurrent.decrementAndGet();
            }
        }

        @Override
        public void onClosed() {
            closed.incrementAndGet();
            closedLatch.countDown();
        }
    }
}
