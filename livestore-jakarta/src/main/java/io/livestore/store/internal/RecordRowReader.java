package io.livestore.store.internal;

import io.livestore.store.QueryException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Maps rows to a record through its canonical constructor, matching each component to a column by
 * label: exactly, else ignoring case and underscores ({@code created_at} fills {@code createdAt}).
 * Component converters and the constructor handle are resolved once per record class; the column
 * positions come from each result's own columns ({@link #columns}), resolved once per prepared
 * statement and kept with it (see {@link StatementCache.Prepared#columnsFor}), so a repeated query
 * pays neither metadata calls nor reflection, and two stores whose tables order their columns
 * differently each get their own positions.
 */
final class RecordRowReader<R> implements RowReader<R> {

    private static final ClassValue<RecordRowReader<?>> READERS = new ClassValue<>() {
        @Override
        protected RecordRowReader<?> computeValue(Class<?> type) {
            return new RecordRowReader<>(type);
        }
    };

    private final Class<R> type;
    private final String[] names;
    private final SqlValues.ColumnReader[] readers;
    private final MethodHandle constructor;

    @SuppressWarnings("unchecked")
    static <R> RecordRowReader<R> of(Class<R> type) {
        return (RecordRowReader<R>) READERS.get(type);
    }

    private RecordRowReader(Class<R> type) {
        this.type = type;
        RecordComponent[] components = type.getRecordComponents();
        this.names = new String[components.length];
        this.readers = new SqlValues.ColumnReader[components.length];
        Class<?>[] parameterTypes = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            names[i] = components[i].getName();
            parameterTypes[i] = components[i].getType();
            readers[i] = SqlValues.readerFor(parameterTypes[i]);
            if (readers[i] == null) {
                throw new QueryException("record " + type.getName() + " component '" + names[i] + "' has type "
                        + parameterTypes[i].getName() + ", which no column can be mapped to; use a RowMapper");
            }
        }
        try {
            Constructor<R> c = type.getDeclaredConstructor(parameterTypes);
            c.setAccessible(true);
            this.constructor = MethodHandles.lookup().unreflectConstructor(c)
                    .asSpreader(Object[].class, components.length)
                    .asType(MethodType.methodType(Object.class, Object[].class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new QueryException("record " + type.getName() + " cannot be constructed by the library: " + e, e);
        }
    }

    @Override
    public Object columns(ResultSet rs, String sql) throws SQLException {
        return resolveColumns(rs.getMetaData(), sql);
    }

    @Override
    public R read(ResultSet rs, Object resolved, String sql) throws SQLException {
        int[] columns = (int[]) resolved;
        Object[] values = new Object[readers.length];
        for (int i = 0; i < readers.length; i++) {
            values[i] = readers[i].read(rs, columns[i]);
        }
        try {
            return type.cast((Object) constructor.invokeExact(values));
        } catch (Throwable t) {
            throw new QueryException("record " + type.getName() + " rejected a row of query '" + sql + "': " + t, t);
        }
    }

    private int[] resolveColumns(ResultSetMetaData md, String sql) throws SQLException {
        Map<String, Integer> exact = new HashMap<>();
        Map<String, Integer> loose = new HashMap<>();
        for (int c = md.getColumnCount(); c >= 1; c--) {
            String label = md.getColumnLabel(c);
            exact.put(label, c);
            loose.put(normalize(label), c);
        }
        int[] columns = new int[names.length];
        for (int i = 0; i < names.length; i++) {
            Integer c = exact.get(names[i]);
            if (c == null) {
                c = loose.get(normalize(names[i]));
            }
            if (c == null) {
                throw new QueryException("query '" + sql + "' has no column for component '" + names[i] + "' of record "
                        + type.getName() + "; its columns are " + exact.keySet());
            }
            columns[i] = c;
        }
        return columns;
    }

    private static String normalize(String name) {
        return name.replace("_", "").toLowerCase(Locale.ROOT);
    }
}
