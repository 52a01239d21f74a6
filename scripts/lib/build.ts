/**
 * The content build, as a function the commands share (`npm start` and its
 * watcher, `npm run publish`, `npm run db`, the tests' content module):
 * reads and validates a content folder, compiles it and prepares the
 * store's rows. Entry hashes are cached in `.cache/` (outside git) by a
 * digest of each compiled entry and of what its rendering depends on, so a
 * build renders only the entries whose files, topics or settings changed.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { compileContent, ContentError } from '../../src/content/compile.ts'
import type { Content } from '../../src/content/types.ts'
import { prepareRows, type HashCache, type Prepared } from '../../src/store/rows.ts'
import { readContent } from './read-content.ts'

export interface Built {
  content: Content
  rows: Prepared
  /** Entries whose hash came from the cache. */
  cached: number
}

export interface BuildOptions {
  /** Overrides the `url` of site.yaml (development serves another origin). */
  siteUrl?: string | undefined
  /** The hash cache file; none without. */
  cacheFile?: string | undefined
}

/** Reads, validates and prepares `dir`. Throws {@link ContentError} listing every problem by file and field. */
export async function build(dir: string, options: BuildOptions = {}): Promise<Built> {
  const read = readContent(dir)
  if (read.issues) throw new ContentError(read.issues)
  const content = compileContent(read.files, { siteUrl: options.siteUrl })
  const cache = options.cacheFile ? fileCache(options.cacheFile) : undefined
  const rows = await prepareRows(content, cache)
  cache?.save()
  return { content, rows, cached: cache?.hits ?? 0 }
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
