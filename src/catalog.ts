/**
 * @module catalog
 * What each isolate holds: the small, fixed part of the content (site
 * settings, topics, people, sources, and per-feed counts), compiled into the
 * Worker by the content build, plus the lookups derived from it once. Entries
 * are not here: they live in the store (D1) and are read a page at a time.
 */
import type { Image, Person, Site, Source, Topic } from './content/types.ts'
import { DEFAULT_ARCHIVE_PAGE_SIZE } from './history.ts'
import { contentTime, DEFAULT_TOMBSTONE_DAYS, type Tombstone } from './tombstones.ts'

/** A source document as the Worker knows it: no file name, and the publications the entries credit it with. */
export type CatalogSource = Omit<Source, 'file'> & { credits: string[] }

/** Counts of one scope, known at build time. */
export interface ScopeStats {
  entries: number
  /** RFC 3339: the newest `updated` among the scope's entries; null when it has none. */
  updated: string | null
}

/** What a publish stores in D1 with each content version (`versions.catalog`); an isolate reads it once per version. */
export interface CatalogData {
  /** Changes with any change of content; the store's rows carry the same value. */
  version: string
  site: Site
  /** In file order. */
  topics: Topic[]
  people: Person[]
  /** Without their file names, which only the provenance check needs. */
  sources: CatalogSource[]
  /** The site's identity images (a few KB each, base64). */
  images: Image[]
  /** By store key (`scopeKey` in src/scopes.ts). */
  scopes: Record<string, ScopeStats>
  /** For each topic slug: the other topics and the people its entries share, in content order (the topic page's filter choices). */
  related: Record<string, { topics: string[]; people: string[] }>
  /** Entries that left the feeds (withdrawn or deleted), newest first: 410 pages and feed tombstones. */
  tombstones: Tombstone[]
}

/** The catalog with its lookups (the scope table, src/scopes.ts, reads members through them). */
export interface Catalog extends CatalogData {
  /** The site's origin, from `site.url`; every absolute URL starts with it. */
  url: string
  topicBySlug: ReadonlyMap<string, Topic>
  personById: ReadonlyMap<string, Person>
  sourceBySlug: ReadonlyMap<string, CatalogSource>
  /** Newest `updated` of all: the time of an empty feed. */
  updated: string
  /** Entries per archive page: `site.archivePageSize`, 50 by default. */
  archivePageSize: number
  /** {@link CatalogData.tombstones} by entry id. */
  gone: ReadonlyMap<string, Tombstone>
  /** The newest date in the content, entries and tombstones: what a tombstone's age is counted to. */
  contentTime: string
  /** Days a tombstone stays in the feeds: `site.tombstoneDays`, 30 by default. */
  tombstoneDays: number
}

export function openCatalog(data: CatalogData): Catalog {
  const updated = data.scopes.site?.updated ?? '1970-01-01T00:00:00Z'
  return {
    ...data,
    url: data.site.url,
    topicBySlug: new Map(data.topics.map((t) => [t.slug, t])),
    personById: new Map(data.people.map((p) => [p.id, p])),
    sourceBySlug: new Map(data.sources.map((s) => [s.slug, s])),
    updated,
    archivePageSize: data.site.archivePageSize ?? DEFAULT_ARCHIVE_PAGE_SIZE,
    gone: new Map(data.tombstones.map((t) => [t.id, t])),
    contentTime: contentTime(updated, data.tombstones),
    tombstoneDays: data.site.tombstoneDays ?? DEFAULT_TOMBSTONE_DAYS,
  }
}
