/**
 * The publishing benchmark (`npm run bench -- --publish`): at one size of
 * synthetic content, the measures of "publishing is not a deploy":
 *
 * - full build + load into a fresh local D1 (the real script, wall time and
 *   peak RSS from /usr/bin/time), and D1 bytes per entry after it;
 * - publish one new entry (build with the build cache + load), then the time
 *   until a running Worker serves it: build+load+visible, and peak RSS;
 * - requests that are not 200 while that publish runs, under a loop of
 *   store-reading requests (distinct URLs, so each one reads D1);
 * - ETags of a fixed set of cached URLs before and after: which changed, and
 *   whether each changed one holds the new entry (carries a purged tag);
 * - a 100-item RSS feed that the memo misses (distinct `since` days);
 * - `npm start` ready (until /rss.xml answers; port BENCH_PORT, default
 *   8813): first on the state the build script loaded (start keeps its own
 *   caches, so it compiles once), then again with nothing changed;
 * - Worker bundle bytes (the same for every size).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { ROOT, WRANGLER, wranglerEnv } from './lib/snapshot.ts'
import { entryFile, entryId, topicSlug, writeContent } from './lib/synthetic.ts'
import { startWorker } from './lib/workerd.ts'

export interface PublishResult {
  n: number
  entryFileBytes: number
  full: { ms: number; peakKb?: number }
  d1BytesPerEntry: number
  d1Tables: Record<string, number>
  one: {
    buildLoadMs: number
    peakKb?: number
    visibleMs: number
    totalMs: number
    written: number
    purged: number
  }
  during: { requests: number; non200: number; statuses: Record<string, number> }
  etags: { urls: number; changed: number; changedWithPurgedTag: number; changedUrls: string[] }
  /** `npm start` ready on the state the build script loaded (start's own caches cold), then again with nothing changed. */
  startReadyMs: { first: number; again: number }
  bundleBytes: number
  /** Median ms of a 100-item RSS feed that is a memo miss (store read + render), over distinct URLs. */
  feedMissMs: number
}

const node = process.execPath

/** Runs the content build with `args`; wall ms and peak RSS. */
function timedBuild(args: string[]): { ms: number; peakKb?: number; out: string } {
  const time = existsSync('/usr/bin/time')
  const cmd = [node, 'scripts/build-content.ts', ...args]
  const t = performance.now()
  const r = spawnSync(time ? '/usr/bin/time' : cmd[0]!, time ? ['-v', ...cmd] : cmd.slice(1), {
    cwd: ROOT,
    env: wranglerEnv(),
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  })
  const ms = performance.now() - t
  const out = `${r.stdout}\n${r.stderr}`
  if (r.status !== 0) throw new Error(`build failed:\n${out.slice(-1500)}`)
  const peak = /Maximum resident set size \(kbytes\): (\d+)/.exec(out)
  return { ms, ...(peak && { peakKb: Number(peak[1]) }), out }
}

/** The local D1 file's bytes in use (pages minus free pages), and per table where dbstat is available. */
function d1Bytes(file: string): { total: number; tables: Record<string, number> } {
  const db = new DatabaseSync(file, { readOnly: true })
  try {
    const pages = (db.prepare('PRAGMA page_count').get() as { page_count: number }).page_count
    const free = (db.prepare('PRAGMA freelist_count').get() as { freelist_count: number })
      .freelist_count
    const size = (db.prepare('PRAGMA page_size').get() as { page_size: number }).page_size
    let tables: Record<string, number> = {}
    try {
      const rows = db
        .prepare('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC')
        .all() as { name: string; bytes: number }[]
      tables = Object.fromEntries(
        rows.filter((r) => r.bytes > 100_000).map((r) => [r.name, r.bytes]),
      )
    } catch {
      // No dbstat in this SQLite build.
    }
    return { total: (pages - free) * size, tables }
  } finally {
    db.close()
  }
}

export async function runPublish(
  n: number,
  work: string,
  progress: (s: string) => void,
): Promise<PublishResult> {
  const dir = join(work, `publish-${n}`)
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const content = join(dir, 'content')
  const state = join(dir, 'state')
  const cache = join(dir, 'build-cache.json')
  progress(`${n}: writing content`)
  writeContent(content, n + 1)
  // Entry 0 is the newest: held back, it is the one entry published later.
  const newest = join(content, 'entries', `${entryId(0)}.md`)
  const held = readFileSync(newest, 'utf8')
  rmSync(newest)
  const entryFileBytes = Buffer.byteLength(entryFile(1))
  execFileSync(
    node,
    [WRANGLER, 'd1', 'migrations', 'apply', 'DB', '--local', '--persist-to', state],
    { cwd: ROOT, env: wranglerEnv(), stdio: 'ignore' },
  )

  progress(`${n}: full build + load`)
  const full = timedBuild(['--load', 'local', '--persist-to', state, '--cache', cache, content])
  const dbFile = execFileSync(
    'find',
    [join(state, 'v3', 'd1'), '-name', '*.sqlite', '!', '-name', 'metadata.sqlite'],
    { encoding: 'utf8' },
  )
    .trim()
    .split('\n')[0]!
  const bytes = d1Bytes(dbFile)

  progress(`${n}: bundle`)
  const outdir = join(dir, 'dist')
  execFileSync(node, [WRANGLER, 'deploy', '--dry-run', '--outdir', outdir, '--minify'], {
    cwd: ROOT,
    env: { ...wranglerEnv(), CONTENT_DIR: content },
    stdio: 'ignore',
  })
  const script = join(outdir, 'index.js')

  progress(`${n}: ETags before, then one entry published under load`)
  const urls = [
    '/rss.xml',
    '/atom.xml',
    '/feed.json',
    '/',
    '/archive',
    '/archive/1',
    '/archive/1/atom.xml',
    '/topics.json',
    '/opml.xml',
    ...Array.from({ length: 30 }, (_, i) => `/topics/${topicSlug(i)}/atom.xml`),
    ...Array.from({ length: 10 }, (_, i) => `/topics/${topicSlug(i)}`),
    ...Array.from({ length: 5 }, (_, i) => `/entries/${entryId(1 + i)}`),
  ]
  const worker = await startWorker({ scriptPath: script, persistTo: state })
  try {
    const before = new Map<string, { etag: string | null; tags: string[] }>()
    for (const url of urls) {
      const r = await worker.get(url)
      before.set(url, {
        etag: r.headers.get('ETag'),
        tags: (r.headers.get('Cache-Tag') ?? '').split(','),
      })
    }
    // A 100-item feed, each URL new to the memo: the store read, unpacking and render.
    const misses: number[] = []
    for (let d = 1; d <= 21; d++) {
      const t = performance.now()
      const r = await worker.get(`/rss.xml?since=1900-01-${String(d).padStart(2, '0')}&limit=100`)
      if (r.status !== 200) throw new Error(`feed miss answered ${r.status}`)
      misses.push(performance.now() - t)
    }
    // Readers: distinct filtered URLs, so that every request reads the store.
    let reading = true
    const statuses: Record<string, number> = {}
    let k = 0
    const readers = Array.from({ length: 4 }, async () => {
      while (reading) {
        const r = await worker.get(`/feed.json?topic=${topicSlug(k % 30)}&limit=${1 + (k++ % 100)}`)
        statuses[r.status] = (statuses[r.status] ?? 0) + 1
      }
    })
    await new Promise((resolve) => setTimeout(resolve, 500))
    writeFileSync(newest, held)
    const started = performance.now()
    const one = timedBuild(['--load', 'local', '--persist-to', state, '--cache', cache, content])
    const buildLoadMs = performance.now() - started
    let visibleMs = NaN
    for (;;) {
      const r = await worker.get('/rss.xml')
      if (new TextDecoder().decode(r.body).includes(`/entries/${entryId(0)}<`)) break
      if (performance.now() - started > 60_000) throw new Error('the new entry never showed')
    }
    visibleMs = performance.now() - started - buildLoadMs
    await new Promise((resolve) => setTimeout(resolve, 300))
    reading = false
    await Promise.all(readers)
    const requests = Object.values(statuses).reduce((a, b) => a + b, 0)
    const written = Number(/(\d+) written/.exec(one.out)?.[1] ?? NaN)
    const purgedCount = Number(/(\d+) tags to purge/.exec(one.out)?.[1] ?? NaN)
    const purged = new Set<string>(
      JSON.parse(
        (
          new DatabaseSync(dbFile, { readOnly: true })
            .prepare('SELECT changed FROM versions ORDER BY id DESC LIMIT 1')
            .get() as { changed: string }
        ).changed,
      ) as string[],
    )

    const changedUrls: string[] = []
    let changedWithPurgedTag = 0
    for (const url of urls) {
      const r = await worker.get(url)
      const old = before.get(url)!
      if (r.headers.get('ETag') !== old.etag) {
        changedUrls.push(url)
        if (old.tags.some((t) => purged.has(t))) changedWithPurgedTag++
      }
    }
    return {
      n,
      entryFileBytes,
      full: { ms: full.ms, ...(full.peakKb && { peakKb: full.peakKb }) },
      d1BytesPerEntry: bytes.total / n,
      d1Tables: bytes.tables,
      one: {
        buildLoadMs,
        ...(one.peakKb && { peakKb: one.peakKb }),
        visibleMs,
        totalMs: buildLoadMs + visibleMs,
        written,
        purged: purgedCount,
      },
      during: { requests, non200: requests - (statuses[200] ?? 0), statuses },
      etags: { urls: urls.length, changed: changedUrls.length, changedWithPurgedTag, changedUrls },
      startReadyMs: {
        first: await startReady(content, state),
        again: await startReady(content, state),
      },
      bundleBytes: statSync(script).size,
      feedMissMs: misses.sort((a, b) => a - b)[misses.length >> 1]!,
    }
  } finally {
    await worker.dispose()
  }
}

/** Milliseconds from `node scripts/start.ts` (nothing changed since the last load) until /rss.xml answers 200. */
async function startReady(content: string, state: string): Promise<number> {
  const port = Number(process.env.BENCH_PORT ?? 8813)
  const t = performance.now()
  const child = spawn(node, ['scripts/start.ts', '--port', String(port), '--persist-to', state], {
    cwd: ROOT,
    detached: true,
    stdio: 'ignore',
    env: { ...wranglerEnv(), CONTENT_DIR: content },
  })
  try {
    for (;;) {
      if (performance.now() - t > 900_000) return NaN
      try {
        const res = await fetch(`http://127.0.0.1:${port}/rss.xml`, {
          signal: AbortSignal.timeout(5000),
        })
        await res.arrayBuffer()
        if (res.status === 200) return performance.now() - t
      } catch {
        // Not up yet.
      }
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  } finally {
    try {
      process.kill(-child.pid!, 'SIGTERM')
    } catch {
      // Gone.
    }
    // The next start needs the port and the state's lock: wait for this one to be gone.
    if (child.exitCode === null)
      await Promise.race([
        new Promise((resolve) => child.once('exit', resolve)),
        new Promise((resolve) => setTimeout(resolve, 10_000)),
      ])
  }
}

/** The figures as a Markdown table, one column per size. */
export function publishTable(results: PublishResult[]): string {
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`
  const mb = (kb?: number) => (kb ? `${Math.round(kb / 1024)} MB` : 'n/a')
  const rows: [string, (r: PublishResult) => string][] = [
    [
      'publish one new entry: build + load (peak RSS)',
      (r) => `${s(r.one.buildLoadMs)} (${mb(r.one.peakKb)})`,
    ],
    ['… then visible in a running Worker', (r) => s(r.one.visibleMs)],
    ['… total, goal ≤ 5 s, ≤ 300 MB', (r) => s(r.one.totalMs)],
    ['… entries written, tags purged', (r) => `${r.one.written}, ${r.one.purged}`],
    [
      'full build + load from scratch (peak RSS), goal ≤ 40 s, ≤ 600 MB',
      (r) => `${s(r.full.ms)} (${mb(r.full.peakKb)})`,
    ],
    [
      "`npm start` ready on the state the build loaded (start's caches cold)",
      (r) => s(r.startReadyMs.first),
    ],
    ['`npm start` ready again, nothing changed, goal ≤ 10 s', (r) => s(r.startReadyMs.again)],
    [
      'requests not 200 during the publish (503s), goal 0',
      (r) => `${r.during.non200} of ${r.during.requests} (${r.during.statuses['503'] ?? 0})`,
    ],
    [
      'cached URLs whose ETag changed (of which carry a purged tag)',
      (r) => `${r.etags.changed} of ${r.etags.urls} (${r.etags.changedWithPurgedTag})`,
    ],
    [
      'D1 bytes per entry (entry file bytes), goal ≤ 15 KB',
      (r) =>
        `${(r.d1BytesPerEntry / 1024).toFixed(1)} KB (${(r.entryFileBytes / 1024).toFixed(1)} KB)`,
    ],
    [
      '100-item RSS feed, memo miss (median of 21 distinct URLs)',
      (r) => `${r.feedMissMs.toFixed(1)} ms`,
    ],
    ['Worker bundle bytes', (r) => String(r.bundleBytes)],
  ]
  return [
    `| measure | ${results.map((r) => `${r.n.toLocaleString('en')} entries`).join(' | ')} |`,
    `|---|${results.map(() => '---|').join('')}`,
    ...rows.map(([name, f]) => `| ${name} | ${results.map(f).join(' | ')} |`),
  ].join('\n')
}
