package io.livestore.it;

import jakarta.json.bind.annotation.JsonbProperty;

/**
 * An entity the server's JSON provider writes: its key is {@code renamed} only when JSON-B writes it (a
 * Jackson provider ignores JSON-B's annotation and writes {@code original}).
 */
public class RenamedByJsonb {

    @JsonbProperty("renamed")
    private String original = "by JSON-B";

    /** @return the value, under the key JSON-B's annotation gives it */
    @JsonbProperty("renamed")
    public String getOriginal() {
        return original;
    }

    /** @param original the value */
    @JsonbProperty("renamed")
    public void setOriginal(String original) {
        this.original = original;
    }
}
