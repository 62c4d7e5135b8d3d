package io.livestore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.livestore.store.Query;
import io.livestore.store.StoreOpener;
import io.livestore.store.StoreStorage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's example runs and leaves what it says it leaves. */
class ReadmeExampleTest {

    @TempDir
    Path dir;

    @Test
    void exampleRunsTwiceAndKeepsItsData() {
        ReadmeExample.main(new String[] {dir.toString()});
        ReadmeExample.main(new String[] {dir.toString()});
        try (var store = StoreOpener.builder("todos", ReadmeExample.TodoSchema.class)
                .storage(StoreStorage.directory(dir)).build().open("user-ada")) {
            assertEquals(6, store.head());
            assertEquals(2, store.query(Query.of(ReadmeExample.Todo.class, "SELECT * FROM todo WHERE done = 0")).size());
        }
    }
}
