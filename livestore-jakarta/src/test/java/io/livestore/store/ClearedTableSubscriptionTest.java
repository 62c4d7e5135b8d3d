package io.livestore.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A materializer that empties a table with {@code DELETE FROM t} (no WHERE) writes it through SQLite's
 * truncate optimisation, which the plan shows as {@code Clear}, not {@code OpenWrite}: subscribers of
 * that table must still be told.
 */
class ClearedTableSubscriptionTest {

    @EventName("v1.TagAdded")
    public record TagAdded(String tag) implements Event { }

    @EventName("v1.TagsCleared")
    public record TagsCleared() implements Event { }

    public static final class TagSchema extends Schema {
        public TagSchema() {
            table("CREATE TABLE tag (name TEXT PRIMARY KEY)");
            on(TagAdded.class, (e, tx) -> tx.execute("INSERT INTO tag (name) VALUES (?)", e.tag()));
            on(TagsCleared.class, (e, tx) -> tx.execute("DELETE FROM tag"));
        }
    }

    @Test
    void emptyingATableNotifiesItsSubscribers() {
        try (Store<TagSchema> store = StoreOpener.builder("tags", TagSchema.class).build().open("t1")) {
            List<List<String>> seen = new ArrayList<>();
            store.subscribe(Query.of(String.class, "SELECT name FROM tag ORDER BY name"), seen::add);
            store.commit(new TagAdded("a"), new TagAdded("b"));
            store.commit(new TagsCleared());
            assertEquals(List.of(List.of(), List.of("a", "b"), List.of()), seen);
        }
    }
}
