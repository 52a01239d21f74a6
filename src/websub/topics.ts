/**
 * @module websub/topics
 * The topic URLs the hub distributes: every unfiltered subscription feed.
 * Filtered URLs are not topics: their set is unbounded, and each would need
 * its own change detection.
 */
import { scopeBase, type Catalog, type Scope } from '../catalog.ts'
import { feedPath, FORMATS, type Format } from '../http.ts'

/** Absolute canonical URLs of the site feed and each topic and person feed, in every format. */
export function siteFeedUrls(catalog: Catalog): string[] {
  const formats = Object.keys(FORMATS) as Format[]
  const scopes: Scope[] = [
    { kind: 'site' },
    ...catalog.topics.map((topic) => ({ kind: 'topic' as const, topic })),
    ...catalog.people.map((person) => ({ kind: 'person' as const, person })),
  ]
  return scopes.flatMap((scope) => formats.map((f) => catalog.url + feedPath(scopeBase(scope), f)))
}
