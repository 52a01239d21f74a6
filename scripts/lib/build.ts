/**
 * The content build, as a function the commands share (`npm start` and its
 * watcher, `npm run publish`, `npm run db`, the tests' content module):
 * reads and validates a content folder, compiles it and prepares the
 * store's rows. Two caches in `.cache/` (outside git) keep the work of the
 * last build:
 *
 * - compiled entries (a SQLite file), by entry file and a digest of the
 *   file's text and of everything compiling it depends on: the four YAML
 *   files, the site URL override and the compiler's own source. An entry
 *   whose file and dependencies are unchanged is not parsed or rendered
 *   again; a change to any YAML file compiles every entry again.
 * - entry hashes, by a digest of each compiled entry and of what its rows
 *   depend on, so that only entries whose rows changed are rendered.
 */
import { createHash } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  compileContent,
  ContentError,
  type ContentFiles,
  type EntryCache,
} from '../../src/content/compile.ts'
import type { Content, Entry } from '../../src/content/types.ts'
import { prepareRows, type HashCache, type Prepared } from '../../src/store/rows.ts'
import { readContent } from './read-content.ts'

export interface Built {
  content: Content
  rows: Prepared
  /** Entries whose hash came from the cache. */
  cached: number
  /** Entries compiled from their files (the others came from the compile cache). */
  compiled: number
}

export interface BuildOptions {
  /** Overrides the `url` of site.yaml (development serves another origin). */
  siteUrl?: string | undefined
  /** The hash cache file (`x.json`); the compile cache is beside it (`x.compiled.sqlite`). No caches without. */
  cacheFile?: string | undefined
}

/** Reads, validates and prepares `dir`. Throws {@link ContentError} listing every problem by file and field. */
export async function build(dir: string, options: BuildOptions = {}): Promise<Built> {
  const read = readContent(dir)
  if (read.issues) throw new ContentError(read.issues)
  const compiled = options.cacheFile
    ? await compileCache(
        `${options.cacheFile.replace(/\.json$/, '')}.compiled.sqlite`,
        read.files,
        options.siteUrl,
      )
    : undefined
  let content: Content
  try {
    content = compileContent(read.files, { siteUrl: options.siteUrl, cache: compiled })
  } finally {
    compiled?.close()
  }
  const cache = options.cacheFile ? fileCache(options.cacheFile) : undefined
  const rows = await prepareRows(content, cache)
  cache?.save()
  return {
    content,
    rows,
    cached: cache?.hits ?? 0,
    compiled: compiled?.misses ?? read.files.entries.length,
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

/**
 * An {@link EntryCache} in a SQLite file: one row per entry file, with the
 * digest it was compiled under. Rows are read one at a time (the compiled
 * entries are not all loaded at once) and written in one transaction when
 * the compile ends; rows of files no longer present are dropped then.
 */
async function compileCache(
  file: string,
  files: ContentFiles,
  siteUrl: string | undefined,
): Promise<EntryCache & { close(): void; misses: number }> {
  const { DatabaseSync } = await import('node:sqlite')
  mkdirSync(dirname(file), { recursive: true })
  const db = new DatabaseSync(file, { timeout: 10_000 })
  db.exec(
    'CREATE TABLE IF NOT EXISTS compiled (file TEXT PRIMARY KEY, digest TEXT NOT NULL, entry TEXT NOT NULL) WITHOUT ROWID',
  )
  const depends = sha256(
    compilerDigest(),
    siteUrl ?? '',
    ...[files.site, files.topics, files.people, files.sources].flatMap((f) => [f.file, f.text]),
  )
  const read = db.prepare('SELECT entry FROM compiled WHERE file = ? AND digest = ?')
  const written = new Map<string, [string, Entry]>()
  const seen = new Set<string>()
  const cache = {
    misses: 0,
    get(entryFile: string, text: string): Entry | undefined {
      seen.add(entryFile)
      const row = read.get(entryFile, sha256(depends, text)) as { entry: string } | undefined
      if (row) return JSON.parse(row.entry) as Entry
      cache.misses++
      return undefined
    },
    set: (entryFile: string, text: string, entry: Entry) =>
      void written.set(entryFile, [sha256(depends, text), entry]),
    close() {
      try {
        db.exec('BEGIN IMMEDIATE')
        const put = db.prepare(
          'INSERT OR REPLACE INTO compiled (file, digest, entry) VALUES (?, ?, ?)',
        )
        for (const [entryFile, [digest, entry]] of written)
          put.run(entryFile, digest, JSON.stringify(entry))
        const drop = db.prepare('DELETE FROM compiled WHERE file = ?')
        for (const { file: stored } of db.prepare('SELECT file FROM compiled').all() as {
          file: string
        }[])
          if (!seen.has(stored)) drop.run(stored)
        db.exec('COMMIT')
      } finally {
        if (db.isTransaction) db.exec('ROLLBACK')
        db.close()
      }
    },
  }
  return cache
}

/** A {@link HashCache} in a JSON file; it keeps only the keys the last build used. */
function fileCache(file: string): HashCache & { save(): void; hits: number } {
  let old = new Map<string, string>()
  try {
    old = new Map(Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>))
  } catch {
    // No cache yet, or an unreadable one: start empty.
  }
  const used = new Map<string, string>()
  const cache = {
    hits: 0,
    get(key: string) {
      const hash = old.get(key)
      if (hash !== undefined) (used.set(key, hash), cache.hits++)
      return hash
    },
    set: (key: string, hash: string) => void used.set(key, hash),
    sha256: (text: string) => createHash('sha256').update(text).digest('hex'),
    save() {
      mkdirSync(dirname(file), { recursive: true })
      writeFileSync(`${file}.${process.pid}.tmp`, JSON.stringify(Object.fromEntries(used)))
      renameSync(`${file}.${process.pid}.tmp`, file)
    },
  }
  return cache
}

/** One line for a build that failed: the content's problems as they are, anything else without a stack trace. */
export function failure(error: unknown): string {
  if (error instanceof ContentError) return error.message
  return `Content build failed: ${error instanceof Error ? error.message : String(error)}`
}
