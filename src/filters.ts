/**
 * @module filters
 * The query filters every feed URL accepts, parsed strictly and written back
 * in one canonical spelling, so that each distinct feed has exactly one URL
 * (and one cache key).
 *
 * Canonical form: parameters in the order `topic, exclude, person, source,
 * q, since, until, limit`; list values lowercased, deduplicated and sorted, joined by
 * commas; `q` as `src/keywords.ts` spells it; empty and default values left
 * out; unknown parameters dropped.
 */
import { BadParameter, BadRequest, NotFound, quote } from './errors.ts'
import { encodeKeywords, parseKeywords } from './keywords.ts'

export interface Filters {
  /** Any of these topics. */
  topic: string[]
  /** None of these topics. */
  exclude: string[]
  /** Any of these people (ids). */
  person: string[]
  /** Drawing on any of these source documents (slugs). */
  source: string[]
  /** Keywords: entries whose title, summary or body hold every term (a word, or a phrase of words joined by spaces). Absent when not given. */
  q?: string[]
  /** Inclusive bounds, `YYYY-MM-DD`, compared with the entry's publication day (UTC). */
  since?: string
  until?: string
  /** 1 to {@link MAX_LIMIT}. */
  limit: number
}

export const DEFAULT_LIMIT = 20
export const MAX_LIMIT = 100
/** Longest query string read; longer ones are refused before any parsing. */
export const MAX_QUERY_LENGTH = 2048
const MAX_LIST = 50

const LISTS = ['topic', 'exclude', 'person', 'source'] as const
const KNOWN = new Set<string>([...LISTS, 'q', 'since', 'until', 'limit'])
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/

/** The names a filter list may take: topic slugs for topic and exclude, person ids for person, source slugs for source. */
export interface Vocabulary {
  topics: ReadonlySet<string>
  people: ReadonlySet<string>
  sources: ReadonlySet<string>
}

/** Each list filter: what its items are, in messages and in a 404's JSON. */
const LIST_NAMES = {
  topic: { items: 'topic slugs', noun: 'topic', key: 'topics' },
  exclude: { items: 'topic slugs', noun: 'topic', key: 'topics' },
  person: { items: 'person ids', noun: 'person', key: 'people' },
  source: { items: 'source slugs', noun: 'source', key: 'sources' },
} as const

/**
 * Splits a raw query string (without `?`) into decoded pairs, refusing bad
 * percent-encoding (including invalid UTF-8) instead of guessing.
 */
export function readQuery(query: string): [string, string][] {
  if (query.length > MAX_QUERY_LENGTH) throw new BadRequest(`Query string too long: at most ${MAX_QUERY_LENGTH} characters.`)
  if (query === '') return []
  return query.split('&').flatMap((pair) => {
    if (pair === '') return []
    const at = pair.indexOf('=')
    const [name, value] = at === -1 ? [pair, ''] : [pair.slice(0, at), pair.slice(at + 1)]
    try {
      return [[decodeURIComponent(name.replaceAll('+', ' ')), decodeURIComponent(value.replaceAll('+', ' '))]]
    } catch {
      throw new BadRequest('Malformed percent-encoding in the query string.')
    }
  })
}

/**
 * Parses the filters of a raw query string. Throws {@link BadParameter}
 * (400) for a malformed value and {@link NotFound} (404) for a topic or
 * person that does not exist.
 */
export function parseFilters(query: string, vocabulary: Vocabulary): Filters {
  const seen = new Map<string, string>()
  for (const [name, value] of readQuery(query)) {
    const base = name.replace(/\[.*$/, '')
    if (base !== name && KNOWN.has(base)) throw new BadParameter(base, `"${base}=a,b" (one parameter with a comma list, not ${base}[])`)
    if (!KNOWN.has(name)) continue
    if (seen.has(name)) throw new BadParameter(name, `one "${name}" parameter (join several values with commas)`)
    seen.set(name, value.trim())
  }

  const filters: Filters = { topic: [], exclude: [], person: [], source: [], limit: DEFAULT_LIMIT }
  for (const name of LISTS) {
    const raw = seen.get(name)
    if (!raw) continue
    const items = [...new Set(raw.toLowerCase().split(',').map((s) => s.trim()).filter(Boolean))].sort()
    const { items: what, noun, key } = LIST_NAMES[name]
    if (items.length > MAX_LIST || items.some((s) => !SLUG.test(s))) throw new BadParameter(name, `a comma list of at most ${MAX_LIST} ${what} (lowercase letters, digits and hyphens)`)
    const valid = vocabulary[key]
    const unknown = items.filter((s) => !valid.has(s))
    if (unknown.length) {
      throw new NotFound(`Unknown ${noun} in "${name}": ${unknown.map(quote).join(', ')}. Valid ${key}: ${[...valid].join(', ')}.`, { parameter: name, unknown, [key]: [...valid] })
    }
    filters[name] = items
  }
  const q = seen.get('q')
  if (q) {
    const terms = parseKeywords(q)
    if (terms.length) filters.q = terms
  }
  for (const name of ['since', 'until'] as const) {
    const raw = seen.get(name)
    if (!raw) continue
    if (!isDay(raw)) throw new BadParameter(name, 'a calendar date as YYYY-MM-DD')
    filters[name] = raw
  }
  if (filters.since && filters.until && filters.since > filters.until) throw new BadParameter('until', `a date on or after since (${filters.since})`)
  const limit = seen.get('limit')
  if (limit) {
    const n = /^\d{1,3}$/.test(limit) ? Number(limit) : NaN
    if (!(n >= 1 && n <= MAX_LIMIT)) throw new BadParameter('limit', `a whole number from 1 to ${MAX_LIMIT}`)
    filters.limit = n
  }
  return filters
}

/** True for a real calendar date written `YYYY-MM-DD`. */
export function isDay(s: string): boolean {
  const m = DAY.exec(s)
  if (!m) return false
  const date = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!))
  return date.getUTCFullYear() === +m[1]! && date.getUTCMonth() === +m[2]! - 1 && date.getUTCDate() === +m[3]!
}

/** The canonical query string for `filters`, without `?`; empty when every filter is at its default. */
export function canonicalQuery(filters: Filters): string {
  const parts: string[] = []
  for (const name of LISTS) if (filters[name].length) parts.push(`${name}=${filters[name].join(',')}`)
  if (filters.q?.length) parts.push(`q=${encodeKeywords(filters.q)}`)
  if (filters.since) parts.push(`since=${filters.since}`)
  if (filters.until) parts.push(`until=${filters.until}`)
  if (filters.limit !== DEFAULT_LIMIT) parts.push(`limit=${filters.limit}`)
  return parts.join('&')
}

/**
 * The filters of a topic or person feed without what its scope already
 * says, so that `/topics/{slug}/…?topic={slug}` has the one spelling
 * `/topics/{slug}/…`, and `/people/{id}/…?person={id}` the one spelling
 * `/people/{id}/…`. Every entry of the scope is in the scope, so a list
 * that names it is satisfied by all of them and is dropped whole
 * (`topic=slug,other` included). An `exclude` naming a topic scope would
 * leave the feed empty by construction: a 400 saying so, rather than a feed
 * that can never have an item. Without a scope the filters are returned as
 * they are.
 */
export function withinScope(filters: Filters, scope: { topic: string } | { person: string } | undefined): Filters {
  if (scope === undefined) return filters
  if ('person' in scope) return filters.person.includes(scope.person) ? { ...filters, person: [] } : filters
  const topic = scope.topic
  if (filters.exclude.includes(topic)) throw new BadParameter('exclude', `topics other than ${quote(topic)}, the feed's own topic (excluding it leaves the feed empty)`)
  return filters.topic.includes(topic) ? { ...filters, topic: [] } : filters
}
