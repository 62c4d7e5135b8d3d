// stdout carries the issue alone (text, or one JSON line per state with --json): LiveStore and Effect log
// through console.*, so before they are loaded this module keeps a private handle on stdout and points
// console.* and process.stdout at stderr. It must be the first import of main.mjs.
const write = process.stdout.write.bind(process.stdout)

process.stdout.write = process.stderr.write.bind(process.stderr)
for (const level of ['log', 'info', 'debug', 'trace', 'dir', 'table']) {
  console[level] = console.error.bind(console)
}

/** Writes text to the real stdout; resolves once it is handed to the OS (so an exit right after loses nothing). */
export const print = (text) =>
  new Promise((resolve) => {
    write(text.endsWith('\n') ? text : `${text}\n`, () => resolve())
  })

/** A message for the user, on stderr. */
export const say = (text) => console.error(text)
