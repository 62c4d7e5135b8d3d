package io.livestore;

import io.livestore.registry.RegistryOptions;
import io.livestore.registry.StoreDefinition;
import io.livestore.registry.StoreLease;
import io.livestore.registry.StoreRegistry;
import io.livestore.store.Event;
import io.livestore.store.EventName;
import io.livestore.store.Query;
import io.livestore.store.Schema;
import io.livestore.store.Store;
import io.livestore.store.StoreStorage;
import io.livestore.store.Subscription;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The README's example, verbatim: run it with the command in README.md ("Try it"). */
public final class ReadmeExample {

    // Events: records with a stable, versioned name.
    @EventName("v1.TodoAdded")
    public record TodoAdded(String id, String text) implements Event { }

    @EventName("v1.TodoCompleted")
    public record TodoCompleted(String id) implements Event { }

    // The schema: tables as SQLite DDL, one materializer per event.
    public static final class TodoSchema extends Schema {
        public TodoSchema() {
            table("CREATE TABLE todo (id TEXT PRIMARY KEY, text TEXT NOT NULL, done INTEGER NOT NULL DEFAULT 0)");
            on(TodoAdded.class, (e, tx) -> tx.execute("INSERT INTO todo (id, text) VALUES (?, ?)", e.id(), e.text()));
            on(TodoCompleted.class, (e, tx) -> tx.execute("UPDATE todo SET done = 1 WHERE id = ?", e.id()));
        }
    }

    public record Todo(String id, String text, boolean done) { }

    // One definition per kind of store; one store per storeId (here: per user).
    static final StoreDefinition<TodoSchema> TODOS = StoreDefinition.builder("todos", TodoSchema.class)
            .unusedCacheTime(Duration.ofMinutes(2))
            .build();

    public static void main(String[] args) {
        Path dataDir = Path.of(args.length > 0 ? args[0] : "target/readme-example");
        try (StoreRegistry registry = new StoreRegistry(RegistryOptions.builder()
                .storage(StoreStorage.directory(dataDir)).build())) {

            try (StoreLease<TodoSchema> lease = registry.retain(TODOS, "user-ada")) {
                Store<TodoSchema> todos = lease.store();
                Query<List<Todo>> open = Query.of(Todo.class, "SELECT * FROM todo WHERE done = 0 ORDER BY id");
                try (Subscription live = todos.subscribe(open, list -> System.out.println("open todos: " + list))) {
                    long head = todos.commit(new TodoAdded("t" + (todos.head() + 1), "write the README"),
                            new TodoAdded("t" + (todos.head() + 2), "ship it"));
                    todos.commit(new TodoCompleted("t" + (head - 1)));
                }
                System.out.println("events in the log: " + todos.head());
            }
            System.out.println(registry.snapshot().stores());
        }
    }
}
