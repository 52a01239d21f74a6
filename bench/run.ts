/**
 * `npm run bench`: the scale benchmark of the D1 architecture and its budgets.
 *
 *   npm run bench                      15, 1,000, 10,000 and 50,000 entries (~15 minutes on 2 cores)
 *   npm run bench -- --quick           15 and 1,000 entries, fewer samples
 *   npm run bench -- --sizes=15,1000   any sizes
 *   npm run bench -- --json=out.json   also write every figure as JSON
 *   npm run bench -- --strict          exit with status 1 when a budget fails
 *   npm run bench -- --publish --sizes=15,50000   only the publishing measures (bench/publish.ts)
 *
 * Sections: the scale tables (bench/scale.ts), publishing (bench/publish.ts),
 * the `feed` package's validity defects (bench/feed-defects.ts), the budgets. Tables are Markdown. See
 * BENCHMARKS.md for the method and a reference run.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { feedDefects } from './feed-defects.ts'
import { publishTable, runPublish, type PublishResult } from './publish.ts'
import { ROUTES, runScale, type ScaleResult } from './scale.ts'
import { bytes, median, ms, ratio, table, verdictTable, type Verdict } from './lib/stats.ts'

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    sizes: { type: 'string' },
    json: { type: 'string' },
    strict: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    publish: { type: 'boolean', default: false },
  },
})
const quick = values.quick!
const sizes = (values.sizes ?? (quick ? '15,1000' : '15,1000,10000,50000')).split(',').map(Number)
if (sizes.some((n) => !Number.isInteger(n) || n < 15))
  throw new Error('--sizes: whole numbers of at least 15 (every topic needs an entry)')
const say = (s = '') => console.log(s)
const progress = (s: string) => process.stderr.write(`  … ${s}\n`)
const started = performance.now()
const work = mkdtempSync(join(tmpdir(), 'feed-bench-scale-'))
const cleanUp = () => values.keep || rmSync(work, { recursive: true, force: true })
process.on('SIGINT', () => (cleanUp(), process.exit(130)))
process.on('SIGTERM', () => (cleanUp(), process.exit(143)))

const opts = {
  work,
  isolates: quick ? 3 : 9,
  repeats: quick ? 30 : 60,
  distinct: 2000,
  // Node's usual default on a machine this size: the build and load must fit in it.
  buildHeapMb: 4096,
  progress,
}

say(`# Benchmark run ${new Date().toISOString()}`)
say(
  `Machine: ${cpus().length} vCPU, ${cpus()[0]?.model ?? 'unknown'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB; Node ${process.version}; load average at start ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
)
say()

/** Publishing: one new entry, a full load, `npm start`, 503s, ETags, D1 bytes, bundle bytes. */
async function publishing(): Promise<PublishResult[]> {
  const out: PublishResult[] = []
  for (const n of sizes) {
    out.push(await runPublish(n, work, progress))
    if (values.json) writeFileSync(values.json, JSON.stringify({ sizes, publish: out }, null, 2))
  }
  say('## Publishing')
  say()
  say(publishTable(out))
  say()
  for (const r of out)
    say(
      `${r.n.toLocaleString('en')} entries: URLs whose ETag changed: ${r.etags.changedUrls.join(' ') || 'none'}; D1 by table: ${
        Object.entries(r.d1Tables)
          .map(([t, b]) => `${t} ${bytes(b)}`)
          .join(', ') || 'n/a'
      }.`,
    )
  say()
  return out
}
if (values.publish) {
  try {
    await publishing()
  } finally {
    cleanUp()
  }
  process.exit(0)
}

const results: ScaleResult[] = []
let published: PublishResult[] = []
try {
  for (const n of sizes) {
    results.push(await runScale(n, opts))
    // Each size's figures as soon as they exist, so a later failure keeps them.
    if (values.json) writeFileSync(values.json, JSON.stringify({ sizes, results }, null, 2))
  }
  published = await publishing()
} finally {
  cleanUp()
}

const fmt = (n: number) => n.toLocaleString('en-US')
const first = (r: ScaleResult, name: string) => median(r.routes.find((x) => x.name === name)!.first)

say('## Build, load, bundle, startup, heap')
say()
say(
  table(
    [
      'Entries',
      'Content',
      'Build (script)',
      'Load (script)',
      'Build peak RSS',
      'Catalog module',
      'Bundle',
      'Bundle gzip',
      'Ready − empty',
      'Eval in Node',
      'Heap after start',
      `Heap after ${fmt(opts.distinct)} URLs`,
    ],
    results.map((r) => [
      fmt(r.n),
      bytes(r.contentBytes),
      `${ms(r.buildMs / 1000)} s`,
      r.loadMs !== undefined
        ? `${ms(r.loadMs / 1000)} s`
        : r.loadError
          ? `failed: ${r.loadError}`
          : 'not run',
      r.buildPeakKb ? bytes(r.buildPeakKb * 1024) : '–',
      bytes(r.bundle.catalogRaw),
      bytes(r.bundle.raw),
      bytes(r.bundle.gzip),
      `${ms(median(r.startup.ready) - median(r.startup.emptyReady))} ms`,
      `${ms(median(r.startup.nodeEval))} ms`,
      bytes(r.heap.start),
      bytes(r.heap.after),
    ]),
  ),
)
say()
say(
  'Ready − empty: median time from `new Miniflare` to ready for the bundle, minus the same for an empty Worker (5 starts each). Eval in Node: `import()` of the same bundle in a fresh Node process (median of 5). Heap: V8 used heap of the isolate after a full GC (inspector).',
)
say()

say('## First and repeat request (ms, workerd via Miniflare, no proxy)')
say()
say(
  table(
    [
      'Route',
      'Path',
      ...results.flatMap((r) => [`first @${fmt(r.n)}`, `repeat @${fmt(r.n)}`]),
      ...(results.length > 1 ? [`first ${fmt(results.at(-1)!.n)} ÷ 1,000`] : []),
      'Body @largest',
    ],
    ROUTES.map((route) => {
      const base = results.find((r) => r.n === 1000)
      const last = results.at(-1)!
      return [
        route.name,
        `\`${route.path.length > 60 ? route.path.slice(0, 57) + '…' : route.path}\``,
        ...results.flatMap((r) => [
          ms(first(r, route.name)),
          ms(r.routes.find((x) => x.name === route.name)!.repeat),
        ]),
        ...(results.length > 1
          ? [base ? ratio(first(last, route.name) / first(base, route.name)) : 'n/a']
          : []),
        `${bytes(last.routes.find((x) => x.name === route.name)!.bytes)} (${last.routes.find((x) => x.name === route.name)!.status})`,
      ]
    }),
  ),
)
say()
say(
  `First: the URL's first request in a fresh isolate after one unrelated request, median over ${opts.isolates} isolates. Repeat: median of ${opts.repeats} requests of the same URL (memo hits), first isolate.`,
)
say()

say('## Repeat /rss.xml against a constant-body Worker')
say()
say(
  table(
    [
      'Entries',
      'Ours, median ms',
      'Constant, median ms',
      'Constant ÷ ours (time)',
      'Per round',
      'Ours req/s (8 clients)',
      'Constant req/s',
      'req/s ratio',
    ],
    results.map((r) => [
      fmt(r.n),
      ms(r.constant.ours),
      ms(r.constant.constant),
      ratio(r.constant.constant / r.constant.ours),
      r.constant.rounds.map((x) => x.toFixed(2)).join(' '),
      r.constant.oursRps.toFixed(0),
      r.constant.constantRps.toFixed(0),
      ratio(r.constant.oursRps / r.constant.constantRps),
    ]),
  ),
)
say()

say('## Defects of the `feed` package (6.0.0)')
say()
say(
  table(
    ['Defect', 'Reproduces', 'feed 6.0.0', 'Ours'],
    feedDefects().map((d) => [d.defect, d.reproduces ? 'yes' : 'no', d.evidence, d.ours]),
  ),
)
say()

const verdicts: Verdict[] = []
const largest = results.at(-1)!
const at = results.find((r) => r.n === 50_000)
const base = results.find((r) => r.n === 1000)
const v = (budget: string, measured: string, pass: boolean | undefined) =>
  verdicts.push({ budget, measured, pass })
if (at) {
  v('bundle < 100 KiB gzip at 50,000 entries', bytes(at.bundle.gzip), at.bundle.gzip < 100 * 1024)
  const up = median(at.startup.ready) - median(at.startup.emptyReady)
  v(
    'startup < 50 ms at 50,000 entries (ready − empty; eval in Node)',
    `${ms(up)} ms; ${ms(median(at.startup.nodeEval))} ms`,
    up < 50 && median(at.startup.nodeEval) < 50,
  )
  v(
    'heap < 32 MiB after start at 50,000 entries',
    bytes(at.heap.start),
    at.heap.start < 32 * 2 ** 20,
  )
  const total = at.buildMs + (at.loadMs ?? NaN)
  v(
    'build + load of 50,000 entries < 3 min (real script)',
    at.loadMs !== undefined
      ? `${ms(total / 1000)} s (build ${ms(at.buildMs / 1000)} s + load ${ms(at.loadMs / 1000)} s)`
      : `build ${ms(at.buildMs / 1000)} s; load failed`,
    at.loadMs !== undefined ? total < 180_000 : undefined,
  )
  if (base)
    for (const route of ROUTES) {
      const x = first(at, route.name) / first(base, route.name)
      v(
        `first request at 50,000 ≤ 1.5× at 1,000: ${route.name}`,
        `${ms(first(at, route.name))} vs ${ms(first(base, route.name))} ms (${ratio(x)})`,
        x <= 1.5,
      )
    }
}
for (const r of results)
  v(
    `repeat ≥ 0.9× a constant-body Worker, ${fmt(r.n)} entries`,
    ratio(r.constant.constant / r.constant.ours),
    r.constant.constant / r.constant.ours >= 0.9,
  )
if (!at) v('50,000-entry budgets', `not run (largest size ${fmt(largest.n)})`, undefined)

say('## Budgets')
say()
say(verdictTable(verdicts))
say()
say(
  `Load average at end: ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}; total time ${Math.round((performance.now() - started) / 1000)} s.`,
)
if (values.json)
  writeFileSync(
    values.json,
    JSON.stringify(
      {
        sizes,
        opts: { ...opts, progress: undefined, work: undefined },
        results,
        published,
        verdicts,
      },
      null,
      2,
    ),
  )
const failed = verdicts.filter((x) => x.pass === false).length
if (failed) say(`\n${failed} budget(s) failed.`)
if (values.strict && failed) process.exitCode = 1
