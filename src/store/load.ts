/**
 * @module load
 * Publishes prepared rows as a new content version (schema:
 * `migrations/0003_versions.sql`), touching only what changed:
 *
 * 1. Rows no kept version needs are deleted (those of the version before
 *    the current one, and any left by a load that failed).
 * 2. Each entry is compared with the current version's row: a changed or
 *    deleted one has its rows ended (`until` = the new version) and a new
 *    or changed one gets new rows (`since` = the new version); an entry
 *    whose positions alone moved (a backdated entry before it) gets new
 *    memberships only. Months are compared row by row.
 * 3. The new version's catalog is stored, and one statement makes it
 *    current.
 *
 * Until step 3 readers get the current version whole (they bind its id);
 * after it, the new one whole. A load that stops anywhere before leaves the
 * current version serving, and the next load clears what it wrote.
 *
 * The writes go to a {@link LoadTarget}: a D1 binding (tests, the Worker), the
 * SQLite file of wrangler's local D1 (`npm start`), or `wrangler d1
 * execute --remote` (`npm run publish`); all run this same code.
 */
import type { CatalogData } from '../catalog.ts'
import { purgePlan, type Snapshot } from '../tags.ts'
import { streamDeflate, type Deflate } from './pack.ts'
import type { EntryHash, EntryRows, MonthRow, Prepared } from './rows.ts'
import { withDeletions } from './tombstones.ts'

/** A bound value; bytes are BLOBs (packed texts, src/store/pack.ts). */
export type Param = string | number | null | Uint8Array

/** One SQL statement with its bound parameters. */
export interface Statement {
  sql: string
  params: Param[]
}

/** Where a load reads and writes. */
export interface LoadTarget {
  /** The rows of one statement. */
  query<T>(statement: Statement): Promise<T[]>
  /** Runs statements in order. */
  run(statements: Statement[]): Promise<void>
  /** How this target's side deflates the packed texts; CompressionStream's when absent. */
  deflate?: Deflate | undefined
}

/** What a load did. */
export interface LoadReport {
  /** The version now current (unchanged when the content was). */
  version: number
  written: number
  deleted: number
  unchanged: number
  /** The Cache-Tags whose documents changed (see src/tags.ts). */
  purge: string[]
}

/** `until` of a row that is still current: 2^53 - 1. */
export const OPEN = Number.MAX_SAFE_INTEGER
/** Versions of one entry share a `key` range of this size (`key = ts * KEY_SPAN + since mod KEY_SPAN`). */
export const KEY_SPAN = 2 ** 20

/** The key of the row of an entry at time `ts` first valid in version `since`. */
export const entryKey = (ts: number, since: number) => ts * KEY_SPAN + (since % KEY_SPAN)

/** The current version: its id and content hash; none before the first load. */
export const CURRENT: Statement = {
  sql: "SELECT v.id, v.hash FROM meta AS m JOIN versions AS v ON v.id = m.value WHERE m.key = 'current'",
  params: [],
}

/** A version's catalog (JSON). */
export const catalogOf = (id: number): Statement => ({
  sql: 'SELECT catalog FROM versions WHERE id = ?',
  params: [id],
})

interface StoredEntry extends EntryHash {
  key: number
}

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
    out.push({
      sql: `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${chunk.map(() => tuple).join(', ')}`,
      params: chunk.flat(),
    })
  }
  return out
}

/**
 * An entry's rows in version `since`, its items and `doc` packed
 * (src/store/pack.ts). Each large value is one statement of its own, so
 * that no statement written out as SQL text passes D1's 100 KB statement
 * limit.
 */
async function insertEntry(
  { row, text }: EntryRows,
  since: number,
  deflate: Deflate,
): Promise<Statement[]> {
  const key = entryKey(row.ts, since)
  const [doc, ...items] = await Promise.all(
    [row.doc, ...Object.values(row.items)].map((t) => deflate(t)),
  )
  return [
    {
      sql: 'INSERT INTO entries (key, ts, id, since, updated, topics, hash, spots, card, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      params: [
        key,
        row.ts,
        row.id,
        since,
        row.updated,
        row.topics,
        row.hash,
        row.spots,
        row.card,
        doc!,
      ],
    },
    ...Object.keys(row.items).map((format, i) => ({
      sql: 'INSERT INTO items (entry, format, body) VALUES (?, ?, ?)',
      params: [key, format, items[i]!],
    })),
    {
      sql: 'INSERT INTO entry_text (rowid, title, summary, body) VALUES (?, ?, ?, ?)',
      params: [key, text.title, text.summary, text.body],
    },
  ]
}

/**
 * Deletes rows no version from `keep` on needs and, when a load may have
 * failed (`stray`), any it left above `current`. Those are found by a scan
 * of every table (`since` has no index), so a load that finished says so
 * ({@link LOADED}) and the next one skips it.
 */
function collect(keep: number, current: number, stray: boolean): Statement[] {
  const dead = stray ? 'until <= ? OR since > ?' : 'until <= ?'
  const params = stray ? [keep, current] : [keep]
  return [
    {
      sql: `DELETE FROM entry_text WHERE rowid IN (SELECT key FROM entries WHERE ${dead})`,
      params,
    },
    {
      sql: `DELETE FROM items WHERE entry IN (SELECT key FROM entries WHERE ${dead})`,
      params,
    },
    ...['entries', 'memberships', 'months'].flatMap((table) => [
      { sql: `DELETE FROM ${table} WHERE ${dead}`, params },
      {
        sql: `UPDATE ${table} SET until = ? WHERE until > ? AND until < ?`,
        params: [OPEN, current, OPEN],
      },
    ]),
    // A version's catalog goes once it is neither current nor awaiting WebSub detection (at most 100 kept).
    {
      sql: "DELETE FROM versions WHERE (id < ? AND (id <= (SELECT value FROM meta WHERE key = 'detected') OR id < ? - 100)) OR id > ?",
      params: [current, current, current],
    },
  ]
}

/**
 * `meta.loaded`: the version the last load that finished made current (the
 * flip's one statement sets both), -1 from a load's first write until then.
 * Unless it equals `meta.current`, the next load looks for rows a failed
 * load may have left (and for any when the row is absent, or `current` was
 * set back by hand).
 */
const LOADED: Statement = { sql: "SELECT value FROM meta WHERE key = 'loaded'", params: [] }

/** Rows visible in version `v`, as a condition on table alias `t`. */
const visibleAt = (t: string) => `${t}.since <= ? AND ${t}.until > ?`

/** The memberships of the current version of the entries at `times`, by time. */
async function placesOf(
  target: LoadTarget,
  times: number[],
  current: number,
): Promise<Map<number, { scope: string; pos: number }[]>> {
  const out = new Map<number, { scope: string; pos: number }[]>()
  for (let i = 0; i < times.length; i += MAX_PARAMS - 2) {
    const some = times.slice(i, i + MAX_PARAMS - 2)
    const rows = await target.query<{ scope: string; ts: number; pos: number }>({
      sql: `SELECT scope, ts, pos FROM memberships AS m WHERE m.ts IN (${some.map(() => '?').join(', ')}) AND ${visibleAt('m')}`,
      params: [...some, current, current],
    })
    for (const r of rows)
      (out.get(r.ts) ?? out.set(r.ts, []).get(r.ts)!).push({ scope: r.scope, pos: r.pos })
  }
  return out
}

const sameMonth = (a: MonthRow, b: MonthRow) =>
  a.entries === b.entries &&
  a.first_pos === b.first_pos &&
  a.last_pos === b.last_pos &&
  a.updated === b.updated

/** Brings the store behind `target` to the prepared content, as a new version made current at the end. */
export async function loadRows(target: LoadTarget, prepared: Prepared): Promise<LoadReport> {
  const head = (await target.query<{ id: number; hash: string }>(CURRENT))[0]
  const current = head?.id ?? 0
  if (head?.hash === prepared.catalog.version)
    return {
      version: current,
      written: 0,
      deleted: 0,
      unchanged: prepared.hashes.length,
      purge: [],
    }
  const next = current + 1
  const loaded = (await target.query<{ value: number }>(LOADED))[0]?.value
  await target.run([
    ...collect(current - 1, current, loaded !== current),
    { sql: "INSERT OR REPLACE INTO meta (key, value) VALUES ('loaded', -1)", params: [] },
  ])

  // A scan of the table (most rows are visible), not a walk of the `until` index with a look-up per row.
  const stored = await target.query<StoredEntry>({
    sql: `SELECT key, id, ts, hash, spots FROM entries AS e NOT INDEXED WHERE ${visibleAt('e')}`,
    params: [current, current],
  })
  const before = new Map(stored.map((s) => [s.id, s]))
  const wanted = new Set(prepared.hashes.map((h) => h.id))
  const fresh: number[] = []
  const moved: number[] = []
  prepared.hashes.forEach((h, i) => {
    const s = before.get(h.id)
    if (!s || s.hash !== h.hash || s.ts !== h.ts) fresh.push(i)
    else if (s.spots !== h.spots) moved.push(i)
  })
  const gone = stored.filter((s) => !wanted.has(s.id))
  const replaced = fresh.flatMap((i) => before.get(prepared.hashes[i]!.id) ?? [])
  const previousPlaces = await placesOf(
    target,
    [...gone, ...replaced, ...moved.map((i) => before.get(prepared.hashes[i]!.id)!)].map(
      (s) => s.ts,
    ),
    current,
  )

  // Old rows end at `next`: still visible to readers of `current`.
  const endEntry = (s: StoredEntry): Statement[] => [
    { sql: 'UPDATE entries SET until = ? WHERE key = ?', params: [next, s.key] },
    {
      sql: `UPDATE memberships SET until = ? WHERE ts = ? AND ${visibleAt('memberships')}`,
      params: [next, s.ts, current, current],
    },
  ]
  await target.run([...gone, ...replaced].flatMap(endEntry))
  await target.run(
    moved.map((i) => ({
      sql: `UPDATE memberships SET until = ? WHERE ts = ? AND ${visibleAt('memberships')}`,
      params: [next, prepared.hashes[i]!.ts, current, current],
    })),
  )

  const nextPlaces = new Map<string, { scope: string; pos: number }[]>()
  const rewrite = [...fresh, ...moved]
  for (let i = 0; i < rewrite.length; i += CHUNK) {
    const chunk = await Promise.all(rewrite.slice(i, i + CHUNK).map((k) => prepared.rows(k)))
    for (const e of chunk) nextPlaces.set(e.row.id, e.memberships)
    const inserts = await Promise.all(
      chunk
        .filter((_, k) => i + k < fresh.length)
        .map((e) => insertEntry(e, next, target.deflate ?? streamDeflate)),
    )
    await target.run([
      ...inserts.flat(),
      ...insertMany(
        'memberships',
        ['scope', 'ts', 'since', 'pos'],
        chunk.flatMap((e) => e.memberships.map((m) => [m.scope, m.ts, next, m.pos])),
      ),
    ])
  }

  const oldMonths = await target.query<MonthRow & { since: number }>({
    sql: `SELECT scope, month, since, entries, first_pos, last_pos, updated FROM months AS o WHERE ${visibleAt('o')}`,
    params: [current, current],
  })
  // By scope, then month: no key string per row (tens of thousands of rows, a few of them changed).
  const newMonths = new Map<string, Map<string, MonthRow>>()
  for (const m of prepared.months)
    (newMonths.get(m.scope) ?? newMonths.set(m.scope, new Map()).get(m.scope)!).set(m.month, m)
  const kept = new Set<MonthRow>()
  const endedMonths = oldMonths.filter((m) => {
    const now = newMonths.get(m.scope)?.get(m.month)
    if (now && sameMonth(m, now)) return void kept.add(now)
    return true
  })
  const addedMonths = prepared.months.filter((m) => !kept.has(m))

  const previous: Snapshot = {
    catalog: head
      ? (JSON.parse(
          (await target.query<{ catalog: string }>(catalogOf(current)))[0]!.catalog,
        ) as CatalogData)
      : undefined,
    entries: new Map(
      [...gone, ...replaced, ...moved.map((i) => before.get(prepared.hashes[i]!.id)!)].map((s) => [
        s.id,
        { hash: s.hash, places: previousPlaces.get(s.ts) ?? [] },
      ]),
    ),
  }
  // Deleted entries leave tombstones in the new version's catalog (src/store/tombstones.ts).
  const catalog = withDeletions(
    prepared.catalog,
    previous.catalog,
    gone.map((s) => ({ id: s.id, scopes: (previousPlaces.get(s.ts) ?? []).map((p) => p.scope) })),
    wanted,
  )
  const nextSnapshot: Snapshot = {
    catalog,
    entries: new Map(
      rewrite
        .map((i) => prepared.hashes[i]!)
        .map((h) => [h.id, { hash: h.hash, places: nextPlaces.get(h.id)! }]),
    ),
  }
  const purge = purgePlan(previous, nextSnapshot)

  await target.run([
    ...endedMonths.map((m) => ({
      sql: 'UPDATE months SET until = ? WHERE scope = ? AND month = ? AND since = ?',
      params: [next, m.scope, m.month, m.since],
    })),
    ...insertMany(
      'months',
      ['scope', 'month', 'since', 'entries', 'first_pos', 'last_pos', 'updated'],
      addedMonths.map((m) => [
        m.scope,
        m.month,
        next,
        m.entries,
        m.first_pos,
        m.last_pos,
        m.updated,
      ]),
    ),
    {
      sql: 'INSERT INTO versions (id, hash, catalog, changed) VALUES (?, ?, ?, ?)',
      params: [next, prepared.catalog.version, JSON.stringify(catalog), JSON.stringify(purge)],
    },
    // The flip: one statement, which also records that this load finished.
    {
      sql: "UPDATE meta SET value = ? WHERE key IN ('current', 'loaded')",
      params: [next],
    },
  ])
  return {
    version: next,
    written: fresh.length,
    deleted: gone.length,
    unchanged: prepared.hashes.length - fresh.length,
    purge,
  }
}

/** The part of D1's API a load needs; the Worker binding and Miniflare's D1 both have it. */
export interface SqlDatabase {
  prepare(sql: string): { bind(...params: Param[]): unknown; all<T>(): Promise<{ results: T[] }> }
  batch(statements: unknown[]): Promise<unknown>
}

/** A D1 database as a load target, in batches (each batch is a transaction). */
export function d1Target(db: SqlDatabase, batchSize = 500): LoadTarget {
  return {
    query: async <T>(s: Statement) =>
      (await (db.prepare(s.sql).bind(...s.params) as ReturnType<SqlDatabase['prepare']>).all<T>())
        .results,
    async run(statements) {
      for (let i = 0; i < statements.length; i += batchSize) {
        await db.batch(
          statements.slice(i, i + batchSize).map((s) => db.prepare(s.sql).bind(...s.params)),
        )
      }
    },
  }
}

/** A statement with its parameters written in as SQL literals, for `wrangler d1 execute`. */
export function inline({ sql, params }: Statement): string {
  let i = 0
  return (
    sql.replace(/\?/g, () => {
      const p = params[i++]
      if (p === null || p === undefined) return 'NULL'
      if (typeof p === 'number') return String(p)
      if (p instanceof Uint8Array)
        return `X'${Array.from(p, (b) => b.toString(16).padStart(2, '0')).join('')}'`
      return `'${p.replaceAll("'", "''")}'`
    }) + ';'
  )
}
