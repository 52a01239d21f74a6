/**
 * @module store/tombstones
 * The store's memory of deleted entries (`migrations/0005_newsroom.sql`):
 * the second source of {@link Tombstone} records, beside withdrawals.
 *
 * A content build calls {@link recordDeletions} before it loads new rows:
 * for each stored entry the new content no longer has, it copies the
 * entry's id, URL and feed scopes (from `memberships`) into `tombstones`,
 * dated with the new content's time. After the load,
 * {@link tombstonesQuery} reads back those still within the tombstone
 * period (skipping any entry that is live again), and
 * {@link tombstoneOfRow} makes records the catalog merges with the
 * withdrawals (`mergeTombstones`).
 */
import { contentTime, type Tombstone } from '../tombstones.ts'
import type { LoadTarget, Statement } from './load.ts'
import type { Prepared } from './rows.ts'

/** A row of `tombstones`. */
export interface TombstoneRow {
  id: string
  atom_id: string
  url: string
  at: string
  scopes: string
}

/**
 * Statements that remember `deleted` stored entries (by `ts`): one
 * `INSERT … SELECT` each, reading the scopes from the rows about to be
 * deleted, so they must run before the load's deletes.
 */
export function deletionStatements(deleted: readonly { ts: number; id: string }[], siteUrl: string, when: string): Statement[] {
  return deleted.map(({ ts, id }) => ({
    sql:
      'INSERT OR REPLACE INTO tombstones (id, atom_id, url, at, scopes) ' +
      "SELECT e.id, ?, ?, ?, coalesce((SELECT group_concat(m.scope, ',') FROM memberships AS m WHERE m.ts = e.ts AND m.scope NOT LIKE 'speaker:%'), 'site') " +
      'FROM entries AS e WHERE e.ts = ?',
    params: [`${siteUrl}/entries/${id}`, `${siteUrl}/entries/${id}`, when, ts],
  }))
}

/** Records the stored entries that `prepared` no longer holds; call it just before `loadRows(target, prepared)`. Returns how many. */
export async function recordDeletions(target: LoadTarget, prepared: Prepared): Promise<number> {
  const wanted = new Set(prepared.hashes.map((h) => h.id))
  const deleted = (await target.stored()).filter((s) => !wanted.has(s.id))
  if (deleted.length === 0) return 0
  const { catalog } = prepared
  const when = contentTime(catalog.scopes.site?.updated ?? '1970-01-01T00:00:00Z', catalog.tombstones)
  await target.run(deletionStatements(deleted, catalog.site.url, when))
  return deleted.length
}

/** The tombstones dated at or after `since` (RFC 3339) whose entry is not live again, newest first. */
export function tombstonesQuery(since: string): Statement {
  return {
    sql: 'SELECT t.id, t.atom_id, t.url, t.at, t.scopes FROM tombstones AS t WHERE t.at >= ? AND NOT EXISTS (SELECT 1 FROM entries AS e WHERE e.id = t.id) ORDER BY t.at DESC, t.id',
    params: [since],
  }
}

/** A stored tombstone as a record. */
export function tombstoneOfRow(row: TombstoneRow): Tombstone {
  return { id: row.id, atomId: row.atom_id, url: row.url, when: row.at, scopes: row.scopes.split(',').sort() }
}
