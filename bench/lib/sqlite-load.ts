/**
 * The benchmark's fallback loader: the statements of the real load
 * (`planLoad` of src/store/load.ts, the same SQL and parameters) run
 * straight into the SQLite file of wrangler's local D1 with `node:sqlite`,
 * in one transaction, without workerd or wrangler's platform proxy. Used
 * when the real script is too slow for the suite's time limit or fails; the
 * time it takes is the cost of SQLite itself.
 */
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { planLoad } from '../../src/store/load.ts'
import type { Rows } from '../../src/store/rows.ts'

/** The database file wrangler's local D1 keeps under `persistTo` (one database: the project has one binding). */
export function d1File(persistTo: string): string {
  const dir = join(persistTo, 'v3', 'd1', 'miniflare-D1DatabaseObject')
  const files = readdirSync(dir).filter((f) => f.endsWith('.sqlite') && f !== 'metadata.sqlite')
  if (files.length !== 1) throw new Error(`expected one D1 database in ${dir}, found ${files.length}; migrate first`)
  return join(dir, files[0]!)
}

/** Loads `rows` into the migrated local D1 under `persistTo`; returns the milliseconds the SQL took. */
export function loadSqlite(persistTo: string, rows: Rows): { ms: number; statements: number } {
  const db = new DatabaseSync(d1File(persistTo))
  try {
    const started = performance.now()
    const plan = planLoad(rows, db.prepare('SELECT id, ts, hash FROM entries').all() as never)
    db.exec('BEGIN')
    for (const s of plan.statements) db.prepare(s.sql).run(...s.params)
    db.exec('COMMIT')
    return { ms: performance.now() - started, statements: plan.statements.length }
  } finally {
    db.close()
  }
}

/** `node --max-old-space-size=… bench/lib/sqlite-load.ts CONTENT_DIR PERSIST_DIR`: compiles, builds the rows and loads; prints the load's milliseconds. */
if (import.meta.main) {
  const [content, persistTo] = process.argv.slice(2)
  if (!content || !persistTo) throw new Error('usage: sqlite-load.ts CONTENT_DIR PERSIST_DIR')
  const { compileContent } = await import('../../src/content/compile.ts')
  const { buildRows } = await import('../../src/store/rows.ts')
  const { readContent } = await import('../../scripts/lib/read-content.ts')
  console.log(Math.round(loadSqlite(persistTo, await buildRows(compileContent(readContent(content)))).ms))
}
