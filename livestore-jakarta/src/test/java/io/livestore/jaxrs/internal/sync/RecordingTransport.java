package io.livestore.jaxrs.internal.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A transport that keeps what the engine sends, for assertions. */
final class RecordingTransport implements SyncTransport {

    static final ObjectMapper JSON = new ObjectMapper();

    final List<String> frames = new CopyOnWriteArrayList<>();
    volatile int closeCode;
    volatile String closeReason;

    @Override
    public boolean send(String frame) {
        if (closeCode != 0) {
            return false;
        }
        frames.add(frame);
        return true;
    }

    @Override
    public void close(int code, String reason) {
        if (closeCode == 0) {
            closeCode = code;
            closeReason = reason;
        }
    }

    List<JsonNode> parsed() {
        return frames.stream().map(f -> {
            try {
                return JSON.readTree(f);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + f, e);
            }
        }).toList();
    }

    /** The events of every Chunk sent for {@code requestId}, as seqNums. */
    List<Long> pulledSeqNums(String requestId) {
        return parsed().stream().filter(n -> n.path("_tag").asText().equals("Chunk")
                        && n.path("requestId").asText().equals(requestId))
                .flatMap(n -> stream(n.path("values")))
                .flatMap(v -> stream(v.path("batch")))
                .map(b -> b.path("eventEncoded").path("seqNum").asLong()).toList();
    }

    /** The Exit frames sent for {@code requestId}. */
    List<JsonNode> exits(String requestId) {
        return parsed().stream().filter(n -> n.path("_tag").asText().equals("Exit")
                && n.path("requestId").asText().equals(requestId)).toList();
    }

    /** The pageInfo tags of the chunks for {@code requestId}, e.g. "MoreKnown:150". */
    List<String> pageInfos(String requestId) {
        return parsed().stream().filter(n -> n.path("_tag").asText().equals("Chunk")
                        && n.path("requestId").asText().equals(requestId))
                .flatMap(n -> stream(n.path("values")))
                .map(v -> v.path("pageInfo").path("_tag").asText()
                        + (v.path("pageInfo").has("remaining") ? ":" + v.path("pageInfo").path("remaining").asLong() : ""))
                .toList();
    }

    private static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false);
    }
}
