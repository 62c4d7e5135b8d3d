package io.livestore.jaxrs.internal.sync;

import jakarta.json.Json;
import jakarta.json.JsonBuilderFactory;
import java.util.Map;

/**
 * The problem document (RFC 9457) of a refused sync connection, the same for the WebSocket upgrade and
 * the HTTP transport: {@code type}, {@code title}, {@code status}, {@code detail}, {@code messageId}
 * {@value #MESSAGE_ID}. Written with the server's JSON-P.
 */
public final class SyncProblems {

    /** The problem media type. */
    public static final String PROBLEM_JSON = "application/problem+json";
    /** The message id of every refused sync connection. */
    public static final String MESSAGE_ID = "LIVESTORE-0410";
    /** Longest detail a document carries; longer ones are cut. */
    static final int MAX_DETAIL = 512;

    private SyncProblems() {
    }

    /** The document's JSON text. */
    public static String document(int status, String detail) {
        String d = detail == null || detail.isBlank() ? titleOf(status) : detail;
        if (d.length() > MAX_DETAIL) {
            int end = Character.isHighSurrogate(d.charAt(MAX_DETAIL - 1)) ? MAX_DETAIL - 1 : MAX_DETAIL;
            d = d.substring(0, end) + "…";
        }
        return Holder.JSON.createObjectBuilder()
                .add("type", "urn:livestore:problem:" + MESSAGE_ID)
                .add("title", titleOf(status))
                .add("status", status)
                .add("detail", d)
                .add("messageId", MESSAGE_ID)
                .build().toString();
    }

    private static String titleOf(int status) {
        switch (status) {
            case 400:
                return "Invalid sync request";
            case 403:
                return "Sync refused";
            case 404:
                return "No such sync endpoint";
            case 413:
                return "Sync request too large";
            case 503:
                return "Sync unavailable";
            case 504:
                return "Sync request timed out";
            default:
                return "Sync failed";
        }
    }

    // The JSON-P provider is looked up when the first document is written, not at deployment.
    private static final class Holder {
        static final JsonBuilderFactory JSON = Json.createBuilderFactory(Map.of());
    }
}
