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
     * The configured path, normalized: starts with '/', no trailing '/', never the context root itself.
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
            // a servlet URL pattern and a WebSocket URI template are built from it: plain characters only
            boolean plain = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-_./".indexOf(c) >= 0;
            if (!plain) {
                throw invalid(raw);
            }
        }
        if (!path.startsWith("/")) {
            path = "/" + path;
        }
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        // Not the context root: the upgrade filter takes <path>/*, which would shadow the application's own
        // WebSocket endpoints; no empty, "." or ".." segments either.
        if (path.isEmpty() || path.contains("//") || ("/" + path + "/").contains("/./") || ("/" + path + "/").contains("/../")) {
            throw invalid(raw);
        }
        return path;
    }

    private static IllegalArgumentException invalid(String raw) {
        return new IllegalArgumentException(LiveStoreConfig.SYNC_PATH + " is '" + raw + "': expected a path such as "
                + DEFAULT + " below the context root (letters, digits, '-', '_', '.', '/'; no template, wildcard, query, "
                + "'.' or '..' segment)");
    }
}
