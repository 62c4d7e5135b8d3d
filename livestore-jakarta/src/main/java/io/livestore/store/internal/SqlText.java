package io.livestore.store.internal;

import io.livestore.store.QueryException;
import java.util.Locale;
import java.util.Set;

/**
 * What the library needs to know about a statement's text before SQLite prepares it: its first
 * keyword, and whether anything follows the first statement. Preparing alone is not harmless — some
 * PRAGMAs take effect while being prepared — and SQLite silently ignores every statement after the
 * first, so both are decided here, on the text, with SQLite's own lexical rules for literals,
 * quoted identifiers and comments.
 */
final class SqlText {

    /**
     * Statements a query must not be, refused on their text: they change the connection or the file
     * without writing a table, some of them already while being prepared. Writes (INSERT, UPDATE,
     * DELETE, REPLACE) are found on the plan instead; unknown words are SQLite's syntax errors.
     */
    private static final Set<String> NOT_READS = Set.of("PRAGMA", "ATTACH", "DETACH", "BEGIN",
            "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE", "VACUUM", "ANALYZE", "REINDEX", "CREATE", "DROP",
            "ALTER", "EXPLAIN");

    private SqlText() {
    }

    /**
     * Refuses, before SQLite prepares it, a query text that is not one read statement.
     *
     * @param where names the store in the message
     * @throws QueryException naming the store and the query
     */
    static void requireSingleRead(String sql, String where) {
        String keyword = firstKeyword(sql);
        if (NOT_READS.contains(keyword)) {
            throw new QueryException(where + ": query '" + sql + "' is not a read: a query is one SELECT, WITH "
                    + "or VALUES statement, and " + keyword + " statements are not run; the store's settings belong "
                    + "to the library and its tables change only through committed events");
        }
        if (hasSeveralStatements(sql)) {
            throw new QueryException(where + ": query '" + sql + "' holds several statements, and only the first "
                    + "would run; a query is one SELECT, WITH or VALUES statement");
        }
    }

    /** The first keyword, upper-cased, skipping whitespace and comments; "" when there is none. */
    static String firstKeyword(String sql) {
        int i = skipSpaceAndComments(sql, 0);
        int start = i;
        while (i < sql.length() && Character.isLetter(sql.charAt(i))) {
            i++;
        }
        return sql.substring(start, i).toUpperCase(Locale.ROOT);
    }

    /**
     * True when the text holds more than one statement: a {@code ;} outside literals, identifiers and
     * comments, followed by anything but whitespace, comments and further {@code ;}.
     */
    static boolean hasSeveralStatements(String sql) {
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                i = skipQuoted(sql, i, c);
            } else if (c == '[') {
                int end = sql.indexOf(']', i + 1);
                i = end < 0 ? n : end + 1;
            } else if (startsComment(sql, i)) {
                i = skipComment(sql, i);
            } else if (c == ';') {
                int rest = i + 1;
                while (true) {
                    rest = skipSpaceAndComments(sql, rest);
                    if (rest < n && sql.charAt(rest) == ';') {
                        rest++;
                    } else {
                        break;
                    }
                }
                return rest < n;
            } else {
                i++;
            }
        }
        return false;
    }

    private static int skipQuoted(String sql, int open, char quote) {
        int i = open + 1;
        while (i < sql.length()) {
            if (sql.charAt(i) == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2; // a doubled quote is the quote character itself
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return sql.length();
    }

    private static boolean startsComment(String sql, int i) {
        return i + 1 < sql.length()
                && ((sql.charAt(i) == '-' && sql.charAt(i + 1) == '-') || (sql.charAt(i) == '/' && sql.charAt(i + 1) == '*'));
    }

    private static int skipComment(String sql, int i) {
        if (sql.charAt(i) == '-') {
            int end = sql.indexOf('\n', i);
            return end < 0 ? sql.length() : end + 1;
        }
        int end = sql.indexOf("*/", i + 2);
        return end < 0 ? sql.length() : end + 2;
    }

    private static int skipSpaceAndComments(String sql, int i) {
        while (i < sql.length()) {
            if (Character.isWhitespace(sql.charAt(i))) {
                i++;
            } else if (startsComment(sql, i)) {
                i = skipComment(sql, i);
            } else {
                break;
            }
        }
        return i;
    }
}
