package io.livestore.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test helpers that look into a closed store's SQLite file directly, with a connection of their own. */
public final class LogFiles {

    private LogFiles() {
    }

    /** Copies the committed format-1 fixture {@code <name>.db} into {@code dataDir} as store {@code name} of "issue". */
    public static Path copyFormat1Fixture(String name, Path dataDir) {
        try {
            Path source = Path.of(LogFiles.class.getResource("/fixtures/format1/issue/" + name + ".db").toURI());
            Path target = dataDir.resolve("issue").resolve(name + ".db");
            Files.createDirectories(target.getParent());
            return Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every row of {@code sql} on the file, as column label → value maps. */
    public static List<Map<String, Object>> rows(Path file, String sql) {
        try (Connection c = org.sqlite.JDBC.createConnection("jdbc:sqlite:" + file, new java.util.Properties());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            List<Map<String, Object>> out = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.put(md.getColumnLabel(i), rs.getObject(i));
                }
                out.add(row);
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One metadata value of the file, or null. */
    public static String meta(Path file, String key) {
        List<Map<String, Object>> rows = rows(file, "SELECT value FROM __livestore_meta WHERE key = '" + key + "'");
        return rows.isEmpty() ? null : (String) rows.get(0).get("value");
    }
}
