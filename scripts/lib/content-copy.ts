/**
 * A throwaway copy of `content/` for the scripts that test a running worker
 * from outside: with small archive pages (10 entries, unless the site's
 * settings choose a size), so that even a small publication fills some and
 * the archive documents and pages get checked too.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Copies `from` into a new temporary folder; `remove` deletes the copy. */
export function contentCopy(
  from = 'content',
  prefix = 'content-copy-',
): { dir: string; remove: () => void } {
  const work = mkdtempSync(join(tmpdir(), prefix))
  const dir = join(work, 'content')
  cpSync(from, dir, { recursive: true })
  const site = readFileSync(join(dir, 'site.yaml'), 'utf8')
  if (!/^archivePageSize:/m.test(site))
    writeFileSync(
      join(dir, 'site.yaml'),
      `${site}\n# Small archive pages, so that the entries fill some.\narchivePageSize: 10\n`,
    )
  return { dir, remove: () => rmSync(work, { recursive: true, force: true }) }
}
