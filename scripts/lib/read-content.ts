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

/** What {@link readContent} found: the files, or why they could not all be read. */
export type ReadResult =
  { files: ContentFiles; issues?: undefined } | { files?: undefined; issues: ContentIssue[] }

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
export function readContent(dir: string): ReadResult {
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

  /** The bytes of a regular file inside the folder; undefined (with an issue) otherwise. */
  function bytes(path: string): Uint8Array | undefined {
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
      return out.subarray(0, at)
    } finally {
      closeSync(fd)
    }
  }

  function text(path: string): ContentFile | undefined {
    const data = bytes(path)
    if (data === undefined) return undefined
    try {
      return { file: shown(path), text: decoder.decode(data) }
    } catch {
      refuse(path, 'is not valid UTF-8 text')
      return undefined
    }
  }

  /** The names in a folder of the content, sorted, or undefined (with an issue). */
  function names(path: string): string[] | undefined {
    const real = resolve(path)
    if (real === undefined) return undefined
    try {
      return readdirSync(real).sort()
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
  const entries = (names(entriesDir) ?? [])
    .filter(isEntryName)
    .flatMap((name) => text(join(entriesDir, name)) ?? [])
  const images = (names(dir) ?? [])
    .filter((name) => name.endsWith('.png'))
    .flatMap((name) => {
      const data = bytes(join(dir, name))
      return data ? [{ file: shown(join(dir, name)), bytes: data }] : []
    })

  if (issues.length || !site || !topics || !people || !sources) return { issues }
  return { files: { site, topics, people, sources, entries, images } }
}
