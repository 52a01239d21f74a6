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
import {
  MEMBER_ROWS,
  scopeKey,
  type ListFilter,
  type Scope,
  type ScopeKind,
  type ScopeKindRow,
  type Vocabulary,
} from './scopes.ts'

export type { Vocabulary }

/**
 * What a feed URL asks for. The list filters come from the scope table:
 * `topic` (any of these topics), `exclude` (none of these topics), `person`
 * (any of these people), `source` (drawing on any of these documents).
 */
export type Filters = Record<ListFilter, string[]> & {
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
/** Most matches a page's form counts before it says "more than". */
export const COUNT_CAP = 1000
const MAX_LIST = 50

/** A list filter: its name, the kind its values name, and whether it drops (rather than keeps) their entries. */
interface ListSpec {
  name: ListFilter
  row: ScopeKindRow<ScopeKind>
  negated: boolean
}

/** The list filters in canonical order: each kind's filter, then its negation. */
const LISTS: readonly ListSpec[] = MEMBER_ROWS.flatMap((row) => [
  ...(row.filter ? [{ name: row.filter as ListFilter, row, negated: false }] : []),
  ...(row.negation ? [{ name: row.negation as ListFilter, row, negated: true }] : []),
])
const KNOWN = new Set<string>([...LISTS.map((l) => l.name), 'q', 'since', 'until', 'limit'])
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/

/**
 * Splits a raw query string (without `?`) into decoded pairs, refusing bad
 * percent-encoding (including invalid UTF-8) instead of guessing.
 */
export function readQuery(query: string): [string, string][] {
  if (query.length > MAX_QUERY_LENGTH)
    throw new BadRequest(`Query string too long: at most ${MAX_QUERY_LENGTH} characters.`)
  if (query === '') return []
  return query.split('&').flatMap((pair) => {
    if (pair === '') return []
    const at = pair.indexOf('=')
    const [name, value] = at === -1 ? [pair, ''] : [pair.slice(0, at), pair.slice(at + 1)]
    try {
      return [
        [
          decodeURIComponent(name.replaceAll('+', ' ')),
          decodeURIComponent(value.replaceAll('+', ' ')),
        ],
      ]
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
    if (base !== name && KNOWN.has(base))
      throw new BadParameter(base, `"${base}=a,b" (one parameter with a comma list, not ${base}[])`)
    if (!KNOWN.has(name)) continue
    if (seen.has(name))
      throw new BadParameter(name, `one "${name}" parameter (join several values with commas)`)
    seen.set(name, value.trim())
  }

  const filters = { ...emptyLists(), limit: DEFAULT_LIMIT } as Filters
  for (const list of LISTS) {
    const raw = seen.get(list.name)
    if (raw) filters[list.name] = readList(list, raw, vocabulary)
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
  if (filters.since && filters.until && filters.since > filters.until)
    throw new BadParameter('until', `a date on or after since (${filters.since})`)
  const limit = seen.get('limit')
  if (limit) {
    const n = /^\d{1,3}$/.test(limit) ? Number(limit) : NaN
    if (!(n >= 1 && n <= MAX_LIMIT))
      throw new BadParameter('limit', `a whole number from 1 to ${MAX_LIMIT}`)
    filters.limit = n
  }
  return filters
}

/** Every list filter, empty. */
function emptyLists(): Record<ListFilter, string[]> {
  return Object.fromEntries(LISTS.map((l) => [l.name, []])) as unknown as Record<
    ListFilter,
    string[]
  >
}

/** The names of one list filter's value: lowercased, deduplicated, sorted, each one known. */
function readList({ name, row }: ListSpec, raw: string, vocabulary: Vocabulary): string[] {
  const items = [
    ...new Set(
      raw
        .toLowerCase()
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ].sort()
  const { noun, plural } = row
  if (items.length > MAX_LIST || items.some((s) => !SLUG.test(s))) {
    throw new BadParameter(
      name,
      `a comma list of at most ${MAX_LIST} ${noun} ${row.param}s (lowercase letters, digits and hyphens)`,
    )
  }
  const valid = vocabulary[plural] ?? new Set()
  const unknown = items.filter((s) => !valid.has(s))
  if (unknown.length) {
    throw new NotFound(
      `Unknown ${noun} in "${name}": ${unknown.map(quote).join(', ')}. Valid ${plural}: ${[...valid].join(', ')}.`,
      { parameter: name, unknown, [plural]: [...valid] },
    )
  }
  return items
}

/**
 * The store keys the list filters name: `required` holds one set per kept
 * list (an entry must be in some key of each), `excluded` the keys an entry
 * must be in none of.
 */
export function filterScopes(filters: Filters): { required: string[][]; excluded: string[] } {
  const required: string[][] = []
  const excluded: string[] = []
  for (const { name, row, negated } of LISTS) {
    const keys = filters[name].map((n) => scopeKey(row.kind, n))
    if (negated) excluded.push(...keys)
    else if (keys.length) required.push(keys)
  }
  return { required, excluded }
}

/** Every store key the filters name, kept or excluded: a filtered document carries the Cache-Tag of each. */
export function filterScopeKeys(filters: Filters): string[] {
  const { required, excluded } = filterScopes(filters)
  return [...required.flat(), ...excluded]
}

/** True for a real calendar date written `YYYY-MM-DD`. */
export function isDay(s: string): boolean {
  const m = DAY.exec(s)
  if (!m) return false
  const date = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!))
  return (
    date.getUTCFullYear() === +m[1]! &&
    date.getUTCMonth() === +m[2]! - 1 &&
    date.getUTCDate() === +m[3]!
  )
}

/** The canonical query string for `filters`, without `?`; empty when every filter is at its default. */
export function canonicalQuery(filters: Filters): string {
  const parts: string[] = []
  for (const { name } of LISTS)
    if (filters[name].length) parts.push(`${name}=${filters[name].join(',')}`)
  if (filters.q?.length) parts.push(`q=${encodeKeywords(filters.q)}`)
  if (filters.since) parts.push(`since=${filters.since}`)
  if (filters.until) parts.push(`until=${filters.until}`)
  if (filters.limit !== DEFAULT_LIMIT) parts.push(`limit=${filters.limit}`)
  return parts.join('&')
}

/**
 * The filters of a scope's feed without what its scope already says, so
 * that `/topics/{slug}/…?topic={slug}` has the one spelling
 * `/topics/{slug}/…` (and so for people and sources). `own` names the
 * scope by its kind's filter (`{ topic: 'alpha' }`). Every entry of the
 * scope is in the scope, so a list that names it is satisfied by all of
 * them and is dropped whole (`topic=slug,other` included). A negation
 * naming the scope (`exclude`) would leave the feed empty by construction:
 * a 400 saying so, rather than a feed that can never have an item. Without
 * a scope the filters are returned as they are.
 */
export function withinScope(
  filters: Filters,
  own: Readonly<Partial<Record<ListFilter, string>>> | undefined,
): Filters {
  if (own === undefined) return filters
  let out = filters
  for (const { name, row, negated } of LISTS) {
    const member = row.filter ? own[row.filter as ListFilter] : undefined
    if (member === undefined || !filters[name].includes(member)) continue
    if (negated)
      throw new BadParameter(
        name,
        `${row.plural} other than ${quote(member)}, the feed's own ${row.noun} (excluding it leaves the feed empty)`,
      )
    out = { ...out, [name]: [] }
  }
  return out
}

/** The `own` argument of {@link withinScope} for a scope: its kind's filter and its name; undefined for the site. */
export function ownFilter(scope: Scope): Partial<Record<ListFilter, string>> | undefined {
  const filter = MEMBER_ROWS.find((row) => row.kind === scope.kind)?.filter
  return filter ? { [filter]: scope.name } : undefined
}
