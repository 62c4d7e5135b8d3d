package io.livestore.cdi;

import jakarta.enterprise.util.AnnotationLiteral;
import jakarta.inject.Qualifier;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names a store definition bean (C1), or the definition a {@link StoreIdResolver} serves:
 *
 * <pre>{@code
 * @Produces @StoreDef("issue")
 * static final StoreDefinition<IssueSchema> ISSUE = StoreDefinition.builder("issue", IssueSchema.class).build();
 * }</pre>
 *
 * The value must equal the definition's {@code name()}; deployment fails otherwise.
 */
@Qualifier
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.TYPE})
public @interface StoreDef {

    /** The definition's name. */
    String value();

    /** A literal for programmatic lookup. */
    final class Literal extends AnnotationLiteral<StoreDef> implements StoreDef {
        private static final long serialVersionUID = 1L;
        private final String value;

        private Literal(String value) {
            this.value = value;
        }

        /** {@code @StoreDef(value)}. */
        public static Literal of(String value) {
            return new Literal(value);
        }

        @Override
        public String value() {
            return value;
        }
    }
}
