/**
 * @module model
 * What a feed serializer needs to know about a feed, independent of format.
 * Built by the routes from content and filters; consumed by the pure
 * builders in `rss.ts`, `atom.ts` and `json.ts`.
 */
import type { Entry, Site } from '../content/types.ts'

/** An identity image of the site, served at `/images/{name}`. */
export interface FeedImage {
  /** Absolute URL. */
  url: string
  width: number
  height: number
}

export interface Feed {
  title: string
  description: string
  /** The feed's own canonical URL, query included: RSS `atom:link rel="self"`, Atom `link rel="self"`, JSON `feed_url`. */
  selfUrl: string
  /** The HTML page the feed belongs to. */
  homeUrl: string
  /** The base URL of topic pages, used as the category scheme: `{site}/topics/`. */
  topicScheme: string
  /** The base URL of source pages, `{site}/sources/`: JSON Feed `_news` links each source to `{sourceBase}{slug}`. */
  sourceBase: string
  /** The site's identity images; a feed omits the elements of those it lacks. */
  images: { icon?: FeedImage; favicon?: FeedImage; logo?: FeedImage }
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

/**
 * A pure serializer: the same feed always gives the same bytes. Feeds are
 * built as UTF-8 from cached fragments, so a memo miss neither re-serializes
 * nor re-encodes the entries it has seen before.
 */
export type Render = (feed: Feed) => Uint8Array<ArrayBuffer>

const encoder = new TextEncoder()

/** UTF-8 of a fixed string, for separators and tails encoded once per isolate. */
export function utf8(s: string): Uint8Array {
  return encoder.encode(s)
}

/**
 * Memoises a per-entry fragment as UTF-8. Entries are immutable once
 * compiled, so a fragment is built once per entry per isolate and reused by
 * every feed that contains it; the key is the entry object itself. `build`
 * may read only site-wide values from `feed` (its author, topic scheme,
 * source base and topic titles), never the feed's own URL or filters.
 */
export function fragmentCache(build: (entry: Entry, feed: Feed) => string) {
  const cache = new WeakMap<Entry, Uint8Array>()
  return (entry: Entry, feed: Feed): Uint8Array => {
    let fragment = cache.get(entry)
    if (fragment === undefined) cache.set(entry, (fragment = encoder.encode(build(entry, feed))))
    return fragment
  }
}

/** Joins strings (encoded here) and byte chunks into one UTF-8 body. */
export function concat(parts: readonly (string | Uint8Array)[]): Uint8Array<ArrayBuffer> {
  const chunks = parts.map((p) => (typeof p === 'string' ? encoder.encode(p) : p))
  let size = 0
  for (const chunk of chunks) size += chunk.byteLength
  const out = new Uint8Array(size)
  let at = 0
  for (const chunk of chunks) {
    out.set(chunk, at)
    at += chunk.byteLength
  }
  return out
}
