package io.livestore.it;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;

/**
 * JSON bodies written by the application itself, with the server's JSON-B (the library brings no JSON
 * library of its own into the WAR).
 */
final class Json {

    private static final Jsonb JSONB = JsonbBuilder.create();

    private Json() {
    }

    static String write(Object value) {
        return JSONB.toJson(value);
    }
}
