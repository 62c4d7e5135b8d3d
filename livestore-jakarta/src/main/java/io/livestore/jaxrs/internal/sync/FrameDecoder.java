package io.livestore.jaxrs.internal.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.livestore.jaxrs.internal.sync.FrameReader.Value;
import io.livestore.jaxrs.internal.sync.FrameReader.Where;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Decodes one client frame (protocol notes §3.1, §4, §5) in one pass of a streaming parser, checking its
 * structure only. Keys come in any order: the envelope's {@code payload} is decoded where it stands when
 * {@code _tag}, {@code id} and {@code tag} came before it (the real client's order), else its text is kept
 * and decoded once the envelope has been read. Unknown keys are skipped; a known envelope key that appears
 * twice is a fault (the client never writes one, and which one counts would be a guess).
 */
final class FrameDecoder {

    private static final String ENVELOPE_TAGS = "\"Request\", \"Ack\", \"Interrupt\", \"Ping\" or \"Eof\"";

    /** The RPCs of {@code SyncWsRpc} and {@code SyncHttpRpc} (protocol notes §5). */
    enum Rpc {
        WS_PULL("SyncWsRpc.Pull", "pull request"),
        WS_PUSH("SyncWsRpc.Push", "push request"),
        HTTP_PULL("SyncHttpRpc.Pull", "pull request"),
        HTTP_PUSH("SyncHttpRpc.Push", "push request"),
        HTTP_PING("SyncHttpRpc.Ping", "ping request");

        final String tag;
        final String label;

        Rpc(String tag, String label) {
            this.tag = tag;
            this.label = label;
        }

        static Rpc of(String tag) {
            for (Rpc rpc : values()) {
                if (rpc.tag.equals(tag)) {
                    return rpc;
                }
            }
            return null;
        }
    }

    private FrameDecoder() {
    }

    static ClientFrame decode(String text) {
        Envelope envelope = new Envelope();
        try (FrameReader reader = new FrameReader(text)) {
            return envelope.read(reader);
        } catch (JsonProcessingException e) {
            String at = e.getLocation() == null ? "" : " (at character " + e.getLocation().getCharOffset() + ")";
            String message = "frame is not valid JSON: " + plain(e.getOriginalMessage()) + at;
            throw new SyncFrameException(envelope.knownId(), message, e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading a frame from memory failed", e);
        }
    }

    /** The parser's complaint without its pointers to Jackson's settings and sources (not the client's terms). */
    static String plain(String message) {
        return message.replaceAll("\\s*\\(start marker at \\[Source:[^\\]]*\\]\\)", "")
                .replaceAll(": enable `[^`]*` to allow", "")
                .replaceAll(", from `[^`]*`", "");
    }

    /** The envelope's keys as they are read. */
    private static final class Envelope {
        private Value tag;
        private Value id;
        private Value requestId;
        private Value rpc;
        private Value payload;
        private String payloadText;
        private ClientFrame decoded;
        private int seen;

        ClientFrame read(FrameReader reader) throws IOException {
            JsonToken first = reader.next();
            if (first == null) {
                throw new SyncFrameException(null, "frame is empty (expected a JSON object, an Effect RPC envelope)");
            }
            if (first != JsonToken.START_OBJECT) {
                throw new SyncFrameException(null, "frame must be a JSON object (an Effect RPC envelope), got "
                        + reader.value().describe());
            }
            while (reader.next() == JsonToken.FIELD_NAME) {
                String key = reader.fieldName();
                reader.next();
                switch (key) {
                    case "_tag" -> tag = once(key, 1, reader);
                    case "id" -> id = once(key, 2, reader);
                    case "requestId" -> requestId = once(key, 4, reader);
                    case "tag" -> rpc = once(key, 8, reader);
                    case "payload" -> readPayload(reader);
                    default -> reader.skip();
                }
            }
            if (reader.next() != null) {
                throw new SyncFrameException(knownId(), "frame has more after its JSON object (expected one envelope)");
            }
            return frame();
        }

        private Value once(String key, int bit, FrameReader reader) throws IOException {
            if ((seen & bit) != 0) {
                throw new SyncFrameException(knownId(), "frame: key \"" + key + "\" appears twice");
            }
            seen |= bit;
            return reader.value();
        }

        /** Decodes the payload in place when the request is known by now, else keeps its text. */
        private void readPayload(FrameReader reader) throws IOException {
            if ((seen & 16) != 0) {
                throw new SyncFrameException(knownId(), "frame: key \"payload\" appears twice");
            }
            seen |= 16;
            Rpc known = isString(tag) && "Request".equals(tag.text()) && isString(id) && isString(rpc)
                    ? Rpc.of(rpc.text()) : null;
            if (known != null && reader.token() == JsonToken.START_OBJECT) {
                decoded = PayloadDecoder.decode(reader, known, id.text());
            } else {
                payload = reader.value();
                payloadText = reader.raw(payload);
            }
        }

        /** The envelope's request id, when one has been read. */
        String knownId() {
            return isString(id) ? id.text() : isString(requestId) ? requestId.text() : null;
        }

        private ClientFrame frame() throws IOException {
            Where frame = new Where(knownId(), "frame");
            String envelopeTag = frame.string("_tag", tag);
            return switch (envelopeTag) {
                case "Ping" -> new ClientFrame.Ping();
                case "Eof" -> new ClientFrame.Eof();
                case "Ack" -> new ClientFrame.Ack(new Where(knownId(), "ack").string("requestId", requestId));
                case "Interrupt" ->
                        new ClientFrame.Interrupt(new Where(knownId(), "interrupt").string("requestId", requestId));
                case "Request" -> request();
                default -> throw frame.wrong("_tag", ENVELOPE_TAGS, tag);
            };
        }

        private ClientFrame request() throws IOException {
            String requestIdText = new Where(null, "request").string("id", id);
            Where request = new Where(requestIdText, "request " + requestIdText);
            String rpcTag = request.string("tag", rpc);
            Rpc known = Rpc.of(rpcTag);
            if (known == null) {
                StringBuilder tags = new StringBuilder();
                for (Rpc each : Rpc.values()) {
                    tags.append(tags.length() == 0 ? "" : ", ").append('"').append(each.tag).append('"');
                }
                throw request.wrong("tag", "one of " + tags, rpc);
            }
            if (decoded != null) {
                return decoded;
            }
            if (payload == null || payload.token() != JsonToken.START_OBJECT) {
                Where rpcRequest = new Where(requestIdText, known.label + " " + requestIdText);
                throw rpcRequest.wrong("payload", "an object", payload);
            }
            // Key order put the payload before what it needed: read its text now that the request is known.
            try (FrameReader later = new FrameReader(payloadText)) {
                later.next();
                return PayloadDecoder.decode(later, known, requestIdText);
            }
        }

        private static boolean isString(Value value) {
            return value != null && value.token() == JsonToken.VALUE_STRING;
        }
    }
}
