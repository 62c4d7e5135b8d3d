package io.livestore.store;

import io.livestore.store.internal.ApiAccess;
import io.livestore.store.internal.EventType;
import io.livestore.store.internal.SqliteConnections;
import io.livestore.store.internal.StoreBoot;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link Schema} read once and checked: event types by class and by name, DDL validated against
 * an in-memory SQLite, and the schema hash. Immutable and thread-safe; build it once per schema class
 * and share it between all stores of that class.
 *
 * @param <S> the schema class
 */
public final class CompiledSchema<S extends Schema> {

    static {
        ApiAccess.register(new ApiAccess.SchemaParts() {
            @Override
            public EventType typeOf(CompiledSchema<?> schema, Class<?> eventClass) {
                return schema.byClass.get(eventClass);
            }

            @Override
            public EventType typeNamed(CompiledSchema<?> schema, String name) {
                return schema.byName.get(name);
            }
        });
    }

    private final Class<S> schemaClass;
    private final List<String> ddl;
    private final Map<Class<?>, EventType> byClass;
    private final Map<String, EventType> byName;
    private final String hash;
    private final boolean keepsUnknownEvents;

    private CompiledSchema(S schema) {
        @SuppressWarnings("unchecked")
        Class<S> type = (Class<S>) schema.getClass();
        this.schemaClass = type;
        String schemaName = type.getName();
        List<String> statements = new ArrayList<>();
        for (String statement : schema.ddl()) {
            String trimmed = statement.strip();
            if (trimmed.endsWith(";")) {
                trimmed = trimmed.substring(0, trimmed.length() - 1).strip();
            }
            if (trimmed.toLowerCase(Locale.ROOT).contains("__livestore")) {
                throw new SchemaDefinitionException("schema " + schemaName
                        + ": names containing '__livestore' are reserved for the library: " + trimmed);
            }
            statements.add(trimmed);
        }
        this.ddl = List.copyOf(statements);
        Map<Class<?>, EventType> classes = new HashMap<>();
        Map<String, EventType> names = new HashMap<>();
        schema.materializers().forEach((eventClass, materializer) -> {
            EventType t = new EventType(schemaName, eventClass, materializer);
            EventType previous = names.putIfAbsent(t.name(), t);
            if (previous != null) {
                throw new SchemaDefinitionException("schema " + schemaName + ": event name '" + t.name()
                        + "' is used by both " + previous.javaType().getName() + " and " + eventClass.getName());
            }
            classes.put(eventClass, t);
        });
        this.byClass = Map.copyOf(classes);
        this.byName = Map.copyOf(names);
        validateDdl(schemaName, ddl);
        this.hash = computeHash(schema.version());
        this.keepsUnknownEvents = schema.keepsUnknownEvents();
    }

    /**
     * Compiles a schema class through its no-argument constructor.
     *
     * @throws SchemaDefinitionException naming the class and the problem
     */
    public static <S extends Schema> CompiledSchema<S> of(Class<S> schemaClass) {
        Objects.requireNonNull(schemaClass, "schemaClass");
        S instance;
        try {
            Constructor<S> constructor = schemaClass.getDeclaredConstructor();
            constructor.setAccessible(true);
            instance = constructor.newInstance();
        } catch (NoSuchMethodException e) {
            throw new SchemaDefinitionException("schema " + schemaClass.getName()
                    + " needs a no-argument constructor that declares its tables and materializers", e);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof SchemaDefinitionException sde) {
                throw sde;
            }
            throw new SchemaDefinitionException("schema " + schemaClass.getName() + " constructor failed: "
                    + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new SchemaDefinitionException("schema " + schemaClass.getName() + " cannot be instantiated: " + e, e);
        }
        return new CompiledSchema<>(instance);
    }

    /** Compiles an already constructed schema instance. */
    public static <S extends Schema> CompiledSchema<S> of(S schema) {
        return new CompiledSchema<>(Objects.requireNonNull(schema, "schema"));
    }

    private static void validateDdl(String schemaName, List<String> ddl) {
        try (Connection c = SqliteConnections.open("jdbc:sqlite::memory:", new java.util.Properties());
             Statement st = c.createStatement()) {
            for (String statement : ddl) {
                try {
                    st.execute(statement);
                } catch (SQLException e) {
                    throw new SchemaDefinitionException("schema " + schemaName + ": invalid DDL '" + statement
                            + "': " + e.getMessage(), e);
                }
            }
        } catch (SQLException e) {
            throw new SchemaDefinitionException("schema " + schemaName + ": cannot validate DDL: " + e.getMessage(), e);
        }
    }

    private String computeHash(String version) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            StringBuilder sb = new StringBuilder("format=").append(StoreBoot.TABLES_FORMAT).append('\n');
            sb.append("version=").append(version).append('\n');
            for (String statement : ddl) {
                sb.append("ddl=").append(statement.replaceAll("\\s+", " ")).append('\n');
            }
            List<String> signatures = new ArrayList<>();
            for (EventType t : byName.values()) {
                signatures.add(t.signature());
            }
            Collections.sort(signatures);
            for (String s : signatures) {
                sb.append("event=").append(s).append('\n');
            }
            return HexFormat.of().formatHex(md.digest(sb.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /** The schema class. */
    public Class<S> schemaClass() {
        return schemaClass;
    }

    /** The hex SHA-256 over DDL, event signatures and version; a store rebuilds when it changes. */
    public String hash() {
        return hash;
    }

    /** The DDL statements, in declaration order. */
    public List<String> ddl() {
        return ddl;
    }

    /** The declared event names. */
    public java.util.Set<String> eventNames() {
        return byName.keySet();
    }

    /**
     * True when events whose names the schema does not declare are kept in the log, never materialized
     * ({@link Schema#keepUnknownEvents()}); false when they are refused.
     */
    public boolean keepsUnknownEvents() {
        return keepsUnknownEvents;
    }

    /** True when the schema declares this event record type. */
    public boolean declares(Class<? extends Event> eventType) {
        return byClass.containsKey(eventType);
    }
}
