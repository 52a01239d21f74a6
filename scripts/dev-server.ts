/**
 * Starts the worker with `wrangler dev` for the scripts that test it from
 * outside (external validators, browser test, load test), and always stops
 * it: on return, on error, on exit and on Ctrl-C.
 *
 * The server runs in its own process group (npx, wrangler and workerd stop
 * together) with its own state folder, and listens on 127.0.0.1 only.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface DevServer {
  /** `http://127.0.0.1:{port}` */
  origin: string
  /** The last 20,000 characters wrangler printed. */
  log(): string
  /** Stops the server and waits (at most 5 s, then kills it). */
  stop(): Promise<void>
}

export interface DevServerOptions {
  /** Extra `wrangler dev` arguments, such as `--inspector-port`. */
  args?: string[]
  /** Path polled until it answers 200. Default `/rss.xml`. */
  ready?: string
  timeoutMs?: number
  /** Serve this content folder instead of content/. */
  contentDir?: string
  /** State folder (D1, queues) to use and keep. Default: a fresh one, deleted on stop. */
  persistTo?: string
}

const running = new Set<ChildProcess>()

function kill(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return
  try {
    process.kill(-child.pid, signal)
  } catch {
    // Already gone.
  }
}

process.on('exit', () => running.forEach((child) => kill(child, 'SIGTERM')))
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    running.forEach((child) => kill(child, 'SIGTERM'))
    process.exit(130)
  })
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000), redirect: 'manual' })
    await res.arrayBuffer()
    return res.status === 200
  } catch {
    return false
  }
}

/** Starts `wrangler dev` on 127.0.0.1:`port` and resolves once `ready` answers 200. Refuses a port something already answers on. */
export async function startDevServer(
  port: number,
  options: DevServerOptions = {},
): Promise<DevServer> {
  const origin = `http://127.0.0.1:${port}`
  const ready = `${origin}${options.ready ?? '/rss.xml'}`
  if (await answers(ready))
    throw new Error(
      `something already answers on ${origin}; stop it first (only what this script starts is stopped)`,
    )
  const state = options.persistTo ?? mkdtempSync(join(tmpdir(), 'feed-dev-'))
  // A fresh local database in the server's own state folder, migrated and loaded as `npm start` does.
  const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' }
  execFileSync(
    'npx',
    ['wrangler', 'd1', 'migrations', 'apply', 'DB', '--local', '--persist-to', state],
    { stdio: 'ignore', env },
  )
  execFileSync(
    'node',
    [
      'scripts/build-content.ts',
      '--load',
      'local',
      '--persist-to',
      state,
      ...(options.contentDir ? [options.contentDir] : []),
    ],
    { stdio: 'ignore', env },
  )
  const child = spawn(
    'npx',
    [
      'wrangler',
      'dev',
      '--port',
      String(port),
      '--ip',
      '127.0.0.1',
      '--persist-to',
      state,
      '--show-interactive-dev-session=false',
      ...(options.args ?? []),
    ],
    {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...env, ...(options.contentDir ? { CONTENT_DIR: options.contentDir } : {}) },
    },
  )
  running.add(child)
  let log = ''
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-20_000)
  }
  child.stdout!.on('data', keep)
  child.stderr!.on('data', keep)

  const server: DevServer = {
    origin,
    log: () => log,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
        kill(child, 'SIGTERM')
        const timer = setTimeout(() => kill(child, 'SIGKILL'), 5000)
        await exited
        clearTimeout(timer)
      }
      running.delete(child)
      if (!options.persistTo) rmSync(state, { recursive: true, force: true })
    },
  }

  const deadline = Date.now() + (options.timeoutMs ?? 120_000)
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      await server.stop()
      throw new Error(`wrangler dev exited with code ${child.exitCode}:\n${log.slice(-2000)}`)
    }
    if (await answers(ready)) return server
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  await server.stop()
  throw new Error(
    `wrangler dev did not answer on ${origin} within ${(options.timeoutMs ?? 120_000) / 1000} s:\n${log.slice(-2000)}`,
  )
}
