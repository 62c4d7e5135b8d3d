package io.livestore.jaxrs.internal.sync;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Reads the handshake from the raw query string the client sent, decoding it once as
 * {@code application/x-www-form-urlencoded} UTF-8 — what the client's {@code URLSearchParams} encoding
 * undoes, and what a servlet container's {@code getParameter} does — the same way on every server (their
 * query-string charsets differ). {@code payload} stays percent-encoded once more (protocol notes §2.1);
 * the engine decodes it.
 */
public final class SyncQuery {

    private SyncQuery() {
    }

    /**
     * @param definition the definition's name from the path, decoded
     * @param rawQuery   the query string as sent (still percent-encoded), or null
     * @throws SyncRefusedException 400 when the query string is not valid percent-encoding
     */
    public static SyncHandshake handshake(String definition, String rawQuery) {
        String storeId = null;
        String payload = null;
        String transport = null;
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                // the first occurrence counts, as with getParameter
                if (name.equals("storeId") && storeId == null) {
                    storeId = value;
                } else if (name.equals("payload") && payload == null) {
                    payload = value;
                } else if (name.equals("transport") && transport == null) {
                    transport = value;
                }
            }
        }
        return new SyncHandshake(definition, storeId, payload, transport);
    }

    private static String decode(String part) {
        try {
            return URLDecoder.decode(part, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new SyncRefusedException(400, "the query string is not valid percent-encoding (at '"
                    + (part.length() > 40 ? part.substring(0, 40) + "…" : part) + "'); expected ?storeId=…&payload=…&transport=…");
        }
    }
}
