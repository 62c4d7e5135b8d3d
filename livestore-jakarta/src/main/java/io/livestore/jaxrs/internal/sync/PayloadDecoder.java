package io.livestore.jaxrs.internal.sync;

import com.fasterxml.jackson.core.JsonToken;
import io.livestore.jaxrs.internal.sync.FrameDecoder.Rpc;
import io.livestore.jaxrs.internal.sync.FrameReader.Value;
import io.livestore.jaxrs.internal.sync.FrameReader.Where;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the {@code payload} of a sync RPC request (protocol notes §4, §5.2, §5.3): the Pull's
 * {@code storeId}, {@code payload}, {@code live} and {@code cursor}, the Push's {@code storeId},
 * {@code payload}, {@code batch} and {@code backendId}, the HTTP Ping's {@code storeId}.
 *
 * <p>Each object's fields are gathered first and checked when the object is complete, in a fixed order,
 * so that a fault names the event by its name whatever the key order, and an {@code Option}'s
 * {@code value} is looked at only when its {@code _tag} is {@code Some} (Effect ignores it for
 * {@code None}). Unknown keys are skipped; a key that appears twice counts with its last value, as in
 * {@code JSON.parse}.
 */
final class PayloadDecoder {

    private static final String CURSOR_VALUE_SHAPE = "{\"backendId\":…,\"eventSequenceNumber\":…}";
    private static final String CURSOR_SHAPE = "{\"_tag\":\"None\"} or {\"_tag\":\"Some\",\"value\":" + CURSOR_VALUE_SHAPE + "}";
    private static final String BACKEND_ID_SHAPE = "{\"_tag\":\"None\"} or {\"_tag\":\"Some\",\"value\":\"…\"}";

    private PayloadDecoder() {
    }

    /**
     * @param reader    standing on the payload's {@code START_OBJECT}; left on its {@code END_OBJECT}
     * @param rpc       the request's RPC
     * @param requestId the request's id
     */
    static ClientFrame decode(FrameReader reader, Rpc rpc, String requestId) throws IOException {
        Where where = new Where(requestId, rpc.label + " " + requestId);
        return switch (rpc) {
            case WS_PULL -> pull(reader, where, requestId, true);
            case HTTP_PULL -> pull(reader, where, requestId, false);
            case WS_PUSH, HTTP_PUSH -> push(reader, where, requestId);
            case HTTP_PING -> ping(reader, where, requestId);
        };
    }

    private static ClientFrame.Pull pull(FrameReader reader, Where where, String requestId, boolean hasLive)
            throws IOException {
        Value storeId = null;
        Value payload = null;
        Value live = null;
        Option cursor = null;
        while (reader.next() == JsonToken.FIELD_NAME) {
            String key = reader.fieldName();
            reader.next();
            switch (key) {
                case "storeId" -> storeId = reader.value();
                case "payload" -> payload = reader.value();
                case "live" -> live = reader.value();
                case "cursor" -> cursor = Option.read(reader, true);
                default -> reader.skip();
            }
        }
        String store = where.string("storeId", storeId);
        // SyncHttpRpc.Pull has no live field: Effect's decoding drops it, so a stray one is ignored too.
        boolean isLive = hasLive && where.bool("live", live);
        return new ClientFrame.Pull(requestId, store, raw(reader, payload), isLive, cursor(where, cursor));
    }

    private static Cursor cursor(Where where, Option cursor) {
        if (cursor == null) {
            throw where.fault("cursor is missing (expected " + CURSOR_SHAPE + ")");
        }
        if (!cursor.isSome(where, "cursor", CURSOR_SHAPE)) {
            return null;
        }
        Where value = where.in("cursor.value");
        if (cursor.value == null || cursor.value.token() != JsonToken.START_OBJECT) {
            throw where.wrong("cursor.value", "an object " + CURSOR_VALUE_SHAPE, cursor.value);
        }
        return new Cursor(value.string("backendId", cursor.backendId),
                value.sequenceNumber("eventSequenceNumber", cursor.eventSequenceNumber));
    }

    private static ClientFrame.Push push(FrameReader reader, Where where, String requestId) throws IOException {
        Value storeId = null;
        Value payload = null;
        List<WireEvent> batch = null;
        Option backendId = null;
        while (reader.next() == JsonToken.FIELD_NAME) {
            String key = reader.fieldName();
            reader.next();
            switch (key) {
                case "storeId" -> storeId = reader.value();
                case "payload" -> payload = reader.value();
                case "batch" -> batch = batch(reader, where);
                case "backendId" -> backendId = Option.read(reader, false);
                default -> reader.skip();
            }
        }
        String store = where.string("storeId", storeId);
        if (batch == null) {
            throw where.fault("batch is missing (expected an array of events)");
        }
        return new ClientFrame.Push(requestId, store, raw(reader, payload), batch, backendId(where, backendId));
    }

    private static String backendId(Where where, Option backendId) {
        if (backendId == null) {
            throw where.fault("backendId is missing (expected " + BACKEND_ID_SHAPE + ")");
        }
        return backendId.isSome(where, "backendId", BACKEND_ID_SHAPE)
                ? where.string("backendId.value", backendId.value) : null;
    }

    private static List<WireEvent> batch(FrameReader reader, Where where) throws IOException {
        if (reader.token() != JsonToken.START_ARRAY) {
            throw where.wrong("batch", "an array of events", reader.value());
        }
        List<WireEvent> batch = new ArrayList<>();
        while (reader.next() != JsonToken.END_ARRAY) {
            batch.add(event(reader, where, batch.size()));
        }
        return batch;
    }

    private static WireEvent event(FrameReader reader, Where where, int index) throws IOException {
        String label = "event #" + index;
        if (reader.token() != JsonToken.START_OBJECT) {
            throw where.wrong(label, "an object", reader.value());
        }
        Value name = null;
        Value args = null;
        Value seqNum = null;
        Value parentSeqNum = null;
        Value clientId = null;
        Value sessionId = null;
        while (reader.next() == JsonToken.FIELD_NAME) {
            String key = reader.fieldName();
            reader.next();
            switch (key) {
                case "name" -> name = reader.value();
                case "args" -> args = reader.value();
                case "seqNum" -> seqNum = reader.value();
                case "parentSeqNum" -> parentSeqNum = reader.value();
                case "clientId" -> clientId = reader.value();
                case "sessionId" -> sessionId = reader.value();
                default -> reader.skip();
            }
        }
        String eventName = where.in(label).nonEmptyString("name", name);
        Where event = where.in(label + " '" + eventName + "'");
        if (args == null) {
            // Schema.Any would let it be absent, but an event without args cannot be kept byte-exact (L4).
            throw event.fault("args is missing (expected any JSON value)");
        }
        return new WireEvent(eventName, reader.raw(args), event.sequenceNumber("seqNum", seqNum),
                event.sequenceNumber("parentSeqNum", parentSeqNum), event.string("clientId", clientId),
                event.string("sessionId", sessionId));
    }

    private static ClientFrame.HttpPing ping(FrameReader reader, Where where, String requestId) throws IOException {
        Value storeId = null;
        while (reader.next() == JsonToken.FIELD_NAME) {
            String key = reader.fieldName();
            reader.next();
            if (key.equals("storeId")) {
                storeId = reader.value();
            } else {
                reader.skip();
            }
        }
        where.string("storeId", storeId);
        return new ClientFrame.HttpPing(requestId);
    }

    private static String raw(FrameReader reader, Value value) {
        return value == null ? null : reader.raw(value);
    }

    /**
     * An Effect {@code Option} as read: its {@code _tag} and its {@code value} — for a cursor, the value's
     * two fields, gathered like any object's.
     */
    private static final class Option {
        private Value tag;
        private Value value;
        private Value backendId;
        private Value eventSequenceNumber;
        private Value self;

        static Option read(FrameReader reader, boolean cursorValue) throws IOException {
            Option option = new Option();
            if (reader.token() != JsonToken.START_OBJECT) {
                option.self = reader.value();
                return option;
            }
            while (reader.next() == JsonToken.FIELD_NAME) {
                String key = reader.fieldName();
                reader.next();
                if (key.equals("_tag")) {
                    option.tag = reader.value();
                } else if (key.equals("value") && cursorValue && reader.token() == JsonToken.START_OBJECT) {
                    option.readCursorValue(reader);
                } else if (key.equals("value")) {
                    option.value = reader.value();
                } else {
                    reader.skip();
                }
            }
            return option;
        }

        private void readCursorValue(FrameReader reader) throws IOException {
            int start = reader.tokenStart();
            backendId = null;
            eventSequenceNumber = null;
            while (reader.next() == JsonToken.FIELD_NAME) {
                String key = reader.fieldName();
                reader.next();
                switch (key) {
                    case "backendId" -> backendId = reader.value();
                    case "eventSequenceNumber" -> eventSequenceNumber = reader.value();
                    default -> reader.skip();
                }
            }
            value = new Value(JsonToken.START_OBJECT, null, null, start, reader.consumed());
        }

        /** Whether it is {@code Some}; false for {@code None}; a fault for anything else. */
        boolean isSome(Where where, String field, String shape) {
            if (self != null) {
                throw where.wrong(field, shape, self);
            }
            if (tag == null || tag.token() != JsonToken.VALUE_STRING
                    || !(tag.text().equals("None") || tag.text().equals("Some"))) {
                throw where.wrong(field + "._tag", "\"None\" or \"Some\"", tag);
            }
            return tag.text().equals("Some");
        }
    }
}
