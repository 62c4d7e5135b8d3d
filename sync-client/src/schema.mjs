// The LiveStore schema of the test client. The Java side mirrors the todo part (same event names,
// same args shapes), so any change here must also change README.md ("Schema") and the Java mirror.
// `v1.NoteAdded` / `notes` exist only here on purpose: the server must store and forward events
// whose names its own schema does not know.
import { Events, makeSchema, Schema, State } from '@livestore/livestore'

export const tables = {
  todos: State.SQLite.table({
    name: 'todos',
    columns: {
      id: State.SQLite.text({ primaryKey: true }),
      text: State.SQLite.text(),
      // Stored as INTEGER 0/1 in the client's SQLite; decoded to a JS boolean by queries.
      completed: State.SQLite.boolean({ default: false }),
    },
  }),
  notes: State.SQLite.table({
    name: 'notes',
    columns: {
      id: State.SQLite.text({ primaryKey: true }),
      note: State.SQLite.text(),
    },
  }),
}

// Synced events: these travel to the backend. The `name` is exactly the wire name
// (LiveStoreEvent `name` field) - LiveStore adds no prefix or version of its own.
export const events = {
  todoCreated: Events.synced({
    name: 'v1.TodoCreated',
    schema: Schema.Struct({ id: Schema.String, text: Schema.String }),
  }),
  todoCompleted: Events.synced({
    name: 'v1.TodoCompleted',
    schema: Schema.Struct({ id: Schema.String }),
  }),
  todoRenamed: Events.synced({
    name: 'v1.TodoRenamed',
    schema: Schema.Struct({ id: Schema.String, text: Schema.String }),
  }),
  noteAdded: Events.synced({
    name: 'v1.NoteAdded',
    schema: Schema.Struct({ id: Schema.String, note: Schema.String }),
  }),
}

const materializers = State.SQLite.materializers(events, {
  'v1.TodoCreated': ({ id, text }) => tables.todos.insert({ id, text, completed: false }),
  'v1.TodoCompleted': ({ id }) => tables.todos.update({ completed: true }).where({ id }),
  'v1.TodoRenamed': ({ id, text }) => tables.todos.update({ text }).where({ id }),
  'v1.NoteAdded': ({ id, note }) => tables.notes.insert({ id, note }),
})

const state = State.SQLite.makeState({ tables, materializers })

export const schema = makeSchema({ events, state })

// Driver commands name events by their wire name; this maps them to the definitions.
export const eventsByName = Object.fromEntries(Object.values(events).map((def) => [def.name, def]))
