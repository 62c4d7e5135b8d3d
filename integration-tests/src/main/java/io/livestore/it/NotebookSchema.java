package io.livestore.it;

import io.livestore.store.Query;
import io.livestore.store.Schema;
import java.util.List;

/** The schema of the test application's stores: a list of notes. */
public final class NotebookSchema extends Schema {

    /** Every note, oldest first. */
    public static final Query<List<Note>> NOTES = Query.of(Note.class, "SELECT id, text FROM note ORDER BY seq");

    public NotebookSchema() {
        table("CREATE TABLE note (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, text TEXT NOT NULL)");
        on(NoteAdded.class, (e, tx) -> tx.execute("INSERT INTO note (id, text) VALUES (?, ?)", e.id(), e.text()));
    }
}
