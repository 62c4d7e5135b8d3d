package io.livestore.store.internal;

import java.util.HashSet;
import java.util.Set;

/**
 * A set of table names a statement reads or writes, or "any" when that cannot be known (virtual
 * tables, triggers, foreign-key actions), in which case it conservatively overlaps everything.
 */
final class Tables {

    static final Tables NONE = new Tables(false, Set.of());
    static final Tables ANY = new Tables(true, Set.of());

    private final boolean any;
    private final Set<String> names;

    private Tables(boolean any, Set<String> names) {
        this.any = any;
        this.names = names;
    }

    static Tables of(Set<String> names) {
        return names.isEmpty() ? NONE : new Tables(false, Set.copyOf(names));
    }

    boolean overlaps(Tables other) {
        if (isEmpty() || other.isEmpty()) {
            return false;
        }
        if (this.any || other.any) {
            return true;
        }
        for (String n : other.names) {
            if (names.contains(n)) {
                return true;
            }
        }
        return false;
    }

    boolean isEmpty() {
        return !any && names.isEmpty();
    }

    /** Accumulates the tables written by the statements of one commit. */
    static final class Accumulator {
        private boolean any;
        private final Set<String> names = new HashSet<>();

        void add(Tables t) {
            any |= t.any;
            names.addAll(t.names);
        }

        Tables result() {
            return any ? ANY : of(names);
        }

        /** True when a statement wrote {@code table} by name (not merely "any"). */
        boolean includes(String table) {
            return names.contains(table);
        }

        boolean isEmpty() {
            return !any && names.isEmpty();
        }

        void clear() {
            any = false;
            names.clear();
        }
    }

    @Override
    public String toString() {
        return any ? "Tables[any]" : "Tables" + names;
    }
}
