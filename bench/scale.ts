/**
 * The scale section: synthetic content of n entries (bench/lib/synthetic.ts)
 * is written as a content folder, built and loaded into a local D1 by the
 * real script, bundled with the catalog of that same content, and served by
 * workerd through Miniflare directly (bench/lib/workerd.ts). Per n it
 * measures build and load time, bundle size, startup, isolate heap, and the
 * first and repeat request time of the routes below.
 *
 * - Startup: `new Miniflare` to ready for the real bundle minus the same for
 *   an empty module Worker (median of 5 fresh starts each); and the bundle's
 *   module evaluation in Node (`import()` in a fresh process, same V8).
 * - Heap: `HeapProfiler.collectGarbage`, then `Runtime.getHeapUsage` over
 *   workerd's inspector, after start (one request to a 404) and after 2,000
 *   distinct filtered feed URLs.
 * - First request: in each of `isolates` fresh workerd processes, one
 *   unrelated warm-up request (`/opml.xml`), then each route once, order
 *   rotated; median over isolates. Repeat: median of `repeats` requests of
 *   the same URL (memo hits).
 */
import { execFileSync, spawnSync } from 'node:child_process'
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { ROOT, WRANGLER, wranglerEnv } from './lib/snapshot.ts'
import { median } from './lib/stats.ts'
import { entryId, personId, publishedAt, topicSlug, writeContent } from './lib/synthetic.ts'
import { startWorker, type Running } from './lib/workerd.ts'

/** The routes measured at every size. The filtered feed's window (entries 300 to 900 back) exists from 1,000 entries on. */
export const ROUTES: { name: string; path: string }[] = [
  { name: 'RSS, site', path: '/rss.xml' },
  { name: 'JSON Feed, site, limit=100', path: '/feed.json?limit=100' },
  { name: 'Atom, topic', path: `/topics/${topicSlug(3)}/atom.xml` },
  // The subscription feed holds the entries no archive page holds (20 to 49 at 50 a page), so its size varies with the count; this one does not.
  { name: 'Atom, topic, limit=50', path: `/topics/${topicSlug(3)}/atom.xml?limit=50` },
  { name: 'RSS archive page 1, site', path: '/archive/1/rss.xml' },
  { name: 'Atom archive page 1, topic', path: `/topics/${topicSlug(3)}/archive/1/atom.xml` },
  {
    name: 'RSS, person + since/until',
    path: `/rss.xml?person=${personId(5)}&since=${publishedAt(900).slice(0, 10)}&until=${publishedAt(300).slice(0, 10)}`,
  },
  { name: 'Home page', path: '/' },
  { name: 'Topic page', path: `/topics/${topicSlug(3)}` },
  { name: 'Entry page', path: `/entries/${entryId(7)}` },
]

export interface RouteResult {
  name: string
  path: string
  status: number
  bytes: number
  /** First request of the URL, one per isolate. */
  first: number[]
  repeat: number
}

export interface ScaleResult {
  n: number
  contentBytes: number
  /** What the real script printed (ms); `loadMs` undefined when it did not load. */
  buildMs: number
  loadMs?: number
  loadError?: string
  /** Peak RSS of the build (kB, from /usr/bin/time when present). */
  buildPeakKb?: number
  bundle: { raw: number; gzip: number; catalogRaw: number }
  startup: { ready: number[]; emptyReady: number[]; nodeEval: number[] }
  heap: { start: number; after: number; distinct: number }
  routes: RouteResult[]
  /** Repeat `/rss.xml` against a Worker answering its exact bytes and headers, sequential requests. */
  constant: {
    ours: number
    constant: number
    oursRps: number
    constantRps: number
    rounds: number[]
  }
}

export interface ScaleOptions {
  work: string
  isolates: number
  repeats: number
  distinct: number
  progress: (s: string) => void
  /** Node heap for the build, MB (the default 4 GB does not build 50,000 entries). */
  buildHeapMb: number
}

const node = process.execPath

/** A copy of the project whose wrangler.toml has no build step: the catalog is written by the bench, from the synthetic content. */
function snapshotFor(dir: string): string {
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  for (const p of ['src', 'package.json', 'tsconfig.json', 'migrations'])
    cpSync(join(ROOT, p), join(dir, p), {
      recursive: true,
      filter: (s) => !/[/\\]generated(?:[/\\]|$)/.test(s.slice(ROOT.length)),
    })
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir')
  writeFileSync(
    join(dir, 'wrangler.toml'),
    readFileSync(join(ROOT, 'wrangler.toml'), 'utf8').replace(/^\[build\]\ncommand = .*\n/m, ''),
  )
  return dir
}

function du(dir: string): number {
  return Number(execFileSync('du', ['-sb', dir], { encoding: 'utf8' }).split('\t')[0])
}

/** Runs the real content build (optionally loading); returns the figures it prints. */
function realBuild(
  args: string[],
  heapMb: number,
): { buildMs: number; loadMs?: number; error?: string; peakKb?: number } {
  const time = existsSync('/usr/bin/time')
  const cmd = [node, `--max-old-space-size=${heapMb}`, 'scripts/build-content.ts', ...args]
  const r = spawnSync(time ? '/usr/bin/time' : cmd[0]!, time ? ['-v', ...cmd] : cmd.slice(1), {
    cwd: ROOT,
    env: wranglerEnv(),
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  })
  const out = `${r.stdout}\n${r.stderr}`
  const build = /content: .*\b(\d+) ms\)/.exec(out)
  const load = /store \(local\): .*\((\d+) ms\)/.exec(out)
  const peak = /Maximum resident set size \(kbytes\): (\d+)/.exec(out)
  const error =
    r.status === 0
      ? undefined
      : (
          out.split('\n').find((l) => /Error|error:|heap out of memory/.test(l)) ??
          `exit ${r.status}`
        )
          .trim()
          .slice(0, 160)
  if (!build) throw new Error(`the content build failed: ${error}\n${out.slice(-1500)}`)
  return {
    buildMs: Number(build[1]),
    ...(load && { loadMs: Number(load[1]) }),
    ...(error && { error }),
    ...(peak && { peakKb: Number(peak[1]) }),
  }
}

/** Median milliseconds of `count` sequential GETs of `path`. */
async function repeatMs(w: Running, path: string, count: number): Promise<number> {
  const times: number[] = []
  for (let i = 0; i < count; i++) times.push((await w.get(path)).ms)
  return median(times)
}

/** 2,000-ish distinct canonical filtered feed URLs: format × topic × since day. */
export function distinctUrls(count: number): string[] {
  const files = ['rss.xml', 'atom.xml', 'feed.json']
  return Array.from(
    { length: count },
    (_, k) =>
      `/${files[k % 3]}?topic=${topicSlug(Math.floor(k / 3) % 30)}&since=${publishedAt(24 * (1 + Math.floor(k / 90))).slice(0, 10)}`,
  )
}

const EMPTY_WORKER = 'export default { fetch() { return new Response("ok") } }'

function constantWorker(body: Uint8Array, headers: [string, string][]): string {
  return `const body = Uint8Array.from(atob(${JSON.stringify(Buffer.from(body).toString('base64'))}), (c) => c.charCodeAt(0))
const headers = ${JSON.stringify(headers)}
export default { fetch() { return new Response(body, { headers }) } }`
}

export async function runScale(n: number, o: ScaleOptions): Promise<ScaleResult> {
  const dir = join(o.work, String(n))
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const content = join(dir, 'content')
  const state = join(dir, 'state')
  const snap = snapshotFor(join(dir, 'snapshot'))
  const catalogFile = join(dir, 'catalog.json')
  o.progress(`${n}: writing content`)
  writeContent(content, n)
  const contentBytes = du(content)
  execFileSync(
    node,
    [WRANGLER, 'd1', 'migrations', 'apply', 'DB', '--local', '--persist-to', state],
    { cwd: ROOT, env: wranglerEnv(), stdio: 'ignore' },
  )

  o.progress(`${n}: build and load (the real script)`)
  const real = realBuild(
    [
      '--load',
      'local',
      '--persist-to',
      state,
      '--cache',
      join(dir, 'build-cache.json'),
      content,
      catalogFile,
    ],
    o.buildHeapMb,
  )
  if (real.loadMs === undefined) throw new Error(`the load failed: ${real.error}`)

  o.progress(`${n}: bundle`)
  const outdir = join(dir, 'dist')
  execFileSync(node, [WRANGLER, 'deploy', '--dry-run', '--outdir', outdir, '--minify'], {
    cwd: snap,
    env: wranglerEnv(),
    stdio: 'ignore',
  })
  const script = join(outdir, 'index.js')
  const code = readFileSync(script)
  const bundle = {
    raw: code.byteLength,
    gzip: gzipSync(code, { level: 9 }).byteLength,
    catalogRaw: statSync(catalogFile).size,
  }

  o.progress(`${n}: startup`)
  const startup = { ready: [] as number[], emptyReady: [] as number[], nodeEval: [] as number[] }
  for (let i = 0; i < 5; i++) {
    for (const [key, opts] of [
      ['ready', { scriptPath: script, persistTo: state }],
      ['emptyReady', { script: EMPTY_WORKER }],
    ] as const) {
      const w = await startWorker(opts)
      startup[key].push(w.readyMs)
      await w.dispose()
    }
    const r = spawnSync(
      node,
      [
        '--input-type=module',
        '-e',
        `const t = performance.now(); await import(${JSON.stringify(script)}); console.log(performance.now() - t)`,
      ],
      { encoding: 'utf8' },
    )
    if (r.status === 0) startup.nodeEval.push(Number(r.stdout.trim()))
  }

  o.progress(`${n}: heap and ${o.distinct} distinct URLs`)
  const heap = { start: 0, after: 0, distinct: o.distinct }
  {
    const w = await startWorker({ scriptPath: script, persistTo: state, inspect: true })
    try {
      await w.get('/no-such-page')
      heap.start = (await w.heap()).used
      for (const url of distinctUrls(o.distinct)) {
        const r = await w.get(url)
        if (r.status !== 200)
          throw new Error(`${url}: ${r.status} ${new TextDecoder().decode(r.body).slice(0, 200)}`)
      }
      heap.after = (await w.heap()).used
    } finally {
      await w.dispose()
    }
  }

  o.progress(`${n}: routes, ${o.isolates} fresh isolates`)
  const routes: RouteResult[] = ROUTES.map((r) => ({
    ...r,
    status: 0,
    bytes: 0,
    first: [],
    repeat: NaN,
  }))
  for (let i = 0; i < o.isolates; i++) {
    const w = await startWorker({ scriptPath: script, persistTo: state })
    try {
      await w.get('/opml.xml')
      for (let k = 0; k < routes.length; k++) {
        const route = routes[(k + i) % routes.length]!
        const r = await w.get(route.path)
        route.first.push(r.ms)
        route.status = r.status
        route.bytes = r.bytes
      }
      if (i === 0)
        for (const route of routes) route.repeat = await repeatMs(w, route.path, o.repeats)
    } finally {
      await w.dispose()
    }
  }

  o.progress(`${n}: repeat /rss.xml against a constant-body Worker`)
  const ours = await startWorker({ scriptPath: script, persistTo: state })
  let constant: ScaleResult['constant']
  try {
    const sample = await ours.get('/rss.xml')
    const other = await startWorker({ script: constantWorker(sample.body, [...sample.headers]) })
    try {
      const check = await other.get('/rss.xml')
      if (Buffer.compare(Buffer.from(check.body), Buffer.from(sample.body)) !== 0)
        throw new Error('constant Worker body differs')
      const a: number[] = []
      const b: number[] = []
      const rounds: number[] = []
      for (let round = 0; round < 5; round++) {
        const x = await repeatMs(ours, '/rss.xml', o.repeats)
        const y = await repeatMs(other, '/rss.xml', o.repeats)
        ;(a.push(x), b.push(y), rounds.push(y / x))
      }
      constant = {
        ours: median(a),
        constant: median(b),
        oursRps: await rps(ours),
        constantRps: await rps(other),
        rounds,
      }
    } finally {
      await other.dispose()
    }
  } finally {
    await ours.dispose()
  }

  rmSync(join(dir, 'content'), { recursive: true, force: true })
  return {
    n,
    contentBytes,
    buildMs: real.buildMs,
    ...(real.loadMs !== undefined && { loadMs: real.loadMs }),
    ...(real.error && { loadError: real.error }),
    ...(real.peakKb && { buildPeakKb: real.peakKb }),
    bundle,
    startup,
    heap,
    routes,
    constant,
  }
}

/** Requests per second of `/rss.xml` with 8 concurrent clients for 1.5 s. */
async function rps(w: Running): Promise<number> {
  const end = performance.now() + 1500
  let count = 0
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (performance.now() < end) (await w.get('/rss.xml'), count++)
    }),
  )
  return count / 1.5
}
