// The driver's commands: each takes the parsed request and returns the fields of its answer
// (`ok` and `id` are added by the caller). Throwing means {"ok":false,"error":message}.
import { StoreInternalsSymbol } from '@livestore/livestore'
import { Chunk, Effect, Either, ParseResult, Schema, Stream } from 'effect'

import { eventsByName, tables } from './schema.mjs'

/** Wall-clock milliseconds with sub-millisecond precision, comparable between processes on one machine. */
const nowMs = () => performance.timeOrigin + performance.now()

const tableOf = (name) => {
  const table = tables[name]
  if (table === undefined) {
    throw new Error(`unknown table "${name}" (known: ${Object.keys(tables).join(', ')})`)
  }
  return table
}

const byId = (a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

const rowsOf = (store, tableName) => [...store.query(tableOf(tableName))].sort(byId)

/**
 * Resolves with the first `check(rows)` result that is not undefined, re-checking on every change of
 * the table; resolves with undefined after timeoutMs. Subscriptions, not polling, so the time a row
 * is seen is the time LiveStore made it visible.
 */
const watchTable = (store, tableName, timeoutMs, check) =>
  new Promise((resolve, reject) => {
    let done = false
    let unsubscribe = () => {}
    const finish = (value) => {
      if (done) return
      done = true
      clearTimeout(timer)
      // subscribe() calls back synchronously the first time, before `unsubscribe` is assigned.
      queueMicrotask(() => unsubscribe())
      resolve(value)
    }
    const timer = setTimeout(() => finish(undefined), timeoutMs)
    try {
      unsubscribe = store.subscribe(tableOf(tableName), (rows) => {
        const result = check([...rows].sort(byId))
        if (result !== undefined) finish(result)
      })
    } catch (error) {
      clearTimeout(timer)
      reject(error)
    }
  })

// The leader's sync state: `pending` = local events the backend has not confirmed yet (confirmed =
// echoed back on the live pull), `upstreamHead` = last event confirmed by the backend.
const leaderSyncState = (store) => {
  const syncState = store[StoreInternalsSymbol].clientSession.leaderThread.syncState
  return Effect.runPromise(Effect.isEffect(syncState) ? syncState : syncState.get)
}

const seqNumText = (seqNum) =>
  seqNum.client === 0 ? `e${seqNum.global}` : `e${seqNum.global}.${seqNum.client}`

const eventView = (event, confirmed) => ({
  seqNum: event.seqNum.global,
  clientSeqNum: event.seqNum.client,
  seq: seqNumText(event.seqNum),
  parentSeqNum: event.parentSeqNum.global,
  name: event.name,
  args: event.args,
  clientId: event.clientId,
  sessionId: event.sessionId,
  confirmed,
})

const requirePositive = (value, what) => {
  if (!Number.isFinite(value) || value < 0) throw new Error(`${what} must be a non-negative number`)
  return value
}

export const makeCommands = (store) => ({
  /** Commits the events in one transaction; answers once they are in the local store. */
  commit: ({ events }) => {
    if (!Array.isArray(events) || events.length === 0) throw new Error('"events" must be a non-empty array')
    const defs = events.map(({ name, args }) => {
      const def = eventsByName[name]
      if (def === undefined) {
        throw new Error(`unknown event "${name}" (known: ${Object.keys(eventsByName).join(', ')})`)
      }
      // Checked here so the error names the event and the field; LiveStore's own check at commit
      // time reports "This should never happen: Invalid event args".
      const decoded = Schema.decodeUnknownEither(def.schema)(args)
      if (Either.isLeft(decoded)) {
        throw new Error(`invalid args for "${name}": ${ParseResult.TreeFormatter.formatErrorSync(decoded.left)}`)
      }
      return def(decoded.right)
    })
    store.commit(...defs)
    return { atMs: nowMs() }
  },

  rows: ({ table }) => ({ rows: rowsOf(store, table) }),

  waitRows: async ({ table, count, timeoutMs = 10_000 }) => {
    requirePositive(count, '"count"')
    const rows = await watchTable(store, table, requirePositive(timeoutMs, '"timeoutMs"'), (rows) =>
      rows.length >= count ? rows : undefined,
    )
    if (rows === undefined) {
      throw new Error(`table "${table}" has ${rowsOf(store, table).length} rows, expected at least ${count} within ${timeoutMs} ms`)
    }
    return { rows }
  },

  /**
   * Latency probe: answers when every id in `ids` is a row of `table`, with the first time each one
   * was seen (epoch ms, same clock as commit's `atMs`). Send it before the commit on another client.
   */
  rowTimes: async ({ table, ids, timeoutMs = 10_000 }) => {
    if (!Array.isArray(ids) || ids.length === 0) throw new Error('"ids" must be a non-empty array')
    const seen = {}
    const result = await watchTable(store, table, requirePositive(timeoutMs, '"timeoutMs"'), (rows) => {
      const at = nowMs()
      for (const row of rows) if (ids.includes(row.id) && seen[row.id] === undefined) seen[row.id] = at
      return ids.every((id) => seen[id] !== undefined) ? seen : undefined
    })
    if (result === undefined) {
      const missing = ids.filter((id) => seen[id] === undefined)
      throw new Error(`rows ${JSON.stringify(missing)} did not appear in table "${table}" within ${timeoutMs} ms`)
    }
    return { atMs: result }
  },

  /**
   * Answers when every local event has reached the leader (session sync status) and the backend
   * has confirmed all of them (leader sync state has no pending events).
   */
  waitSynced: async ({ timeoutMs = 10_000 }) => {
    const deadline = Date.now() + requirePositive(timeoutMs, '"timeoutMs"')
    for (;;) {
      const session = store.syncStatus()
      const leader = await leaderSyncState(store)
      const status = {
        sessionPending: session.pendingCount,
        leaderPending: leader.pending.length,
        localHead: seqNumText(leader.localHead),
        upstreamHead: seqNumText(leader.upstreamHead),
      }
      if (session.isSynced && leader.pending.length === 0) return status
      if (Date.now() >= deadline) {
        throw new Error(`not synced within ${timeoutMs} ms: ${JSON.stringify(status)}`)
      }
      // The sync state has a change stream, but two of them (session and leader) have to agree;
      // a short poll keeps this simple and is bounded by the deadline above.
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
  },

  /**
   * The eventlog as this client sees it: confirmed events from the leader's eventlog (up to the
   * upstream head), then the events still pending at the leader (pushed or to be pushed to the
   * backend), then those the session has not handed to the leader yet. Args are in their encoded
   * (wire) form.
   */
  events: async () => {
    const { clientSession, syncProcessor } = store[StoreInternalsSymbol]
    const leader = await leaderSyncState(store)
    const session = await Effect.runPromise(syncProcessor.syncState.get)
    // With nothing confirmed yet (upstream head e0) the 0.4.0 stream waits for the head to move
    // instead of ending, so it is not asked at all then.
    const confirmed =
      leader.upstreamHead.global === 0
        ? []
        : await clientSession.leaderThread.events
            .stream({ until: leader.upstreamHead, includeClientOnly: true })
            .pipe(Stream.runCollect, Effect.map(Chunk.toArray), Effect.runPromise)
    const views = [
      ...confirmed.map((event) => eventView(event, true)),
      ...leader.pending.map((event) => eventView(event, false)),
      ...session.pending.map((event) => eventView(event, false)),
    ]
    // The two pending lists can overlap for a moment while the leader takes a batch in.
    const seen = new Set()
    return {
      events: views.filter((view) => !seen.has(view.seq) && seen.add(view.seq)),
      upstreamHead: seqNumText(leader.upstreamHead),
    }
  },
})
