package io.livestore.jaxrs.internal.sync;

import io.livestore.cdi.LiveStoreConfig;

/**
 * Where the sync endpoint listens ({@value LiveStoreConfig#SYNC_PATH}, default {@value #DEFAULT}): a WebSocket
 * client connects to {@code <context root><path>/<definition>?storeId=…&payload=…&transport=ws}.
 */
public final class SyncPath {

    /** The path when {@value LiveStoreConfig#SYNC_PATH} is not set. */
    public static final String DEFAULT = "/livestore";

    private SyncPath() {
    }

    /**
     * The configured path, normalized: starts with '/', no trailing '/' (the empty string for the context root).
     *
     * @throws IllegalArgumentException the value is not a plain path (with the key and what was expected)
     */
    public static String configured() {
        return normalize(LiveStoreConfig.value(LiveStoreConfig.SYNC_PATH).orElse(DEFAULT));
    }

    /** The WebSocket endpoint's URI template under {@code base}. */
    public static String endpointTemplate(String base) {
        return base + "/{definition}";
    }

    static String normalize(String raw) {
        String path = raw.strip();
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            // a servlet URL pattern and a WebSocket URI template are built from it: no templates, wildcards,
            // query or fragment, nothing that needs encoding
            if (c <= ' ' || c >= 0x7f || "{}*?#%;\\".indexOf(c) >= 0) {
                throw invalid(raw);
            }
        }
        if (!path.startsWith("/")) {
            path = "/" + path;
        }
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (path.contains("//")) {
            throw invalid(raw);
        }
        return path;
    }

    private static IllegalArgumentException invalid(String raw) {
        return new IllegalArgumentException(LiveStoreConfig.SYNC_PATH + " is '" + raw + "': expected a path such as "
                + DEFAULT + " (letters, digits, '-', '_', '.', '/'; no template, wildcard or query)");
    }
}
