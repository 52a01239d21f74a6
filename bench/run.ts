/**
 * `npm run bench`: the performance suite of issue 7 and its budgets.
 *
 *   npm run bench                      everything (~6–8 minutes on 2 cores)
 *   npm run bench -- --quick           fewer samples, short HTTP phases (~1 minute)
 *   npm run bench -- --only=render,workerd,http,bundle,defects
 *   npm run bench -- --client=autocannon   (default: wrk when installed, else autocannon)
 *   npm run bench -- --json=results.json   also write the raw figures
 *   npm run bench -- --strict          exit with status 1 when a budget fails
 *
 * Sections: 1 render time in Node 22; 2 render time in workerd; 3 HTTP on
 * loopback against `wrangler dev`; 4 linearity; 5 bundle size; the `feed`
 * package's validity defects; the budgets. Tables are Markdown.
 * See BENCHMARKS.md for the method and a reference run.
 */
import './lib/tsx.ts'
import { execFileSync, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, totalmem, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { FORMAT_LABEL, FORMAT_NAMES, type FormatName } from './lib/formats.ts'
import { killLoadNow, wrkAvailable, type Client } from './lib/load.ts'
import { killAllNow, stopAll } from './lib/servers.ts'
import { ROOT, snapshot, type Snapshot } from './lib/snapshot.ts'
import { bytes, median, ms, ratio, table, verdictTable, type Verdict } from './lib/stats.ts'

const SECTIONS = ['render', 'workerd', 'http', 'bundle', 'defects'] as const
type Section = (typeof SECTIONS)[number]

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    client: { type: 'string' },
    json: { type: 'string' },
    strict: { type: 'boolean', default: false },
  },
})
const quick = values.quick!
const only = new Set<Section>((values.only?.split(',') ?? SECTIONS) as Section[])
for (const s of only) if (!SECTIONS.includes(s)) throw new Error(`--only: unknown section ${s}; use ${SECTIONS.join(',')}`)
const client: Client = (values.client as Client | undefined) ?? (wrkAvailable() ? 'wrk' : 'autocannon')
if (client !== 'wrk' && client !== 'autocannon') throw new Error('--client must be wrk or autocannon')

const raw: Record<string, unknown> = { quick, client, started: new Date().toISOString() }
const verdicts: Verdict[] = []
const say = (s = '') => console.log(s)
const progress = (s: string) => process.stderr.write(`  … ${s}\n`)

// Servers, load generators and temporary directories go with us, whatever happens.
const temporary: string[] = []
const children = new Set<import('node:child_process').ChildProcess>()
function cleanUpNow() {
  for (const c of children) c.kill('SIGKILL')
  killAllNow()
  killLoadNow()
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true })
}
process.on('SIGINT', () => (cleanUpNow(), process.exit(130)))
process.on('SIGTERM', () => (cleanUpNow(), process.exit(143)))
process.on('exit', () => (killAllNow(), killLoadNow()))

function version(cmd: string, args: string[]): string {
  let out: string
  try {
    out = execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  } catch (e) {
    out = String((e as { stdout?: string }).stdout ?? '') // wrk --version exits with 1
  }
  return out.trim().split('\n')[0] || 'unknown'
}
const pkgVersion = (name: string) => (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version

function machine() {
  const model = /model name\s*:\s*(.*)/.exec(safeRead('/proc/cpuinfo'))?.[1] ?? cpus()[0]?.model ?? 'unknown'
  return {
    cpus: cpus().length,
    model,
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    node: process.version,
    workerd: version(join(ROOT, 'node_modules/.bin/workerd'), ['--version']),
    packages: `wrangler ${pkgVersion('wrangler')}, miniflare ${pkgVersion('miniflare')}, workerd ${pkgVersion('workerd')}, feed ${pkgVersion('feed')}, hono ${pkgVersion('hono')}, autocannon ${pkgVersion('autocannon')}`,
    wrk: client === 'wrk' ? version('wrk', ['--version']).replace(/\s+Copyright.*/, '') : 'not used',
    load: loadavg().map((x) => x.toFixed(2)).join(' '),
  }
}
/** Section 1 in a fresh Node process (bench/render-process.ts). */
function renderProcess(i: number): Promise<import('./render.ts').Cell[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bench/render-process.ts'), ...(quick ? ['--quick'] : [])], { stdio: ['ignore', 'pipe', 'pipe'] })
    children.add(child)
    child.on('exit', () => children.delete(child))
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d))
    child.stderr.on('data', (d: Buffer) => process.stderr.write(d.toString().replaceAll('  … node', `  … node process ${i}`)))
    child.on('error', reject)
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`bench/render-process.ts exited with ${code}`))))
  })
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return ''
  }
}

/** Section 1 and 2 tables: ours (bytes) beside the floor and `feed`, raw and with their UTF-8 encode. */
type At = (size: number, f: FormatName, v: string) => number | undefined
const TIME_HEAD = ['Entries', 'Format', 'Ours cold', 'Ours warm', 'Floor', 'Floor encode', 'Floor + encode', 'feed 6', 'feed encode', 'feed + encode']
const sum = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? undefined : a + b)
const cellMs = (x: number | undefined) => (x === undefined ? '–' : ms(x))
function timeRow(size: number, f: FormatName, at: At): (string | number)[] {
  const v = (name: string) => at(size, f, name)
  return [size, FORMAT_LABEL[f], ...[v('cold'), v('warm'), v('floor'), v('floor-encode'), sum(v('floor'), v('floor-encode')), v('feed'), v('feed-encode'), sum(v('feed'), v('feed-encode'))].map(cellMs)]
}
const RATIO_HEAD = ['Entries', 'Format', 'floor ÷ cold', 'floor+enc ÷ cold', 'floor ÷ warm', 'floor+enc ÷ warm', 'feed ÷ cold', 'feed+enc ÷ cold', 'feed ÷ warm', 'feed+enc ÷ warm']
function ratioRow(size: number, f: FormatName, at: At): (string | number)[] {
  const v = (name: string) => at(size, f, name)
  const r = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? '–' : ratio(a / b))
  const [cold, warm, floor, feed] = [v('cold'), v('warm'), v('floor'), v('feed')]
  const floorEnc = sum(floor, v('floor-encode'))
  const feedEnc = sum(feed, v('feed-encode'))
  return [size, FORMAT_LABEL[f], r(floor, cold), r(floorEnc, cold), r(floor, warm), r(floorEnc, warm), r(feed, cold), r(feedEnc, cold), r(feed, warm), r(feedEnc, warm)]
}

const t0 = performance.now()
const m = machine()
raw.machine = m
say(`# Feed service benchmark${quick ? ' (--quick)' : ''}`)
say()
say(`Machine: ${m.cpus} × ${m.model}, ${m.memory}; Node ${m.node}; ${m.workerd}; ${m.packages}; load generator: ${client}${client === 'wrk' ? ` (${m.wrk})` : ''}.`)
say(`Load average at start: ${m.load}.`)

let snap: Snapshot | undefined
const tmp = mkdtempSync(join(tmpdir(), 'feed-bench-'))
temporary.push(tmp)
const logDir = join(tmp, 'logs')
let keepLogs = false
mkdirSync(logDir)

try {
  // ── 1. Node render ────────────────────────────────────────────────
  type Cell = import('./render.ts').Cell
  let nodeCells: Cell[] = []
  if (only.has('render')) {
    const { SIZES } = await import('./render.ts')
    const processes = quick ? 1 : 3
    say()
    say(`## 1. Render time in Node ${process.version} (ms per render, median)`)
    say()
    say(`Ours: build (\`buildFeed\`) + render to UTF-8 bytes, what a memo miss does before hashing. Floor and feed 6 return strings: build + render + flatten, and their UTF-8 encode apart. Cold: fresh entry objects (fragment caches empty). Warm: fragments cached. Median of each cell's samples in each of ${processes} fresh Node process${processes > 1 ? 'es' : ''}, then the median over processes.`)
    say()
    const runs: Cell[][] = []
    for (let i = 0; i < processes; i++) runs.push(await renderProcess(i + 1))
    nodeCells = runs[0]!.map((cell) => {
      const values = runs.map((r) => r.find((c) => c.size === cell.size && c.format === cell.format && c.variant === cell.variant)!.median)
      return { ...cell, median: median(values), processes: values }
    })
    raw.node = nodeCells
    const get = (size: number, format: FormatName, variant: string) => nodeCells.find((c) => c.size === size && c.format === format && c.variant === variant)!
    const at = (size: number, f: FormatName, v: string) => get(size, f, v)?.median
    say(table(TIME_HEAD, SIZES.flatMap((size) => FORMAT_NAMES.map((f) => timeRow(size, f, at)))))
    say()
    say('Ratios: how many times longer the comparison takes than ours (> 1: ours is faster); sizes are the UTF-8 bodies.')
    say()
    say(
      table(
        [...RATIO_HEAD, 'Ours bytes', 'Floor bytes', 'feed bytes'],
        SIZES.flatMap((size) => FORMAT_NAMES.map((f) => [...ratioRow(size, f, at), get(size, f, 'warm').bytes, get(size, f, 'floor').bytes, get(size, f, 'feed').bytes])),
      ),
    )
    for (const [size, budget] of [
      [20, 1],
      [100, 2.5],
    ] as const) {
      for (const variant of ['warm', 'cold'] as const) {
        const worst = Math.max(...FORMAT_NAMES.map((f) => get(size, f, variant).median))
        const which = FORMAT_NAMES.find((f) => get(size, f, variant).median === worst)!
        const spread = get(size, which, variant).processes
        verdicts.push({ budget: `${size} entries ≤ ${budget} ms, Node, ${variant} (slowest format)`, measured: `${ms(worst)} ms (${FORMAT_LABEL[which]})${spread && spread.length > 1 ? ` (processes: ${spread.map(ms).join(', ')})` : ''}`, pass: worst <= budget })
      }
    }
  }

  // ── 2. workerd ────────────────────────────────────────────────────
  type WCell = import('./workerd.ts').WorkerdCell
  let wCells: WCell[] = []
  if (only.has('workerd')) {
    const { runWorkerd, WORKERD_FULL, WORKERD_QUICK } = await import('./workerd.ts')
    const cfg = quick ? WORKERD_QUICK : WORKERD_FULL
    say()
    say(`## 2. Render time inside workerd (${m.workerd}; ms per render)`)
    say()
    say(`Each request renders n times; per render = (median request time − median time of the same request with n = 0) / n, ${cfg.samples} samples of each, in each of ${cfg.isolates} fresh isolate${cfg.isolates > 1 ? 's' : ''}; the figure is the median over isolates${cfg.isolates > 1 ? ' (the 1,000-entry range over isolates is shown below the table)' : ''}. Same work as section 1.${cfg.comparison.length ? ` Floor and feed 6 (and their encodes): first isolate only, at ${cfg.comparisonSizes.join(' and ')} entries.` : ''}`)
    say()
    wCells = await runWorkerd(cfg, (c) => progress(`workerd isolate ${c.isolate} ${c.size} ${c.format} ${c.variant}: ${ms(c.perRender)} ms (n=${c.n}, baseline ${ms(c.baselineMs)} ms)`), tmp)
    raw.workerd = wCells
    const get = (size: number, f: FormatName, v: string) => wCells.find((c) => c.size === size && c.format === f && c.variant === v)
    const at = (size: number, f: FormatName, v: string) => get(size, f, v)?.perRender
    say(table([...TIME_HEAD, 'n (renders/request, warm)'], cfg.sizes.flatMap((size) => FORMAT_NAMES.map((f) => [...timeRow(size, f, at), get(size, f, 'warm')?.n ?? '–']))))
    if (cfg.comparison.length) {
      say()
      say('Ratios, as in section 1 (first isolate for the comparisons, median over isolates for ours):')
      say()
      say(table(RATIO_HEAD, cfg.comparisonSizes.flatMap((size) => FORMAT_NAMES.map((f) => ratioRow(size, f, at)))))
    }
    const range = (c: WCell) => (c.isolates.length > 1 ? ` (isolates: ${c.isolates.map(ms).join(', ')})` : '')
    if (cfg.isolates > 1) {
      say()
      for (const v of ['cold', 'warm'] as const) {
        const cells = FORMAT_NAMES.map((f) => get(1000, f, v)).filter((c) => c !== undefined)
        if (cells.length && cells[0]!.isolates.length > 1) say(`- 1,000 entries, ours ${v}, per isolate: ${cells.map((c) => `${FORMAT_LABEL[c.format]} ${c.isolates.map(ms).join(' / ')}`).join('; ')}`)
      }
    }
    for (const variant of ['warm', 'cold'] as const) {
      const cells = FORMAT_NAMES.map((f) => get(1000, f, variant)).filter((c) => c !== undefined)
      if (!cells.length) continue
      const worst = cells.reduce((a, b) => (b.perRender > a.perRender ? b : a))
      verdicts.push({ budget: `1,000 entries ≤ 10 ms, workerd, ${variant} (slowest format)`, measured: `${ms(worst.perRender)} ms (${FORMAT_LABEL[worst.format]})${range(worst)}`, pass: worst.perRender <= 10 })
    }
  }

  // ── 3. HTTP ───────────────────────────────────────────────────────
  if (only.has('http') || only.has('bundle')) {
    snap = snapshot()
    temporary.push(snap.dir)
  }
  if (only.has('http')) {
    const { runHttp, HTTP_FULL, HTTP_QUICK } = await import('./http.ts')
    const cfg = { ...(quick ? HTTP_QUICK : HTTP_FULL), client }
    say()
    say(`## 3. HTTP on loopback (wrangler dev, ${client}, ${cfg.connections} connections, ${cfg.rounds} round${cfg.rounds > 1 ? 's' : ''} × ${cfg.seconds} s per phase)`)
    say()
    const h = await runHttp(cfg, snap!, logDir, progress)
    raw.http = h
    say(`Body: ${h.bodyBytes} bytes (/rss.xml over the real content); constant Worker body identical: ${h.constantIdentical ? 'yes' : 'NO'}. Figures are medians over rounds; × constant is the ratio of those medians, and the same-round ratios show its spread. CPU: all processes of that wrangler dev (its Node process, proxy workerd and the Worker's workerd), and the Worker's workerd alone.`)
    say()
    const label: Record<string, string> = {
      constant: 'constant body (same bytes, no work)',
      repeat: 'repeat /rss.xml (memo hit)',
      '304': 'If-None-Match → 304',
      first: 'first render (new canonical URL each request)',
    }
    say(
      table(
        ['Phase', 'req/s', 'p50 ms', 'p99 ms', 'CPU ms/req, all', "CPU ms/req, Worker's workerd", '× constant req/s', 'same-round ratios', 'errors'],
        (['constant', 'repeat', '304', 'first'] as const).map((p) => {
          const s = h.summary[p]
          const rounds = p === 'constant' ? '–' : s.roundRatios.map((x) => x.toFixed(2)).join(' ')
          return [label[p]!, s.rps.toFixed(0), ms(s.p50), ms(s.p99), ms(s.cpuMs), ms(s.workerCpuMs), ratio(s.ratio), rounds, s.errors]
        }),
      ),
    )
    verdicts.push({ budget: 'repeat ≥ 0.9× constant-body req/s', measured: ratio(h.summary.repeat.ratio), pass: h.summary.repeat.ratio >= 0.9 })
    verdicts.push({ budget: '304 ≥ 1.0× constant-body req/s', measured: ratio(h.summary['304'].ratio), pass: h.summary['304'].ratio >= 1.0 })
  }

  // ── 4. Linearity ──────────────────────────────────────────────────
  if (nodeCells.length || wCells.length) {
    say()
    say('## 4. Linearity: cost per entry (µs) and the exponent k in time ∝ entries^k')
    say()
    say('k from 100 to 1,000 entries: 1.0 is linear, 2.0 quadratic. Per-entry cost at 10 includes the per-feed overhead. The floor rows (no caching, no escaping: nothing of ours) show what building multi-megabyte strings costs by itself; they do not count for the budget.')
    say()
    const rows: (string | number)[][] = []
    let worstK = 0
    const series: [string, (size: number, f: FormatName, v: string) => number | undefined][] = [
      ['Node', (s, f, v) => nodeCells.find((c) => c.size === s && c.format === f && c.variant === v)?.median],
      ['workerd', (s, f, v) => wCells.find((c) => c.size === s && c.format === f && c.variant === v)?.perRender],
    ]
    for (const [runtime, at] of series)
      for (const v of ['cold', 'warm', 'floor'] as const)
        for (const f of FORMAT_NAMES) {
          const t10 = at(10, f, v)
          const t100 = at(100, f, v)
          const t1000 = at(1000, f, v)
          if (t100 === undefined || t1000 === undefined) continue
          const k = Math.log10(t1000 / t100)
          if (v !== 'floor') worstK = Math.max(worstK, k)
          const us = (t: number | undefined, n: number) => (t === undefined ? '–' : ((t / n) * 1000).toFixed(2))
          rows.push([runtime, v, FORMAT_LABEL[f], us(t10, 10), us(t100, 100), us(t1000, 1000), k.toFixed(2)])
        }
    if (rows.length) {
      say(table(['Runtime', 'Variant', 'Format', 'µs/entry @10', 'µs/entry @100', 'µs/entry @1,000', 'k (100→1,000)'], rows))
      verdicts.push({ budget: 'cost linear in entries (k ≤ 1.3 from 100 to 1,000, every format, cold and warm)', measured: `worst k = ${worstK.toFixed(2)}`, pass: worstK <= 1.3 })
    } else say('(needs 100 and 1,000 entries: not run in this mode)')
  }

  // ── 5. Bundle ─────────────────────────────────────────────────────
  if (only.has('bundle')) {
    const { runBundle } = await import('./bundle.ts')
    say()
    say('## 5. Bundle size (`npm run content`, then `wrangler deploy --dry-run --outdir <tmp> --minify`)')
    say()
    const b = runBundle(snap!, join(tmp, 'dist'))
    raw.bundle = b
    say(table(['Bundle', 'Raw', 'gzip -9', 'gzip -6'], [[b.file, bytes(b.raw), bytes(b.gzip9), bytes(b.gzip6)]]))
    say()
    say(`wrangler: ${b.wranglerLine}`)
    if (b.inputs.length) {
      say()
      say('Largest inputs (minified bytes in the bundle):')
      say()
      say(table(['Input', 'Bytes'], b.inputs.slice(0, 8).map((i) => [i.path, bytes(i.bytes)])))
    }
    verdicts.push({ budget: 'bundle ≤ 100 KiB gzip', measured: `${bytes(b.gzip6)} (gzip -6), ${bytes(b.gzip9)} (gzip -9)`, pass: b.gzip6 <= 100 * 1024 })
  }

  // ── feed package defects ─────────────────────────────────────────
  if (only.has('defects')) {
    const { feedDefects } = await import('./feed-defects.ts')
    say()
    say('## The `feed` package (6.0.0): validity defects, reproduced')
    say()
    const d = feedDefects()
    raw.defects = d
    say(table(['Defect', 'Reproduces', 'feed 6.0.0 output', 'Ours'], d.map((x) => [x.defect, x.reproduces ? 'yes' : 'no', x.evidence.replaceAll('|', '\\|'), x.ours])))
  }
} catch (error) {
  console.error(`\nbenchmark failed; wrangler logs (if any) kept in ${logDir}`)
  keepLogs = true
  throw error
} finally {
  await stopAll()
  snap?.remove()
  if (!keepLogs) rmSync(tmp, { recursive: true, force: true })
}

say()
say('## Budgets')
say()
say(verdictTable(verdicts))
say()
say(`Load average at end: ${loadavg().map((x) => x.toFixed(2)).join(' ')}; total time ${((performance.now() - t0) / 1000).toFixed(0)} s.`)
raw.verdicts = verdicts
if (values.json) writeFileSync(values.json, JSON.stringify(raw, null, 1))
const failed = verdicts.filter((v) => v.pass === false && !v.budget.startsWith('(info)'))
if (failed.length) {
  say(`\n${failed.length} budget(s) failed.`)
  if (values.strict) process.exitCode = 1
}
