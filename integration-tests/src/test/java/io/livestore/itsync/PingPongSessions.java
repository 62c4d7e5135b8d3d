package io.livestore.itsync;

import io.livestore.jaxrs.internal.sync.SyncHandshake;
import io.livestore.jaxrs.internal.sync.SyncRefusedException;
import io.livestore.jaxrs.internal.sync.SyncSession;
import io.livestore.jaxrs.internal.sync.SyncSessions;
import io.livestore.jaxrs.internal.sync.SyncTransport;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stands in for the protocol engine: {@code {"_tag":"Ping"}} → {@code {"_tag":"Pong"}}; a Request (HTTP)
 * → its Exit; {@code flood} → 64 KB frames until the transport says no (what happened is kept in
 * {@link #flood}); any other frame comes back as it is. Definition {@code refused} is refused with 403.
 * Chosen over the library's engine as an enabled alternative.
 */
@ApplicationScoped
@Alternative
@Priority(1000)
public class PingPongSessions implements SyncSessions {

    /** The last flood: "sent=<frames> millis=<time the sends took> closed=<the session was told>", or null. */
    public static volatile String flood;

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]*)\"");

    @Override
    public SyncSession open(SyncHandshake handshake, SyncTransport transport) {
        if ("refused".equals(handshake.definition())) {
            throw new SyncRefusedException(403, "store '" + handshake.storeId() + "' is not open to this client");
        }
        return new SyncSession() {
            private volatile boolean closed;

            @Override
            public void onFrame(String frame) {
                Matcher id = ID.matcher(frame);
                if (frame.equals("flood")) {
                    String big = "f".repeat(65_536);
                    long start = System.nanoTime();
                    int sent = 0;
                    while (sent < 1_000_000 && transport.send(big)) {
                        sent++;
                    }
                    flood = "sent=" + sent + " millis=" + (System.nanoTime() - start) / 1_000_000 + " closed=" + closed;
                } else if (frame.equals("{\"_tag\":\"Ping\"}")) {
                    transport.send("{\"_tag\":\"Pong\"}");
                } else if (frame.contains("\"Request\"") && id.find()) {
                    transport.send("{\"_tag\":\"Exit\",\"requestId\":\"" + id.group(1) + "\",\"exit\":{\"_tag\":\"Success\","
                            + "\"value\":{\"_tag\":\"SyncMessage.Pong\"},\"storeId\":\"" + handshake.storeId() + "\"}}");
                } else {
                    transport.send(frame);
                }
            }

            @Override
            public void onClosed() {
                closed = true;
            }
        };
    }
}
