/**
 * @module formats
 * The format table: one row per feed format with everything that varies by
 * format. The file name in URLs, the media type, the label pages and OPML
 * show, the serializer (its item half runs at build time and is stored
 * under the format's key; its document half joins stored items per
 * request), and the name of its OPML folder (OPML subscribes only to RSS
 * and Atom; the folder's words come from src/i18n.ts).
 * Routes, pages, discovery documents, WebSub topics and the store derive
 * their lists of formats from it.
 */
import { atom } from './feeds/atom.ts'
import { json } from './feeds/json.ts'
import type { Serializer } from './feeds/model.ts'
import { rss } from './feeds/rss.ts'
import { NotFound } from './errors.ts'

/** One row of the format table. */
interface FormatRow {
  /** The file name of its documents in URLs: `/rss.xml`, `/topics/{slug}/rss.xml`. */
  file: string
  /** The media type, as in `<link type>` and `Accept`. */
  media: string
  /** `Content-Type` of its documents: the media type with its charset. */
  type: string
  /** What pages call it. */
  label: string
  serializer: Serializer
  /**
   * The format's name in the title of the OPML folder its feeds are listed
   * in (`RSS 2.0` → "RSS 2.0 feeds"), or undefined to leave them out:
   * OPML 2.0 knows one kind of subscription, `type="rss"`, which readers take
   * to mean an RSS or Atom feed, so a JSON Feed behind it would fail in every
   * reader that does not speak JSON Feed.
   */
  opmlFolder: string | undefined
}

/** The formats, by key: the key is also the store's name for a format's items (`format:{key}` in Cache-Tags). */
export const FORMATS = {
  rss: {
    file: 'rss.xml',
    media: 'application/rss+xml',
    type: 'application/xml; charset=utf-8',
    label: 'RSS',
    serializer: rss,
    opmlFolder: 'RSS 2.0',
  },
  atom: {
    file: 'atom.xml',
    media: 'application/atom+xml',
    type: 'application/xml; charset=utf-8',
    label: 'Atom',
    serializer: atom,
    opmlFolder: 'Atom 1.0',
  },
  json: {
    file: 'feed.json',
    media: 'application/feed+json',
    type: 'application/feed+json; charset=utf-8',
    label: 'JSON Feed',
    serializer: json,
    opmlFolder: undefined,
  },
} as const satisfies Record<string, FormatRow>

export type Format = keyof typeof FORMATS

/** Every format key, in table order. */
export const FORMAT_KEYS = Object.keys(FORMATS) as Format[]

/** Format by file name: `rss.xml` → `rss`. */
const FORMAT_BY_FILE: ReadonlyMap<string, Format> = new Map(
  FORMAT_KEYS.map((f) => [FORMATS[f].file, f]),
)

/**
 * A Hono route parameter pattern for a feed file name: any name with one of
 * the formats' extensions, so that an unknown one reaches
 * {@link formatNamed} and its 404, while a path segment such as `archive`
 * never does.
 */
export const FEED_FILE_PATTERN = `[^/]+\\.(?:${[...new Set(FORMAT_KEYS.map((f) => FORMATS[f].file.split('.').pop()))].join('|')})`

/** The format of a file name; an unknown one is a 404 listing the valid names of `what` (`feed`, `archive feed`). */
export function formatNamed(file: string, what = 'feed'): Format {
  const format = FORMAT_BY_FILE.get(file)
  if (!format)
    throw new NotFound(
      `No such ${what}. ${what[0]!.toUpperCase()}${what.slice(1)}s are ${[...FORMAT_BY_FILE.keys()].join(', ')}.`,
    )
  return format
}

/** Root-relative path of a feed; `base` is its scope's path: `''` → `/rss.xml`, `/topics/{slug}` → `/topics/{slug}/atom.xml`. */
export function feedPath(base: string, format: Format): string {
  return `${base}/${FORMATS[format].file}`
}
