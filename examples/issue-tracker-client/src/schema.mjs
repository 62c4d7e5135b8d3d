// The issue store of the issue tracker (examples/issue-tracker, package ...issuetracker.issue) in
// LiveStore 0.4.0 terms. The server is the authority: event names are the Java records' @EventName
// values and args are exactly what Jackson writes for those records (component names as keys; an
// Instant as an ISO-8601 string, a @Nullable String as a string or null), because the server decodes
// every event this client pushes into the Java record and materializes it with IssueSchema. Tables and
// materializers repeat IssueSchema's, so this client shows what the tracker shows.
import { Events, makeSchema, Schema, State } from '@livestore/livestore'

// Java: CREATE TABLE issue (id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL, parent_id TEXT, title TEXT NOT
// NULL, description TEXT NOT NULL, created_at INTEGER NOT NULL, revision INTEGER NOT NULL) - created_at holds
// epoch milliseconds there, as here (an integer column read as a Date); revision is the sequence number of the
// last event.
const epochMillis = Schema.DateFromNumber

export const tables = {
  issue: State.SQLite.table({
    name: 'issue',
    columns: {
      id: State.SQLite.text({ primaryKey: true }),
      workspace_id: State.SQLite.text(),
      parent_id: State.SQLite.text({ nullable: true }),
      title: State.SQLite.text(),
      description: State.SQLite.text(),
      created_at: State.SQLite.integer({ schema: epochMillis }),
      revision: State.SQLite.integer(),
    },
  }),
  // Java: CREATE TABLE comment (seq INTEGER PRIMARY KEY, author TEXT NOT NULL, text TEXT NOT NULL, created_at
  // INTEGER NOT NULL) - seq is the sequence number of the comment's event.
  comment: State.SQLite.table({
    name: 'comment',
    columns: {
      seq: State.SQLite.integer({ primaryKey: true }),
      author: State.SQLite.text(),
      text: State.SQLite.text(),
      created_at: State.SQLite.integer({ schema: epochMillis }),
    },
  }),
  // Java: CREATE TABLE child_issue (issue_id TEXT PRIMARY KEY, position INTEGER NOT NULL)
  child_issue: State.SQLite.table({
    name: 'child_issue',
    columns: {
      issue_id: State.SQLite.text({ primaryKey: true }),
      position: State.SQLite.integer(),
    },
  }),
}

// Schema.Date is an ISO-8601 string on the wire (Date.toISOString(), milliseconds and "Z"), which Jackson's
// JavaTimeModule reads into an Instant; what Java writes ("2026-12-02T03:54:44.786Z", or without the
// fraction when it is zero) reads back into a Date.
export const events = {
  // record IssueCreated(String issueId, String workspaceId, @Nullable String parentId, String title,
  //                     String description, Instant createdAt)
  issueCreated: Events.synced({
    name: 'v1.IssueCreated',
    schema: Schema.Struct({
      issueId: Schema.String,
      workspaceId: Schema.String,
      parentId: Schema.NullOr(Schema.String),
      title: Schema.String,
      description: Schema.String,
      createdAt: Schema.Date,
    }),
  }),
  // record IssueRenamed(String title)
  issueRenamed: Events.synced({
    name: 'v1.IssueRenamed',
    schema: Schema.Struct({ title: Schema.String }),
  }),
  // record CommentAdded(String author, String text, Instant createdAt)
  commentAdded: Events.synced({
    name: 'v1.CommentAdded',
    schema: Schema.Struct({ author: Schema.String, text: Schema.String, createdAt: Schema.Date }),
  }),
  // record ChildIssueAdded(String childIssueId)
  childIssueAdded: Events.synced({
    name: 'v1.ChildIssueAdded',
    schema: Schema.Struct({ childIssueId: Schema.String }),
  }),
}

// Java's tx.seq() is the event's global sequence number. A local event's number is provisional until the
// server confirms it; if another commit came first, LiveStore rebases the event and runs this again with
// the number the server gave it.
const seqOf = (event) => event.seqNum.global

const materializers = State.SQLite.materializers(events, {
  'v1.IssueCreated': ({ issueId, workspaceId, parentId, title, description, createdAt }, { event }) =>
    tables.issue.insert({
      id: issueId,
      workspace_id: workspaceId,
      parent_id: parentId,
      title,
      description,
      created_at: createdAt,
      revision: seqOf(event),
    }),
  'v1.IssueRenamed': ({ title }, { event }) => tables.issue.update({ title, revision: seqOf(event) }),
  'v1.CommentAdded': ({ author, text, createdAt }, { event }) => [
    tables.comment.insert({ seq: seqOf(event), author, text, created_at: createdAt }),
    tables.issue.update({ revision: seqOf(event) }),
  ],
  'v1.ChildIssueAdded': ({ childIssueId }, { event }) => [
    tables.child_issue.insert({ issue_id: childIssueId, position: seqOf(event) }),
    tables.issue.update({ revision: seqOf(event) }),
  ],
})

const state = State.SQLite.makeState({ tables, materializers })

export const schema = makeSchema({ events, state })

// The tracker's limits on what its API accepts (api/body/Limits.java), which this client keeps as well:
// the server materializes a client's events without the API's checks.
export const limits = { name: 100, title: 200, text: 10_000 }
