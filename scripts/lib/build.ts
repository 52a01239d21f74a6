/**
 * The content build, as a function the commands share (`npm start` and its
 * watcher, `npm run publish`, `npm run db`, the tests' content module):
 * reads and validates a content folder, compiles it and prepares the
 * store's rows.
 *
 * With a cache file, one SQLite file in `.cache/` (outside git) keeps the
 * work of the last build, so that publishing one entry into 50,000 reads,
 * compiles and renders that one entry:
 *
 * - `records`: a small record per entry file (kept in 64 rows of JSON, so
 *   that 50,000 of them are read in one query and parsed quickly): its stat
 *   (size, modification time, inode) when last read, a digest of its text,
 *   the entry's summary (src/store/rows.ts, `EntrySummary`: what the steps
 *   across entries need), the hash of its rows with the instants it was
 *   hashed for, and the hash of its memberships with the positions.
 *   `settings` holds the digest of what compiling depends on (the four YAML
 *   files, the site URL override, the compiler's own source): under another
 *   one, no record holds.
 * - `compiled`: the compiled entry of each file, read back only for an
 *   entry whose rows are written (or whose hash must be worked out again).
 *
 * An entry file whose lstat matches its record, under the same
 * dependencies, is not read at all: the build goes on with its summary.
 * A stat that was taken within {@link RACY_MS} of the file's modification
 * time is not trusted (the file may have been saved again within the same
 * tick of the clock), nor is one that differs: such a file is read, and a
 * text whose digest matches the record's is not compiled again. A change
 * to any YAML file, to the site URL or to the compiler's source compiles
 * every entry again. FEED_BUILD_PHASES=1 prints the time of each phase.
 */
import { createHash } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, type Stats } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { DatabaseSync } from 'node:sqlite'
import {
  compileContent,
  ContentError,
  type ContentFile,
  type ContentFiles,
  type EntryCache,
} from '../../src/content/compile.ts'
import type { Entry } from '../../src/content/types.ts'
import {
  prepareRows,
  summaryOf,
  type EntrySummary,
  type HashCache,
  type Prepared,
  type SummarisedContent,
} from '../../src/store/rows.ts'
import { readContent, type EntryFile } from './read-content.ts'

export interface Built {
  /** The compiled content; with a cache, entries not compiled again are summaries (see {@link entries}). */
  content: SummarisedContent
  rows: Prepared
  /** Every entry whole, newest first, read back from the cache where the build held a summary. */
  entries(): Entry[]
  /** Entries whose hash came from the cache. */
  cached: number
  /** Entries compiled from their files (the others came from the compile cache). */
  compiled: number
  /** Entry files not read at all: their stat matched the cache's record. */
  unread: number
}

export interface BuildOptions {
  /** Overrides the `url` of site.yaml (development serves another origin). */
  siteUrl?: string | undefined
  /** Names the cache: `x.json` keeps it in `x.compiled.sqlite`. No cache without. */
  cacheFile?: string | undefined
  /** Stands for the digest of the compiler's source (tests: a compiler that changed). */
  compiler?: string | undefined
}

/** A stat this close to the file's modification time may miss a save within the same clock tick (coarse file systems: 2 s). */
export const RACY_MS = 2000

/** Reads, validates and prepares `dir`. Throws {@link ContentError} listing every problem by file and field. */
export async function build(dir: string, options: BuildOptions = {}): Promise<Built> {
  const phases = process.env.FEED_BUILD_PHASES ? phaseLog() : undefined
  const store = options.cacheFile
    ? await openStore(`${options.cacheFile.replace(/\.json$/, '')}.compiled.sqlite`, options)
    : undefined
  try {
    phases?.('open cache')
    const read = readContent(dir, store && { unchanged: store.unchanged })
    if (read.issues) throw new ContentError(read.issues)
    phases?.('read')
    store?.reading(read.files, read.unread)
    const content: SummarisedContent = compileContent(read.files, {
      siteUrl: options.siteUrl,
      cache: store?.compile,
    })
    phases?.('compile')
    const rows = await prepareRows(content, store?.rows)
    phases?.('prepare rows')
    store?.save()
    phases?.('save cache')
    return {
      content,
      rows,
      entries: () =>
        content.entries.map((e) => {
          const { [FILE]: _file, ...entry } = (store ? store.rows.full(e) : e) as Entry & Tagged
          return entry
        }),
      cached: store?.hits ?? 0,
      compiled: store?.misses ?? read.files.entries.length,
      unread: read.unread.size,
    }
  } catch (error) {
    store?.save(true)
    throw error
  }
}

/** Prints each phase's time and the process's RSS to stderr (FEED_BUILD_PHASES=1). */
function phaseLog() {
  let last = performance.now()
  return (name: string) => {
    const now = performance.now()
    const rss = Math.round(process.memoryUsage().rss / 2 ** 20)
    console.error(`build phase ${name}: ${Math.round(now - last)} ms (RSS ${rss} MB)`)
    last = now
  }
}

const sha256 = (...parts: string[]) => {
  const hash = createHash('sha256')
  for (const part of parts) hash.update(part).update('\0')
  return hash.digest('hex')
}

/** A digest of the compiler's source (src/, where the schema, the compiler and the feed items it measures live). */
function compilerDigest(): string {
  const src = fileURLToPath(new URL('../../src/', import.meta.url))
  const files = readdirSync(src, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.tsx?$/.test(f))
    .sort()
  return sha256(...files.flatMap((f) => [f, readFileSync(join(src, f), 'utf8')]))
}

/** What the cache keeps of one entry file. */
interface FileRecord {
  size: number
  mtime: number
  ino: string
  /** When the stat was taken (ms since the epoch). */
  seen: number
  /** Digest of the file's text. */
  text: string
  summary: EntrySummary
  /** The hash of its rows and the instants it was worked out for: `[published, updated, hash]`. */
  hash?: [string, string, string] | undefined
  /** The hash of its memberships and the places it was worked out for (HashCache.spots). */
  spots?: [string, string] | undefined
}

/** A record as stored: one JSON array (short to parse: every build reads all of them). */
type Stored = [
  size: number,
  mtime: number,
  ino: string,
  seen: number,
  text: string,
  /** The row hash, with the instants when they are not the summary's own. */
  hash: [string] | [string, string, string] | null,
  id: string,
  published: string,
  updated: string,
  date: string,
  precision: EntrySummary['date']['precision'],
  inferred: boolean,
  basis: string | null,
  topics: string[],
  people: string[],
  sources: [string, string[]][],
  speakers: string[],
  spots: [string, string] | null,
]

function encode(r: FileRecord): string {
  const { summary: e, hash: h } = r
  const hash: Stored[5] = !h
    ? null
    : h[0] === e.published && h[1] === e.updated
      ? [h[2]]
      : [h[2], h[0], h[1]]
  return JSON.stringify([
    r.size,
    r.mtime,
    r.ino,
    r.seen,
    r.text,
    hash,
    e.id,
    e.published,
    e.updated,
    e.date.text,
    e.date.precision,
    e.date.inferred,
    e.date.basis ?? null,
    e.topics,
    e.people.map((p) => p.id),
    e.sources.map((s) => [s.slug, s.credits]),
    e.quotes.map((q) => q.speaker),
    r.spots ?? null,
  ] satisfies Stored)
}

/**
 * A record from its stored form. The names entries share (topics, people,
 * sources, publications) are kept once each, and an instant equal to the one
 * before it is the same string: 50,000 summaries are held at once.
 */
function decode(s: Stored, names: Map<string, string>): FileRecord {
  const name = (n: string) => names.get(n) ?? (names.set(n, n), n)
  const [size, mtime, ino, seen, text, h, id, published, updatedAsStored, dateAsStored] = s
  const updated = updatedAsStored === published ? published : updatedAsStored
  const date = dateAsStored === published ? published : dateAsStored
  const basis = s[12]
  return {
    size,
    mtime,
    ino,
    seen,
    text,
    hash: h ? (h.length === 1 ? [published, updated, h[0]] : [h[1], h[2], h[0]]) : undefined,
    spots: s[17] ?? undefined,
    summary: {
      id,
      published,
      updated,
      date: {
        text: date,
        precision: name(s[10]) as Stored[10],
        inferred: s[11],
        ...(basis !== null && { basis }),
      },
      topics: s[13].map(name),
      people: s[14].map((id) => ({ id: name(id) })),
      sources: s[15].map(([slug, credits]) => ({ slug: name(slug), credits: credits.map(name) })),
      quotes: s[16].map((speaker) => ({ speaker: name(speaker) })),
    },
  }
}

/** The entry file a summary or an entry of this build came from (a symbol: object spreads keep it, JSON leaves it out). */
const FILE = Symbol('entry file')
type Tagged = EntrySummary & { [FILE]?: string }
const fileOf = (entry: EntrySummary) => (entry as Tagged)[FILE]

/** The layout of the cache's tables (SQLite's user_version); another is emptied. */
const LAYOUT = 2

/** The records are kept in this many rows (one JSON object each), by a digest of the file name. */
const BUCKETS = 64
const bucketOf = (file: string) => {
  let h = 0x811c9dc5
  for (let i = 0; i < file.length; i++) h = Math.imul(h ^ file.charCodeAt(i), 0x01000193)
  return (h >>> 0) % BUCKETS
}

/** Compiled entries written to the cache at once during a compile. */
const FLUSH = 200

/**
 * The cache of one build: what tells an entry file unchanged before it is
 * read, the {@link EntryCache} of the compile and the {@link HashCache} of
 * the rows.
 */
async function openStore(file: string, options: BuildOptions) {
  const { DatabaseSync } = await import('node:sqlite')
  mkdirSync(dirname(file), { recursive: true })
  const open = () => new DatabaseSync(file, { timeout: 10_000 })
  const db = open()
  // A cache: nothing waits for the disk (a crash of the system may lose it; the next build then starts afresh).
  db.exec('PRAGMA journal_mode = WAL')
  db.exec('PRAGMA synchronous = OFF')
  // A cache of another layout (user_version) is emptied: its entries are compiled again.
  if ((db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version !== LAYOUT)
    for (const { name } of db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .all() as { name: string }[])
      db.exec(`DROP TABLE "${name}"`)
  db.exec(`PRAGMA user_version = ${LAYOUT}`)
  db.exec(
    'CREATE TABLE IF NOT EXISTS compiled (file TEXT PRIMARY KEY, digest TEXT NOT NULL, entry TEXT NOT NULL) WITHOUT ROWID',
  )
  db.exec('CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)')
  db.exec('CREATE TABLE IF NOT EXISTS records (bucket INTEGER PRIMARY KEY, files TEXT NOT NULL)')
  const setting = (key: string) =>
    (
      db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as
        { value: string } | undefined
    )?.value
  /** The records of the last build, read a bucket at a time. */
  const last = new Map<string, FileRecord>()
  const names = new Map<string, string>()
  try {
    for (const row of db.prepare('SELECT files FROM records').iterate() as Iterable<{
      files: string
    }>)
      for (const [f, record] of Object.entries(JSON.parse(row.files) as Record<string, Stored>))
        last.set(f, decode(record, names))
  } catch {
    // Unreadable: as if there were none.
    last.clear()
  }
  const lastDepends = setting('depends')
  const started = Date.now()
  const compiler = options.compiler ?? compilerDigest()
  let depends: string | undefined
  const dependsOn = (settings: readonly ContentFile[]) =>
    (depends ??= sha256(
      compiler,
      options.siteUrl ?? '',
      ...settings.flatMap((f) => [f.file, f.text]),
    ))
  const none = new Map<string, FileRecord>()
  /** The records of the last build when they were compiled under the same dependencies. */
  const valid = () => (lastDepends === depends ? last : none)

  /** The records of this build, and those to write. */
  const records = new Map<string, FileRecord>()
  const dirty = new Set<string>()
  let render = setting('render') ?? ''
  let renderChanged = false
  let stats = new Map<string, Stats | undefined>()
  let unread = new Set<string>()
  let pending: [string, string, string][] = []
  const compiledKey = (text: string) => sha256(depends!, text)

  const flush = () => {
    if (!pending.length) return
    db.exec('BEGIN IMMEDIATE')
    try {
      const put = db.prepare(
        'INSERT OR REPLACE INTO compiled (file, digest, entry) VALUES (?, ?, ?)',
      )
      for (const row of pending) put.run(...row)
      db.exec('COMMIT')
    } finally {
      if (db.isTransaction) db.exec('ROLLBACK')
    }
    pending = []
  }

  // Whole entries of summaries are read back after the build returns (the load renders the changed ones): a handle of its own, closed when idle.
  let reader: DatabaseSync | undefined
  let idle: NodeJS.Timeout | undefined
  const readCompiled = (entryFile: string, key: string): Entry | undefined => {
    reader ??= open()
    clearTimeout(idle)
    idle = setTimeout(() => (reader?.close(), (reader = undefined)), 1000).unref()
    const row = reader
      .prepare('SELECT entry FROM compiled WHERE file = ? AND digest = ?')
      .get(entryFile, key) as { entry: string } | undefined
    return row && (JSON.parse(row.entry) as Entry)
  }

  let hits = 0
  let misses = 0
  /** The summary of a file whose compiled entry is kept, standing in for the entry in the compile. */
  const summary = (entryFile: string, record: FileRecord): Entry => {
    records.set(entryFile, record)
    if (record !== last.get(entryFile)) dirty.add(entryFile)
    // The record's own summary, marked with its file (no copy: there are 50,000 of them).
    ;(record.summary as Tagged)[FILE] = entryFile
    return record.summary as unknown as Entry
  }

  const compile: EntryCache = {
    get(entryFile, text) {
      const r = valid().get(entryFile)
      if (r && unread.has(entryFile)) return summary(entryFile, r)
      const st = stats.get(entryFile)
      const textDigest = sha256(text)
      if (r && st && r.text === textDigest) {
        // Read again (touched, or saved too recently to trust its stat), and the same text.
        return summary(entryFile, {
          ...r,
          size: st.size,
          mtime: st.mtimeMs,
          ino: String(st.ino),
          seen: started,
        })
      }
      misses++
      return undefined
    },
    set(entryFile, text, entry) {
      ;(entry as Tagged)[FILE] = entryFile
      const textDigest = sha256(text)
      pending.push([entryFile, compiledKey(textDigest), JSON.stringify(entry)])
      if (pending.length >= FLUSH) flush()
      const st = stats.get(entryFile)
      if (!st) return
      records.set(entryFile, {
        size: st.size,
        mtime: st.mtimeMs,
        ino: String(st.ino),
        seen: started,
        text: textDigest,
        summary: summaryOf(entry),
      })
      dirty.add(entryFile)
    },
  }

  const rows: HashCache = {
    get(entry, renderDepends) {
      const entryFile = fileOf(entry)
      const h = entryFile === undefined ? undefined : records.get(entryFile)?.hash
      if (!h || renderDepends !== render || h[0] !== entry.published || h[1] !== entry.updated)
        return undefined
      hits++
      return h[2]
    },
    set(entry, renderDepends, hash) {
      const entryFile = fileOf(entry)
      const r = entryFile === undefined ? undefined : records.get(entryFile)
      if (!r) return
      if (renderDepends !== render) {
        // Hashes worked out under other settings are of no use now.
        for (const [f, other] of records) if (other.hash) ((other.hash = undefined), dirty.add(f))
        render = renderDepends
        renderChanged = true
      }
      r.hash = [entry.published, entry.updated, hash]
      dirty.add(entryFile!)
    },
    spots(entry, places) {
      const entryFile = fileOf(entry)
      const r = entryFile === undefined ? undefined : records.get(entryFile)
      return r?.spots?.[0] === places ? r.spots[1] : undefined
    },
    setSpots(entry, places, spots) {
      const entryFile = fileOf(entry)
      const r = entryFile === undefined ? undefined : records.get(entryFile)
      if (!r) return
      r.spots = [places, spots]
      dirty.add(entryFile!)
    },
    full(entry) {
      // A whole entry (compiled by this build, or no cache behind it) is itself.
      if ('html' in entry) return entry as Entry
      const entryFile = fileOf(entry)
      const r = entryFile === undefined ? undefined : records.get(entryFile)
      const whole = r && readCompiled(entryFile!, compiledKey(r.text))
      if (!whole)
        throw new Error(
          `the build cache holds no compiled entry for ${entryFile}; delete ${file} and build again`,
        )
      // The instants as this build gave them (distinct across entries), in their places.
      return { ...whole, published: entry.published, updated: entry.updated }
    },
    sha256: (text) => createHash('sha256').update(text).digest('hex'),
  }

  return {
    compile,
    rows,
    get hits() {
      return hits
    },
    get misses() {
      return misses
    },
    /** For read-content: whether an entry file's lstat matches its record, under the same dependencies. */
    unchanged: (entryFile: string, st: Stats, settings: readonly ContentFile[]): boolean => {
      dependsOn(settings)
      const r = valid().get(entryFile)
      return (
        r !== undefined &&
        r.size === st.size &&
        r.mtime === st.mtimeMs &&
        r.ino === String(st.ino) &&
        st.mtimeMs < r.seen - RACY_MS
      )
    },
    /** The files as read: their stats, and those not read (known unchanged). */
    reading(files: Omit<ContentFiles, 'entries'> & { entries: EntryFile[] }, notRead: Set<string>) {
      dependsOn([files.site, files.topics, files.people, files.sources])
      stats = new Map(files.entries.flatMap((e) => (e.stats ? [[e.file, e.stats]] : [])))
      unread = notRead
    },
    /**
     * Writes the records of this build, and drops the compiled entries of
     * files gone (or, with no records before, of any file not in this
     * build); closes the database. A build that failed keeps the records
     * of the last one, with those of the files it compiled.
     */
    save(failed = false) {
      if (!db.isOpen) return
      try {
        flush()
        db.exec('BEGIN IMMEDIATE')
        const setSetting = db.prepare('INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)')
        if (depends !== undefined && depends !== lastDepends) setSetting.run('depends', depends)
        if (renderChanged) setSetting.run('render', render)
        // The buckets holding a record written or dropped are written again whole.
        const kept = failed ? new Map([...valid(), ...records]) : records
        const touched = new Set([...dirty].map(bucketOf))
        if (!failed) for (const f of last.keys()) if (!records.has(f)) touched.add(bucketOf(f))
        if (depends !== lastDepends) for (let b = 0; b < BUCKETS; b++) touched.add(b)
        const buckets = new Map([...touched].map((b) => [b, [] as string[]]))
        for (const [f, r] of kept)
          buckets.get(bucketOf(f))?.push(`${JSON.stringify(f)}:${encode(r)}`)
        const put = db.prepare('INSERT OR REPLACE INTO records (bucket, files) VALUES (?, ?)')
        for (const [b, items] of buckets) put.run(b, `{${items.join(',')}}`)
        if (!failed) {
          const drop = db.prepare('DELETE FROM compiled WHERE file = ?')
          const gone = last.size
            ? [...last.keys()]
            : (db.prepare('SELECT file FROM compiled').all() as { file: string }[]).map(
                (r) => r.file,
              )
          for (const f of gone) if (!records.has(f)) drop.run(f)
        }
        db.exec('COMMIT')
        dirty.clear()
      } finally {
        if (db.isTransaction) db.exec('ROLLBACK')
        db.close()
      }
    },
  }
}

/** One line for a build that failed: the content's problems as they are, anything else without a stack trace. */
export function failure(error: unknown): string {
  if (error instanceof ContentError) return error.message
  return `Content build failed: ${error instanceof Error ? error.message : String(error)}`
}
