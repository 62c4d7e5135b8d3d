package io.livestore.jaxrs.internal.sync;

import java.util.List;
import java.util.Objects;

/**
 * A frame a LiveStore 0.4.0 client sends, decoded by {@link SyncFrames#decode} (protocol notes §3.1, §5):
 * one Effect RPC envelope, or one of the sync RPC requests it carries. Only the structure has been
 * checked; what the numbers, store ids and backend ids mean is the engine's question.
 *
 * <p>Request ids are opaque strings (a per-process counter of the client, {@code "0"}, {@code "1"}, …),
 * unique only within one connection.
 */
public sealed interface ClientFrame {

    /** {@code {"_tag":"Ping"}}: the client's liveness probe; answer {@link SyncFrames#pong()} at once. */
    record Ping() implements ClientFrame {
    }

    /** {@code {"_tag":"Eof"}}: defined by Effect RPC, never sent by the socket client; nothing to do. */
    record Eof() implements ClientFrame {
    }

    /**
     * {@code {"_tag":"Ack","requestId":…}}: the client has taken in a {@code Chunk} of that request.
     *
     * @param requestId the acknowledged request, possibly one the server does not know (ignore it then)
     */
    record Ack(String requestId) implements ClientFrame {
        /** @throws NullPointerException without a request id */
        public Ack {
            Objects.requireNonNull(requestId, "requestId");
        }
    }

    /**
     * {@code {"_tag":"Interrupt","requestId":…}}: the client abandons that request (stop a live pull).
     *
     * @param requestId the abandoned request, possibly one that has already ended (ignore it then)
     */
    record Interrupt(String requestId) implements ClientFrame {
        /** @throws NullPointerException without a request id */
        public Interrupt {
            Objects.requireNonNull(requestId, "requestId");
        }
    }

    /**
     * A {@code SyncWsRpc.Pull} or {@code SyncHttpRpc.Pull} request.
     *
     * @param requestId the request's {@code id}: every answer of the pull carries it
     * @param storeId   the payload's {@code storeId} (the same as in the URL, if the client is honest)
     * @param payload   the payload's {@code payload} (the app's {@code syncPayload}) as its exact JSON text,
     *                  or null when the client sent none
     * @param live      whether the pull stays open for later events; always false for
     *                  {@code SyncHttpRpc.Pull}, which has no such field (the HTTP client polls)
     * @param cursor    where the client stands, or null for {@code {"_tag":"None"}}: from the beginning
     */
    record Pull(String requestId, String storeId, String payload, boolean live, Cursor cursor)
            implements ClientFrame {
        /** @throws NullPointerException without a request id or store id */
        public Pull {
            Objects.requireNonNull(requestId, "requestId");
            Objects.requireNonNull(storeId, "storeId");
        }
    }

    /**
     * A {@code SyncWsRpc.Push} or {@code SyncHttpRpc.Push} request.
     *
     * @param requestId the request's {@code id}: its {@code Exit} carries it
     * @param storeId   the payload's {@code storeId}
     * @param payload   the payload's {@code payload} as its exact JSON text, or null when absent
     * @param batch     the events in the order the client sent them, possibly none
     * @param backendId the backend id the client has persisted, or null for {@code {"_tag":"None"}} (a
     *                  client that has not yet stored one)
     */
    record Push(String requestId, String storeId, String payload, List<WireEvent> batch, String backendId)
            implements ClientFrame {
        /** @throws NullPointerException without a request id, store id, batch or one of its events */
        public Push {
            Objects.requireNonNull(requestId, "requestId");
            Objects.requireNonNull(storeId, "storeId");
            batch = List.copyOf(batch);
        }
    }

    /**
     * A {@code SyncHttpRpc.Ping} request: the HTTP client's liveness probe; answer
     * {@link SyncFrames#httpPong(String)}.
     *
     * @param requestId the request's {@code id}
     */
    record HttpPing(String requestId) implements ClientFrame {
        /** @throws NullPointerException without a request id */
        public HttpPing {
            Objects.requireNonNull(requestId, "requestId");
        }
    }
}
