package io.livestore.store.internal;

import io.livestore.store.QueryException;
import io.livestore.store.Row;
import java.sql.ResultSet;
import java.sql.SQLException;

/** {@link Row} over the current row of a result set; valid only during the mapper call. */
final class ResultSetRow implements Row {

    private final ResultSet rs;
    private final String sql;

    ResultSetRow(ResultSet rs, String sql) {
        this.rs = rs;
        this.sql = sql;
    }

    private int column(String label) {
        try {
            return rs.findColumn(label);
        } catch (SQLException e) {
            throw new QueryException("query '" + sql + "' has no column '" + label + "'", e);
        }
    }

    private QueryException failure(String label, SQLException e) {
        return new QueryException("query '" + sql + "': cannot read column '" + label + "': " + e.getMessage(), e);
    }

    @Override
    public String getString(String label) {
        try {
            return rs.getString(column(label));
        } catch (SQLException e) {
            throw failure(label, e);
        }
    }

    @Override
    public long getLong(String label) {
        try {
            return rs.getLong(column(label));
        } catch (SQLException e) {
            throw failure(label, e);
        }
    }

    @Override
    public int getInt(String label) {
        try {
            return rs.getInt(column(label));
        } catch (SQLException e) {
            throw failure(label, e);
        }
    }

    @Override
    public double getDouble(String label) {
        try {
            return rs.getDouble(column(label));
        } catch (SQLException e) {
            throw failure(label, e);
        }
    }

    @Override
    public boolean getBoolean(String label) {
        return getLong(label) != 0;
    }

    @Override
    public byte[] getBytes(String label) {
        try {
            return rs.getBytes(column(label));
        } catch (SQLException e) {
            throw failure(label, e);
        }
    }

    @Override
    public boolean isNull(String label) {
        try {
            return rs.getObject(column(label)) == null;
        } catch (SQLException e) {
            throw failure(label, e);
        }
    }

    @Override
    public <T> T get(String label, Class<T> type) {
        SqlValues.ColumnReader reader = SqlValues.readerFor(type);
        if (reader == null) {
            throw new QueryException("query '" + sql + "': column '" + label + "' cannot be read as " + type.getName());
        }
        try {
            Object value = reader.read(rs, column(label));
            @SuppressWarnings("unchecked")
            T result = (T) (type.isPrimitive() ? value : type.cast(value));
            return result;
        } catch (SQLException e) {
            throw failure(label, e);
        }
    }
}
