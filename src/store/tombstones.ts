/**
 * @module store/tombstones
 * Tombstones of deleted entries (their file removed from content/), the
 * second source of {@link Tombstone} records beside withdrawals. A load
 * that ends an entry the new content no longer has adds its record to the
 * new version's catalog: its id and URL, the scopes whose feeds held it
 * (from the memberships the load ends), dated with the new content's time
 * ({@link contentTime}), never the clock. Later loads carry the record
 * forward from the version before, until it is older than the site's
 * tombstone period or the entry comes back; so every version's catalog
 * holds its own tombstones, and a document never mixes two versions'.
 */
import type { CatalogData } from '../catalog.ts'
import { speakerKey } from '../scopes.ts'
import {
  contentTime,
  DEFAULT_TOMBSTONE_DAYS,
  mergeTombstones,
  type Tombstone,
} from '../tombstones.ts'

const DAY_MS = 86_400_000

/** An entry a load ends: its id and the store keys of the scopes that held it. */
export interface Deletion {
  id: string
  scopes: readonly string[]
}

/**
 * `next` with the tombstones of `deleted` entries and those carried from
 * `previous` (the current version's catalog), less any entry in `live`
 * (the entries `next` serves) and any older than the tombstone period.
 * Withdrawals (already in `next`) come first: an entry's own note says
 * more than the store's memory of a deletion.
 */
export function withDeletions(
  next: CatalogData,
  previous: CatalogData | undefined,
  deleted: readonly Deletion[],
  live: ReadonlySet<string>,
): CatalogData {
  const updated = next.scopes.site?.updated ?? '1970-01-01T00:00:00Z'
  const when = contentTime(updated, next.tombstones)
  const speaker = speakerKey('')
  const fresh: Tombstone[] = deleted.map(({ id, scopes }) => {
    const url = `${next.site.url}/entries/${id}`
    return {
      id,
      atomId: url,
      url,
      when,
      scopes: scopes.filter((s) => !s.startsWith(speaker)).sort(),
    }
  })
  const all = mergeTombstones([next.tombstones, fresh, previous?.tombstones ?? []], live)
  const since =
    Date.parse(contentTime(updated, all)) -
    (next.site.tombstoneDays ?? DEFAULT_TOMBSTONE_DAYS) * DAY_MS
  return { ...next, tombstones: all.filter((t) => Date.parse(t.when) >= since) }
}
