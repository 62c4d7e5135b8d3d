package io.livestore.cdi;

import jakarta.enterprise.util.AnnotationLiteral;
import jakarta.enterprise.util.Nonbinding;
import jakarta.inject.Qualifier;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Injects a store (C3), retained for exactly the life of the bean that holds it (C4):
 *
 * <pre>{@code
 * @Path("/issues/{issueId}") @RequestScoped
 * public class IssueResource {
 *     @Inject @LiveStore(def = "issue", id = "{issueId}") Store<IssueSchema> issue;
 * }
 * }</pre>
 *
 * <ul>
 *   <li>{@code def}: the definition's name; may be omitted when exactly one definition has the
 *       injection point's schema type.</li>
 *   <li>{@code id}: a literal ({@code "workspace-root"}) or a template of path parameters
 *       ({@code "{issueId}"}, {@code "org-{orgId}"}). Without it: the definition's fixed id, else the
 *       application's {@link StoreIdResolver} for the definition, else the path parameter
 *       {@code <def>Id}.</li>
 * </ul>
 * Also injectable as {@code CompletionStage<Store<S>>} for asynchronous resources.
 */
@Qualifier
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.TYPE})
public @interface LiveStore {

    /** The definition's name; empty for "the one definition of this schema". */
    @Nonbinding
    String def() default "";

    /** The storeId, literal or template; empty for the fallbacks described above. */
    @Nonbinding
    String id() default "";

    /** A literal, for programmatic lookup and synthetic bean qualifiers. */
    final class Literal extends AnnotationLiteral<LiveStore> implements LiveStore {
        private static final long serialVersionUID = 1L;
        /** {@code @LiveStore} with no members. */
        public static final Literal INSTANCE = new Literal("", "");
        private final String def;
        private final String id;

        private Literal(String def, String id) {
            this.def = def;
            this.id = id;
        }

        /** {@code @LiveStore(def = def, id = id)}. */
        public static Literal of(String def, String id) {
            return new Literal(def, id);
        }

        @Override
        public String def() {
            return def;
        }

        @Override
        public String id() {
            return id;
        }
    }
}
