/**
 * @module queries
 * The SQL of every read, built from a scope and the URL's filters. Each is
 * one statement over the store's indexes whose cost follows the number of
 * entries asked for, not the size of the archive (their plans are checked
 * with `EXPLAIN QUERY PLAN` in the tests):
 *
 * - A feed walks one scope's memberships newest first, through the primary
 *   key `(scope, ts)`, and stops at `limit`. The scope walked is the
 *   smallest of the sets the filters require (the page's own scope, or
 *   the union of the `topic` or `person` list), one branch per member of a
 *   union, each cut at `limit`; every other condition is a lookup of the
 *   same key.
 * - With keywords (`q`), the full-text index drives instead: FTS5 yields
 *   the matching entries newest first (`ORDER BY rowid DESC`, rowid = ts,
 *   with `since`/`until` as rowid bounds), and the scope and every list
 *   filter are lookups of the memberships key for each match.
 * - An archive page is a range of positions in `(scope, pos)`.
 *
 * Every table holds rows of several content versions; each query reads
 * those of one, {@link VERSION}, which the store sets to the version its
 * catalog belongs to.
 */
import { filterScopes, type Filters } from '../filters.ts'
import type { Format } from '../formats.ts'
import { ftsMatch } from '../keywords.ts'
import { KEY_SPAN, type Statement } from './load.ts'

/**
 * The version each query reads, as SQL: the current one as written (so a
 * statement run as it is reads the current version), which the store
 * replaces with the version its catalog belongs to ({@link atVersion}).
 */
export const VERSION = "(SELECT value FROM meta WHERE key = 'current')"

/** Rows of table alias `t` that belong to the version read. */
const visible = (t: string) => `${t}.since <= ${VERSION} AND ${t}.until > ${VERSION}`

/** The row of entry `m.ts` (an SQL expression) in the version read: a range of the primary key. */
const entryAt = (ts: string) =>
  `e.key BETWEEN ${ts} * ${KEY_SPAN} AND ${ts} * ${KEY_SPAN} + ${KEY_SPAN - 1} AND ${visible('e')}`

/** The column holding what `column` names: an entry's card, or one format's item. */
function itemOf(column: Format | 'card'): { select: string; join: string } {
  if (column === 'card') return { select: 'e.card', join: '' }
  if (!/^[a-z]+$/.test(column)) throw new Error(`not a format name: ${column}`)
  return {
    select: 'i.body',
    join: ` JOIN items AS i ON i.entry = e.key AND i.format = '${column}'`,
  }
}

/**
 * `statement` reading the version whose content hash is `hash`: each
 * {@link VERSION} becomes a lookup of that version's id (the hash is hex,
 * so it is written in as a literal rather than shifting the bound
 * parameters).
 */
export function atVersion(statement: Statement, hash: string): Statement {
  if (!/^[0-9a-f]+$/.test(hash)) throw new Error(`not a content version: ${hash}`)
  return {
    sql: statement.sql.replaceAll(VERSION, `(SELECT max(id) FROM versions WHERE hash = '${hash}')`),
    params: statement.params,
  }
}

/** The columns a feed reads of each entry. */
export interface ItemRow {
  ts: number
  updated: string
  topics: string
  item: string
}

/** Entries per scope, from the catalog: picks the cheapest scope to walk. */
export type Sizes = (scope: string) => number

const DAY = 86_400

/** Unix seconds at the start of a `YYYY-MM-DD` day (UTC). */
function dayStart(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) / 1000
}

/** `?, ?, ?` for a list. */
const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ')

/** The scopes each kept list filter names, in the store's spelling, after the page's own scope (the site needs no check). */
function required(scope: string, filters: Filters): string[][] {
  return [...(scope !== 'site' ? [[scope]] : []), ...filterScopes(filters).required]
}

/**
 * The newest `limit` entries of `scope` that match `filters`, with each
 * entry's item in `format`, newest first.
 */
export function feedQuery(
  scope: string,
  filters: Filters,
  format: Format | 'card',
  sizes: Sizes,
  limit = filters.limit,
): Statement {
  const { sql, params } = selection(scope, filters, sizes, limit)
  const item = itemOf(format)
  return {
    sql: `SELECT e.ts, e.updated, e.topics, ${item.select} AS item FROM (${sql}) AS picked JOIN entries AS e ON ${entryAt('picked.ts')}${item.join} ORDER BY e.ts DESC`,
    params,
  }
}

/** How many entries of `scope` match `filters`, counting at most `cap`. */
export function countQuery(scope: string, filters: Filters, sizes: Sizes, cap: number): Statement {
  const { sql, params } = selection(scope, filters, sizes, cap)
  return { sql: `SELECT count(*) AS n FROM (${sql})`, params }
}

/** The `ts` of the newest `limit` matching entries. */
function selection(scope: string, filters: Filters, sizes: Sizes, limit: number): Statement {
  if (filters.q?.length) return textSelection(scope, filters, limit)
  const sets = required(scope, filters)
  const size = (set: string[]) => set.reduce((n, s) => n + sizes(s), 0)
  // Walk the smallest required set; with none, the whole site.
  const walk = sets.length ? sets.reduce((a, b) => (size(b) < size(a) ? b : a)) : ['site']
  const checks = sets.filter((s) => s !== walk)

  const where: string[] = [visible('m')]
  const params: (string | number)[] = []
  if (filters.since) (where.push('m.ts >= ?'), params.push(dayStart(filters.since)))
  if (filters.until) (where.push('m.ts < ?'), params.push(dayStart(filters.until) + DAY))
  for (const set of checks) {
    where.push(
      `EXISTS (SELECT 1 FROM memberships AS x WHERE x.scope IN (${marks(set.length)}) AND x.ts = m.ts AND ${visible('x')})`,
    )
    params.push(...set)
  }
  const excluded = filterScopes(filters).excluded
  if (excluded.length) {
    where.push(
      `NOT EXISTS (SELECT 1 FROM memberships AS x WHERE x.scope IN (${marks(excluded.length)}) AND x.ts = m.ts AND ${visible('x')})`,
    )
    params.push(...excluded)
  }
  const branch = (s: string): Statement => ({
    sql: `SELECT m.ts FROM memberships AS m WHERE m.scope = ?${where.map((w) => ` AND ${w}`).join('')} ORDER BY m.ts DESC LIMIT ?`,
    params: [s, ...params, limit],
  })
  if (walk.length === 1) return branch(walk[0]!)
  const branches = walk.map(branch)
  return {
    sql: `SELECT ts FROM (${branches.map((b) => `SELECT ts FROM (${b.sql})`).join(' UNION ')}) ORDER BY ts DESC LIMIT ?`,
    params: [...branches.flatMap((b) => b.params), limit],
  }
}

/** Membership lookups for `ts` (an SQL expression): in any scope of each set, in none of the excluded scopes. */
function lookups(ts: string, sets: string[][], excluded: string[]): Statement {
  const where: string[] = []
  const params: string[] = []
  for (const set of sets) {
    where.push(
      `EXISTS (SELECT 1 FROM memberships AS x WHERE x.scope IN (${marks(set.length)}) AND x.ts = ${ts} AND ${visible('x')})`,
    )
    params.push(...set)
  }
  if (excluded.length) {
    where.push(
      `NOT EXISTS (SELECT 1 FROM memberships AS x WHERE x.scope IN (${marks(excluded.length)}) AND x.ts = ${ts} AND ${visible('x')})`,
    )
    params.push(...excluded)
  }
  return { sql: where.map((w) => ` AND ${w}`).join(''), params }
}

/** {@link selection} with keywords: the full-text matches newest first, each checked against the other filters. */
function textSelection(scope: string, filters: Filters, limit: number): Statement {
  // rowid = entries.key = ts * KEY_SPAN + …: ordered as the entries' times, and ts = rowid >> 20.
  let sql = `SELECT rowid >> ${Math.log2(KEY_SPAN)} AS ts FROM entry_text WHERE entry_text MATCH ? AND EXISTS (SELECT 1 FROM entries AS e WHERE e.key = entry_text.rowid AND ${visible('e')})`
  const params: (string | number)[] = [ftsMatch(filters.q!)]
  if (filters.since) ((sql += ' AND rowid >= ?'), params.push(dayStart(filters.since) * KEY_SPAN))
  if (filters.until)
    ((sql += ' AND rowid < ?'), params.push((dayStart(filters.until) + DAY) * KEY_SPAN))
  const checks = lookups(
    `(entry_text.rowid >> ${Math.log2(KEY_SPAN)})`,
    required(scope, filters),
    filterScopes(filters).excluded,
  )
  return {
    sql: `${sql}${checks.sql} ORDER BY rowid DESC LIMIT ?`,
    params: [...params, ...checks.params, limit],
  }
}

/** Entries `first` to `last` (positions from the oldest, inclusive) of `scope`, newest first. */
export function rangeQuery(
  scope: string,
  first: number,
  last: number,
  column: Format | 'card',
): Statement {
  const item = itemOf(column)
  return {
    sql: `SELECT e.ts, e.updated, e.topics, ${item.select} AS item FROM memberships AS m JOIN entries AS e ON ${entryAt('m.ts')}${item.join} WHERE m.scope = ? AND m.pos BETWEEN ? AND ? AND ${visible('m')} ORDER BY m.pos DESC`,
    params: [scope, first, last],
  }
}

/** The newest `limit` entries of `scope` as list cards. */
export function cardsQuery(scope: string, limit: number): Statement {
  return {
    sql: `SELECT e.ts, e.updated, e.topics, e.card AS item FROM memberships AS m JOIN entries AS e ON ${entryAt('m.ts')} WHERE m.scope = ? AND ${visible('m')} ORDER BY m.ts DESC LIMIT ?`,
    params: [scope, limit],
  }
}

/** The newest `limit` entries of `scope` with their whole compiled data (`doc`). */
export function docsQuery(scope: string, limit: number): Statement {
  return {
    sql: `SELECT e.ts, e.updated, e.topics, e.doc AS item FROM memberships AS m JOIN entries AS e ON ${entryAt('m.ts')} WHERE m.scope = ? AND ${visible('m')} ORDER BY m.ts DESC LIMIT ?`,
    params: [scope, limit],
  }
}

/** One entry's whole compiled data, by id. */
export function entryQuery(id: string): Statement {
  return {
    sql: `SELECT e.doc, e.updated FROM entries AS e WHERE e.id = ? AND ${visible('e')}`,
    params: [id],
  }
}

/**
 * Every scope's months, for the sitemap: scope by scope, newest first. The
 * rows still open at the version read are a range of `months_by_until`; the
 * planner, which would walk the whole table in key order to skip the sort,
 * is told so.
 */
export function allMonthsQuery(): Statement {
  return {
    sql: `SELECT o.scope, o.month, o.entries, o.first_pos, o.last_pos, o.updated FROM months AS o INDEXED BY months_by_until WHERE ${visible('o')} ORDER BY o.scope, o.month DESC`,
    params: [],
  }
}

/** A scope's months, newest first. */
export function monthsQuery(scope: string): Statement {
  return {
    sql: `SELECT o.month, o.entries, o.first_pos, o.last_pos FROM months AS o WHERE o.scope = ? AND ${visible('o')} ORDER BY o.month DESC`,
    params: [scope],
  }
}
