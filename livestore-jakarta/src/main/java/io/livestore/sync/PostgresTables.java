package io.livestore.sync;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The four tables of the upstream log and the check that an existing database has them in the expected
 * shape (Y11). {@link #DDL} is what {@link PostgresUpstream} runs on start ({@code IF NOT EXISTS}: a second
 * start, or another node, keeps what is there); an operator may run it beforehand instead.
 *
 * <p>{@code args} is {@code json}, never {@code jsonb}: {@code json} keeps the text exactly as written
 * (whitespace, key order, duplicate keys, number spelling) and still refuses what is not JSON, while
 * {@code jsonb} re-encodes it — and LiveStore clients compare args byte for byte.
 */
public final class PostgresTables {

    /**
     * The DDL, for the schema {@code %1$s} (default {@code public}): one row per store (its backendId and
     * head, the row every append of that store locks), its events keyed by (store, seqNum), an event id
     * unique in its store, the nodes with their heartbeat, and which nodes follow which stores (an append
     * announces itself only to the live nodes that do; a dead node's rows are deleted by the others).
     */
    public static final String DDL = """
            CREATE TABLE IF NOT EXISTS %1$s.livestore_store (
              store_id    text        PRIMARY KEY,
              backend_id  uuid        NOT NULL,
              head        bigint      NOT NULL CHECK (head >= 0),
              created_at  timestamptz NOT NULL DEFAULT now()
            );
            CREATE TABLE IF NOT EXISTS %1$s.livestore_event (
              store_id        text        NOT NULL REFERENCES %1$s.livestore_store (store_id),
              seq_num         bigint      NOT NULL CHECK (seq_num >= 1),
              parent_seq_num  bigint      NOT NULL CHECK (parent_seq_num = seq_num - 1),
              name            text        NOT NULL,
              args            json        NOT NULL,
              client_id       text        NOT NULL,
              session_id      text        NOT NULL,
              created_at      timestamptz NOT NULL,
              event_id        text        NOT NULL,
              PRIMARY KEY (store_id, seq_num),
              UNIQUE (store_id, event_id)
            );
            CREATE TABLE IF NOT EXISTS %1$s.livestore_node (
              node_key    text        PRIMARY KEY,
              expires_at  timestamptz NOT NULL
            );
            CREATE TABLE IF NOT EXISTS %1$s.livestore_interest (
              store_id    text        NOT NULL,
              node_key    text        NOT NULL,
              generation  bigint      NOT NULL,
              PRIMARY KEY (store_id, node_key)
            );
            CREATE INDEX IF NOT EXISTS livestore_interest_node ON %1$s.livestore_interest (node_key);
            """;

    /** Column → the types accepted for it ({@code pg_catalog.format_type}), per table. */
    private static final Map<String, Map<String, List<String>>> EXPECTED = expected();

    /** The unique keys the appends rely on, per table (in {@link #DDL}: the primary keys and the UNIQUE). */
    private static final Map<String, List<List<String>>> UNIQUE = Map.of(
            "livestore_store", List.of(List.of("store_id")),
            "livestore_event", List.of(List.of("store_id", "seq_num"), List.of("store_id", "event_id")),
            "livestore_node", List.of(List.of("node_key")),
            "livestore_interest", List.of(List.of("store_id", "node_key")));

    private PostgresTables() {
    }

    private static Map<String, Map<String, List<String>>> expected() {
        Map<String, List<String>> store = new LinkedHashMap<>();
        store.put("store_id", List.of("text"));
        store.put("backend_id", List.of("uuid"));
        store.put("head", List.of("bigint"));
        Map<String, List<String>> event = new LinkedHashMap<>();
        event.put("store_id", List.of("text"));
        event.put("seq_num", List.of("bigint"));
        event.put("parent_seq_num", List.of("bigint"));
        event.put("name", List.of("text"));
        event.put("args", List.of("json", "text"));
        event.put("client_id", List.of("text"));
        event.put("session_id", List.of("text"));
        event.put("created_at", List.of("timestamp with time zone"));
        event.put("event_id", List.of("text"));
        Map<String, List<String>> node = new LinkedHashMap<>();
        node.put("node_key", List.of("text"));
        node.put("expires_at", List.of("timestamp with time zone"));
        Map<String, List<String>> interest = new LinkedHashMap<>();
        interest.put("store_id", List.of("text"));
        interest.put("node_key", List.of("text"));
        interest.put("generation", List.of("bigint"));
        Map<String, Map<String, List<String>>> all = new LinkedHashMap<>();
        all.put("livestore_store", store);
        all.put("livestore_event", event);
        all.put("livestore_node", node);
        all.put("livestore_interest", interest);
        return all;
    }

    /**
     * Creates the schema and tables where missing, then checks their shape.
     *
     * @throws IllegalStateException naming every table, column and unique key that is not as {@link #DDL} says
     */
    static void createOrCheck(Connection c, String schema) throws SQLException {
        boolean mayNotCreate = false;
        if (!exist(c, schema)) {
            try {
                create(c, schema);
            } catch (SQLException e) {
                if (!"42501".equals(e.getSQLState())) {
                    throw e;
                }
                // no right to create: the check below names what is missing (an operator runs the DDL)
                mayNotCreate = true;
            }
        }
        List<String> problems = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW server_encoding")) {
            rs.next();
            if (!"UTF8".equals(rs.getString(1))) {
                // any other encoding would change or refuse characters of args, names and ids
                problems.add("the database's encoding is " + rs.getString(1) + ", expected UTF8");
            }
        }
        for (Map.Entry<String, Map<String, List<String>>> table : EXPECTED.entrySet()) {
            Map<String, Column> actual = columns(c, schema, table.getKey());
            if (actual.isEmpty()) {
                problems.add("there is no table " + table.getKey());
                continue;
            }
            for (Map.Entry<String, List<String>> column : table.getValue().entrySet()) {
                Column found = actual.get(column.getKey());
                if (found == null) {
                    problems.add(table.getKey() + " has no column " + column.getKey());
                    continue;
                }
                if (!column.getValue().contains(found.type())) {
                    problems.add(table.getKey() + "." + column.getKey() + " is " + found.type() + ", expected "
                            + String.join(" or ", column.getValue()));
                }
                if (!found.notNull()) {
                    // every column of the DDL is NOT NULL: a null would break reading the event back
                    problems.add(table.getKey() + "." + column.getKey() + " allows NULL, expected NOT NULL");
                }
            }
            // the appends rely on these: ON CONFLICT (store_id) needs the store's key; the event table's keys
            // are what refuses a second event at a position and an event id used twice in a store
            Set<Set<String>> unique = uniqueKeys(c, schema, table.getKey());
            for (List<String> key : UNIQUE.get(table.getKey())) {
                if (!unique.contains(Set.copyOf(key))) {
                    problems.add(table.getKey() + " has no unique key (" + String.join(", ", key) + ")");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("the PostgreSQL tables of the LiveStore log in schema '" + schema
                    + "' are not in the expected shape (see PostgresTables.DDL): " + String.join("; ", problems)
                    + (mayNotCreate ? "; this database user may not create them: let an operator run the DDL" : ""));
        }
    }

    /**
     * Whether all four tables are there: then nothing is created, so a database user without the right
     * to create (the operator ran {@link #DDL}) starts all the same. A database of an earlier version has
     * the first two only: {@link #DDL} adds the others ({@code IF NOT EXISTS} keeps what is there).
     */
    private static boolean exist(Connection c, String schema) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL AND to_regclass(?) IS NOT NULL "
                + "AND to_regclass(?) IS NOT NULL AND to_regclass(?) IS NOT NULL")) {
            ps.setString(1, schema + ".livestore_store");
            ps.setString(2, schema + ".livestore_event");
            ps.setString(3, schema + ".livestore_node");
            ps.setString(4, schema + ".livestore_interest");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static void create(Connection c, String schema) throws SQLException {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            // one creator at a time: nodes starting together would otherwise race on CREATE TABLE IF NOT EXISTS
            s.execute("SELECT pg_advisory_xact_lock(hashtext('livestore_tables:" + schema + "'))");
            s.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
            s.execute(String.format(DDL, schema));
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private record Column(String type, boolean notNull) {
    }

    private static Map<String, Column> columns(Connection c, String schema, String table) throws SQLException {
        Map<String, Column> columns = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull
                  FROM pg_attribute a JOIN pg_class t ON t.oid = a.attrelid JOIN pg_namespace n ON n.oid = t.relnamespace
                 WHERE n.nspname = ? AND t.relname = ? AND a.attnum > 0 AND NOT a.attisdropped""")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.put(rs.getString(1), new Column(rs.getString(2), rs.getBoolean(3)));
                }
            }
        }
        return columns;
    }

    /**
     * The column sets of the table's unique indexes that can serve as keys: valid, not deferred (ON CONFLICT
     * cannot use a deferrable one), on plain columns and without a WHERE (a partial index is no key).
     */
    private static Set<Set<String>> uniqueKeys(Connection c, String schema, String table) throws SQLException {
        Map<Long, Set<String>> keys = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT i.indexrelid, a.attname
                  FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
                  CROSS JOIN LATERAL unnest(i.indkey::int2[]) AS k(attnum)
                  JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
                 WHERE n.nspname = ? AND t.relname = ? AND i.indisunique AND i.indisvalid AND i.indimmediate
                   AND i.indpred IS NULL AND i.indexprs IS NULL""")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.computeIfAbsent(rs.getLong(1), k -> new HashSet<>()).add(rs.getString(2));
                }
            }
        }
        return new HashSet<>(keys.values());
    }
}
