package io.livestore.store;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an event record component that may be {@code null}. Every other reference component is
 * required, and an event with {@code null} in it is rejected before anything is written.
 *
 * <p>Any runtime-retained annotation whose simple name is {@code Nullable} (JSpecify, Jakarta
 * Annotations, ...) is honoured the same way.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.PARAMETER, ElementType.TYPE_USE})
public @interface Nullable {
}
