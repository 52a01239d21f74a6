/**
 * @module websub/topics
 * The topic URLs the hub distributes: every unfiltered subscription feed,
 * that is each scope of the scope table in each format. Filtered URLs are
 * not topics: their set is unbounded, and each would need its own change
 * detection.
 */
import type { Catalog } from '../catalog.ts'
import { feedPath, FORMAT_KEYS } from '../formats.ts'
import { allScopes } from '../scopes.ts'

/** Absolute canonical URLs of every scope's feed (site, topics, people, sources), in every format. */
export function siteFeedUrls(catalog: Catalog): string[] {
  return scopeFeedUrls(catalog).map(({ url }) => url)
}

/** Every scope's feed URLs with the scope's store key, so that a publish can notify the feeds of the scopes it changed. */
export function scopeFeedUrls(catalog: Catalog): { url: string; key: string }[] {
  return allScopes(catalog).flatMap((scope) =>
    FORMAT_KEYS.map((f) => ({ url: catalog.url + feedPath(scope.path, f), key: scope.key })),
  )
}
