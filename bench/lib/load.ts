/**
 * Load generation for the HTTP benchmark: wrk when it is installed (a C
 * client: on a 2-core machine it leaves more CPU to the servers), else
 * autocannon (installed with the project). Both report requests/s and
 * latency percentiles; both run for a bounded time against 127.0.0.1 only.
 */
import { execFile, execFileSync, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { distinctPath } from './urls.ts'

export { distinctPath }

export type Client = 'wrk' | 'autocannon'

/** What each request is: the same URL, the same URL with If-None-Match, or a never-seen canonical URL. */
export type Shape = { kind: 'fixed' } | { kind: 'inm'; etag: string } | { kind: 'distinct'; offset: number }

export interface LoadResult {
  client: Client
  requests: number
  seconds: number
  rps: number
  p50: number
  p90: number
  p99: number
  /** Requests that failed (socket errors, timeouts, or a status other than 2xx/3xx). */
  errors: number
}

export function wrkAvailable(): boolean {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' })
    return true
  } catch (e) {
    // wrk --version exits with 1 after printing its banner; only ENOENT means "not installed".
    return (e as NodeJS.ErrnoException).code !== 'ENOENT'
  }
}

const LUA = fileURLToPath(new URL('../wrk.lua', import.meta.url))

const clients = new Set<ChildProcess>()

/** Kills any wrk still running (for exit on a signal). */
export function killLoadNow(): void {
  for (const c of clients) c.kill('SIGKILL')
  clients.clear()
}

function runWrk(url: string, shape: Shape, seconds: number, connections: number): Promise<LoadResult> {
  const extra = shape.kind === 'inm' ? ['inm', shape.etag] : shape.kind === 'distinct' ? ['distinct', String(shape.offset)] : ['fixed']
  // One thread: the Lua request counter that makes URLs distinct lives per thread.
  const args = ['-t1', `-c${connections}`, `-d${seconds}s`, '--timeout', '10s', '-s', LUA, url, '--', ...extra]
  return new Promise((resolve, reject) => {
    const child = execFile('wrk', args, { timeout: (seconds + 30) * 1000 }, (error, stdout, stderr) => {
      clients.delete(child)
      const line = stdout.split('\n').find((l) => l.startsWith('WRK_JSON '))
      if (error || !line) return reject(new Error(`wrk failed: ${error?.message ?? ''}\n${stdout}\n${stderr}`))
      const j = JSON.parse(line.slice(9)) as Record<string, number>
      const secs = j.duration_us! / 1e6
      resolve({
        client: 'wrk',
        requests: j.requests!,
        seconds: secs,
        rps: j.requests! / secs,
        p50: j.p50_us! / 1000,
        p90: j.p90_us! / 1000,
        p99: j.p99_us! / 1000,
        errors: j.connect! + j.read! + j.write! + j.status! + j.timeout!,
      })
    })
    clients.add(child)
  })
}

async function runAutocannon(url: string, shape: Shape, seconds: number, connections: number): Promise<LoadResult> {
  let i = shape.kind === 'distinct' ? shape.offset : 0
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    timeout: 10,
    ...(shape.kind === 'inm' && { headers: { 'if-none-match': shape.etag } }),
    ...(shape.kind === 'distinct' && {
      requests: [
        {
          setupRequest: (req: autocannon.Request) => ({ ...req, path: distinctPath(++i) }),
        },
      ],
    }),
  })
  return {
    client: 'autocannon',
    requests: result.requests.total,
    seconds: result.duration,
    rps: result.requests.total / result.duration,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx - (shape.kind === 'inm' ? result['3xx'] : 0),
  }
}

export function load(client: Client, url: string, shape: Shape, seconds: number, connections: number): Promise<LoadResult> {
  return client === 'wrk' ? runWrk(url, shape, seconds, connections) : runAutocannon(url, shape, seconds, connections)
}
