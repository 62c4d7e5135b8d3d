package io.livestore.jaxrs.internal.sync;

import com.fasterxml.jackson.core.JsonGenerator;
import io.livestore.store.spi.LogEvent;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Writes server frames and their parts as compact JSON, the way {@code JSON.stringify} writes them (no
 * whitespace, non-ASCII characters as they are), so that what {@link SyncFrames#pages} measures is what
 * the client receives. An event's {@code args} go out as the raw text they were stored with (L4).
 */
final class FrameWriter {

    /** Something written with a generator. */
    interface Body {
        void write(JsonGenerator json) throws IOException;
    }

    private FrameWriter() {
    }

    /** The text {@code body} writes. */
    static String write(Body body) {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = SyncFrames.JSON.createGenerator(text)) {
            body.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException("writing a frame to memory failed", e);
        }
        return text.toString();
    }

    /**
     * One {@code PullResponse}: {@code {"batch":[…],"pageInfo":…,"backendId":…}}. Its text is the elements'
     * texts ({@link #batchElement}) joined by commas between {@link #pullResponseOverhead}'s two halves —
     * which is how {@link SyncFrames#pages} adds up a page's size without writing it.
     */
    static void pullResponse(JsonGenerator json, PullPage page) throws IOException {
        json.writeStartObject();
        json.writeArrayFieldStart("batch");
        for (LogEvent event : page.batch()) {
            batchElement(json, event);
        }
        json.writeEndArray();
        json.writeFieldName("pageInfo");
        json.writeStartObject();
        if (page.remaining() > 0) {
            json.writeStringField("_tag", "MoreKnown");
            json.writeNumberField("remaining", page.remaining());
        } else {
            json.writeStringField("_tag", "NoMore");
        }
        json.writeEndObject();
        json.writeStringField("backendId", page.backendId());
        json.writeEndObject();
    }

    /**
     * One element of a page's batch: the event as {@code LiveStoreEvent.Global.Encoded} (without its
     * eventId, which is the server's) and its {@code SyncMetadata}, always {@code Some} (protocol notes §5.1).
     */
    static void batchElement(JsonGenerator json, LogEvent event) throws IOException {
        json.writeStartObject();
        json.writeObjectFieldStart("eventEncoded");
        json.writeStringField("name", event.name());
        json.writeFieldName("args");
        json.writeRawValue(event.args());
        json.writeNumberField("seqNum", event.seqNum());
        json.writeNumberField("parentSeqNum", event.parentSeqNum());
        json.writeStringField("clientId", event.clientId());
        json.writeStringField("sessionId", event.sessionId());
        json.writeEndObject();
        json.writeObjectFieldStart("metadata");
        json.writeStringField("_tag", "Some");
        json.writeObjectFieldStart("value");
        json.writeStringField("_tag", "SyncMessage.SyncMetadata");
        json.writeStringField("createdAt", isoInstant(event.createdAt()));
        json.writeEndObject();
        json.writeEndObject();
        json.writeEndObject();
    }

    /** The UTF-8 length of a {@code PullResponse} with an empty batch and this {@code remaining}. */
    static long pullResponseOverhead(long remaining, String backendId) {
        return SyncFrames.utf8Length(write(json -> pullResponse(json, new PullPage(List.of(), remaining,
                backendId))));
    }

    /** {@code {"_tag":"Exit","requestId":…,"exit":{"_tag":"Success"[,"value":…]}}}. */
    static String success(String requestId, Body value) {
        return write(json -> {
            exitStart(json, requestId);
            json.writeStringField("_tag", "Success");
            if (value != null) {
                json.writeFieldName("value");
                value.write(json);
            }
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    /**
     * {@code {"_tag":"Exit","requestId":…,"exit":{"_tag":"Failure","cause":{"_tag":"Fail","error":{…}}}}}:
     * a typed error of the RPC; {@code fields} writes the error's fields, then comes its {@code _tag}, in the
     * order Effect's encoder writes them.
     */
    static String failure(String requestId, String errorTag, Body fields) {
        return write(json -> {
            exitStart(json, requestId);
            json.writeStringField("_tag", "Failure");
            json.writeObjectFieldStart("cause");
            json.writeStringField("_tag", "Fail");
            json.writeObjectFieldStart("error");
            fields.write(json);
            json.writeStringField("_tag", errorTag);
            json.writeEndObject();
            json.writeEndObject();
            json.writeEndObject();
            json.writeEndObject();
        });
    }

    private static void exitStart(JsonGenerator json, String requestId) throws IOException {
        json.writeStartObject();
        json.writeStringField("_tag", "Exit");
        json.writeStringField("requestId", requestId);
        json.writeObjectFieldStart("exit");
    }

    /**
     * An instant as JavaScript's {@code Date.prototype.toISOString} writes it: always milliseconds and
     * {@code Z} ({@code 2026-12-02T03:54:44.000Z}); years outside 0–9999 with a sign and six digits.
     */
    static String isoInstant(Instant instant) {
        LocalDateTime t = LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
        StringBuilder iso = new StringBuilder(27);
        int year = t.getYear();
        if (year >= 0 && year <= 9999) {
            pad(iso, year, 4);
        } else {
            iso.append(year < 0 ? '-' : '+');
            pad(iso, Math.abs(year), 6);
        }
        iso.append('-');
        pad(iso, t.getMonthValue(), 2);
        iso.append('-');
        pad(iso, t.getDayOfMonth(), 2);
        iso.append('T');
        pad(iso, t.getHour(), 2);
        iso.append(':');
        pad(iso, t.getMinute(), 2);
        iso.append(':');
        pad(iso, t.getSecond(), 2);
        iso.append('.');
        pad(iso, t.getNano() / 1_000_000, 3);
        return iso.append('Z').toString();
    }

    private static void pad(StringBuilder to, int value, int digits) {
        String text = Integer.toString(value);
        for (int i = text.length(); i < digits; i++) {
            to.append('0');
        }
        to.append(text);
    }
}
