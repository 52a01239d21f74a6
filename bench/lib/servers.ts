/**
 * `wrangler dev` servers for the HTTP benchmark, each in its own process
 * group so that stopping one stops its workerd children too. Every server
 * started here is stopped by `stopAll`, which bench/run.ts calls in a
 * `finally` and on SIGINT/SIGTERM/uncaught errors.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createWriteStream, readFileSync } from 'node:fs'
import { createConnection } from 'node:net'
import { join } from 'node:path'
import { WRANGLER, wranglerEnv } from './snapshot.ts'

export interface Server {
  name: string
  url: string
  log: string
  child: ChildProcess
}

const running = new Set<Server>()

function head(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(0, 15).join('\n')
  } catch {
    return '(no log)'
  }
}

/** True when something already listens on 127.0.0.1:`port`. */
export function portInUse(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({ host: '127.0.0.1', port })
    socket.once('connect', () => (socket.destroy(), done(true)))
    socket.once('error', () => done(false))
  })
}

/**
 * Starts `wrangler dev` in `cwd` (optionally with `-c config`) on
 * 127.0.0.1:`port`, devtools on `inspectorPort`, and waits until it answers.
 */
export async function startWrangler(opts: { name: string; cwd: string; config?: string; port: number; inspectorPort: number; logDir: string; timeoutMs?: number }): Promise<Server> {
  for (const port of [opts.port, opts.inspectorPort])
    if (await portInUse(port)) throw new Error(`port ${port} on 127.0.0.1 is already in use; stop whatever listens there and rerun`)
  const args = [
    WRANGLER,
    'dev',
    ...(opts.config ? ['-c', opts.config] : []),
    '--ip', '127.0.0.1',
    '--port', String(opts.port),
    '--inspector-ip', '127.0.0.1',
    '--inspector-port', String(opts.inspectorPort),
    '--show-interactive-dev-session=false',
    '--log-level', 'warn',
  ]
  const log = join(opts.logDir, `${opts.name}.log`)
  const out = createWriteStream(log)
  const child = spawn(process.execPath, args, { cwd: opts.cwd, env: wranglerEnv(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  child.stdout!.pipe(out)
  child.stderr!.pipe(out)
  const server: Server = { name: opts.name, url: `http://127.0.0.1:${opts.port}`, log, child }
  running.add(server)
  const deadline = Date.now() + (opts.timeoutMs ?? 120_000)
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${opts.name}: wrangler dev exited with ${child.exitCode}; its log (${log}) begins:\n${head(log)}`)
    try {
      const res = await fetch(server.url + '/', { signal: AbortSignal.timeout(2000) })
      await res.arrayBuffer()
      return server
    } catch {
      await new Promise((r) => setTimeout(r, 300))
    }
  }
  throw new Error(`${opts.name}: not ready after ${opts.timeoutMs ?? 120_000} ms; see ${log}`)
}

function killGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal)
  } catch {
    // already gone
  }
}

/** Stops one server: SIGTERM to its process group, SIGKILL after 5 s. */
export async function stop(server: Server): Promise<void> {
  running.delete(server)
  const { child } = server
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((r) => child.once('exit', () => r()))
  killGroup(child.pid, 'SIGTERM')
  const timer = setTimeout(() => killGroup(child.pid!, 'SIGKILL'), 5000)
  await exited
  clearTimeout(timer)
  killGroup(child.pid, 'SIGKILL') // any workerd left in the group
}

export async function stopAll(): Promise<void> {
  await Promise.all([...running].map(stop))
}

/** Synchronous last resort for process exit: SIGKILL every group still running. */
export function killAllNow(): void {
  for (const { child } of running) if (child.pid !== undefined) killGroup(child.pid, 'SIGKILL')
  running.clear()
}
