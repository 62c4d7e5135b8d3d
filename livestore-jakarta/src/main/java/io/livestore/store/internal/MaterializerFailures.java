package io.livestore.store.internal;

import io.livestore.store.QueryException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Says, in the terms of whoever sent the event, why a materializer refused it. A rejected event can
 * reach a client (a 422 problem), so the reason names tables and constraints of the schema, never SQL
 * text, driver messages or class names; those stay in the exception's cause, for the log.
 */
final class MaterializerFailures {

    private static final Pattern CONSTRAINT_OF_TABLE =
            Pattern.compile("(UNIQUE|NOT NULL|PRIMARY KEY|CHECK|FOREIGN KEY) constraint failed: ([A-Za-z0-9_$]+)\\.");
    private static final Pattern CONSTRAINT =
            Pattern.compile("(UNIQUE|NOT NULL|PRIMARY KEY|CHECK|FOREIGN KEY) constraint failed");

    private MaterializerFailures() {
    }

    /** Why the materializer failed, for example "a UNIQUE constraint of table 'issue' refused it". */
    static String reason(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql) {
                return reasonOf(sql);
            }
        }
        if (failure instanceof QueryException) {
            return "one of its statements could not run";
        }
        return "it threw an exception";
    }

    private static String reasonOf(java.sql.SQLException e) {
        String message = String.valueOf(e.getMessage());
        Matcher withTable = CONSTRAINT_OF_TABLE.matcher(message);
        if (withTable.find()) {
            return "a " + withTable.group(1) + " constraint of table '" + withTable.group(2) + "' refused it";
        }
        Matcher any = CONSTRAINT.matcher(message);
        if (any.find()) {
            return "a " + any.group(1) + " constraint refused it";
        }
        return "the database refused one of its statements";
    }
}
