// Self-check: runs the real driver (src/sync-client.mjs, real LiveStore 0.4.0) against the capture
// server and checks what a Java test will rely on: ready line, commit -> SyncWsRpc.Push with the
// event, confirmation (waitSynced), a second client receiving the rows, the latency probe, and a
// restarted client resuming from its cursor. Prints one line per check; exits 1 on the first failure.
//   node --experimental-websocket src/self-check.mjs   (or: npm run self-check)
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

import { startCaptureServer } from './capture-server.mjs'

const driverPath = fileURLToPath(new URL('./sync-client.mjs', import.meta.url))
const verbose = process.env.SELF_CHECK_VERBOSE === '1'

/** Starts one driver process and talks to it the way the Java side will. */
const startDriver = async ({ url, storeId, dataDir, clientId, sessionId, payload }) => {
  const child = spawn(
    process.execPath,
    ['--experimental-websocket', driverPath, '--url', url, '--store-id', storeId, '--data-dir', dataDir,
      '--client-id', clientId, '--session-id', sessionId, '--payload', JSON.stringify(payload)],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  )
  const stderr = []
  child.stderr.on('data', (chunk) => {
    stderr.push(chunk)
    if (verbose) process.stderr.write(`[${clientId}] ${chunk}`)
  })
  let nextId = 1
  const pending = new Map()
  let onReady
  const ready = new Promise((resolve) => (onReady = resolve))
  const nonProtocol = []
  createInterface({ input: child.stdout }).on('line', (line) => {
    let message
    try {
      message = JSON.parse(line)
    } catch {
      nonProtocol.push(line)
      return
    }
    if ('ready' in message) return onReady(message)
    pending.get(message.id)?.(message)
    pending.delete(message.id)
  })
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)))
  return {
    ready,
    exited,
    nonProtocol,
    stderrText: () => Buffer.concat(stderr).toString('utf8'),
    request: (command) => {
      const id = nextId++
      const answer = new Promise((resolve) => pending.set(id, resolve))
      child.stdin.write(`${JSON.stringify({ id, ...command })}\n`)
      return answer
    },
  }
}

const waitFor = async (what, predicate, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = predicate()
    if (value) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

let failures = 0
const check = (name, condition, detail) => {
  console.log(`${condition ? 'PASS' : 'FAIL'} ${name}${detail === undefined ? '' : ` - ${JSON.stringify(detail)}`}`)
  if (!condition) failures++
  return condition
}

const main = async () => {
  const server = await startCaptureServer()
  const baseDir = mkdtempSync(join(tmpdir(), 'livestore-self-check-'))
  const storeId = `self-check-${process.pid}`
  const payload = { authToken: 'secret&x=1' }
  const common = { url: server.url, storeId, payload }
  const pushes = () => server.frames.filter((f) => f.frame._tag === 'Request' && f.frame.tag === 'SyncWsRpc.Push')
  const drivers = []
  try {
    const a = await startDriver({ ...common, dataDir: join(baseDir, 'a'), clientId: 'client-a', sessionId: 's1' })
    drivers.push(a)
    const readyA = await a.ready
    check('A ready', readyA.ready === true, readyA)
    // ready comes once the store is booted; the WebSocket may open a moment later.
    const connection = await waitFor('the WebSocket connection', () => server.connections[0])
    check('A connected with storeId and double-encoded payload', connection.storeId === storeId &&
      JSON.stringify(connection.payload) === JSON.stringify(payload), connection)

    const commit = await a.request({ cmd: 'commit', events: [
      { name: 'v1.TodoCreated', args: { id: 'a', text: 'x ünï "q"' } },
      { name: 'v1.NoteAdded', args: { id: 'n1', note: 'unknown to Java' } },
    ] })
    check('A commit ok', commit.ok === true && typeof commit.atMs === 'number', commit)
    const push = await waitFor('a SyncWsRpc.Push', () => pushes()[0])
    const pushed = push.frame.payload.batch
    check('server saw SyncWsRpc.Push with the event', pushed[0]?.name === 'v1.TodoCreated' &&
      pushed[0]?.args?.text === 'x ünï "q"' && pushed[0]?.seqNum === 1 && pushed[0]?.parentSeqNum === 0 &&
      pushed[0]?.clientId === 'client-a' && pushed[0]?.sessionId === 's1', push.frame)

    const synced = await a.request({ cmd: 'waitSynced', timeoutMs: 10_000 })
    check('A waitSynced ok', synced.ok === true && synced.leaderPending === 0, synced)
    const rowsA = await a.request({ cmd: 'rows', table: 'todos' })
    check('A rows', rowsA.ok && JSON.stringify(rowsA.rows) === JSON.stringify([{ id: 'a', text: 'x ünï "q"', completed: false }]), rowsA)
    const eventsA = await a.request({ cmd: 'events' })
    check('A events', eventsA.ok && eventsA.events.length === 2 && eventsA.events.every((e) => e.confirmed), eventsA)

    const b = await startDriver({ ...common, dataDir: join(baseDir, 'b'), clientId: 'client-b', sessionId: 's1' })
    drivers.push(b)
    await b.ready
    const rowsB = await b.request({ cmd: 'waitRows', table: 'todos', count: 1, timeoutMs: 10_000 })
    check('B received the todo', rowsB.ok && rowsB.rows[0]?.id === 'a', rowsB)
    const notesB = await b.request({ cmd: 'waitRows', table: 'notes', count: 1, timeoutMs: 10_000 })
    check('B received the note', notesB.ok && notesB.rows[0]?.id === 'n1', notesB)

    // Latency probe: B watches, then A commits; the difference is commit -> visible on B.
    const probe = b.request({ cmd: 'rowTimes', table: 'todos', ids: ['b', 'c'], timeoutMs: 10_000 })
    const commitB = await a.request({ cmd: 'commit', events: [
      { name: 'v1.TodoCreated', args: { id: 'b', text: 'y' } },
      { name: 'v1.TodoCreated', args: { id: 'c', text: 'z' } },
      { name: 'v1.TodoCompleted', args: { id: 'a' } },
      { name: 'v1.TodoRenamed', args: { id: 'b', text: 'y2' } },
    ] })
    const times = await probe
    check('latency probe', times.ok && times.atMs.b >= commitB.atMs,
      { ...times, latencyMs: times.ok ? times.atMs.b - commitB.atMs : undefined,
        // where the time goes: commit on A -> its Push reaches the server -> row visible on B
        commitToPushMs: pushes().at(-1).atMs - commitB.atMs })
    const rowsB2 = await b.request({ cmd: 'waitRows', table: 'todos', count: 3, timeoutMs: 10_000 })
    check('B sees completed + renamed', rowsB2.ok && rowsB2.rows[0].completed === true && rowsB2.rows[1].text === 'y2', rowsB2.rows)

    const bad = await a.request({ cmd: 'commit', events: [{ name: 'v1.Nope', args: {} }] })
    check('unknown event -> ok:false', bad.ok === false && /unknown event/.test(bad.error), bad)
    const badArgs = await a.request({ cmd: 'commit', events: [{ name: 'v1.TodoCreated', args: { id: 1 } }] })
    check('bad args -> ok:false', badArgs.ok === false, badArgs)
    const timeout = await a.request({ cmd: 'waitRows', table: 'todos', count: 99, timeoutMs: 200 })
    check('waitRows timeout -> ok:false', timeout.ok === false, timeout)

    await a.request({ cmd: 'waitSynced', timeoutMs: 10_000 })
    const bye = await a.request({ cmd: 'shutdown' })
    check('A shutdown ok, exit 0', bye.ok === true && (await a.exited) === 0, bye)

    // Restart A on the same data dir: it must pull from its cursor, not from the beginning.
    const connectionsBefore = server.connections.length
    const a2 = await startDriver({ ...common, dataDir: join(baseDir, 'a'), clientId: 'client-a', sessionId: 's1' })
    drivers.push(a2)
    await a2.ready
    const pull = await waitFor('the restarted pull', () => server.frames.find((f) =>
      f.connection >= connectionsBefore && f.frame.tag === 'SyncWsRpc.Pull'))
    check('restarted A pulls from its cursor', pull.frame.payload.cursor._tag === 'Some' &&
      pull.frame.payload.cursor.value.eventSequenceNumber === 6, pull.frame.payload.cursor)
    const rowsA2 = await a2.request({ cmd: 'rows', table: 'todos' })
    check('restarted A kept its rows', rowsA2.ok && rowsA2.rows.length === 3, rowsA2.rows)

    for (const driver of [a2, b]) {
      await driver.request({ cmd: 'shutdown' })
      await driver.exited
    }
    check('stdout carried protocol lines only', drivers.every((d) => d.nonProtocol.length === 0),
      drivers.flatMap((d) => d.nonProtocol))
  } catch (error) {
    check('no exception', false, String(error?.stack ?? error))
    for (const driver of drivers) console.log(driver.stderrText().slice(-4000))
  } finally {
    await server.close()
    rmSync(baseDir, { recursive: true, force: true })
  }
  console.log(failures === 0 ? 'SELF-CHECK OK' : `SELF-CHECK FAILED (${failures})`)
  process.exit(failures === 0 ? 0 : 1)
}

main()
