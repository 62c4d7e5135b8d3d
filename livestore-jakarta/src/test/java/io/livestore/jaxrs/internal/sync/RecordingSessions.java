package io.livestore.jaxrs.internal.sync;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Sessions that keep every frame received and sent, for assertions on what the real client and the server said. */
final class RecordingSessions implements SyncSessions {

    private final SyncSessions inner;
    final List<String> in = new CopyOnWriteArrayList<>();
    final List<String> out = new CopyOnWriteArrayList<>();

    RecordingSessions(SyncSessions inner) {
        this.inner = inner;
    }

    @Override
    public SyncSession open(SyncHandshake handshake, SyncTransport transport) {
        SyncSession session = inner.open(handshake, new SyncTransport() {
            @Override
            public boolean send(String frame) {
                out.add(frame);
                return transport.send(frame);
            }

            @Override
            public void close(int code, String reason) {
                transport.close(code, reason);
            }
        });
        return new SyncSession() {
            @Override
            public void onFrame(String frame) {
                in.add(frame);
                session.onFrame(frame);
            }

            @Override
            public void onClosed() {
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
}
