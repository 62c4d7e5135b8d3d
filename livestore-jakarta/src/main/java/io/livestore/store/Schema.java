package io.livestore.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The shape of one kind of store: its tables and, for each event type, the materializer that turns
 * the event into table writes. Subclass it and declare everything in the constructor:
 *
 * <pre>{@code
 * public final class IssueSchema extends Schema {
 *     public IssueSchema() {
 *         table("CREATE TABLE issue (id TEXT PRIMARY KEY, title TEXT NOT NULL)");
 *         on(IssueCreated.class, (e, tx) ->
 *             tx.execute("INSERT INTO issue (id, title) VALUES (?, ?)", e.id(), e.title()));
 *     }
 * }
 * }</pre>
 *
 * <p>A schema class is the {@code S} of {@code Store<S>}; it must have a public no-argument
 * constructor when a store definition names it by class. The library reads the declarations once
 * into a {@link CompiledSchema}.
 *
 * <p><b>Schema hash.</b> The tables of an existing store are rebuilt from its log when the schema's
 * hash changes. The hash covers the DDL, the event names with their record components, and
 * {@link #version(String)}. Materializer <em>code</em> cannot be hashed: when you change what a
 * materializer writes without changing DDL or events, bump the version.
 */
public abstract class Schema {

    private final List<String> ddl = new ArrayList<>();
    private final Map<Class<? extends Event>, Materializer<? extends Event>> materializers = new LinkedHashMap<>();
    private String version = "1";
    private boolean keepUnknownEvents;

    /** For subclasses, which declare tables and materializers in their constructor. */
    protected Schema() {
    }

    /**
     * Declares SQLite DDL: a {@code CREATE TABLE}, {@code CREATE INDEX}, {@code CREATE VIEW} or
     * {@code CREATE TRIGGER} statement. Names starting with {@code __livestore} are reserved.
     */
    protected final void table(String createStatement) {
        ddl.add(Objects.requireNonNull(createStatement, "createStatement"));
    }

    /** Declares the materializer for one event type; each type has exactly one. */
    protected final <E extends Event> void on(Class<E> eventType, Materializer<? super E> materializer) {
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(materializer, "materializer");
        @SuppressWarnings("unchecked")
        Materializer<? extends Event> m = (Materializer<? extends Event>) (Materializer<?>) materializer;
        if (materializers.putIfAbsent(eventType, m) != null) {
            throw new SchemaDefinitionException("schema " + getClass().getName() + " declares two materializers for "
                    + eventType.getName() + "; each event type has exactly one");
        }
    }

    /**
     * Sets the materializer version that goes into the schema hash (default {@code "1"}). Change it
     * when materializer behaviour changes, so existing stores rebuild their tables.
     */
    protected final void version(String version) {
        this.version = Objects.requireNonNull(version, "version");
    }

    /**
     * Keeps events whose names this schema does not declare, instead of refusing them: for a store that
     * LiveStore JavaScript clients sync with, whose JavaScript schema has events the Java schema does not
     * model (UI state, or a newer app version). Such an event is stored and sent to clients as written,
     * never materialized; Java code reads it from the log as an {@link UnrecognizedEvent}, and the
     * registry counts them. Without this, such an event is refused: a client's push gets an error naming
     * it, and a node that meets one in its upstream log stops that store's commits (DESIGN.md Y8).
     */
    protected final void keepUnknownEvents() {
        this.keepUnknownEvents = true;
    }

    boolean keepsUnknownEvents() {
        return keepUnknownEvents;
    }

    List<String> ddl() {
        return ddl;
    }

    Map<Class<? extends Event>, Materializer<? extends Event>> materializers() {
        return materializers;
    }

    String version() {
        return version;
    }
}
