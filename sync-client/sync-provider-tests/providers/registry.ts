// Our provider registration for LiveStore's sync-provider suite, in place of upstream's
// src/providers/registry.ts: the real sync-cf WebSocket client (the one apps use) pointed at the
// external server given by LIVESTORE_SYNC_URL (run.sh sets it).
import { UnknownError } from '@livestore/common'
import { makeWsSync } from '@livestore/sync-cf/client'
import { Effect, Layer } from '@livestore/utils/effect'

import { SyncProviderImpl, type SyncProviderLayer } from '../types.ts'

const url = process.env.LIVESTORE_SYNC_URL
if (url === undefined) throw new Error('set LIVESTORE_SYNC_URL=ws://127.0.0.1:PORT/livestore/DEFINITION')

// Diagnostic only, never for the counts of record: LIVESTORE_SAFE_STORE_IDS=1 replaces every character of the
// suite's storeIds outside the library's storeId alphabet [A-Za-z0-9._:-] with '_' (the suite puts its test
// names, spaces included, into them) and keeps the last 128 characters of a longer one (the unique ids are at
// its end), to show what the server does beyond its storeId rule.
const safeStoreIds = process.env.LIVESTORE_SAFE_STORE_IDS === '1'
const storeIdFor = (storeId: string) => (safeStoreIds ? storeId.replace(/[^A-Za-z0-9._:-]/g, '_').slice(-128) : storeId)

// Like upstream's Cloudflare WebSocket providers: the suite's pingSchedule option is not passed on, and
// going offline/online is not simulated (the reconnect test then just pushes and pulls).
const layer: SyncProviderLayer = Layer.succeed(SyncProviderImpl, {
  makeProvider: (args) => makeWsSync({ url })({ ...args, storeId: storeIdFor(args.storeId) }),
  turnBackendOffline: Effect.log('turnBackendOffline: not simulated for an external server'),
  turnBackendOnline: Effect.log('turnBackendOnline: not simulated for an external server'),
  providerSpecific: {},
}).pipe(UnknownError.mapToUnknownErrorLayer)

// The name goes into the suite's storeIds (test-store-<name>-<test>-<id>): none of the storeId rule's refusals
// are ours to cause, so no spaces.
export const providerRegistry = { jakarta: { name: 'livestore-jakarta', layer, prepare: Effect.void } }
export type ProviderKey = keyof typeof providerRegistry
export const providerKeys = Object.keys(providerRegistry) as ProviderKey[]
