package io.livestore.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Finds which tables a statement reads or writes from SQLite's own query plan ({@code EXPLAIN}):
 * the root page of every b-tree opened for reading or writing, mapped to its table through
 * {@code sqlite_schema}. This is exact for views, joins, subqueries and indexes, needs no SQL parsing,
 * and costs one EXPLAIN per distinct statement (results are cached by the caller), so commits pay
 * nothing per row — unlike an update hook, which also misses WITHOUT ROWID tables.
 */
final class TableDependencies {

    private final Map<Integer, String> tableByRootPage;

    private TableDependencies(Map<Integer, String> tableByRootPage) {
        this.tableByRootPage = tableByRootPage;
    }

    /** Reads the root-page map; call again after DDL (a rebuild) changed it. */
    static TableDependencies load(Connection connection) throws SQLException {
        Map<Integer, String> map = new HashMap<>();
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT rootpage, tbl_name FROM sqlite_schema WHERE rootpage > 0")) {
            while (rs.next()) {
                map.put(rs.getInt(1), rs.getString(2));
            }
        }
        map.put(1, "sqlite_schema");
        return new TableDependencies(map);
    }

    /** The tables {@code sql} reads ({@code write=false}) or writes ({@code write=true}). */
    Tables of(Connection connection, String sql, boolean write) throws SQLException {
        Set<String> names = new HashSet<>();
        try (PreparedStatement ps = connection.prepareStatement("EXPLAIN " + sql);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String opcode = rs.getString("opcode");
                switch (opcode) {
                    case "OpenRead", "ReopenIdx" -> {
                        if (!write && !addTable(names, rs.getInt("p2"))) {
                            return Tables.ANY;
                        }
                    }
                    case "OpenWrite" -> {
                        if (write && !addTable(names, rs.getInt("p2"))) {
                            return Tables.ANY;
                        }
                    }
                    // DELETE without WHERE empties a table with Clear (root page in p1), no OpenWrite.
                    case "Clear" -> {
                        if (write && !addTable(names, rs.getInt("p1"))) {
                            return Tables.ANY;
                        }
                    }
                    // Reading a virtual table (json_each, pragma_table_info, FTS) may read anything, but
                    // writes nothing: only VUpdate writes one.
                    case "VOpen" -> {
                        if (!write) {
                            return Tables.ANY;
                        }
                    }
                    // Sub-programs for triggers and foreign-key actions touch tables that the top-level
                    // plan does not show.
                    case "VUpdate", "Program", "Destroy" -> {
                        return Tables.ANY;
                    }
                    default -> { }
                }
            }
        }
        return Tables.of(names);
    }

    private boolean addTable(Set<String> names, int rootPage) {
        String table = tableByRootPage.get(rootPage);
        if (table == null) {
            return false;
        }
        names.add(table);
        return true;
    }
}
