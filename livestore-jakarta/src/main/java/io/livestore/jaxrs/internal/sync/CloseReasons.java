package io.livestore.jaxrs.internal.sync;

import java.nio.charset.StandardCharsets;

/** WebSocket close reasons: at most {@value #MAX_BYTES} bytes of UTF-8 (RFC 6455 §5.5: 125 minus the code). */
final class CloseReasons {

    static final int MAX_BYTES = 123;

    private CloseReasons() {
    }

    /** {@code reason} (null = empty), cut at a character boundary to fit, ending in "…" when cut. */
    static String fit(String reason) {
        if (reason == null) {
            return "";
        }
        if (reason.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES) {
            return reason;
        }
        int budget = MAX_BYTES - 3; // "…" is 3 bytes
        int bytes = 0;
        int end = 0;
        while (end < reason.length()) {
            int cp = reason.codePointAt(end);
            int len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + len > budget) {
                break;
            }
            bytes += len;
            end += Character.charCount(cp);
        }
        return reason.substring(0, end) + "…";
    }
}
