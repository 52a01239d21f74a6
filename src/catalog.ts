/**
 * @module catalog
 * What each isolate holds: the small, fixed part of the content (site
 * settings, topics, people, sources, and per-feed counts), compiled into the
 * Worker by the content build, plus the lookups derived from it once. Entries
 * are not here: they live in the store (D1) and are read a page at a time.
 */
import type { Image, Person, Site, Source, Topic } from './content/types.ts'
import { NotFound, quote } from './errors.ts'
import type { Vocabulary } from './filters.ts'
import { DEFAULT_ARCHIVE_PAGE_SIZE } from './history.ts'
import { contentTime, DEFAULT_TOMBSTONE_DAYS, type Tombstone } from './tombstones.ts'

/** A set of entries that has its own feeds: the whole site, a topic or a person. */
export type Scope = { kind: 'site' } | { kind: 'topic'; topic: Topic } | { kind: 'person'; person: Person }

/** A source document as the Worker knows it: no file name, and the publications the entries credit it with. */
export type CatalogSource = Omit<Source, 'file'> & { credits: string[] }

/** Counts of one scope, known at build time. */
export interface ScopeStats {
  entries: number
  /** RFC 3339: the newest `updated` among the scope's entries; null when it has none. */
  updated: string | null
}

/** What the content build writes into the Worker (`src/generated/catalog.ts`). */
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
  /** By {@link scopeKey}. */
  scopes: Record<string, ScopeStats>
  /** For each topic slug: the other topics and the people its entries share, in content order (the topic page's filter choices). */
  related: Record<string, { topics: string[]; people: string[] }>
  /** Entries that left the feeds (withdrawn or deleted), newest first: 410 pages and feed tombstones. */
  tombstones: Tombstone[]
}

/** The catalog with its lookups. */
export interface Catalog extends CatalogData {
  /** The site's origin, from `site.url`; every absolute URL starts with it. */
  url: string
  topicBySlug: ReadonlyMap<string, Topic>
  personById: ReadonlyMap<string, Person>
  sourceBySlug: ReadonlyMap<string, CatalogSource>
  topicTitles: ReadonlyMap<string, string>
  vocabulary: Vocabulary
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
    topicTitles: new Map(data.topics.map((t) => [t.slug, t.title])),
    vocabulary: { topics: new Set(data.topics.map((t) => t.slug)), people: new Set(data.people.map((p) => p.id)), sources: new Set(data.sources.map((s) => s.slug)) },
    updated,
    archivePageSize: data.site.archivePageSize ?? DEFAULT_ARCHIVE_PAGE_SIZE,
    gone: new Map(data.tombstones.map((t) => [t.id, t])),
    contentTime: contentTime(updated, data.tombstones),
    tombstoneDays: data.site.tombstoneDays ?? DEFAULT_TOMBSTONE_DAYS,
  }
}

/** The store's name for a scope: `site`, `topic:{slug}`, `person:{id}`. */
export function scopeKey(scope: Scope): string {
  return scope.kind === 'site' ? 'site' : scope.kind === 'topic' ? `topic:${scope.topic.slug}` : `person:${scope.person.id}`
}

/** The counts of a scope (zero for one the build never saw). */
export function statsOf(catalog: Catalog, scope: Scope): ScopeStats {
  return catalog.scopes[scopeKey(scope)] ?? { entries: 0, updated: null }
}

/** Root-relative path of a scope's pages and feeds: ``, `/topics/{slug}`, `/people/{id}`. */
export function scopeBase(scope: Scope): string {
  return scope.kind === 'site' ? '' : scope.kind === 'topic' ? `/topics/${scope.topic.slug}` : `/people/${scope.person.id}`
}

/** The title a feed gives itself; pages repeat it in autodiscovery links and OPML. */
export function feedTitle(catalog: Catalog, scope: Scope): string {
  const site = catalog.site.title
  return scope.kind === 'site' ? site : `${site}: ${scope.kind === 'topic' ? scope.topic.title : scope.person.name}`
}

/**
 * The topic a path names, in any letter case (callers redirect to the
 * lowercase slug); an unknown one is a 404 listing the valid slugs.
 */
export function topicNamed(catalog: Catalog, slug: string): Topic {
  const topic = catalog.topicBySlug.get(slug) ?? catalog.topicBySlug.get(slug.toLowerCase())
  if (topic) return topic
  const valid = [...catalog.topicBySlug.keys()]
  throw new NotFound(`Unknown topic ${quote(slug)}. Valid topics: ${valid.join(', ')}.`, { topics: valid })
}

/** The source document a path names, in any letter case; an unknown one is a 404 listing the valid slugs. */
export function sourceNamed(catalog: Catalog, slug: string): CatalogSource {
  const source = catalog.sourceBySlug.get(slug) ?? catalog.sourceBySlug.get(slug.toLowerCase())
  if (source) return source
  const valid = [...catalog.sourceBySlug.keys()]
  throw new NotFound(`Unknown source ${quote(slug)}. Valid sources: ${valid.join(', ')}.`, { sources: valid })
}

/** The person a path names, in any letter case; an unknown one is a 404 listing the valid ids. */
export function personNamed(catalog: Catalog, id: string): Person {
  const person = catalog.personById.get(id) ?? catalog.personById.get(id.toLowerCase())
  if (person) return person
  const valid = [...catalog.personById.keys()]
  throw new NotFound(`Unknown person ${quote(id)}. Valid people: ${valid.join(', ')}.`, { people: valid })
}
