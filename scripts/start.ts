/**
 * `npm start`: the service on this machine, following content/ as it is
 * edited.
 *
 * 1. Applies the local D1 migrations (never asks; two starts at once on a
 *    fresh state take turns through a lock in the state folder), unless
 *    the local database already records every file of migrations/ as
 *    applied (read from its `d1_migrations` table: no wrangler process).
 * 2. Builds content/ and publishes it into the local D1 as a new content
 *    version (only changed rows; no build at all when no file changed since
 *    the last start on this state), with the
 *    site's absolute URLs on the address served (`--port 8788` gives feeds
 *    that say 8788).
 * 3. Starts `wrangler dev`, passing every argument through
 *    (`npm start -- --port 8788 --test-scheduled`).
 * 4. Makes sure `.dev.vars` holds a development `STATS_TOKEN` (for
 *    `/stats/subscribers.json`) and prints it.
 * 5. Watches content/: a saved file is validated, built and published; the
 *    next request sees it (the Worker reads the current version). Invalid
 *    content prints `file: field: reason` once, and the last good version
 *    keeps serving.
 *
 * Environment: CONTENT_DIR (default content/).
 */
import { execFileSync, spawn } from 'node:child_process'
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  statSync,
  watch,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { CURRENT, loadRows } from '../src/store/load.ts'
import { build, failure } from './lib/build.ts'
import { ensureDevToken } from './lib/dev-token.ts'

// node:sqlite is experimental in Node 22 and says so when imported: that one notice is not worth printing.
process
  .removeAllListeners('warning')
  .on('warning', (w) => w.name === 'ExperimentalWarning' || console.warn(`${w.name}: ${w.message}`))
const { localDatabaseFile, withLocalTarget } = await import('./lib/load-targets.ts')
const { DatabaseSync } = await import('node:sqlite')

const passed = process.argv.slice(2)
const { values } = parseArgs({
  args: passed,
  options: { port: { type: 'string' }, ip: { type: 'string' }, 'persist-to': { type: 'string' } },
  strict: false,
})
const port = String(values.port ?? 8787)
const ip = String(values.ip ?? '127.0.0.1')
const state = String(values['persist-to'] ?? '.wrangler/state')
const dir = process.env.CONTENT_DIR ?? 'content'
const siteUrl = `http://${ip === '0.0.0.0' ? '127.0.0.1' : ip}:${port}`
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true' }
/** wrangler's own entry point, run with this Node (npx would first resolve the package, a second or more). */
const wrangler = fileURLToPath(new URL('../node_modules/wrangler/bin/wrangler.js', import.meta.url))

/** Runs `work` holding a lock directory in the state folder (mkdir is atomic); waits for another start to finish. */
async function locked<T>(work: () => Promise<T>): Promise<T> {
  mkdirSync(state, { recursive: true })
  const lock = join(state, 'start.lock')
  for (let waited = 0; ; waited += 200) {
    try {
      mkdirSync(lock)
      writeFileSync(join(lock, 'pid'), String(process.pid))
      break
    } catch {
      if (waited > 120_000 || !alive(lock)) rmdirSafe(lock)
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  }
  try {
    return await work()
  } finally {
    rmdirSafe(lock)
  }
}

function alive(lock: string): boolean {
  try {
    process.kill(Number(readFileSync(join(lock, 'pid'), 'utf8')), 0)
    return true
  } catch {
    // No pid file yet (just created) counts as alive for a moment.
    return Date.now() - statSync(lock).mtimeMs < 5000
  }
}

function rmdirSafe(path: string) {
  try {
    execFileSync('rm', ['-rf', path])
  } catch {
    rmdirSync(path, { recursive: true })
  }
}

/** Whether the local D1 of `state` has every migration of migrations/ applied, by wrangler's own record of them. */
function migrated(): boolean {
  try {
    const db = new DatabaseSync(localDatabaseFile(state), { readOnly: true })
    try {
      const applied = new Set(
        (db.prepare('SELECT name FROM d1_migrations').all() as { name: string }[]).map(
          (r) => r.name,
        ),
      )
      return readdirSync('migrations')
        .filter((f) => f.endsWith('.sql'))
        .every((f) => applied.has(f))
    } finally {
      db.close()
    }
  } catch {
    // No database yet, or no record of migrations: let wrangler apply them.
    return false
  }
}

/** Every content file's path, size and modification time: equal stamps mean nothing was saved since. */
function stamp(): string {
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()
  return JSON.stringify(
    files.map((f) => {
      const st = statSync(join(dir, f))
      return [f, st.size, st.mtimeMs]
    }),
  )
}

/** The content stamp and version of the last publish into this state, so an unchanged start skips the build. */
const stampFile = join(state, 'start-content.json')
function unchangedSinceLastStart(): boolean {
  try {
    const last = JSON.parse(readFileSync(stampFile, 'utf8')) as {
      stamp: string
      version: string
      siteUrl: string
    }
    if (last.stamp !== stamp() || last.siteUrl !== siteUrl) return false
    const db = new DatabaseSync(localDatabaseFile(state), { readOnly: true })
    try {
      return (db.prepare(CURRENT.sql).get() as { hash: string } | undefined)?.hash === last.version
    } finally {
      db.close()
    }
  } catch {
    return false
  }
}

let lastError = ''
/** Builds and publishes the content into the local D1; false (after one printed report) when it is invalid. */
async function publish(): Promise<boolean> {
  const started = performance.now()
  try {
    const before = stamp()
    const built = await build(dir, {
      siteUrl,
      cacheFile: join('.cache', `entry-hashes-${port}.json`),
    })
    const report = await withLocalTarget(localDatabaseFile(state), (target) =>
      loadRows(target, built.rows),
    )
    writeFileSync(
      stampFile,
      JSON.stringify({ stamp: before, version: built.rows.catalog.version, siteUrl }),
    )
    lastError = ''
    const ms = Math.round(performance.now() - started)
    console.log(
      report.written || report.deleted || report.purge.length
        ? `content: version ${report.version} published: ${report.written} entries written, ${report.deleted} deleted (${ms} ms)`
        : `content: ${built.rows.hashes.length} entries, unchanged (${ms} ms)`,
    )
    return true
  } catch (error) {
    const message = failure(error)
    if (message !== lastError) console.error(`${message}\n(the server keeps the last good version)`)
    lastError = message
    return false
  }
}

await locked(async () => {
  if (!migrated())
    execFileSync(
      process.execPath,
      [wrangler, 'd1', 'migrations', 'apply', 'DB', '--local', '--persist-to', state],
      { stdio: 'ignore', env },
    )
  if (unchangedSinceLastStart()) console.log(`content: unchanged since the last start (${dir}/)`)
  else await publish()
})

// Wrangler reads local secrets from .dev.vars when it starts.
const stats = ensureDevToken('.dev.vars')
const child = spawn(
  process.execPath,
  [
    wrangler,
    'dev',
    '--var',
    'WEBSUB_ALLOW_LOOPBACK:true',
    ...(values['persist-to'] ? [] : ['--persist-to', state]),
    ...(values.port ? [] : ['--port', port]),
    ...passed,
  ],
  { stdio: ['inherit', 'pipe', 'pipe'], env },
)
// Until the server is ready, wrangler's start-up chatter is held back (and printed should it fail): the address comes within a few lines.
let held = ''
let ready = false
const relay = (out: NodeJS.WriteStream) => (chunk: Buffer) => {
  if (ready) return void out.write(chunk)
  held += chunk.toString()
  const at = held.search(/Ready on \S+/)
  if (at === -1) return
  ready = true
  console.log(held.slice(at).split('\n')[0]!.trim())
  console.log(`Watching ${dir}/: a saved file is published to this server within a second or two.`)
  console.log(
    `Subscriber counts: ${siteUrl}/stats/subscribers.json with "Authorization: Bearer ${stats.token}" (${stats.created ? 'new development token in' : 'from'} .dev.vars)`,
  )
}
child.stdout!.on('data', relay(process.stdout))
child.stderr!.on('data', relay(process.stderr))
child.on('exit', (code) => {
  if (!ready) process.stderr.write(held)
  process.exit(code ?? 0)
})
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal))

let timer: NodeJS.Timeout | undefined
let running: Promise<unknown> = Promise.resolve()
// One watcher per folder: a folder's watcher sees files replaced by rename (as editors save), a file's own would not.
for (const folder of [dir, join(dir, 'entries')]) {
  watch(folder, (_event, name) => {
    if (name?.startsWith('.') || name?.endsWith('~')) return
    clearTimeout(timer)
    timer = setTimeout(() => (running = running.then(() => locked(publish))), 50)
  })
}
