package io.livestore.jaxrs.internal.sync;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sessions that keep every frame received and sent, for assertions on what the real client and the server said,
 * and a transcript of all connections in one order (connection number, direction, frame) to read after a failure.
 */
final class RecordingSessions implements SyncSessions {

    private final SyncSessions inner;
    private final AtomicInteger connections = new AtomicInteger();
    final List<String> in = new CopyOnWriteArrayList<>();
    final List<String> out = new CopyOnWriteArrayList<>();
    /** Every frame as {@code "#<connection> <- frame"} (received) or {@code "#<connection> -> frame"} (sent). */
    final List<String> transcript = new CopyOnWriteArrayList<>();

    RecordingSessions(SyncSessions inner) {
        this.inner = inner;
    }

    @Override
    public SyncSession open(SyncHandshake handshake, SyncTransport transport) {
        int number = connections.incrementAndGet();
        transcript.add("#" + number + " opened " + handshake.storeId());
        SyncSession session = inner.open(handshake, new SyncTransport() {
            @Override
            public boolean send(String frame) {
                out.add(frame);
                transcript.add("#" + number + " -> " + frame);
                return transport.send(frame);
            }

            @Override
            public void close(int code, String reason) {
                transcript.add("#" + number + " closed by the server " + code + " " + reason);
                transport.close(code, reason);
            }
        });
        return new SyncSession() {
            @Override
            public void onFrame(String frame) {
                in.add(frame);
                transcript.add("#" + number + " <- " + frame);
                session.onFrame(frame);
            }

            @Override
            public void onClosed() {
                transcript.add("#" + number + " ended");
                session.onClosed();
            }
        };
    }

    /** How many frames sent contained {@code text}. */
    long sent(String text) {
        return out.stream().filter(f -> f.contains(text)).count();
    }

    /** The frames received that contain {@code text}, in order. */
    List<String> received(String text) {
        return in.stream().filter(f -> f.contains(text)).toList();
    }

    /** Writes the transcript (Pings and Pongs left out) to {@code file}. */
    void writeTranscript(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, transcript.stream().filter(l -> !l.endsWith("{\"_tag\":\"Ping\"}") && !l.endsWith("{\"_tag\":\"Pong\"}"))
                .toList());
    }
}
