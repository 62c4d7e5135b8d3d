// The line protocol on stdin/stdout. stdout belongs to the protocol alone: the Java side parses every
// line as a JSON answer. LiveStore and Effect log through console.* (and could write to stdout
// directly), so before anything else is imported we keep a private handle on stdout and point the
// public one at stderr.
import { createInterface } from 'node:readline'

const protocolWrite = process.stdout.write.bind(process.stdout)

process.stdout.write = process.stderr.write.bind(process.stderr)
for (const level of ['log', 'info', 'debug', 'trace', 'dir', 'table']) {
  console[level] = console.error.bind(console)
}

/** Writes one JSON value as one line to the real stdout; resolves once it is handed to the OS. */
export const send = (value) =>
  new Promise((resolve) => {
    protocolWrite(`${JSON.stringify(value)}\n`, () => resolve())
  })

/** Logs to stderr with a prefix, so interleaved output of several clients can be told apart. */
export const log = (...parts) => console.error('[sync-client]', ...parts)

/**
 * Calls onLine for every non-empty stdin line and onEnd once stdin closes (the parent went away or
 * closed our input). Lines are handed over in order; handlers may run concurrently.
 */
export const readLines = ({ onLine, onEnd }) => {
  const rl = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY })
  rl.on('line', (line) => {
    if (line.trim() !== '') onLine(line)
  })
  rl.on('close', onEnd)
}
