/**
 * @module tombstones
 * Entries that readers' feeds once held and no longer do: withdrawn (kept in
 * `content/` with a `withdrawn` note) or deleted (their file removed; the
 * store remembers them, see `src/store/tombstones.ts`). Each becomes a
 * {@link Tombstone} record, whatever its source; the feeds render the
 * records (Atom: RFC 6721 `at:deleted-entry`; JSON Feed: `_news.deleted`;
 * RSS has no standard form and just drops the entry) and the entry's page
 * answers 410 Gone.
 *
 * How long a tombstone stays is counted in content time, never by the
 * clock: a tombstone is shown while the newest date in the content (the
 * newest `updated` of any entry, or the newest tombstone) is at most
 * `site.tombstoneDays` days after it, so the same content always renders
 * the same bytes.
 */
import type { Content } from './content/types.ts'
import { entryScopeKeys } from './scopes.ts'

/** One entry that left the feeds. */
export interface Tombstone {
  /** The entry id (its slug). */
  id: string
  /** The id feeds gave the entry: Atom `id` and JSON Feed item `id` (the entry's URL). */
  atomId: string
  /** The entry's page, which now answers 410. */
  url: string
  /** RFC 3339 UTC: when it was withdrawn or deleted. */
  when: string
  /** Who withdrew it: Atom `at:by`. */
  by?: string
  /** Why, for readers: Atom `at:comment`, the 410 page. */
  comment?: string
  /** The store keys of the scopes whose feeds held it: `site`, `topic:{slug}`, `person:{id}`, `source:{slug}`. */
  scopes: string[]
}

/** Days a tombstone stays when `site.tombstoneDays` is not set. */
export const DEFAULT_TOMBSTONE_DAYS = 30

const DAY_MS = 86_400_000

/** The tombstones of the withdrawn entries: one source of records. */
export function withdrawalTombstones(withdrawn: Content['withdrawn']): Tombstone[] {
  return withdrawn.map(({ entry, withdrawal }) => ({
    id: entry.id,
    atomId: entry.url,
    url: entry.url,
    when: withdrawal.at,
    ...(withdrawal.by && { by: withdrawal.by }),
    ...(withdrawal.reason && { comment: withdrawal.reason }),
    scopes: entryScopeKeys(entry),
  }))
}

/** Newest first, then by id: the order every output lists tombstones in. */
function newestFirst(a: Tombstone, b: Tombstone): number {
  return a.when < b.when ? 1 : a.when > b.when ? -1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

/**
 * Records of several sources as one list, newest first. An id in more than
 * one list keeps its first record (list the withdrawals first: a withdrawn
 * entry's own note says more than the store's memory of a deletion), and an
 * id in `live` (entries the content serves again) has no tombstone.
 */
export function mergeTombstones(
  lists: readonly (readonly Tombstone[])[],
  live: ReadonlySet<string> = new Set(),
): Tombstone[] {
  const byId = new Map<string, Tombstone>()
  for (const list of lists)
    for (const t of list) if (!byId.has(t.id) && !live.has(t.id)) byId.set(t.id, t)
  return [...byId.values()].sort(newestFirst)
}

/** The newest date of the content: the newest entry `updated` or tombstone, whichever is later. */
export function contentTime(updated: string, tombstones: readonly Tombstone[]): string {
  return tombstones.reduce((max, t) => (t.when > max ? t.when : max), updated)
}

/**
 * The tombstones a scope's subscription documents carry: those of `scope`
 * at most `days` days older than `now` (a {@link contentTime}), newest first.
 */
export function tombstonesOf(
  tombstones: readonly Tombstone[],
  scope: string,
  now: string,
  days: number,
): Tombstone[] {
  const since = Date.parse(now) - days * DAY_MS
  return tombstones.filter((t) => t.scopes.includes(scope) && Date.parse(t.when) >= since)
}
