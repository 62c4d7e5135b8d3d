package io.livestore.cdi;

import io.livestore.store.Store;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Arrays;

/** {@code Store<S>} as a type, for the synthetic bean of a schema that only programmatic lookups ask for. */
record StoreType(Class<?> schema) implements ParameterizedType {

    @Override
    public Type[] getActualTypeArguments() {
        return new Type[] {schema};
    }

    @Override
    public Type getRawType() {
        return Store.class;
    }

    @Override
    public Type getOwnerType() {
        return null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParameterizedType p && p.getRawType() == Store.class && p.getOwnerType() == null
                && Arrays.equals(p.getActualTypeArguments(), getActualTypeArguments());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(getActualTypeArguments()) ^ Store.class.hashCode();
    }

    @Override
    public String getTypeName() {
        return Store.class.getName() + "<" + schema.getName() + ">";
    }
}
