package io.livestore.bench;

import io.livestore.store.Event;
import io.livestore.store.EventName;
import io.livestore.store.Schema;
import java.time.Instant;

/**
 * The benchmark schema: one {@code item} table with a text primary key, written by two event types.
 * {@link V2} is the same schema with another materializer version, so opening a store written with
 * this schema through {@code V2} rebuilds its tables from the log.
 */
public class BenchSchema extends Schema {

    /** Adds an item; the event every commit benchmark writes. */
    @EventName("v1.ItemAdded")
    public record ItemAdded(String id, String title, long n) implements Event { }

    /** Changes an item's counter at an instant (exercises the JavaTimeModule in the codec benchmark). */
    @EventName("v1.ItemTouched")
    public record ItemTouched(String id, long n, Instant at) implements Event { }

    /** A row of the {@code item} table. */
    public record ItemRow(String id, String title, long n) { }

    /** The table DDL, shared with the raw JDBC baselines so both write the same rows. */
    public static final String ITEM_DDL = "CREATE TABLE item (id TEXT PRIMARY KEY, title TEXT NOT NULL, n INTEGER NOT NULL)";
    /** The materializer's insert. */
    public static final String INSERT_ITEM = "INSERT INTO item (id, title, n) VALUES (?, ?, ?)";
    /** The point query, both through the store and through raw JDBC. */
    public static final String SELECT_ITEM = "SELECT id, title, n FROM item WHERE id = ?";

    public BenchSchema() {
        table(ITEM_DDL);
        on(ItemAdded.class, (e, tx) -> tx.execute(INSERT_ITEM, e.id(), e.title(), e.n()));
        on(ItemTouched.class, (e, tx) -> tx.execute("UPDATE item SET n = ? WHERE id = ?", e.n(), e.id()));
    }

    /** The same tables and events with materializer version 2: a different schema hash, so a rebuild. */
    public static final class V2 extends BenchSchema {
        public V2() {
            version("2");
        }
    }

    /** The item id for a number: fixed width, so ids sort in insertion order like a real key would mostly. */
    public static String itemId(long i) {
        String digits = Long.toString(i);
        return "item-" + "0000000000".substring(Math.min(10, digits.length())) + digits;
    }

    /** The title of item {@code i}. */
    public static String title(long i) {
        return "Item number " + i + " of the benchmark";
    }

    /**
     * The JSON the store writes for an {@link ItemAdded} (Jackson, record component order), built the way
     * a hand-written JDBC application would: the baselines store exactly the same payload bytes.
     */
    public static String itemAddedJson(String id, String title, long n) {
        return "{\"id\":\"" + id + "\",\"title\":\"" + title + "\",\"n\":" + n + "}";
    }
}
