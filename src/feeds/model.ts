/**
 * @module model
 * What the feed serializers need, independent of format. A feed is built in
 * two steps: each entry's item is serialized once, at content-build time
 * ({@link ItemRenderer}), and stored; a request joins the stored items of
 * the entries it selects between a head and a tail ({@link DocumentRenderer}).
 */
import type { Entry, Site } from '../content/types.ts'
import type { Tombstone } from '../tombstones.ts'

/** Site-wide values an item may read; never a feed's own URL or filters, so one item serves every feed. */
export interface ItemContext {
  /** The publisher's name: RSS `dc:creator`. */
  authorName: string
  /** The base URL of topic pages, used as the category scheme: `{site}/topics/`. */
  topicScheme: string
  /** Topic slug to title, for category labels. */
  topicTitles: ReadonlyMap<string, string>
  /** The base URL of source pages, `{site}/sources/`: JSON Feed `_news` links each source to `{sourceBase}{slug}`. */
  sourceBase: string
}

/** An identity image of the site, served at `/images/{name}`. */
export interface FeedImage {
  /** Absolute URL. */
  url: string
  width: number
  height: number
}

/** Everything about one feed document except its items. */
export interface FeedHead {
  title: string
  description: string
  /** The feed's own canonical URL, query included: RSS `atom:link rel="self"`, Atom `id` and `link rel="self"`, JSON `feed_url`. */
  selfUrl: string
  /**
   * The WebSub hub this feed is distributed by (WebSub section 4): RSS and
   * Atom `link rel="hub"`, JSON Feed `hubs`. Absent when the feed has none.
   */
  hub?: string | undefined
  /** The HTML page the feed belongs to. */
  homeUrl: string
  language: string
  /** RFC 3339: the newest `updated` among the entries, never the time of the request. */
  updated: string
  author: Site['publisher']
  rights?: string | undefined
  /** The site's identity images; a feed omits the elements of those it lacks. */
  images: {
    icon?: FeedImage | undefined
    favicon?: FeedImage | undefined
    logo?: FeedImage | undefined
  }
  /** Minutes a reader may cache the feed; RSS `<ttl>`, agrees with `Cache-Control: max-age`. */
  ttl: number
  /** Archived and complete feeds (RFC 5005); absent on filtered feeds, which leaves the output as it was. */
  history?: FeedHistory | undefined
  /**
   * Entries this feed held that were withdrawn or deleted, newest first: on
   * subscription documents only. Atom writes RFC 6721 `at:deleted-entry`,
   * JSON Feed `_news.deleted`; RSS has no standard form and omits them.
   */
  deleted?: readonly Tombstone[] | undefined
}

/** The namespace of RFC 6721's `at:deleted-entry` (section 2). */
export const TOMBSTONES_NS = 'http://purl.org/atompub/tombstones/1.0'

/** The namespace of RFC 5005's `fh:complete` and `fh:archive` (section 5). */
export const FH_NS = 'http://purl.org/syndication/history/1.0'

/**
 * Where a document stands in its feed's history (RFC 5005). URLs are
 * absolute. JSON Feed has no link relations: its `next_url` (older items)
 * is `prevArchive`.
 */
export interface FeedHistory {
  /** Section 2: the document holds every entry of the feed (`fh:complete`); it then has no archive links. */
  complete?: boolean
  /** Section 4: the document is an archive document (`fh:archive`). */
  archive?: boolean
  /** Section 4: the subscription document (`current`), on archive documents. */
  current?: string | undefined
  /** Section 4: the next older archive document (`prev-archive`). */
  prevArchive?: string | undefined
  /** Section 4: the next newer archive document (`next-archive`). */
  nextArchive?: string | undefined
}

/** The link relations of `history` that are present, in a fixed order, as `[rel, href]`. */
export function historyLinks(history: FeedHistory | undefined): [string, string][] {
  if (!history) return []
  const links: [string, string | undefined][] = [
    ['current', history.current],
    ['prev-archive', history.prevArchive],
    ['next-archive', history.nextArchive],
  ]
  return links.filter((l): l is [string, string] => l[1] !== undefined)
}

/** The `fh:` marker element of `history`, if any: `fh:complete` or `fh:archive` (RFC 5005 sections 2 and 4). */
export function historyMarker(history: FeedHistory | undefined): string {
  return history?.complete ? '<fh:complete/>' : history?.archive ? '<fh:archive/>' : ''
}

/** Serializes one entry as a feed item: pure, run once per entry at build time. */
export type ItemRenderer = (entry: Entry, context: ItemContext) => string

/** Joins stored items (newest first) into one feed document, as UTF-8. Pure: the same input gives the same bytes. */
export type DocumentRenderer = (head: FeedHead, items: readonly string[]) => Uint8Array<ArrayBuffer>

/** A feed format's two halves. */
export interface Serializer {
  item: ItemRenderer
  document: DocumentRenderer
}

/**
 * What makes an XML feed read as a page when a browser opens it (see
 * docs/feeds-in-browsers.md): a CSS stylesheet (XML Stylesheet PI, W3C
 * Recommendation "Associating Style Sheets with XML documents 1.0") that
 * needs no XSLT, and one same-origin script in the XHTML namespace, which a
 * browser runs and feed readers skip as foreign markup (RSS 2.0 allows
 * namespaced elements in `<channel>`; RFC 4287 section 6.4 allows them in
 * `<feed>`). The script only adds links and a copy button to the preview.
 */
export const PREVIEW = { stylesheet: '/feed.css', script: '/feed.js' } as const

/** The stylesheet processing instruction; it goes after the XML declaration, before the root element. */
export const previewStylesheet = `<?xml-stylesheet type="text/css" href="${PREVIEW.stylesheet}"?>\n`

/**
 * The preview script element, placed among the feed's metadata (before the
 * first item or entry), inside an XHTML `<div>`: the W3C Feed Validation
 * Service accepts an XHTML `div` (and reads nothing inside it) among a
 * channel's or feed's extension elements, and warns "Misplaced XHTML content"
 * about any other XHTML element there. The stylesheet hides the `div`; the
 * browser runs the script all the same.
 */
export const previewScript = `<div xmlns="http://www.w3.org/1999/xhtml"><script src="${PREVIEW.script}" defer="defer"></script></div>`

const encoder = new TextEncoder()

/** UTF-8 of a whole document. (TextEncoder always returns a fresh ArrayBuffer; the Workers types say only ArrayBufferLike.) */
export function utf8(s: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(s) as Uint8Array<ArrayBuffer>
}
