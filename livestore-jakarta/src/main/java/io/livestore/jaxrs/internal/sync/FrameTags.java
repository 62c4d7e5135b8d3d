package io.livestore.jaxrs.internal.sync;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import java.io.StringReader;
import java.util.Map;

/**
 * The envelope fields a transport needs, read with the server's JSON-P without building the frame:
 * the top-level {@code _tag}, {@code requestId} and {@code id} (other values are skipped, in any key order).
 */
record FrameTags(String tag, String requestId, String id) {

    private static final FrameTags NONE = new FrameTags(null, null, null);

    /** The fields of {@code frame}, each null when absent or not a string; all null when it is not a JSON object. */
    static FrameTags of(String frame) {
        String tag = null;
        String requestId = null;
        String id = null;
        try (JsonParser p = Holder.PARSERS.createParser(new StringReader(frame))) {
            if (!p.hasNext() || p.next() != JsonParser.Event.START_OBJECT) {
                return NONE;
            }
            while (p.hasNext()) {
                JsonParser.Event e = p.next();
                if (e == JsonParser.Event.END_OBJECT) {
                    break;
                }
                String key = p.getString(); // KEY_NAME
                JsonParser.Event value = p.next();
                if (value == JsonParser.Event.START_OBJECT) {
                    p.skipObject();
                } else if (value == JsonParser.Event.START_ARRAY) {
                    p.skipArray();
                } else if (value == JsonParser.Event.VALUE_STRING) {
                    switch (key) {
                        case "_tag" -> tag = p.getString();
                        case "requestId" -> requestId = p.getString();
                        case "id" -> id = p.getString();
                        default -> { }
                    }
                }
            }
        } catch (JsonException | IllegalStateException | java.util.NoSuchElementException e) {
            return new FrameTags(tag, requestId, id);
        }
        return new FrameTags(tag, requestId, id);
    }

    private static final class Holder {
        static final JsonParserFactory PARSERS = Json.createParserFactory(Map.of());
    }
}
