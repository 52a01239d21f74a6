/**
 * @module directory
 * What the index, topic pages, `/topics.json` and `/opml.xml` read, derived
 * from content once per app (in {@link pageRoutes}), never per request.
 */
import { newest, type Site } from '../app.ts'
import type { Entry, Person, Topic } from '../content/types.ts'
import { DEFAULT_LIMIT } from '../filters.ts'
import { feedPath, type Format } from '../http.ts'

export interface TopicInfo {
  topic: Topic
  /** Every entry in the topic, newest first. */
  entries: Entry[]
  /** RFC 3339: the newest `updated` among the topic's entries; undefined for an empty topic. */
  updated: string | undefined
  /** Other topics that share at least one entry with this one, in content order: the useful filter choices. */
  related: Topic[]
  /** People named in the topic's entries, in content order. */
  people: Person[]
}

export interface Directory {
  /** In content order. */
  topics: TopicInfo[]
  bySlug: ReadonlyMap<string, TopicInfo>
  /** What the site feed shows with default filters: the newest {@link DEFAULT_LIMIT} entries. */
  latest: Entry[]
  personById: ReadonlyMap<string, Person>
}

export function buildDirectory(site: Site): Directory {
  const { content } = site
  const topics = content.topics.map((topic): TopicInfo => {
    const entries = content.entries.filter((e) => e.topics.includes(topic.slug))
    const near = new Set(entries.flatMap((e) => e.topics))
    const named = new Set(entries.flatMap((e) => e.people.map((p) => p.id)))
    return {
      topic,
      entries,
      updated: newest(entries),
      related: content.topics.filter((t) => t.slug !== topic.slug && near.has(t.slug)),
      people: content.people.filter((p) => named.has(p.id)),
    }
  })
  return {
    topics,
    bySlug: new Map(topics.map((t) => [t.topic.slug, t])),
    latest: content.entries.slice(0, DEFAULT_LIMIT),
    personById: new Map(content.people.map((p) => [p.id, p])),
  }
}

/** Absolute URL of a feed, from `site.url` (never the request's Host); `query` is canonical, without `?`. */
export function feedUrl(site: Site, scope: string | undefined, format: Format, query = ''): string {
  return site.url + feedPath(scope, format) + (query ? `?${query}` : '')
}

export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`
}
