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
 * - `files`: a small record per entry file: its stat (size, modification
 *   time, inode) when last read, digests of its text and of what compiling
 *   it depends on (the four YAML files, the site URL override, the
 *   compiler's own source), the entry's summary (src/store/rows.ts,
 *   `EntrySummary`: what the steps across entries need) and the hash of its
 *   rows with the instants and rendering settings it was hashed under.
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
 * every entry again.
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
    }
  } catch (error) {
    store?.save()
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
  /** Digest of the compiler's source, the YAML files and the site URL it was compiled under. */
  depends: string
  /** Digest of the file's text. */
  text: string
  /** The key of its row in `compiled`: a digest of `depends` and the text. */
  key: string
  summary: EntrySummary
  /** The hash of its rows, with the instants and rendering settings it was worked out for. */
  hash?: { published: string; updated: string; depends: string; hash: string } | undefined
}

/** The entry file a summary or an entry of this build came from (a symbol: object spreads keep it, JSON leaves it out). */
const FILE = Symbol('entry file')
type Tagged = EntrySummary & { [FILE]?: string }
const fileOf = (entry: EntrySummary) => (entry as Tagged)[FILE]

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
  db.exec(
    'CREATE TABLE IF NOT EXISTS compiled (file TEXT PRIMARY KEY, digest TEXT NOT NULL, entry TEXT NOT NULL) WITHOUT ROWID',
  )
  db.exec('CREATE TABLE IF NOT EXISTS files (file TEXT PRIMARY KEY, record TEXT NOT NULL)')
  const records = new Map<string, FileRecord>()
  for (const row of db.prepare('SELECT file, record FROM files').all() as {
    file: string
    record: string
  }[])
    records.set(row.file, JSON.parse(row.record) as FileRecord)
  const started = Date.now()
  const compiler = options.compiler ?? compilerDigest()
  let depends: string | undefined
  const dependsOn = (settings: readonly ContentFile[]) =>
    (depends ??= sha256(
      compiler,
      options.siteUrl ?? '',
      ...settings.flatMap((f) => [f.file, f.text]),
    ))

  /** Records confirmed or written by this build, and those to save. */
  const current = new Map<string, FileRecord>()
  const dirty = new Set<string>()
  const listed = new Set<string>()
  let stats = new Map<string, Stats | undefined>()
  let unread = new Set<string>()
  let pending: [string, string, string][] = []

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
    current.set(entryFile, record)
    return { ...record.summary, [FILE]: entryFile } as Tagged as unknown as Entry
  }

  const compile: EntryCache = {
    get(entryFile, text) {
      const r = records.get(entryFile)
      if (r && unread.has(entryFile)) return summary(entryFile, r)
      const st = stats.get(entryFile)
      const stamp = st && { size: st.size, mtime: st.mtimeMs, ino: String(st.ino), seen: started }
      const textDigest = sha256(text)
      if (r && r.depends === depends && r.text === textDigest) {
        // Read again (touched, or saved too recently to trust its stat), and the same text.
        if (stamp) (Object.assign(r, stamp), dirty.add(entryFile))
        return summary(entryFile, r)
      }
      // No record of it (a cache written before records were): a compiled entry of this text will do.
      const key = sha256(depends!, text)
      const known = !r && stamp && readCompiled(entryFile, key)
      if (known) {
        const record = {
          ...stamp,
          depends: depends!,
          text: textDigest,
          key,
          summary: summaryOf(known),
        }
        records.set(entryFile, record)
        dirty.add(entryFile)
        return summary(entryFile, record)
      }
      misses++
      return undefined
    },
    set(entryFile, text, entry) {
      ;(entry as Tagged)[FILE] = entryFile
      const key = sha256(depends!, text)
      pending.push([entryFile, key, JSON.stringify(entry)])
      if (pending.length >= FLUSH) flush()
      const st = stats.get(entryFile)
      if (!st) return
      const record: FileRecord = {
        size: st.size,
        mtime: st.mtimeMs,
        ino: String(st.ino),
        seen: started,
        depends: depends!,
        text: sha256(text),
        key,
        summary: summaryOf(entry),
      }
      records.set(entryFile, record)
      current.set(entryFile, record)
      dirty.add(entryFile)
    },
  }

  const rows: HashCache = {
    get(entry, renderDepends) {
      const entryFile = fileOf(entry)
      const h = entryFile === undefined ? undefined : current.get(entryFile)?.hash
      if (!h || h.published !== entry.published || h.updated !== entry.updated) return undefined
      if (h.depends !== renderDepends) return undefined
      hits++
      return h.hash
    },
    set(entry, renderDepends, hash) {
      const entryFile = fileOf(entry)
      const r = entryFile === undefined ? undefined : current.get(entryFile)
      if (!r) return
      r.hash = { published: entry.published, updated: entry.updated, depends: renderDepends, hash }
      dirty.add(entryFile!)
    },
    full(entry) {
      // A whole entry (compiled by this build, or no cache behind it) is itself.
      if ('html' in entry) return entry as Entry
      const entryFile = fileOf(entry)
      const r = entryFile === undefined ? undefined : current.get(entryFile)
      const whole = r && readCompiled(entryFile!, r.key)
      if (!whole) throw new Error(`the build cache holds no compiled entry for ${entryFile}`)
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
      const r = records.get(entryFile)
      return (
        r !== undefined &&
        r.depends === dependsOn(settings) &&
        r.size === st.size &&
        r.mtime === st.mtimeMs &&
        r.ino === String(st.ino) &&
        st.mtimeMs < r.seen - RACY_MS
      )
    },
    /** The files as read: their stats, and those not read (known unchanged). */
    reading(files: Omit<ContentFiles, 'entries'> & { entries: EntryFile[] }, notRead: Set<string>) {
      dependsOn([files.site, files.topics, files.people, files.sources])
      stats = new Map(files.entries.map((e) => [e.file, e.stats]))
      for (const e of files.entries) listed.add(e.file)
      unread = notRead
    },
    /** Writes the records this build confirmed or changed and drops those of files gone; closes the database. */
    save() {
      if (!db.isOpen) return
      try {
        flush()
        db.exec('BEGIN IMMEDIATE')
        const put = db.prepare('INSERT OR REPLACE INTO files (file, record) VALUES (?, ?)')
        for (const f of dirty) put.run(f, JSON.stringify(records.get(f)))
        if (listed.size) {
          const dropFile = db.prepare('DELETE FROM files WHERE file = ?')
          const dropCompiled = db.prepare('DELETE FROM compiled WHERE file = ?')
          for (const f of records.keys()) if (!listed.has(f)) (dropFile.run(f), dropCompiled.run(f))
          for (const { file: f } of db.prepare('SELECT file FROM compiled').all() as {
            file: string
          }[])
            if (!listed.has(f) && !records.has(f)) dropCompiled.run(f)
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
