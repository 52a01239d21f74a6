/**
 * @module load
 * Writes rows into the store, touching only what changed: an entry whose
 * hash (which covers its items, its page data, its feed positions and its
 * text) is unchanged is left alone; a changed or deleted one is removed and
 * the new one written. The month counts are small and rewritten whole.
 *
 * While a load runs, `meta.version` reads `loading`, so a Worker never
 * serves a mix of two versions (it answers 503 instead, or from its memo);
 * the last statement sets the new version.
 */
import type { EntryRows, Rows } from './rows.ts'

export type Param = string | number | null

/** One SQL statement with its bound parameters. */
export interface Statement {
  sql: string
  params: Param[]
}

/** What the store holds of an entry, enough to decide whether to rewrite it. */
export interface StoredEntry {
  id: string
  ts: number
  hash: string
}

export interface LoadPlan {
  statements: Statement[]
  written: number
  deleted: number
  unchanged: number
}

/** The query whose result {@link planLoad} takes as `stored`. */
export const STORED_ENTRIES = 'SELECT id, ts, hash FROM entries'

/** D1 binds at most 100 parameters per statement. */
const MAX_PARAMS = 100

function insertMany(table: string, columns: string[], rows: Param[][]): Statement[] {
  const per = Math.floor(MAX_PARAMS / columns.length)
  const out: Statement[] = []
  for (let i = 0; i < rows.length; i += per) {
    const chunk = rows.slice(i, i + per)
    const tuple = `(${columns.map(() => '?').join(', ')})`
    out.push({ sql: `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${chunk.map(() => tuple).join(', ')}`, params: chunk.flat() })
  }
  return out
}

function insertEntry({ row, text }: EntryRows): Statement[] {
  const { ts, id, updated, topics, hash, rss, atom, json, card, doc } = row
  return [
    {
      sql: 'INSERT INTO entries (ts, id, updated, topics, hash, rss, atom, json, card, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      params: [ts, id, updated, topics, hash, rss, atom, json, card, doc],
    },
    { sql: 'INSERT INTO entry_text (rowid, title, summary, body) VALUES (?, ?, ?, ?)', params: [ts, text.title, text.summary, text.body] },
  ]
}

/** The statements that bring a store holding `stored` to `rows`. */
export function planLoad(rows: Rows, stored: readonly StoredEntry[]): LoadPlan {
  const wanted = new Map(rows.entries.map((e) => [e.row.id, e.row.hash]))
  const keep = new Set(stored.filter((s) => wanted.get(s.id) === s.hash).map((s) => s.id))
  const stale = stored.filter((s) => !keep.has(s.id))
  const fresh = rows.entries.filter((e) => !keep.has(e.row.id))

  const statements: Statement[] = [{ sql: "INSERT OR REPLACE INTO meta (key, value) VALUES ('version', 'loading')", params: [] }]
  for (const { ts } of stale) {
    statements.push(
      { sql: 'DELETE FROM entries WHERE ts = ?', params: [ts] },
      { sql: 'DELETE FROM memberships WHERE ts = ?', params: [ts] },
      { sql: 'DELETE FROM entry_text WHERE rowid = ?', params: [ts] },
    )
  }
  for (const entry of fresh) statements.push(...insertEntry(entry))
  statements.push(
    ...insertMany('memberships', ['scope', 'ts', 'pos'], fresh.flatMap((e) => e.memberships.map((m) => [m.scope, m.ts, m.pos]))),
    { sql: 'DELETE FROM months', params: [] },
    ...insertMany('months', ['scope', 'month', 'entries', 'first_pos', 'last_pos'], rows.months.map((m) => [m.scope, m.month, m.entries, m.first_pos, m.last_pos])),
    { sql: "INSERT OR REPLACE INTO meta (key, value) VALUES ('version', ?)", params: [rows.catalog.version] },
  )
  return { statements, written: fresh.length, deleted: stale.filter((s) => !wanted.has(s.id)).length, unchanged: keep.size }
}

/** The part of D1's API a load needs; Miniflare's D1 and the Worker binding both have it. */
export interface SqlDatabase {
  prepare(sql: string): { bind(...params: Param[]): unknown; all<T>(): Promise<{ results: T[] }> }
  batch(statements: unknown[]): Promise<unknown>
}

/** Loads `rows` into a D1 database, in batches (each batch is a transaction). */
export async function loadInto(db: SqlDatabase, rows: Rows, batchSize = 500): Promise<LoadPlan> {
  const stored = (await db.prepare(STORED_ENTRIES).all<StoredEntry>()).results
  const plan = planLoad(rows, stored)
  for (let i = 0; i < plan.statements.length; i += batchSize) {
    await db.batch(plan.statements.slice(i, i + batchSize).map((s) => db.prepare(s.sql).bind(...s.params)))
  }
  return plan
}

/** A statement with its parameters written in as SQL literals, for `wrangler d1 execute --file`. */
export function inline({ sql, params }: Statement): string {
  let i = 0
  return sql.replace(/\?/g, () => {
    const p = params[i++]
    return p === null || p === undefined ? 'NULL' : typeof p === 'number' ? String(p) : `'${p.replaceAll("'", "''")}'`
  }) + ';'
}
