package io.livestore.cdi.internal;

import jakarta.enterprise.util.AnnotationLiteral;
import jakarta.inject.Qualifier;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Qualifies the library's own beans of general types (its live-query scheduler, a
 * {@link java.util.concurrent.ScheduledExecutorService}), so they never satisfy, or clash with, an
 * application's injection points of those types.
 */
@Qualifier
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.TYPE})
public @interface LiveStoreInternal {

    /** The annotation as a value, for programmatic lookup. */
    final class Literal extends AnnotationLiteral<LiveStoreInternal> implements LiveStoreInternal {
        private static final long serialVersionUID = 1L;
        /** The only instance. */
        public static final Literal INSTANCE = new Literal();

        private Literal() {
        }
    }
}
