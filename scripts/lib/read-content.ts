/**
 * @module read-content
 * Reads a content folder into {@link ContentFiles}, safely: only regular
 * files inside the folder are read. A FIFO named `x.md` is refused without
 * being opened (and files are opened non-blocking, so one swapped in later
 * cannot hang the build either); a directory named `x.md` is refused rather
 * than read; a symbolic link is followed only when its target stays inside
 * the folder. Text must be UTF-8. Every refusal is a {@link ContentIssue}
 * naming the file, and reading goes on, so one run lists every problem.
 */
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readSync,
  realpathSync,
  type Stats,
} from 'node:fs'
import { join, relative, sep } from 'node:path'
import type { ContentFile, ContentFiles, ContentIssue } from '../../src/content/compile.ts'

/** No content file may be larger than this; the compiler's own limits (LIMITS in compile.ts) are smaller still. */
export const MAX_FILE_BYTES = 4 * 1024 * 1024

/** An entry file as read: its text, and the stat of the open file (for {@link ReadOptions.unchanged} next time). */
export interface EntryFile extends ContentFile {
  stats?: Stats
}

/** What {@link readContent} found: the files, or why they could not all be read. */
export type ReadResult =
  | {
      files: Omit<ContentFiles, 'entries'> & { entries: EntryFile[] }
      /** Entry files not read, as {@link ReadOptions.unchanged} said; each is in `files.entries` with an empty text and no stat. */
      unread: Set<string>
      issues?: undefined
    }
  | { files?: undefined; unread?: undefined; issues: ContentIssue[] }

export interface ReadOptions {
  /**
   * Whether the entry file `file` (a path as in the result), a regular file
   * with `stats` (from lstat), is known unchanged since an earlier read, so
   * that it need not be read again; `settings` are the four YAML files, read
   * first. Only a regular file, not a symbolic link, is asked about: it lies
   * in the entries folder, which is inside the content folder.
   */
  unchanged?(file: string, stats: Stats, settings: readonly ContentFile[]): boolean
}

const decoder = new TextDecoder('utf-8', { fatal: true })

/** Describes a file system object that is not a regular file. */
function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory'
  if (stats.isFIFO()) return 'a named pipe (FIFO)'
  if (stats.isSocket()) return 'a socket'
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device'
  return 'not a regular file'
}

/** Entry files: `*.md`, except hidden ones (editors' lock files such as `.#draft.md` are dangling links). */
const isEntryName = (name: string) => name.endsWith('.md') && !name.startsWith('.')

/** Reads the content folder `dir`; paths in the result are relative to the working directory, as the build prints them. */
export function readContent(dir: string, options: ReadOptions = {}): ReadResult {
  const issues: ContentIssue[] = []
  const shown = (path: string) => relative('.', path) || '.'
  const refuse = (path: string, message: string) =>
    issues.push({ file: shown(path), path: '', message })

  let root: string
  try {
    root = realpathSync(dir)
    if (!lstatSync(root).isDirectory()) throw Object.assign(new Error(), { code: 'ENOTDIR' })
  } catch (error) {
    refuse(
      dir,
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'content folder not found'
        : 'is not a folder',
    )
    return { issues }
  }
  const inside = (real: string) => real === root || real.startsWith(root + sep)

  /** Where `path` really is, if it is inside the content folder; undefined (with an issue) otherwise. */
  function resolve(path: string): string | undefined {
    let stats: Stats
    try {
      stats = lstatSync(path)
    } catch (error) {
      refuse(
        path,
        (error as NodeJS.ErrnoException).code === 'ENOENT'
          ? 'file not found'
          : `cannot be read (${(error as NodeJS.ErrnoException).code})`,
      )
      return undefined
    }
    let real: string
    try {
      real = realpathSync(path)
    } catch {
      refuse(path, 'is a symbolic link to nothing')
      return undefined
    }
    if (!inside(real)) {
      refuse(
        path,
        stats.isSymbolicLink()
          ? 'is a symbolic link that leads outside the content folder; it is not followed'
          : 'lies outside the content folder',
      )
      return undefined
    }
    return real
  }

  /** The bytes of a regular file inside the folder, and its stat; undefined (with an issue) otherwise. */
  function read(path: string): { data: Uint8Array; stats: Stats } | undefined {
    const real = resolve(path)
    if (real === undefined) return undefined
    const before = lstatSync(real)
    if (!before.isFile()) {
      refuse(path, `is ${kindOf(before)}, not a file`)
      return undefined
    }
    let fd: number
    try {
      // O_NONBLOCK: should a FIFO replace the file after the check, opening it does not wait for a writer.
      fd = openSync(real, constants.O_RDONLY | constants.O_NONBLOCK | (constants.O_NOFOLLOW ?? 0))
    } catch (error) {
      refuse(path, `cannot be opened (${(error as NodeJS.ErrnoException).code})`)
      return undefined
    }
    try {
      const stats = fstatSync(fd)
      if (!stats.isFile()) {
        refuse(path, `is ${kindOf(stats)}, not a file`)
        return undefined
      }
      if (stats.size > MAX_FILE_BYTES) {
        refuse(path, `is larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB`)
        return undefined
      }
      const out = new Uint8Array(stats.size)
      let at = 0
      while (at < out.length) {
        const n = readSync(fd, out, at, out.length - at, at)
        if (n === 0) break
        at += n
      }
      return { data: out.subarray(0, at), stats }
    } finally {
      closeSync(fd)
    }
  }

  const bytes = (path: string) => read(path)?.data

  function text(path: string): EntryFile | undefined {
    const got = read(path)
    if (got === undefined) return undefined
    try {
      return { file: shown(path), text: decoder.decode(got.data), stats: got.stats }
    } catch {
      refuse(path, 'is not valid UTF-8 text')
      return undefined
    }
  }

  /** The names in a folder of the content, sorted, and where the folder really is; undefined (with an issue). */
  function names(path: string): { real: string; list: string[] } | undefined {
    const real = resolve(path)
    if (real === undefined) return undefined
    try {
      return { real, list: readdirSync(real).sort() }
    } catch (error) {
      refuse(
        path,
        (error as NodeJS.ErrnoException).code === 'ENOTDIR'
          ? 'is not a folder'
          : `cannot be listed (${(error as NodeJS.ErrnoException).code})`,
      )
      return undefined
    }
  }

  const [site, topics, people, sources] = [
    'site.yaml',
    'topics.yaml',
    'people.yaml',
    'sources.yaml',
  ].map((name) => text(join(dir, name)))
  const entriesDir = join(dir, 'entries')
  const settings = [site, topics, people, sources].flatMap((f) => f ?? [])
  const unread = new Set<string>()
  /** An entry file known unchanged by its lstat alone: a regular file in the (resolved) entries folder. */
  const known = (real: string, name: string): EntryFile | undefined => {
    if (!options.unchanged || settings.length < 4) return undefined
    let stats: Stats
    try {
      stats = lstatSync(join(real, name))
    } catch {
      return undefined
    }
    // As shown(join(entriesDir, name)), without working out a relative path 50,000 times.
    const file = `${shownEntries}${sep}${name}`
    if (!stats.isFile() || !options.unchanged(file, stats, settings)) return undefined
    unread.add(file)
    return { file, text: '' }
  }
  const shownEntries = shown(entriesDir)
  const listed = names(entriesDir)
  const entries = (listed?.list ?? [])
    .filter(isEntryName)
    .flatMap((name) => known(listed!.real, name) ?? text(join(entriesDir, name)) ?? [])
  const images = (names(dir)?.list ?? [])
    .filter((name) => name.endsWith('.png'))
    .flatMap((name) => {
      const data = bytes(join(dir, name))
      return data ? [{ file: shown(join(dir, name)), bytes: data }] : []
    })

  if (issues.length || !site || !topics || !people || !sources) return { issues }
  return { files: { site, topics, people, sources, entries, images }, unread }
}
