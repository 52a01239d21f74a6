/**
 * @module model
 * What a feed serializer needs to know about a feed, independent of format.
 * Built by the routes from content and filters; consumed by the pure
 * builders in `rss.ts`, `atom.ts` and `json.ts`.
 */
import type { Entry, Site } from '../content/types.ts'

export interface Feed {
  title: string
  description: string
  /** The feed's own canonical URL, query included: RSS `atom:link rel="self"`, Atom `link rel="self"`, JSON `feed_url`. */
  selfUrl: string
  /** The HTML page the feed belongs to. */
  homeUrl: string
  /** The base URL of topic pages, used as the category scheme: `{site}/topics/`. */
  topicScheme: string
  language: string
  /** RFC 3339: the newest `updated` among the entries, never the time of the request. */
  updated: string
  author: Site['publisher']
  rights?: string | undefined
  /** Minutes a reader may cache the feed; RSS `<ttl>`, agrees with `Cache-Control: max-age`. */
  ttl: number
  /** Topic slug to title, for category labels. */
  topicTitles: ReadonlyMap<string, string>
  /** Newest first. */
  entries: readonly Entry[]
}

/** A pure serializer: the same feed always gives the same string. */
export type Render = (feed: Feed) => string

/**
 * Memoises a per-entry fragment. Entries are immutable once compiled, so a
 * fragment is built once per entry per isolate and reused by every feed
 * that contains the entry; the key is the entry object itself.
 */
export function fragmentCache(build: (entry: Entry, feed: Feed) => string) {
  const cache = new WeakMap<Entry, string>()
  return (entry: Entry, feed: Feed): string => {
    let fragment = cache.get(entry)
    if (fragment === undefined) cache.set(entry, (fragment = build(entry, feed)))
    return fragment
  }
}
