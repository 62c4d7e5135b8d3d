package io.livestore.it.todo;

import io.livestore.store.Event;
import io.livestore.store.EventName;
import io.livestore.store.Query;
import io.livestore.store.Schema;
import java.util.List;

/**
 * The Java side of the real client's LiveStore schema (sync-client/src/schema.mjs): the same event names and
 * args, the same {@code todos} table. The JavaScript schema's {@code v1.NoteAdded} is not modelled here: the
 * schema keeps it (L4).
 */
public final class TodoSchema extends Schema {

    /** Every todo, by id. */
    public static final Query<List<Todo>> TODOS = Query.of(Todo.class, "SELECT id, text, completed FROM todos ORDER BY id");

    @EventName("v1.TodoCreated")
    public record TodoCreated(String id, String text) implements Event { }

    @EventName("v1.TodoCompleted")
    public record TodoCompleted(String id) implements Event { }

    @EventName("v1.TodoRenamed")
    public record TodoRenamed(String id, String text) implements Event { }

    /** A row of {@code todos}. */
    public record Todo(String id, String text, boolean completed) { }

    public TodoSchema() {
        table("CREATE TABLE todos (id TEXT PRIMARY KEY, text TEXT NOT NULL, completed INTEGER NOT NULL DEFAULT 0)");
        on(TodoCreated.class, (e, tx) -> tx.execute("INSERT INTO todos (id, text) VALUES (?, ?) ON CONFLICT (id) DO NOTHING",
                e.id(), e.text()));
        on(TodoCompleted.class, (e, tx) -> tx.execute("UPDATE todos SET completed = 1 WHERE id = ?", e.id()));
        on(TodoRenamed.class, (e, tx) -> tx.execute("UPDATE todos SET text = ? WHERE id = ?", e.text(), e.id()));
        keepUnknownEvents();
    }
}
