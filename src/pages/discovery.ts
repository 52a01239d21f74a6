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

export interface TopicsDocument {
  topics: {
    slug: string
    title: string
    description: string
    /** How many entries the topic has (its feeds carry the newest 20 of them). */
    entries: number
    /** RFC 3339: the newest entry's `updated`; null for a topic with no entries. */
    updated: string | null
    /** The topic's HTML page. */
    page: string
    feeds: Record<Format, string>
    /** RFC 5005 archives of the topic's feeds: full pages of `pageSize` entries, page 1 the oldest. */
    archives: {
      pages: number
      pageSize: number
      /** The HTML index by month. */
      index: string
      /** The newest archive page in each format, where a backfill starts (then follow `prev-archive`); null while the feeds are complete. */
      newest: Record<Format, string> | null
    }
  }[]
}

export function topicsDocument(catalog: Catalog): TopicsDocument {
  return {
    topics: catalog.topics.map((topic) => {
      const stats = catalog.scopes[`topic:${topic.slug}`]
      const base = `/topics/${topic.slug}`
      return {
        slug: topic.slug,
        title: topic.title,
        description: topic.description,
        entries: stats?.entries ?? 0,
        updated: stats?.updated ?? null,
        page: catalog.url + base,
        feeds: { rss: feedUrl(catalog, base, 'rss'), atom: feedUrl(catalog, base, 'atom'), json: feedUrl(catalog, base, 'json') },
        archives: archivesOf(catalog, base, stats?.entries ?? 0),
      }
    }),
  }
}

/** Where a scope's archives are, for `/topics.json`. */
function archivesOf(catalog: Catalog, base: string, entries: number): TopicsDocument['topics'][number]['archives'] {
  const pages = pageCount({ count: entries, size: catalog.archivePageSize })
  const newest = (format: Format) => catalog.url + archivePath(base, pages, format)
  return {
    pages,
    pageSize: catalog.archivePageSize,
    index: catalog.url + archiveIndexPath(base),
    newest: pages ? { rss: newest('rss'), atom: newest('atom'), json: newest('json') } : null,
  }
}

export function renderTopicsJson(catalog: Catalog): string {
  return JSON.stringify(topicsDocument(catalog), null, 2) + '\n'
}

export interface PeopleDocument {
  people: {
    /** The value of the `person` filter, and the path segment of the person's page and feeds. */
    id: string
    name: string
    /** Who the person is, as the source documents describe them. */
    role: string
    /** How many entries involve the person (their feeds carry the newest 20 of them). */
    entries: number
    /** RFC 3339: the newest entry's `updated`; null for a person with no entries. */
    updated: string | null
    /** The person's HTML page. */
    page: string
    feeds: Record<Format, string>
  }[]
}

/** `/people.json`: every person, in content order, with counts, page and feed URLs. */
export function peopleDocument(catalog: Catalog): PeopleDocument {
  return {
    people: catalog.people.map((person) => {
      const stats = catalog.scopes[`person:${person.id}`]
      const base = `/people/${person.id}`
      return {
        id: person.id,
        name: person.name,
        role: person.role,
        entries: stats?.entries ?? 0,
        updated: stats?.updated ?? null,
        page: catalog.url + base,
        feeds: { rss: feedUrl(catalog, base, 'rss'), atom: feedUrl(catalog, base, 'atom'), json: feedUrl(catalog, base, 'json') },
      }
    }),
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
