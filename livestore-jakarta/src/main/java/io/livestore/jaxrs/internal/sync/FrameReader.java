package io.livestore.jaxrs.internal.sync;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * One client frame under a streaming parser that knows where each value starts and ends in the frame's
 * text, so that {@code args} and {@code payload} are taken as the client's very characters (L4) instead
 * of being parsed into a tree and written again. Also the field checks and the wording of their faults.
 *
 * <p>The parser reads from a {@code char[]} holding the whole frame, so its character offsets are offsets
 * into the frame's {@code String} (no buffer refills, no byte/char mismatch). Not thread-safe: one per
 * decode.
 */
final class FrameReader implements AutoCloseable {

    /** The longest text of a value quoted in a fault message. */
    private static final int QUOTE_LIMIT = 40;

    private final String source;
    private final JsonParser parser;

    /** @throws IOException when the parser cannot be made (it reads nothing yet) */
    FrameReader(String source) throws IOException {
        this.source = source;
        this.parser = SyncFrames.JSON.createParser(source.toCharArray());
    }

    /** The next token, or null at the end of the text. */
    JsonToken next() throws IOException {
        return parser.nextToken();
    }

    /** The token the parser stands on. */
    JsonToken token() {
        return parser.currentToken();
    }

    /** The name of the field the parser stands on. */
    String fieldName() throws IOException {
        return parser.currentName();
    }

    /** Skips the value the parser stands on (a container with all it holds). */
    void skip() throws IOException {
        parser.skipChildren();
    }

    /** Where the token the parser stands on starts in the frame's text. */
    int tokenStart() {
        return (int) parser.currentTokenLocation().getCharOffset();
    }

    /** Where the text the parser has consumed ends: after a value's last character once it is read. */
    int consumed() {
        return (int) parser.currentLocation().getCharOffset();
    }

    /** The frame's text between two offsets. */
    String text(int start, int end) {
        return source.substring(start, end);
    }

    /**
     * Reads the value the parser stands on whole (a container is skipped) and says what it was.
     * A string's text must be read before the parser has consumed its closing quote.
     */
    Value value() throws IOException {
        JsonToken token = parser.currentToken();
        int start = tokenStart();
        String text = null;
        Long number = null;
        switch (token) {
            case START_OBJECT, START_ARRAY -> parser.skipChildren();
            case VALUE_NUMBER_INT -> {
                text = parser.getText();
                if (parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                    number = parser.getLongValue();
                }
            }
            default -> text = parser.getText();
        }
        return new Value(token, text, number, start, consumed());
    }

    /** The exact JSON text of a value read by {@link #value()}. */
    String raw(Value value) {
        return text(value.start(), value.end());
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }

    /**
     * A value as read: its token, its text (a string's content, a number's literal, {@code true}…), for an
     * integer within the long range its value, and its span in the frame's text.
     */
    record Value(JsonToken token, String text, Long number, int start, int end) {

        /** How a fault message shows it: a string quoted (shortened), a literal as is, a container by kind. */
        String describe() {
            return switch (token) {
                case START_OBJECT -> "an object";
                case START_ARRAY -> "an array";
                case VALUE_STRING -> text.length() <= QUOTE_LIMIT
                        ? '"' + text + '"'
                        : '"' + text.substring(0, QUOTE_LIMIT) + "…\"";
                default -> text.length() <= QUOTE_LIMIT ? text : text.substring(0, QUOTE_LIMIT) + "…";
            };
        }
    }

    /**
     * Where in a frame a check is made — "push request 2: event #0 'todoCreated'" — and the request id to
     * report with its fault.
     */
    record Where(String requestId, String path) {

        /** A place inside this one. */
        Where in(String part) {
            return new Where(requestId, path + ": " + part);
        }

        /** The fault {@code message} at this place. */
        SyncFrameException fault(String message) {
            return new SyncFrameException(requestId, path + ": " + message);
        }

        /** The fault of a field that is missing or of another kind than {@code expected}. */
        SyncFrameException wrong(String field, String expected, Value got) {
            return got == null
                    ? fault(field + " is missing (expected " + expected + ")")
                    : fault(field + " must be " + expected + ", got " + got.describe());
        }

        /** A string field's content. */
        String string(String field, Value value) {
            if (value == null || value.token() != JsonToken.VALUE_STRING) {
                throw wrong(field, "a string", value);
            }
            return value.text();
        }

        /** A string field's content, which must not be empty. */
        String nonEmptyString(String field, Value value) {
            if (value == null || value.token() != JsonToken.VALUE_STRING || value.text().isEmpty()) {
                throw wrong(field, "a non-empty string", value);
            }
            return value.text();
        }

        /** A boolean field's value. */
        boolean bool(String field, Value value) {
            if (value == null || (value.token() != JsonToken.VALUE_TRUE && value.token() != JsonToken.VALUE_FALSE)) {
                throw wrong(field, "true or false", value);
            }
            return value.token() == JsonToken.VALUE_TRUE;
        }

        /**
         * A sequence number: a JSON integer (no fraction, no exponent, not a string) within the long range,
         * 0 or more — what {@code EventSequenceNumber.Global.Schema} accepts, and what JSON.stringify writes.
         */
        long sequenceNumber(String field, Value value) {
            if (value == null || value.token() != JsonToken.VALUE_NUMBER_INT || value.number() == null
                    || value.number() < 0) {
                throw wrong(field, "an integer >= 0", value);
            }
            return value.number();
        }
    }
}
