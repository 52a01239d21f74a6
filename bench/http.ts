/**
 * Section 3: HTTP on loopback. The real Worker and the constant-body Worker
 * (bench/constant/) both run under `wrangler dev` on 127.0.0.1, from a
 * frozen snapshot of the project (bench/lib/snapshot.ts). Phases:
 *
 *   constant  GET / on the constant Worker: the same bytes and headers as /rss.xml, no work
 *   repeat    GET /rss.xml again and again: a memo hit
 *   304       GET /rss.xml with If-None-Match: <its ETag>: answered 304
 *   first     GET /rss.xml?since=<day>&limit=<n>, a canonical URL never requested
 *             before: a memo miss that filters, renders to UTF-8 bytes and hashes
 *
 * Rounds run the four phases back to back (rotating the order), so load
 * from elsewhere on the machine hits all of them alike; figures are medians
 * over rounds. Server CPU per request is read from /proc for each server's
 * whole process group (wrangler's Node process and both workerd processes)
 * and for the workerd that runs the Worker alone: under a loaded machine
 * it is steadier than requests/s and shows where the time goes.
 */
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { distinctPath, load, type Client, type LoadResult, type Shape } from './lib/load.ts'
import { startWrangler, stop, type Server } from './lib/servers.ts'
import { wranglerEnv, type Snapshot } from './lib/snapshot.ts'
import { median } from './lib/stats.ts'

export const PORTS = { real: 8791, realInspector: 8792, constant: 8793, constantInspector: 8794 } as const

export interface HttpConfig {
  seconds: number
  rounds: number
  connections: number
  warmupSeconds: number
  client: Client
}

export const HTTP_FULL: Omit<HttpConfig, 'client'> = { seconds: 8, rounds: 5, connections: 32, warmupSeconds: 3 }
export const HTTP_QUICK: Omit<HttpConfig, 'client'> = { seconds: 3, rounds: 1, connections: 32, warmupSeconds: 1 }

export type Phase = 'constant' | 'repeat' | '304' | 'first'
export const PHASES: readonly Phase[] = ['constant', 'repeat', '304', 'first']

export interface PhaseRun extends LoadResult {
  phase: Phase
  round: number
  /** Server CPU per request, ms (NaN off Linux): all processes of that wrangler dev, and the Worker's own workerd. */
  cpuMs: number
  workerCpuMs: number
}

export interface HttpResults {
  client: Client
  config: HttpConfig
  bodyBytes: number
  constantIdentical: boolean
  runs: PhaseRun[]
  summary: Record<Phase, { rps: number; p50: number; p99: number; cpuMs: number; workerCpuMs: number; errors: number; ratio: number; roundRatios: number[] }>
}

const TICK_MS = 10 // USER_HZ is 100 on Linux

/** CPU ms of a server's process group, split by role. */
export interface GroupCpu {
  /** The workerd that runs the Worker (`--socket-addr=entry=127.0.0.1:0`). */
  worker: number
  /** Everything else in the group: wrangler's Node process and its proxy workerd (the listening port). */
  wrangler: number
}

/** utime + stime (ms) of every process in the process group `pgid`; NaN off Linux. */
function groupCpu(pgid: number): GroupCpu {
  const cpu = { worker: 0, wrangler: 0 }
  try {
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
        if (Number(f[2]) !== pgid) continue
        const ms = (Number(f[11]) + Number(f[12])) * TICK_MS
        const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
        if (/workerd/.test(cmd.split('\0')[0]!) && cmd.includes('entry=127.0.0.1:0')) cpu.worker += ms
        else cpu.wrangler += ms
      } catch {
        // the process ended meanwhile
      }
    }
  } catch {
    return { worker: NaN, wrangler: NaN }
  }
  return cpu
}

async function preflight(real: Server, constant: Server) {
  const res = await fetch(`${real.url}/rss.xml`)
  const body = new Uint8Array(await res.arrayBuffer())
  const etag = res.headers.get('etag')
  if (res.status !== 200 || !etag) throw new Error(`real /rss.xml: status ${res.status}, ETag ${etag}`)
  const c = await fetch(`${constant.url}/`)
  const cbody = new Uint8Array(await c.arrayBuffer())
  const identical = c.status === 200 && Buffer.from(body).equals(Buffer.from(cbody))
  const nm = await fetch(`${real.url}/rss.xml`, { headers: { 'If-None-Match': etag } })
  await nm.arrayBuffer()
  if (nm.status !== 304) throw new Error(`If-None-Match: expected 304, got ${nm.status}`)
  const d = await fetch(real.url + distinctPath(1_500_000), { redirect: 'manual' })
  const dbody = await d.arrayBuffer()
  if (d.status !== 200) throw new Error(`${distinctPath(1_500_000)}: expected 200, got ${d.status} (not canonical?)`)
  return { etag, bytes: body.byteLength, identical, distinctBytes: dbody.byteLength }
}

export async function runHttp(cfg: HttpConfig, snap: Snapshot, logDir: string, say: (s: string) => void): Promise<HttpResults> {
  const servers: Server[] = []
  try {
    // The content compiler first, so that a content error reads as one (wrangler dev would only say that its build failed).
    try {
      execFileSync(process.execPath, ['scripts/build-content.ts'], { cwd: snap.dir, env: wranglerEnv(), stdio: 'pipe' })
    } catch (e) {
      throw new Error(`npm run content failed in the snapshot:\n${String((e as { stderr?: Buffer }).stderr ?? e)}`)
    }
    say(`starting wrangler dev: real Worker on 127.0.0.1:${PORTS.real}, constant-body Worker on 127.0.0.1:${PORTS.constant}`)
    const real = await startWrangler({ name: 'real', cwd: snap.dir, port: PORTS.real, inspectorPort: PORTS.realInspector, logDir })
    servers.push(real)
    const constant = await startWrangler({ name: 'constant', cwd: join(snap.dir, 'bench/constant'), port: PORTS.constant, inspectorPort: PORTS.constantInspector, logDir })
    servers.push(constant)
    const pf = await preflight(real, constant)
    say(`/rss.xml: ${pf.bytes} bytes, ETag ${pf.etag}; constant body identical: ${pf.identical ? 'yes' : 'NO'}; distinct-URL variant: ${pf.distinctBytes} bytes`)

    const target: Record<Phase, { server: Server; path: string; shape: (round: number) => Shape }> = {
      constant: { server: constant, path: '/', shape: () => ({ kind: 'fixed' }) },
      repeat: { server: real, path: '/rss.xml', shape: () => ({ kind: 'fixed' }) },
      '304': { server: real, path: '/rss.xml', shape: () => ({ kind: 'inm', etag: pf.etag }) },
      // Disjoint ranges of the URL sequence per round (and for the warm-up), so no URL repeats.
      first: { server: real, path: '/rss.xml', shape: (round) => ({ kind: 'distinct', offset: round < 0 ? 1_400_000 : round * 280_000 }) },
    }
    const run = async (phase: Phase, round: number, seconds: number): Promise<PhaseRun> => {
      const t = target[phase]
      const pgid = t.server.child.pid!
      const before = groupCpu(pgid)
      const r = await load(cfg.client, t.server.url + t.path, t.shape(round), seconds, cfg.connections)
      const after = groupCpu(pgid)
      const per = (x: number) => (r.requests ? x / r.requests : NaN)
      return { ...r, phase, round, cpuMs: per(after.worker + after.wrangler - before.worker - before.wrangler), workerCpuMs: per(after.worker - before.worker) }
    }

    say(`warm-up: ${cfg.warmupSeconds} s per phase`)
    for (const phase of PHASES) await run(phase, -1, cfg.warmupSeconds)

    const runs: PhaseRun[] = []
    for (let round = 0; round < cfg.rounds; round++) {
      const order = PHASES.map((_, i) => PHASES[(i + round) % PHASES.length]!)
      for (const phase of order) {
        const r = await run(phase, round, cfg.seconds)
        runs.push(r)
        say(`  round ${round + 1}/${cfg.rounds} ${phase.padEnd(8)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50.toFixed(2)} ms  p99 ${r.p99.toFixed(2)} ms  server CPU ${r.cpuMs.toFixed(2)} ms/req (Worker's workerd ${r.workerCpuMs.toFixed(2)})  errors ${r.errors}`)
      }
    }

    const constantRps = median(runs.filter((r) => r.phase === 'constant').map((r) => r.rps))
    const summary = Object.fromEntries(
      PHASES.map((phase) => {
        const rs = runs.filter((r) => r.phase === phase)
        const rps = median(rs.map((r) => r.rps))
        const roundRatios = rs.map((r) => r.rps / runs.find((c) => c.phase === 'constant' && c.round === r.round)!.rps)
        return [phase, { roundRatios, rps, p50: median(rs.map((r) => r.p50)), p99: median(rs.map((r) => r.p99)), cpuMs: median(rs.map((r) => r.cpuMs)), workerCpuMs: median(rs.map((r) => r.workerCpuMs)), errors: rs.reduce((a, r) => a + r.errors, 0), ratio: rps / constantRps }]
      }),
    ) as HttpResults['summary']
    return { client: cfg.client, config: cfg, bodyBytes: pf.bytes, constantIdentical: pf.identical, runs, summary }
  } finally {
    for (const s of servers.reverse()) await stop(s)
  }
}
