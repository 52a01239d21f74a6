/**
 * @module discovery
 * Machine-readable lists of the site's feeds: `/topics.json` and
 * `/people.json` for programs and `/opml.xml` for feed readers. Every URL
 * is absolute, built from `site.url` (never the request's Host); every date
 * comes from the content (never the time of the request), so every
 * document is deterministic.
 */
import { feedTitle, type Catalog } from '../catalog.ts'
import { rfc822 } from '../feeds/rss.ts'
import { archiveIndexPath, archivePath, pageCount } from '../history.ts'
import type { Format } from '../http.ts'
import { clean } from '../lib/xml.ts'
import { feedUrl } from './directory.ts'

export const TOPICS_JSON_TYPE = 'application/json; charset=utf-8'
export const PEOPLE_JSON_TYPE = TOPICS_JSON_TYPE

/**
 * `text/x-opml` is the type OPML files are served and registered with in
 * practice (the OPML spec names none): feed readers accept it, and a browser
 * offers to save the file rather than render it as an XML tree.
 */
export const OPML_TYPE = 'text/x-opml; charset=utf-8'

/** What `/topics.json` and `/people.json` say of each topic or person besides its names. */
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

export interface TopicsDocument {
  topics: ({ slug: string; title: string; description: string } & ScopeFields)[]
}

export interface PeopleDocument {
  /** `id` is the value of the `person` filter and the path segment of the person's page and feeds; `role` who the person is, as the source documents describe them. */
  people: ({ id: string; name: string; role: string } & ScopeFields)[]
}

/** The counts, page, feeds and archives of the scope `key` (`topic:{slug}`, `person:{id}`) whose pages live under `base`. */
function scopeFields(catalog: Catalog, key: string, base: string): ScopeFields {
  const stats = catalog.scopes[key]
  const entries = stats?.entries ?? 0
  const pages = pageCount({ count: entries, size: catalog.archivePageSize })
  const feeds = (at: (format: Format) => string) => ({ rss: at('rss'), atom: at('atom'), json: at('json') })
  return {
    entries,
    updated: stats?.updated ?? null,
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

export function topicsDocument(catalog: Catalog): TopicsDocument {
  return {
    topics: catalog.topics.map((t) => ({ slug: t.slug, title: t.title, description: t.description, ...scopeFields(catalog, `topic:${t.slug}`, `/topics/${t.slug}`) })),
  }
}

export function renderTopicsJson(catalog: Catalog): string {
  return JSON.stringify(topicsDocument(catalog), null, 2) + '\n'
}

/** `/people.json`: every person, in content order, with counts, page, feed and archive URLs. */
export function peopleDocument(catalog: Catalog): PeopleDocument {
  return {
    people: catalog.people.map((p) => ({ id: p.id, name: p.name, role: p.role, ...scopeFields(catalog, `person:${p.id}`, `/people/${p.id}`) })),
  }
}

export function renderPeopleJson(catalog: Catalog): string {
  return JSON.stringify(peopleDocument(catalog), null, 2) + '\n'
}

/**
 * The formats OPML lists. OPML 2.0 knows one kind of subscription,
 * `type="rss"`, which readers take to mean an RSS or Atom feed; a JSON Feed
 * behind it would fail in every reader that does not speak JSON Feed, so
 * JSON Feeds are left out (they are in the pages' autodiscovery links and in
 * `/topics.json`). RSS and Atom each get their own folder: importing both
 * would subscribe to every feed twice, and a folder per format lets the
 * reader's import dialog (or the user) keep just one.
 */
const OPML_FORMATS: { format: Format; folder: string; label: string }[] = [
  { format: 'rss', folder: 'RSS 2.0 feeds', label: 'RSS' },
  { format: 'atom', folder: 'Atom 1.0 feeds', label: 'Atom' },
]

/**
 * OPML 2.0 (http://opml.org/spec2.opml) subscription list of the site feed,
 * every topic feed and every person feed, in that order within each format's
 * folder.
 */
export function renderOpml(catalog: Catalog): string {
  const meta = catalog.site
  const date = rfc822(catalog.updated)
  const attrs = (pairs: [string, string | undefined][]) =>
    pairs.flatMap(([k, v]) => (v === undefined ? [] : [` ${k}="${clean(v)}"`])).join('')
  const scopes = [
    { base: '', title: feedTitle(catalog, { kind: 'site' }), description: meta.description, html: `${catalog.url}/` },
    ...catalog.topics.map((topic) => ({ base: `/topics/${topic.slug}`, title: feedTitle(catalog, { kind: 'topic', topic }), description: topic.description, html: `${catalog.url}/topics/${topic.slug}` })),
    ...catalog.people.map((person) => ({ base: `/people/${person.id}`, title: feedTitle(catalog, { kind: 'person', person }), description: person.role, html: `${catalog.url}/people/${person.id}` })),
  ]
  let out =
    '<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">\n<head>\n' +
    `<title>${clean(`${meta.title}: all feeds`)}</title>\n` +
    `<dateCreated>${date}</dateCreated>\n<dateModified>${date}</dateModified>\n` +
    `<ownerName>${clean(meta.publisher.name)}</ownerName>\n` +
    (meta.publisher.email ? `<ownerEmail>${clean(meta.publisher.email)}</ownerEmail>\n` : '') +
    (meta.publisher.url ? `<ownerId>${clean(meta.publisher.url)}</ownerId>\n` : '') +
    '<docs>http://opml.org/spec2.opml</docs>\n</head>\n<body>\n'
  for (const { format, folder, label } of OPML_FORMATS) {
    out += `<outline${attrs([['text', folder], ['title', folder]])}>\n`
    for (const s of scopes) {
      const name = `${s.title} (${label})`
      out +=
        `  <outline${attrs([
          ['type', 'rss'],
          ['text', name],
          ['title', name],
          ['description', s.description],
          ['language', meta.language],
          ['xmlUrl', feedUrl(catalog, s.base, format)],
          ['htmlUrl', s.html],
        ])}/>\n`
    }
    out += '</outline>\n'
  }
  return out + '</body>\n</opml>\n'
}
