// Reading the issue out of the client's own SQLite (the tables of schema.mjs), and showing it.
import { StoreInternalsSymbol } from '@livestore/livestore'
import { Effect } from 'effect'

import { tables } from './schema.mjs'

/** The issue as the tracker's API shows it (GET …/issues/{id}), with child ids only; null before IssueCreated. */
export const readIssue = (store) => {
  const [head] = store.query(tables.issue)
  if (head === undefined) return null
  const comments = [...store.query(tables.comment.orderBy('seq', 'asc'))]
  const children = [...store.query(tables.child_issue.orderBy('position', 'asc'))]
  return {
    id: head.id,
    workspaceId: head.workspace_id,
    parentId: head.parent_id,
    title: head.title,
    description: head.description,
    createdAt: head.created_at.toISOString(),
    revision: head.revision,
    comments: comments.map((c) => ({ seq: c.seq, author: c.author, text: c.text, createdAt: c.created_at.toISOString() })),
    childIds: children.map((c) => c.issue_id),
  }
}

const indent = (text) => text.split('\n').map((line) => `    ${line}`).join('\n')

/** The issue as text, for people. */
export const formatIssue = (issue) => {
  const lines = [`${issue.title}    (${issue.id} in ${issue.workspaceId}, revision ${issue.revision})`]
  if (issue.parentId !== null) lines.push(`  child of ${issue.parentId}`)
  if (issue.description !== '') lines.push(indent(issue.description))
  if (issue.childIds.length > 0) lines.push(`  child issues: ${issue.childIds.join(', ')}`)
  lines.push(issue.comments.length === 0 ? '  no comments' : `  ${issue.comments.length} comment(s):`)
  for (const c of issue.comments) {
    lines.push(`  #${c.seq} ${c.author}, ${c.createdAt}:`, indent(indent(c.text)))
  }
  return lines.join('\n')
}

/**
 * Calls onChange with the issue now and after every change of its tables (LiveStore subscriptions, no
 * polling). Returns a function that stops it.
 */
export const watchIssue = (store, onChange) => {
  let scheduled = false
  // One change touches several tables; look once they have all changed.
  const changed = () => {
    if (scheduled) return
    scheduled = true
    queueMicrotask(() => {
      scheduled = false
      onChange(readIssue(store))
    })
  }
  const stops = Object.values(tables).map((table) => store.subscribe(table, changed))
  return () => stops.forEach((stop) => stop())
}

/** Resolves with the issue once it is there (its IssueCreated has been pulled), or null after timeoutMs. */
export const awaitIssue = (store, timeoutMs) =>
  new Promise((resolve) => {
    let stop = () => {}
    let done = false
    const finish = (issue) => {
      if (done) return
      done = true
      clearTimeout(timer)
      queueMicrotask(() => stop())
      resolve(issue)
    }
    const timer = setTimeout(() => finish(null), timeoutMs)
    stop = watchIssue(store, (issue) => {
      if (issue !== null) finish(issue)
    })
  })

/**
 * Resolves once the tracker has confirmed every local event (it echoed them back on the live pull), false
 * after timeoutMs. LiveStore 0.4.0 has no public "synced with the backend" API: the session's syncStatus
 * says the leader has the events, the leader's sync state (store internals, fine with the exact 0.4.0 pin)
 * says the backend confirmed them. See sync-client/README.md, "waitSynced".
 */
export const awaitConfirmed = async (store, timeoutMs) => {
  const deadline = Date.now() + timeoutMs
  const leader = store[StoreInternalsSymbol].clientSession.leaderThread
  for (;;) {
    const syncState = await Effect.runPromise(Effect.isEffect(leader.syncState) ? leader.syncState : leader.syncState.get)
    if (store.syncStatus().isSynced && syncState.pending.length === 0) return true
    if (Date.now() >= deadline) return false
    // two states have to agree; a short poll bounded by the deadline keeps it simple
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
