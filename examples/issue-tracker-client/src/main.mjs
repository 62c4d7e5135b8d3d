// A LiveStore 0.4.0 client of the issue tracker example: one issue store, synced with the tracker over its
// WebSocket sync endpoint (makeWsSync of @livestore/sync-cf), kept in memory. It prints the issue live, and
// adds a comment or renames the issue as LiveStore events, which the tracker materializes with its Java
// schema. Run it with `node --experimental-websocket src/main.mjs` (Node 20 has no global WebSocket otherwise);
// usage in options.mjs and examples/issue-tracker/README.md ("A LiveStore client").
import { print, say } from './output.mjs'

import { makeAdapter } from '@livestore/adapter-node'
import { createStorePromise, makeShutdownDeferred } from '@livestore/livestore'
import { makeWsSync } from '@livestore/sync-cf/client'
import { Deferred, Effect, Exit } from 'effect'

import { awaitConfirmed, awaitIssue, formatIssue, readIssue, watchIssue } from './issue.mjs'
import { parseOptions, usage, UsageError } from './options.mjs'
import { events, schema } from './schema.mjs'

/** Exit codes: 0 done, 1 the issue or the confirmation did not come, 3 LiveStore stopped the store, 64 usage. */
const exitWith = async (store, code) => {
  if (store !== undefined) await store.shutdownPromise().catch(() => {})
  process.exit(code)
}

const main = async () => {
  const options = parseOptions(process.argv.slice(2))
  if (options.help) {
    await print(usage)
    return exitWith(undefined, 0)
  }
  if (typeof globalThis.WebSocket !== 'function') {
    throw new UsageError('no global WebSocket: start node with --experimental-websocket')
  }
  const show = (issue) => print(options.json ? JSON.stringify(issue) : `${formatIssue(issue)}\n`)
  const shutdownDeferred = Effect.runSync(makeShutdownDeferred)
  let stopping = false

  // The tracker lets a client sync an issue store when it names the issue's workspace (so no client can
  // create a store for an id the tracker never handed out) and, if the tracker was given one, brings its
  // client token: see ClientAccess.java in the tracker.
  const syncPayload = { workspaceId: options.workspace, ...(options.token === undefined ? {} : { token: options.token }) }
  const store = await createStorePromise({
    schema,
    storeId: options.issue,
    syncPayload,
    disableDevtools: true,
    shutdownDeferred,
    // in memory: every run pulls the issue afresh (a few events), and nothing is left behind
    adapter: makeAdapter({ storage: { type: 'in-memory' }, sync: { backend: makeWsSync({ url: options.url }) } }),
  })
  Deferred.await(shutdownDeferred).pipe(Effect.exit, Effect.runPromise).then((exit) => {
    if (stopping) return
    say(`LiveStore stopped the store: ${Exit.isSuccess(exit) ? JSON.stringify(exit.value) : String(exit.cause)}`)
    process.exit(3)
  })
  const stop = async (code) => {
    stopping = true
    await exitWith(store, code)
  }
  process.once('SIGINT', () => void stop(0))
  process.once('SIGTERM', () => void stop(0))

  say(`syncing issue ${options.issue} of workspace ${options.workspace} with ${options.url}`)
  const issue = await awaitIssue(store, options.timeoutMs)
  if (issue === null) {
    say(`issue ${options.issue} did not arrive from ${options.url} within ${options.timeoutMs / 1000} s. Is the tracker `
      + 'running there? Are the ids right (copy the address from the page)? Was it started with a client token '
      + '(then give --token)? The tracker\'s log says why it refused a connection.')
    return stop(1)
  }

  if (options.command === 'comment' || options.command === 'rename') {
    store.commit(options.command === 'comment'
      ? events.commentAdded({ author: options.author, text: options.text, createdAt: new Date() })
      : events.issueRenamed({ title: options.title }))
    if (!(await awaitConfirmed(store, options.timeoutMs))) {
      say(`the tracker did not confirm the ${options.command} within ${options.timeoutMs / 1000} s; it is lost when `
        + 'this client exits (it keeps nothing on disk)')
      return stop(1)
    }
    await show(readIssue(store))
    return stop(0)
  }
  if (options.command === 'show') {
    await show(issue)
    return stop(0)
  }
  // watch: the issue now, then whenever it changes (a change through the page or the API included)
  let last
  watchIssue(store, (current) => {
    const text = JSON.stringify(current)
    if (current === null || text === last) return
    last = text
    void show(current)
  })
}

main().catch(async (error) => {
  if (error instanceof UsageError) {
    say(error.message)
    process.exit(64)
  }
  say(`the issue tracker client failed: ${error?.stack ?? error}`)
  process.exit(2)
})
