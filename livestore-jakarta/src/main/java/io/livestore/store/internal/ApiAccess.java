package io.livestore.store.internal;

import io.livestore.store.CompiledSchema;
import io.livestore.store.Query;

/**
 * How the implementation reaches the parts of public API values that are not public API: a query's
 * parameters and row reader, a compiled schema's event types. The API classes hand their accessor
 * over from their static initializer, so whoever holds an instance finds the accessor set; nobody
 * else can set it (only those classes may register, once).
 */
public final class ApiAccess {

    /** What the implementation reads of a {@link Query}. */
    public interface QueryParts {
        /** The parameters, not copied (do not modify). */
        Object[] args(Query<?> query);

        /** How its rows are read. */
        RowReader<?> rowReader(Query<?> query);

        /** True for a first-row query (an {@code Optional} result). */
        boolean firstOnly(Query<?> query);
    }

    /** What the implementation reads of a {@link CompiledSchema}. */
    public interface SchemaParts {
        /** The event type of an event class, or null when the schema does not declare it. */
        EventType typeOf(CompiledSchema<?> schema, Class<?> eventClass);

        /** The event type of an event name, or null when the schema does not declare it. */
        EventType typeNamed(CompiledSchema<?> schema, String name);
    }

    private static volatile QueryParts queries;
    private static volatile SchemaParts schemas;

    private ApiAccess() {
    }

    /** Called once, by {@link Query}'s static initializer. */
    public static synchronized void register(QueryParts parts) {
        requireCaller(Query.class);
        if (queries != null) {
            throw new IllegalStateException("LIVESTORE-0199: query access is registered already");
        }
        queries = parts;
    }

    /** Called once, by {@link CompiledSchema}'s static initializer. */
    public static synchronized void register(SchemaParts parts) {
        requireCaller(CompiledSchema.class);
        if (schemas != null) {
            throw new IllegalStateException("LIVESTORE-0199: schema access is registered already");
        }
        schemas = parts;
    }

    private static void requireCaller(Class<?> expected) {
        // Frames: requireCaller, register, whoever called register.
        Class<?> caller = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
                .walk(frames -> frames.skip(2).findFirst().map(StackWalker.StackFrame::getDeclaringClass).orElse(null));
        if (caller != expected) {
            throw new IllegalStateException("LIVESTORE-0199: only " + expected.getName() + " registers its access");
        }
    }

    static QueryParts queries() {
        return queries;
    }

    static SchemaParts schemas() {
        return schemas;
    }
}
