/**
 * @module load
 * Writes prepared rows into the store, touching only what changed: an entry
 * whose hash (which covers its items, its page data, its feed positions and
 * its text) is unchanged is left alone; a changed or deleted one is removed
 * and the new one written. The month counts are small and rewritten whole.
 *
 * The writes go to a {@link LoadTarget}: a D1 binding (tests), the SQLite
 * file of wrangler's local D1 (`npm start`), or a SQL file for `wrangler d1
 * execute --remote` (`npm run deploy`). Entries are rendered a chunk at a
 * time, so a load of any size holds one chunk of rows.
 *
 * While a load runs, `meta.version` reads `loading`, so a Worker never
 * serves a mix of two versions (it answers 503 instead, or from its memo);
 * the last statement sets the new version.
 */
import type { EntryRows, Prepared } from './rows.ts'

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

/** Where a load writes. */
export interface LoadTarget {
  /** Every stored entry's id, time and hash: the query {@link STORED_ENTRIES}. */
  stored(): Promise<StoredEntry[]>
  /** Runs statements in order. */
  run(statements: Statement[]): Promise<void>
}

export interface LoadReport {
  written: number
  deleted: number
  unchanged: number
}

/** The query whose rows a target's `stored` returns. */
export const STORED_ENTRIES = 'SELECT id, ts, hash FROM entries'

/** D1 binds at most 100 parameters per statement. */
const MAX_PARAMS = 100

/** Entries rendered and written at once. */
const CHUNK = 200

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

/**
 * An entry's rows. The large columns are set one statement each, so that no
 * statement written out as SQL text passes D1's 100 KB statement limit.
 */
function insertEntry({ row, text }: EntryRows): Statement[] {
  const { ts, id, updated, topics, hash, card } = row
  return [
    { sql: 'INSERT INTO entries (ts, id, updated, topics, hash, card, rss, atom, json, doc) VALUES (?, ?, ?, ?, ?, ?, ?, \'\', \'\', \'\')', params: [ts, id, updated, topics, hash, card, row.rss] },
    ...(['atom', 'json', 'doc'] as const).map((column) => ({ sql: `UPDATE entries SET ${column} = ? WHERE ts = ?`, params: [row[column], ts] })),
    { sql: 'INSERT INTO entry_text (rowid, title, summary, body) VALUES (?, ?, ?, ?)', params: [ts, text.title, text.summary, text.body] },
  ]
}

/** Brings the store behind `target` to the prepared content. */
export async function loadRows(target: LoadTarget, prepared: Prepared): Promise<LoadReport> {
  const stored = await target.stored()
  const wanted = new Map(prepared.hashes.map((h) => [h.id, h.hash]))
  const keep = new Set(stored.filter((s) => wanted.get(s.id) === s.hash).map((s) => s.id))
  const stale = stored.filter((s) => !keep.has(s.id))
  const fresh = prepared.hashes.flatMap((h, i) => (keep.has(h.id) ? [] : [i]))

  // Every stale row goes first: a rewritten entry may take a time another one still holds.
  await target.run([
    { sql: "INSERT OR REPLACE INTO meta (key, value) VALUES ('version', 'loading')", params: [] },
    ...stale.flatMap(({ ts }) => [
      { sql: 'DELETE FROM entries WHERE ts = ?', params: [ts] },
      { sql: 'DELETE FROM memberships WHERE ts = ?', params: [ts] },
      { sql: 'DELETE FROM entry_text WHERE rowid = ?', params: [ts] },
    ]),
  ])
  for (let i = 0; i < fresh.length; i += CHUNK) {
    const chunk = await Promise.all(fresh.slice(i, i + CHUNK).map((k) => prepared.rows(k)))
    await target.run([
      ...chunk.flatMap(insertEntry),
      ...insertMany('memberships', ['scope', 'ts', 'pos'], chunk.flatMap((e) => e.memberships.map((m) => [m.scope, m.ts, m.pos]))),
    ])
  }
  await target.run([
    { sql: 'DELETE FROM months', params: [] },
    ...insertMany('months', ['scope', 'month', 'entries', 'first_pos', 'last_pos'], prepared.months.map((m) => [m.scope, m.month, m.entries, m.first_pos, m.last_pos])),
    { sql: "INSERT OR REPLACE INTO meta (key, value) VALUES ('version', ?)", params: [prepared.catalog.version] },
  ])
  return { written: fresh.length, deleted: stale.filter((s) => !wanted.has(s.id)).length, unchanged: keep.size }
}

/** The part of D1's API a load needs; the Worker binding and Miniflare's D1 both have it. */
export interface SqlDatabase {
  prepare(sql: string): { bind(...params: Param[]): unknown; all<T>(): Promise<{ results: T[] }> }
  batch(statements: unknown[]): Promise<unknown>
}

/** A D1 database as a load target, in batches (each batch is a transaction). */
export function d1Target(db: SqlDatabase, batchSize = 500): LoadTarget {
  return {
    stored: async () => (await db.prepare(STORED_ENTRIES).all<StoredEntry>()).results,
    async run(statements) {
      for (let i = 0; i < statements.length; i += batchSize) {
        await db.batch(statements.slice(i, i + batchSize).map((s) => db.prepare(s.sql).bind(...s.params)))
      }
    },
  }
}

/** A statement with its parameters written in as SQL literals, for `wrangler d1 execute --file`. */
export function inline({ sql, params }: Statement): string {
  let i = 0
  return sql.replace(/\?/g, () => {
    const p = params[i++]
    return p === null || p === undefined ? 'NULL' : typeof p === 'number' ? String(p) : `'${p.replaceAll("'", "''")}'`
  }) + ';'
}
