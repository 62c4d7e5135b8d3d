package io.livestore.jaxrs.internal.sync;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.livestore.store.spi.LogEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The JSON codec of the LiveStore 0.4.0 sync protocol, server side (protocol notes
 * {@code docs/livestore-sync-protocol.md} §3–§5, §8): decodes what a client sends, writes what the server
 * answers, and cuts a backlog into pages the client accepts. Stateless and thread-safe.
 *
 * <p>Jackson's streaming API, not a tree: an event's {@code args} are taken from the frame as the client's
 * very characters and written back with {@code writeRawValue}, never re-encoded (L4). The decoder checks
 * the structure of a frame only — valid JSON, known envelope and RPC, required fields of the right JSON
 * types, integral sequence numbers — and leaves what the values mean (consecutive numbers, batch size,
 * store and backend ids) to the engine. It decodes a frame of any length: the transport bounds frames.
 */
public final class SyncFrames {

    /** The most events in one pull page, as the reference server cuts them (protocol notes §8). */
    public static final int MAX_PAGE_EVENTS = 100;

    /**
     * The most UTF-8 bytes of one serialized {@code PullResponse}, as the reference server cuts them
     * (protocol notes §8): under Cloudflare's 1 MB frame cap, which clients have come to expect.
     */
    public static final int MAX_PAGE_BYTES = 900_000;

    /**
     * The parser and generator factory of the codec: strings of any length (a frame is as long as the
     * transport lets it be), otherwise Jackson's strict defaults (no comments, no NaN, no single quotes).
     */
    static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
            .build();

    private static final String PONG = "{\"_tag\":\"Pong\"}";

    private SyncFrames() {
    }

    /**
     * Decodes one client frame: an envelope {@code Ping}, {@code Eof}, {@code Ack}, {@code Interrupt}, or a
     * {@code Request} of {@code SyncWsRpc.Pull}/{@code .Push} or {@code SyncHttpRpc.Pull}/{@code .Push}/
     * {@code .Ping}. Keys in any order; unknown keys, {@code headers} and the tracing fields ignored.
     *
     * @param text the frame's text (one WebSocket text message, or one HTTP request body)
     * @throws SyncFrameException the frame is not one the protocol knows, with what was expected where
     */
    public static ClientFrame decode(String text) {
        return FrameDecoder.decode(Objects.requireNonNull(text, "text"));
    }

    /** {@code {"_tag":"Pong"}}: the answer to every {@link ClientFrame.Ping}. */
    public static String pong() {
        return PONG;
    }

    /**
     * A {@code Chunk} of a Pull: {@code {"_tag":"Chunk","requestId":…,"values":[PullResponse…]}}.
     *
     * @param values the pages, at least one, each written as a {@code PullResponse} with its events' args
     *               as stored and their {@code createdAt} as JavaScript's {@code toISOString} writes it
     * @throws IllegalArgumentException for no page: Effect RPC chunks are never empty
     */
    public static String chunk(String requestId, List<PullPage> values) {
        Objects.requireNonNull(requestId, "requestId");
        if (values.isEmpty()) {
            throw new IllegalArgumentException("a chunk of pull request " + requestId + " needs at least one page");
        }
        return FrameWriter.write(json -> {
            json.writeStartObject();
            json.writeStringField("_tag", "Chunk");
            json.writeStringField("requestId", requestId);
            json.writeArrayFieldStart("values");
            for (PullPage page : values) {
                FrameWriter.pullResponse(json, page);
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    /** The success {@code Exit} of a Push: {@code "exit":{"_tag":"Success","value":{}}} ({@code PushAck}). */
    public static String pushAccepted(String requestId) {
        return FrameWriter.success(Objects.requireNonNull(requestId, "requestId"), json -> {
            json.writeStartObject();
            json.writeEndObject();
        });
    }

    /** The end of a Pull stream (a non-live pull is complete): {@code "exit":{"_tag":"Success"}}. */
    public static String streamEnded(String requestId) {
        return FrameWriter.success(Objects.requireNonNull(requestId, "requestId"), null);
    }

    /** The success {@code Exit} of a {@link ClientFrame.HttpPing}: value {@code {"_tag":"SyncMessage.Pong"}}. */
    public static String httpPong(String requestId) {
        return FrameWriter.success(Objects.requireNonNull(requestId, "requestId"),
                json -> {
                    json.writeStartObject();
                    json.writeStringField("_tag", "SyncMessage.Pong");
                    json.writeEndObject();
                });
    }

    /**
     * A Push refused because it does not follow the store's head: {@code ServerAheadError}. The client waits
     * for the missing events on its live pull, rebases and pushes again (protocol notes §5.4).
     *
     * @param minimumExpectedNum the store's head (what the batch's first parentSeqNum had to be)
     * @param providedNum        the batch's first parentSeqNum
     */
    public static String serverAhead(String requestId, long minimumExpectedNum, long providedNum) {
        return FrameWriter.failure(Objects.requireNonNull(requestId, "requestId"), "ServerAheadError", json -> {
            json.writeNumberField("minimumExpectedNum", minimumExpectedNum);
            json.writeNumberField("providedNum", providedNum);
        });
    }

    /**
     * A request that failed for another reason: {@code UnknownError} with {@code cause} as a string. For a
     * Push the client retries with backoff; for a Pull it stops pulling (protocol notes §5.4).
     */
    public static String unknownError(String requestId, String cause) {
        Objects.requireNonNull(cause, "cause");
        return FrameWriter.failure(Objects.requireNonNull(requestId, "requestId"), "UnknownError",
                json -> json.writeStringField("cause", cause));
    }

    /**
     * A request naming another backend than the store's: {@code BackendIdMismatchError}. By default the
     * client then wipes its local data (protocol notes §5.4).
     *
     * @param expected the store's backend id
     * @param received the one the client sent
     */
    public static String backendIdMismatch(String requestId, String expected, String received) {
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(received, "received");
        return FrameWriter.failure(Objects.requireNonNull(requestId, "requestId"), "BackendIdMismatchError", json -> {
            json.writeStringField("expected", expected);
            json.writeStringField("received", received);
        });
    }

    /**
     * The body of an HTTP transport answer: all frames of one request as one JSON array, the last one its
     * {@code Exit} (protocol notes §2.2). The frames are copied as they are.
     *
     * @param frames encoded frames, as the other methods of this class return them
     */
    public static String httpBody(List<String> frames) {
        StringBuilder body = new StringBuilder(2 + frames.stream().mapToInt(String::length).sum() + frames.size());
        body.append('[');
        for (int i = 0; i < frames.size(); i++) {
            body.append(i == 0 ? "" : ",").append(Objects.requireNonNull(frames.get(i), "frame"));
        }
        return body.append(']').toString();
    }

    /**
     * Cuts events into pull pages as the reference server does (protocol notes §5.2): in order, each page
     * as full as it can be within {@link #MAX_PAGE_EVENTS} events and {@link #MAX_PAGE_BYTES} UTF-8 bytes of
     * its serialized {@code PullResponse} — measured on exactly the text {@link #chunk} writes for it,
     * {@code pageInfo} and {@code backendId} included. A page's {@code remaining} counts the events after
     * it in {@code events} plus {@code remainingAfter}; the last page is {@code NoMore} when
     * {@code remainingAfter} is 0.
     *
     * <p>An event whose page alone would exceed {@link #MAX_PAGE_BYTES} goes alone in its page, larger than
     * the limit: it is in the log and the client must get it to go on (the 0.4.0 client never pushes such an
     * event, but Java code may commit one). No events give one empty page, so that a caught-up client gets
     * its {@code NoMore}.
     *
     * @param events         events in seqNum order
     * @param remainingAfter how many events follow these in the backlog (0 when these are the last)
     * @param backendId      the store's backend id, written in every page
     * @throws IllegalArgumentException for a negative {@code remainingAfter}
     */
    public static List<PullPage> pages(List<LogEvent> events, long remainingAfter, String backendId) {
        Objects.requireNonNull(backendId, "backendId");
        if (remainingAfter < 0) {
            throw new IllegalArgumentException("events after the pages cannot be " + remainingAfter);
        }
        int count = events.size();
        if (count == 0) {
            return List.of(new PullPage(List.of(), remainingAfter, backendId));
        }
        long[] sizes = new long[count];
        for (int i = 0; i < count; i++) {
            LogEvent event = events.get(i);
            sizes[i] = utf8Length(FrameWriter.write(json -> FrameWriter.batchElement(json, event)));
        }
        // A page's text is {"batch":[ elements joined by commas ],"pageInfo":…,"backendId":…}: the part
        // around the elements depends only on `remaining`, and only by the digits of MoreKnown's number.
        long noMore = FrameWriter.pullResponseOverhead(0, backendId);
        long moreKnownWithoutDigits = FrameWriter.pullResponseOverhead(1, backendId) - 1;
        List<PullPage> pages = new ArrayList<>();
        int start = 0;
        while (start < count) {
            int end = start;
            long elements = 0;
            while (end < count && end - start < MAX_PAGE_EVENTS) {
                long withNext = elements + sizes[end] + (end > start ? 1 : 0);
                long after = Math.addExact(count - end - 1L, remainingAfter);
                long size = withNext + (after == 0 ? noMore : moreKnownWithoutDigits + Long.toString(after).length());
                if (end > start && size > MAX_PAGE_BYTES) {
                    break;
                }
                elements = withNext;
                end++;
            }
            pages.add(new PullPage(events.subList(start, end), Math.addExact(count - (long) end, remainingAfter),
                    backendId));
            start = end;
        }
        return pages;
    }

    /**
     * The number of bytes {@code text} takes in UTF-8: what a frame weighs on the wire. An unpaired
     * surrogate (not valid UTF-16, so never in a well-formed frame) counts 3 bytes, as many as its
     * replacement character would.
     */
    public static long utf8Length(String text) {
        long bytes = 0;
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
