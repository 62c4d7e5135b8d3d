// The command line: which issue (the page's address, or --url/--workspace/--issue), what to do, how.
import { parseArgs } from 'node:util'

import { limits } from './schema.mjs'

export const usage = `usage: node --experimental-websocket src/main.mjs ADDRESS [COMMAND] [options]

  ADDRESS   the issue's address in the tracker's page, as the browser shows it:
            http://127.0.0.1:8080/#/w/<workspaceId>/i/<issueId>
            (on WildFly http://127.0.0.1:8080/issue-tracker/#/w/...); or give --url, --workspace and --issue

  COMMAND   watch              print the issue, and again after every change, until Ctrl+C (default)
            show               print it once and exit
            comment TEXT       add a comment, wait until the tracker has it, print the issue, exit
            rename TITLE       give the issue a new title, likewise

  --author NAME    who comments (default: anonymous)
  --token TOKEN    the tracker's client token, when it was started with -Dissuetracker.client-token=TOKEN
                   (default: $ISSUE_TRACKER_TOKEN)
  --json           one JSON object per line (the issue as the tracker's API shows it) instead of text
  --timeout SECS   how long to wait for the issue, and for the tracker to confirm a change (default 20)
  --url URL        the sync endpoint, ws://127.0.0.1:8080/livestore/issue (default: from ADDRESS)
  --workspace ID, --issue ID   the workspace and the issue (default: from ADDRESS)`

const fail = (message) => {
  throw new UsageError(`${message}\n\n${usage}`)
}

/** A mistake on the command line: main prints it and exits with 64. */
export class UsageError extends Error {}

const ADDRESS = /^#\/w\/([^/]+)\/i\/([^/]+)$/

/** The sync endpoint and the ids from an address of the page, e.g. http://127.0.0.1:8080/#/w/w-…/i/i-… */
const fromAddress = (text) => {
  let url
  try {
    url = new URL(text)
  } catch {
    fail(`"${text}" is not an address (http://host:port/#/w/<workspaceId>/i/<issueId>)`)
  }
  const match = ADDRESS.exec(url.hash)
  if (url.protocol !== 'http:' && url.protocol !== 'https:') fail(`"${text}" is not an http address of the tracker's page`)
  if (match === null) {
    fail(`"${text}" names no issue: open the issue in the tracker's page and copy the address (it ends in #/w/<workspaceId>/i/<issueId>)`)
  }
  // The page is served at the application's root; the library's sync endpoint is <root>/livestore/<definition>.
  const root = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`
  const ws = `${url.protocol === 'https:' ? 'wss:' : 'ws:'}//${url.host}${root}livestore/issue`
  return { url: ws, workspace: decodeURIComponent(match[1]), issue: decodeURIComponent(match[2]) }
}

/** The texts the tracker's API would accept: trimmed, not empty, within its limits (api/body/Input.java). */
const text = (value, what, max) => {
  const t = (value ?? '').trim()
  if (t === '') fail(`the ${what} must not be empty`)
  if (t.length > max) fail(`the ${what} must be at most ${max} characters, was ${t.length}`)
  return t
}

export const parseOptions = (argv) => {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        url: { type: 'string' },
        workspace: { type: 'string' },
        issue: { type: 'string' },
        'store-id': { type: 'string' },
        token: { type: 'string' },
        author: { type: 'string' },
        json: { type: 'boolean', default: false },
        timeout: { type: 'string', default: '20' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    })
  } catch (error) {
    fail(error.message)
  }
  const { values, positionals } = parsed
  if (values.help) return { help: true }
  const words = [...positionals]
  const address = words[0] !== undefined && /^https?:/.test(words[0]) ? fromAddress(words.shift()) : {}
  const target = {
    url: values.url ?? address.url,
    workspace: values.workspace ?? address.workspace,
    issue: values.issue ?? values['store-id'] ?? address.issue,
  }
  for (const [key, value] of Object.entries(target)) {
    if (value === undefined) fail(`which issue? give its address, or --${key}`)
  }
  const [command = 'watch', argument, ...rest] = words
  if (rest.length > 0) fail(`too many arguments: ${rest.join(' ')} (quote a text with spaces)`)
  const action = { command }
  if (command === 'comment') {
    action.text = text(argument, 'comment', limits.text)
    action.author = values.author === undefined || values.author.trim() === '' ? 'anonymous' : text(values.author, 'author', limits.name)
  } else if (command === 'rename') {
    action.title = text(argument, 'title', limits.title)
  } else if (command === 'watch' || command === 'show') {
    if (argument !== undefined) fail(`${command} takes no argument`)
  } else {
    fail(`unknown command "${command}"`)
  }
  const timeout = Number(values.timeout)
  if (!Number.isFinite(timeout) || timeout <= 0) fail(`--timeout must be a positive number of seconds, was "${values.timeout}"`)
  const token = values.token ?? process.env.ISSUE_TRACKER_TOKEN
  return { ...target, ...action, token: token === '' ? undefined : token, json: values.json, timeoutMs: timeout * 1000 }
}
