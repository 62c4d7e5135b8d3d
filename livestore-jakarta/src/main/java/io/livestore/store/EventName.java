package io.livestore.store;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The stable name under which an {@link Event} record is written to the log, for example
 * {@code "v1.IssueCreated"}.
 *
 * <p>Once events with a name are in a log, the name must keep meaning the same payload: to change
 * an event's shape, add a new record with a new name ({@code "v2.IssueCreated"}) and keep a
 * materializer for the old one.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface EventName {
    /** The name: 1–128 characters of {@code [A-Za-z0-9._:-]}. */
    String value();
}
