/**
 * @module discovery
 * Machine-readable lists of the site's feeds: one JSON document per kind of
 * the scope table (`/topics.json`, `/people.json`, `/sources.json`) for
 * programs and `/opml.xml` for feed readers. Every URL
 * is absolute, built from `site.url` (never the request's Host); every date
 * comes from the content (never the time of the request), so every
 * document is deterministic.
 */
import type { Catalog } from '../catalog.ts'
import { rfc822 } from '../feeds/rss.ts'
import { FORMAT_KEYS, FORMATS, type Format } from '../formats.ts'
import { archiveIndexPath, archivePath, pageCount } from '../history.ts'
import { wordsFor } from '../i18n.ts'
import { clean } from '../lib/xml.ts'
import {
  allScopes,
  feedTitle,
  scopeDescription,
  scopeOf,
  statsOf,
  type ScopeKind,
  type ScopeKindRow,
  type Scope,
} from '../scopes.ts'
import { feedUrl } from './directory.ts'

/** `Content-Type` of `/topics.json`, `/people.json` and `/sources.json`. */
export const DISCOVERY_JSON_TYPE = 'application/json; charset=utf-8'

/**
 * `text/x-opml` is the type OPML files are served and registered with in
 * practice (the OPML spec names none): feed readers accept it, and a browser
 * offers to save the file rather than render it as an XML tree.
 */
export const OPML_TYPE = 'text/x-opml; charset=utf-8'

/** What `/topics.json`, `/people.json` and `/sources.json` say of each member besides its own fields. */
export interface ScopeFields {
  /** How many entries it has (its subscription feeds carry the ones no archive page holds, at least 20). */
  entries: number
  /** RFC 3339: the newest entry's `updated`; null when it has no entries. */
  updated: string | null
  /** Its HTML page. */
  page: string
  feeds: Record<Format, string>
  /** RFC 5005 archives of its feeds: full pages of `pageSize` entries, page 1 the oldest. */
  archives: {
    pages: number
    pageSize: number
    /** The HTML index by month. */
    index: string
    /** The newest archive page in each format, where a backfill starts (then follow `prev-archive`); null while the feeds are complete. */
    newest: Record<Format, string> | null
  }
}

/** The counts, page, feeds and archives of a scope. */
function scopeFields(catalog: Catalog, scope: Scope): ScopeFields {
  const base = scope.path
  const { entries, updated } = statsOf(catalog, scope.key)
  const pages = pageCount({ count: entries, size: catalog.archivePageSize })
  const feeds = (at: (format: Format) => string) =>
    Object.fromEntries(FORMAT_KEYS.map((f) => [f, at(f)])) as Record<Format, string>
  return {
    entries,
    updated,
    page: catalog.url + base,
    feeds: feeds((format) => feedUrl(catalog, base, format)),
    archives: {
      pages,
      pageSize: catalog.archivePageSize,
      index: catalog.url + archiveIndexPath(base),
      newest: pages ? feeds((format) => catalog.url + archivePath(base, pages, format)) : null,
    },
  }
}

/**
 * The document of one scope kind, `/{plural}.json`: every member in content
 * order, with its own fields (the row's `fields`: `slug, title,
 * description` for topics, `id, name, role` for people, `slug, label` and
 * what the document gives for sources), then its counts, page, feed and
 * archive URLs. `id` or `slug` is the value of the kind's filter and the
 * path segment of its page and feeds.
 */
function discoveryDocument(
  catalog: Catalog,
  row: ScopeKindRow<ScopeKind>,
): Record<string, Record<string, unknown>[]> {
  const members = row.members(catalog).map((member) => {
    const scope = scopeOf(row.kind, member)
    return { ...row.fields(member), ...scopeFields(catalog, scope) }
  })
  return { [row.plural]: members }
}

export function renderDiscoveryJson(catalog: Catalog, row: ScopeKindRow<ScopeKind>): string {
  return JSON.stringify(discoveryDocument(catalog, row), null, 2) + '\n'
}

/**
 * OPML 2.0 (http://opml.org/spec2.opml) subscription list of every scope's
 * feed (the site, then each kind of the scope table in turn) in each
 * format with an OPML folder (`FORMATS[f].opmlFolder`: RSS and Atom, titled in the interface language). Each
 * format gets its own folder: importing both would subscribe to every feed
 * twice, and a folder per format lets the reader's import dialog (or the
 * user) keep just one.
 */
export function renderOpml(catalog: Catalog): string {
  const meta = catalog.site
  const words = wordsFor(meta.language)
  const date = rfc822(catalog.updated)
  const attrs = (pairs: [string, string | undefined][]) =>
    pairs.flatMap(([k, v]) => (v === undefined ? [] : [` ${k}="${clean(v)}"`])).join('')
  const scopes = allScopes(catalog)
  let out =
    '<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">\n<head>\n' +
    `<title>${clean(words.opmlTitle(meta.title))}</title>\n` +
    `<dateCreated>${date}</dateCreated>\n<dateModified>${date}</dateModified>\n` +
    `<ownerName>${clean(meta.publisher.name)}</ownerName>\n` +
    (meta.publisher.email ? `<ownerEmail>${clean(meta.publisher.email)}</ownerEmail>\n` : '') +
    (meta.publisher.url ? `<ownerId>${clean(meta.publisher.url)}</ownerId>\n` : '') +
    '</head>\n<body>\n'
  for (const format of FORMAT_KEYS) {
    const { opmlFolder: folder, label } = FORMATS[format] as {
      opmlFolder: string | undefined
      label: string
    }
    if (folder === undefined) continue
    // A folder has only `text`: the W3C validator wants a `type` on any outline with more attributes.
    out += `<outline${attrs([['text', words.opmlFolder(folder)]])}>\n`
    for (const s of scopes) {
      const name = `${feedTitle(catalog, s)} (${label})`
      out += `  <outline${attrs([
        ['type', 'rss'],
        ['text', name],
        ['title', name],
        ['description', scopeDescription(s, words)],
        ['language', meta.language],
        ['xmlUrl', feedUrl(catalog, s.path, format)],
        ['htmlUrl', `${catalog.url}${s.path || '/'}`],
      ])}/>\n`
    }
    out += '</outline>\n'
  }
  return out + '</body>\n</opml>\n'
}
