package io.livestore.store.internal;

import io.livestore.store.QueryException;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/**
 * The one place that decides how Java values are stored in SQLite and read back, so that
 * {@link io.livestore.store.Transaction#execute} parameters and {@link io.livestore.store.Query} row mapping agree.
 */
final class SqlValues {

    private SqlValues() {
    }

    /** Reads one column as a Java value of a given type. */
    @FunctionalInterface
    interface ColumnReader {
        Object read(ResultSet rs, int column) throws SQLException;
    }

    /**
     * Binds every parameter of a prepared statement.
     *
     * @param where names the store in messages
     * @throws QueryException a wrong number of values, or a value of an unsupported type
     */
    static void bindAll(StatementCache.Prepared p, String sql, Object[] args, String where) throws SQLException {
        Object[] values = args == null ? new Object[] {null} : args;
        if (values.length != p.parameterCount) {
            throw new QueryException(where + ": statement '" + sql + "' has " + p.parameterCount
                    + " parameter(s) but " + values.length + " value(s) were given");
        }
        for (int i = 0; i < values.length; i++) {
            try {
                bind(p.statement, i + 1, values[i]);
            } catch (IllegalArgumentException e) {
                throw new QueryException(where + ": statement '" + sql + "': " + e.getMessage(), e);
            }
        }
    }

    static void bind(PreparedStatement ps, int index, Object v) throws SQLException {
        if (v == null) {
            ps.setNull(index, Types.NULL);
        } else if (v instanceof String s) {
            ps.setString(index, s);
        } else if (v instanceof Long l) {
            ps.setLong(index, l);
        } else if (v instanceof Integer i) {
            ps.setInt(index, i);
        } else if (v instanceof Boolean b) {
            ps.setInt(index, b ? 1 : 0);
        } else if (v instanceof Double d) {
            ps.setDouble(index, d);
        } else if (v instanceof Float f) {
            ps.setDouble(index, f);
        } else if (v instanceof Short s) {
            ps.setInt(index, s);
        } else if (v instanceof Byte b) {
            ps.setInt(index, b);
        } else if (v instanceof byte[] bytes) {
            ps.setBytes(index, bytes);
        } else if (v instanceof Instant t) {
            ps.setLong(index, t.toEpochMilli());
        } else if (v instanceof LocalDate d) {
            ps.setString(index, d.toString());
        } else if (v instanceof UUID u) {
            ps.setString(index, u.toString());
        } else if (v instanceof BigDecimal b) {
            ps.setString(index, b.toPlainString());
        } else if (v instanceof Enum<?> e) {
            ps.setString(index, e.name());
        } else if (v instanceof Character c) {
            ps.setString(index, c.toString());
        } else {
            throw new IllegalArgumentException("parameter " + index + " has unsupported type " + v.getClass().getName()
                    + "; use String, a number, Boolean, byte[], Instant, LocalDate, UUID, BigDecimal or an enum");
        }
    }

    /** A reader for a Java type, or {@code null} when the type is not a supported column type. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static ColumnReader readerFor(Class<?> type) {
        if (type == String.class) {
            return ResultSet::getString;
        }
        if (type == long.class) {
            return ResultSet::getLong;
        }
        if (type == int.class) {
            return ResultSet::getInt;
        }
        if (type == double.class) {
            return ResultSet::getDouble;
        }
        if (type == boolean.class) {
            return (rs, c) -> rs.getLong(c) != 0;
        }
        if (type == float.class) {
            return (rs, c) -> (float) rs.getDouble(c);
        }
        if (type == short.class) {
            return (rs, c) -> (short) rs.getInt(c);
        }
        if (type == Long.class) {
            return (rs, c) -> nullable(rs, rs.getLong(c));
        }
        if (type == Integer.class) {
            return (rs, c) -> nullable(rs, rs.getInt(c));
        }
        if (type == Double.class) {
            return (rs, c) -> nullable(rs, rs.getDouble(c));
        }
        if (type == Boolean.class) {
            return (rs, c) -> nullable(rs, rs.getLong(c) != 0);
        }
        if (type == byte[].class) {
            return ResultSet::getBytes;
        }
        if (type == Instant.class) {
            return SqlValues::readInstant;
        }
        if (type == LocalDate.class) {
            return (rs, c) -> {
                String s = rs.getString(c);
                return s == null ? null : LocalDate.parse(s);
            };
        }
        if (type == UUID.class) {
            return (rs, c) -> {
                String s = rs.getString(c);
                return s == null ? null : UUID.fromString(s);
            };
        }
        if (type == BigDecimal.class) {
            return (rs, c) -> {
                String s = rs.getString(c);
                return s == null ? null : new BigDecimal(s);
            };
        }
        if (type.isEnum()) {
            Class<? extends Enum> enumType = (Class<? extends Enum>) type;
            return (rs, c) -> {
                String s = rs.getString(c);
                return s == null ? null : Enum.valueOf(enumType, s);
            };
        }
        return null;
    }

    private static Object nullable(ResultSet rs, Object value) throws SQLException {
        return rs.wasNull() ? null : value;
    }

    private static Object readInstant(ResultSet rs, int c) throws SQLException {
        Object raw = rs.getObject(c);
        if (raw == null) {
            return null;
        }
        if (raw instanceof Number n) {
            return Instant.ofEpochMilli(n.longValue());
        }
        return Instant.parse(raw.toString());
    }
}
