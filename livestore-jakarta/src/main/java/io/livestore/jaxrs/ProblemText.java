package io.livestore.jaxrs;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps internals out of what a client reads: a cause's text (a materializer's exception, SQLite's
 * message with the SQL statement) and Java class names. The full text stays in the server log.
 */
final class ProblemText {

    /** What stands where a cause's text was. */
    static final String SEE_LOG = "(cause in the server log)";

    // A cause's bare message is removed when at least this long: a shorter one ("1", "id") would also
    // match the exception's own words; its description (class name first) is always removed.
    private static final int MIN_MESSAGE = 8;

    // A qualified exception or error class name such as org.sqlite.SQLiteException or java.lang.IllegalStateException.
    private static final Pattern CLASS_NAME = Pattern.compile("\\b(?:[a-z_][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?:Exception|Error)\\b");

    private static final Pattern QUALIFIED_NAME = Pattern.compile("(?<![\\w.'])(?:[a-z_][a-z0-9_]*\\.){2,}[A-Z][A-Za-z0-9_$]*\\b");

    private ProblemText() {
    }

    /** {@code detail} with the message and description of {@code cause} and each of its causes replaced. */
    static String withoutCauses(String detail, Throwable cause) {
        String text = detail == null ? "" : detail;
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = cause; t != null && seen.put(t, Boolean.TRUE) == null; t = t.getCause()) {
            text = replace(text, t.toString());
            String message = t.getMessage();
            if (message != null && message.length() >= MIN_MESSAGE) {
                text = replace(text, message);
            }
        }
        return text;
    }

    /** {@code text} with qualified class names replaced. */
    static String withoutClassNames(String text) {
        String withoutExceptions = CLASS_NAME.matcher(text).replaceAll(SEE_LOG);
        // Any other qualified Java name (an event record, a schema class) shows the application's
        // packages: a client gets the simple name, which still says which type was meant.
        return QUALIFIED_NAME.matcher(withoutExceptions).replaceAll(m -> Matcher.quoteReplacement(
                simpleName(m.group())));
    }

    private static String simpleName(String qualified) {
        String simple = qualified.substring(qualified.lastIndexOf('.') + 1);
        return simple.substring(simple.lastIndexOf('$') + 1);
    }

    private static String replace(String text, String part) {
        return part == null || part.isBlank() ? text : text.replace(part, SEE_LOG);
    }
}
