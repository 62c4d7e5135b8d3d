// A real LiveStore 0.4.0 client (adapter-node, sync-cf WebSocket backend) driven over stdin/stdout
// by the Java integration tests: one JSON command per stdin line, one JSON answer per stdout line.
// See README.md for the commands. Run with `node --experimental-websocket` (Node 20 has no global
// WebSocket otherwise, and sync-cf's client needs it).
//
// stdio.mjs must be the first import: it takes stdout away from everything else before LiveStore
// is loaded.
import { log, readLines, send } from './stdio.mjs'

import { parseArgs } from 'node:util'

import { makeAdapter } from '@livestore/adapter-node'
import { createStorePromise, makeShutdownDeferred } from '@livestore/livestore'
import { makeWsSync } from '@livestore/sync-cf/client'
import { Deferred, Effect, Exit } from 'effect'

import { makeCommands } from './commands.mjs'
import { schema } from './schema.mjs'

const usage =
  'usage: node --experimental-websocket src/sync-client.mjs --url ws://127.0.0.1:PORT/path --store-id ID ' +
  '--data-dir DIR --client-id C --session-id S [--payload JSON]'

const parseOptions = () => {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      'store-id': { type: 'string' },
      'data-dir': { type: 'string' },
      'client-id': { type: 'string' },
      'session-id': { type: 'string' },
      payload: { type: 'string' },
    },
    strict: true,
  })
  for (const required of ['url', 'store-id', 'data-dir', 'client-id', 'session-id']) {
    if (values[required] === undefined) throw new Error(`missing --${required}\n${usage}`)
  }
  let payload
  if (values.payload !== undefined) {
    try {
      payload = JSON.parse(values.payload)
    } catch (error) {
      throw new Error(`--payload is not JSON: ${error.message}`)
    }
  }
  return { ...values, payload }
}

const main = async () => {
  if (typeof globalThis.WebSocket !== 'function') {
    throw new Error('no global WebSocket: start node with --experimental-websocket')
  }
  const options = parseOptions()
  const shutdownDeferred = Effect.runSync(makeShutdownDeferred)
  let shuttingDown = false

  const store = await createStorePromise({
    schema,
    storeId: options['store-id'],
    syncPayload: options.payload,
    disableDevtools: true,
    shutdownDeferred,
    adapter: makeAdapter({
      // fs storage: eventlog and state live under DATA-DIR/<storeId>/, so a restarted client
      // resumes from its persisted cursor and re-pushes what is still pending.
      storage: { type: 'fs', baseDirectory: options['data-dir'] },
      clientId: options['client-id'],
      sessionId: options['session-id'],
      sync: { backend: makeWsSync({ url: options.url }) },
    }),
  })

  // A shutdown we did not ask for (e.g. BackendIdMismatchError -> the client resets and stops):
  // exit with 3 so the Java side sees it instead of waiting for answers that never come.
  Deferred.await(shutdownDeferred).pipe(
    Effect.exit,
    Effect.runPromise,
  ).then((exit) => {
    if (shuttingDown) return
    log('store shut down by LiveStore itself:', Exit.isSuccess(exit) ? JSON.stringify(exit.value) : String(exit.cause))
    process.exit(3)
  })

  const commands = makeCommands(store)

  const shutdown = async () => {
    if (shuttingDown) return
    shuttingDown = true
    await store.shutdownPromise()
  }

  const handle = async (line) => {
    let request
    try {
      request = JSON.parse(line)
    } catch (error) {
      await send({ id: null, ok: false, error: `not JSON: ${error.message}` })
      return
    }
    const { id = null, cmd } = request ?? {}
    try {
      if (cmd === 'shutdown') {
        await shutdown()
        await send({ id, ok: true })
        process.exit(0)
      }
      const command = commands[cmd]
      if (command === undefined) {
        throw new Error(`unknown cmd "${cmd}" (known: ${[...Object.keys(commands), 'shutdown'].join(', ')})`)
      }
      if (shuttingDown) throw new Error('the store is shutting down')
      const result = await command(request)
      await send({ id, ok: true, ...result })
    } catch (error) {
      log(`cmd ${JSON.stringify(cmd)} (id ${JSON.stringify(id)}) failed:`, error)
      await send({ id, ok: false, error: error?.message ?? String(error) })
    }
  }

  // Commands run concurrently (a waitRows must not block a commit), answers carry the request id.
  // Closing stdin means the parent is gone or done: shut down cleanly too.
  readLines({
    onLine: (line) => void handle(line),
    onEnd: async () => {
      await shutdown()
      process.exit(0)
    },
  })

  await send({ ready: true, storeId: options['store-id'], clientId: store.clientId, sessionId: store.sessionId })
}

main().catch(async (error) => {
  log('failed to start:', error)
  await send({ ready: false, error: error?.message ?? String(error) })
  process.exit(2)
})
