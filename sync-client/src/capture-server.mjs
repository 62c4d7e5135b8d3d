// A tiny in-memory LiveStore 0.4.0 sync backend for the self-check (docs/livestore-sync-protocol.md
// §5, §6): Ping -> Pong, Pull -> backlog pages ending in NoMore (one empty NoMore page when there is
// nothing), live pulls kept open, Push -> head check, append, echo on every live pull, Exit success.
// It records every frame so the self-check can assert what the real client sent. Test aid only:
// no chunking by size, no persistence, loopback only.
import { WebSocketServer } from 'ws'

const BACKEND_ID = 'self-check-backend'

export const startCaptureServer = async ({ path = '/livestore' } = {}) => {
  const frames = [] // { connection, frame, atMs } for every client frame, in arrival order
  const connections = [] // { url, storeId, payload } per accepted WebSocket
  const stores = new Map() // storeId -> { events: [{eventEncoded, metadata}], livePulls: Set<{socket, requestId}> }
  const storeOf = (storeId) => {
    if (!stores.has(storeId)) stores.set(storeId, { events: [], livePulls: new Set() })
    return stores.get(storeId)
  }

  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, path })
  await new Promise((resolve) => wss.once('listening', resolve))

  wss.on('connection', (socket, request) => {
    const url = new URL(request.url, 'http://127.0.0.1')
    const rawPayload = url.searchParams.get('payload')
    // payload is encodeURIComponent(JSON) inside form encoding: searchParams undoes one layer (§2.1).
    const connection = {
      index: connections.length,
      url: request.url,
      storeId: url.searchParams.get('storeId'),
      payload: rawPayload === null ? undefined : JSON.parse(decodeURIComponent(rawPayload)),
    }
    connections.push(connection)
    const sendJson = (value) => socket.send(JSON.stringify(value))

    socket.on('message', (data) => {
      const frame = JSON.parse(data.toString('utf8'))
      frames.push({ connection: connection.index, frame, atMs: performance.timeOrigin + performance.now() })
      if (frame._tag === 'Ping') return sendJson({ _tag: 'Pong' })
      if (frame._tag !== 'Request') return // Ack, Interrupt, Eof: nothing to do here
      const store = storeOf(frame.payload.storeId)
      if (frame.tag === 'SyncWsRpc.Pull') {
        const cursor = frame.payload.cursor
        const after = cursor._tag === 'Some' ? cursor.value.eventSequenceNumber : 0
        const batch = store.events.filter((e) => e.eventEncoded.seqNum > after)
        // One page with the whole backlog (the self-check stays far below 100 events).
        sendJson({
          _tag: 'Chunk',
          requestId: frame.id,
          values: [{ batch, pageInfo: { _tag: 'NoMore' }, backendId: BACKEND_ID }],
        })
        if (frame.payload.live) {
          const pull = { socket, requestId: frame.id }
          store.livePulls.add(pull)
          socket.on('close', () => store.livePulls.delete(pull))
        } else {
          sendJson({ _tag: 'Exit', requestId: frame.id, exit: { _tag: 'Success' } })
        }
        return
      }
      if (frame.tag === 'SyncWsRpc.Push') {
        const events = frame.payload.batch
        const head = store.events.length === 0 ? 0 : store.events.at(-1).eventEncoded.seqNum
        if (events.length > 0 && events[0].parentSeqNum !== head) {
          const error = { _tag: 'ServerAheadError', minimumExpectedNum: head, providedNum: events[0].parentSeqNum }
          return sendJson({ _tag: 'Exit', requestId: frame.id, exit: { _tag: 'Failure', cause: { _tag: 'Fail', error } } })
        }
        const metadata = { _tag: 'Some', value: { _tag: 'SyncMessage.SyncMetadata', createdAt: new Date().toISOString() } }
        const accepted = events.map((eventEncoded) => ({ eventEncoded, metadata }))
        store.events.push(...accepted)
        // Echo to every live pull, the pusher's own included: that echo is what confirms the events.
        for (const pull of store.livePulls) {
          pull.socket.send(
            JSON.stringify({
              _tag: 'Chunk',
              requestId: pull.requestId,
              values: [{ batch: accepted, pageInfo: { _tag: 'NoMore' }, backendId: BACKEND_ID }],
            }),
          )
        }
        return sendJson({ _tag: 'Exit', requestId: frame.id, exit: { _tag: 'Success', value: {} } })
      }
      // Unknown RPC: fail this request only, as a real server would (§5.4).
      sendJson({
        _tag: 'Exit',
        requestId: frame.id,
        exit: { _tag: 'Failure', cause: { _tag: 'Fail', error: { _tag: 'UnknownError', cause: `unknown rpc ${frame.tag}` } } },
      })
    })
  })

  return {
    url: `ws://127.0.0.1:${wss.address().port}${path}`,
    frames,
    connections,
    stores,
    close: () =>
      new Promise((resolve) => {
        for (const client of wss.clients) client.terminate()
        wss.close(() => resolve())
      }),
  }
}
