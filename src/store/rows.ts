/**
 * @module rows
 * Turns compiled content into the rows of the store (see
 * `migrations/0001_content.sql`) and the catalog the Worker is built with.
 * Pure and deterministic: the content build, the tests and the benchmarks
 * run this same code, and the same content always gives the same rows.
 */
import { parseDocument } from 'htmlparser2'
import type { CatalogData, ScopeStats } from '../catalog.ts'
import { entryScopeKeys, speakerKey } from '../scopes.ts'
import type { Content, Entry } from '../content/types.ts'
import type { ItemContext } from '../feeds/model.ts'
import { FORMAT_KEYS, FORMATS, type Format } from '../formats.ts'
import { withdrawalTombstones } from '../tombstones.ts'

export interface EntryRow {
  ts: number
  id: string
  updated: string
  topics: string
  /** Of the entry's data (everything here but `spots`, and its text). */
  hash: string
  /** Of the entry's memberships (scopes and positions). */
  spots: string
  card: string
  doc: string
  /** Each format's pre-rendered item, by the format names of FORMATS. */
  items: Record<Format, string>
}

export interface MembershipRow {
  scope: string
  ts: number
  pos: number
}

export interface MonthRow {
  scope: string
  month: string
  entries: number
  first_pos: number
  last_pos: number
  /** The newest `updated` of the month's entries: its page's sitemap `lastmod`. */
  updated: string
}

export interface TextRow {
  ts: number
  title: string
  summary: string
  body: string
}

/** Everything one entry contributes to the store; `row.hash` and `row.spots` cover all of it. */
export interface EntryRows {
  row: EntryRow
  memberships: MembershipRow[]
  text: TextRow
}

/** What a list of entries shows for one entry (home, topic and archive pages); `corrected` is the latest correction's date as written. */
export type Card = Pick<Entry, 'id' | 'title' | 'summary' | 'published' | 'date' | 'topics'> & {
  corrected?: string
}

/**
 * The key of the archive month an entry is listed under: `YYYY-MM`, or
 * `YYYY` for an entry whose date is known only to the year (it belongs to
 * no month, and is not counted under January).
 */
export function archiveMonth(entry: Pick<Entry, 'published' | 'date'>): string {
  return entry.date.precision === 'year' ? entry.published.slice(0, 4) : entry.published.slice(0, 7)
}

/** Unix seconds of an RFC 3339 UTC instant. */
export function unixTime(rfc3339: string): number {
  return Date.parse(rfc3339) / 1000
}

/**
 * What the steps across all entries (positions, counts, months, credits,
 * related topics, the version) need of an entry: a compiled {@link Entry}
 * is one, and so is the small record the content build keeps for an entry
 * file it did not read again (scripts/lib/build.ts).
 */
export interface EntrySummary {
  id: string
  published: string
  updated: string
  date: Entry['date']
  topics: string[]
  people: { id: string }[]
  sources: { slug: string; credits: string[] }[]
  quotes: { speaker: string }[]
}

/** The summary of a compiled entry: only the fields of {@link EntrySummary}, in a fresh object. */
export function summaryOf(entry: EntrySummary): EntrySummary {
  return {
    id: entry.id,
    published: entry.published,
    updated: entry.updated,
    date: entry.date,
    topics: entry.topics,
    people: entry.people.map(({ id }) => ({ id })),
    sources: entry.sources.map(({ slug, credits }) => ({ slug, credits })),
    quotes: entry.quotes.map(({ speaker }) => ({ speaker })),
  }
}

/** Compiled content whose entries may be summaries; {@link HashCache.full} gives the whole entry of one. */
export type SummarisedContent = Omit<Content, 'entries'> & { entries: readonly EntrySummary[] }

/**
 * The scopes an entry belongs to: the site, each of its topics, each of its
 * people, `speaker:{id}` for each person it quotes (a person page's quotes;
 * a speaker need not be among the entry's people), and `source:{slug}` for
 * each document it draws on (the `source` filter, source pages).
 */
function scopesOf(entry: EntrySummary): string[] {
  const speakers = [...new Set(entry.quotes.map((q) => q.speaker))]
  return [...entryScopeKeys(entry), ...speakers.map(speakerKey)]
}

/** For each source slug, the publications the entries credit it with, each once, sorted. */
function creditsOf(entries: readonly EntrySummary[]): Map<string, string[]> {
  const credits = new Map<string, Set<string>>()
  for (const e of entries)
    for (const s of e.sources) {
      const set = credits.get(s.slug) ?? credits.set(s.slug, new Set()).get(s.slug)!
      for (const c of s.credits) set.add(c)
    }
  return new Map([...credits].map(([slug, set]) => [slug, [...set].sort()]))
}

/** Plain text of sanitized HTML, for the full-text index. */
export function htmlText(html: string): string {
  const parts: string[] = []
  const walk = (nodes: ReturnType<typeof parseDocument>['children']) => {
    for (const node of nodes) {
      if (node.type === 'text') parts.push(node.data)
      else if ('children' in node) {
        walk(node.children)
        parts.push(' ')
      }
    }
  }
  walk(parseDocument(html, { decodeEntities: true }).children)
  return parts.join('').replace(/\s+/g, ' ').trim()
}

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

/** What decides whether a stored entry is rewritten: its data hash and, apart, its memberships hash. */
export interface EntryHash {
  id: string
  ts: number
  hash: string
  spots: string
}

/**
 * Rows, prepared: the catalog and month counts (cheap: no rendering), and
 * each entry's rows on demand. Each entry is rendered once to hash it (the
 * hashes make the content version) and again when a load writes it, so no
 * more than one chunk of rendered rows is ever held: 50,000 entries of
 * about 20 KB of rows each would not fit in memory at once.
 */
export interface Prepared {
  catalog: CatalogData
  months: MonthRow[]
  /** Each entry's id, time, data hash and memberships hash, newest first (the order of `content.entries`). */
  hashes: EntryHash[]
  /** The rows of entry `i` (newest first). */
  rows(i: number): Promise<EntryRows>
}

/** Entries rendered at once while hashing. */
const CHUNK = 500

/**
 * Remembers each entry's data hash across builds, so that a build renders
 * only the entries that changed, and gives the whole entry of a summary.
 * `depends` is a digest of what rendering an entry depends on besides the
 * entry (site, topic titles); a hash it returns must be the one recorded
 * for this entry (as compiled from the same file text under the same
 * compiler, lists and site URL) with the same `published` and `updated`
 * (the instants may move when another entry takes the same second) under
 * the same `depends`.
 */
export interface HashCache {
  get(entry: EntrySummary, depends: string): string | undefined
  set(entry: EntrySummary, depends: string, hash: string): void
  /**
   * The memberships hash recorded for `entry` under `places` (its publication
   * instant and its positions in its scopes, as one string), if known; and
   * recording it. Positions rarely move, and this spares a digest per entry.
   */
  spots?(entry: EntrySummary, places: string): string | undefined
  setSpots?(entry: EntrySummary, places: string, spots: string): void
  /** The whole compiled entry that `entry` (a summary, or an entry) stands for, with its instants. */
  full(entry: EntrySummary): Entry
  /** SHA-256 of a text in hex, at once (node:crypto): the same digest as the rows' own, without a promise per entry. */
  sha256?: ((text: string) => string) | undefined
}

/**
 * Where each entry sits in each of its scopes, counted from the scope's
 * oldest entry (entries are newest first), with each scope's counts and
 * newest time, and the month rows of the archive indexes.
 */
function placesOf(entries: readonly EntrySummary[]): {
  /** Each entry's position in each of its scopes, in the order of {@link scopesOf}. */
  positions: number[][]
  stats: Record<string, ScopeStats>
  months: MonthRow[]
} {
  const stats: Record<string, ScopeStats> = {}
  // Each scope's key string once (not once per entry), its stats and its months.
  const byScope = new Map<
    string,
    { scope: string; stats: ScopeStats; months: Map<string, MonthRow> }
  >()
  const months: MonthRow[] = []
  const positions: number[][] = new Array(entries.length)
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i]!
    const month = archiveMonth(entry)
    positions[i] = scopesOf(entry).map((key) => {
      let one = byScope.get(key)
      if (!one)
        byScope.set(
          key,
          (one = {
            scope: key,
            stats: (stats[key] = { entries: 0, updated: null }),
            months: new Map(),
          }),
        )
      const { scope, stats: s } = one
      const pos = ++s.entries
      if (s.updated === null || entry.updated > s.updated) s.updated = entry.updated
      const m = one.months.get(month)
      if (!m) {
        const row = {
          scope,
          month,
          entries: 1,
          first_pos: pos,
          last_pos: pos,
          updated: entry.updated,
        }
        one.months.set(month, row)
        months.push(row)
      } else {
        m.entries++
        m.last_pos = pos
        if (entry.updated > m.updated) m.updated = entry.updated
      }
      return pos
    })
  }
  return { positions, stats, months }
}

/** For each topic slug: the other topics and the people its entries share, in content order (the topic page's filter choices). */
function relatedOf(content: SummarisedContent): CatalogData['related'] {
  const related: CatalogData['related'] = {}
  const nearBy = new Map<string, Set<string>>()
  const namedBy = new Map<string, Set<string>>()
  for (const e of content.entries)
    for (const t of new Set(e.topics)) {
      const near = nearBy.get(t) ?? nearBy.set(t, new Set()).get(t)!
      const named = namedBy.get(t) ?? namedBy.set(t, new Set()).get(t)!
      for (const other of e.topics) near.add(other)
      for (const p of e.people) named.add(p.id)
    }
  for (const topic of content.topics) {
    const near = nearBy.get(topic.slug) ?? new Set()
    const named = namedBy.get(topic.slug) ?? new Set()
    related[topic.slug] = {
      topics: content.topics
        .filter((t) => t.slug !== topic.slug && near.has(t.slug))
        .map((t) => t.slug),
      people: content.people.filter((p) => named.has(p.id)).map((p) => p.id),
    }
  }
  return related
}

/**
 * Prepares the rows of compiled content: the catalog, the months, and every
 * entry's hash (from `cache` where it knows it). Entries may be summaries
 * only with a cache, which gives the whole entry of each one rendered.
 */
export async function prepareRows(content: Content): Promise<Prepared>
export async function prepareRows(content: SummarisedContent, cache?: HashCache): Promise<Prepared>
export async function prepareRows(
  content: SummarisedContent,
  cache?: HashCache,
): Promise<Prepared> {
  const url = content.site.url
  const context: ItemContext = {
    authorName: content.site.publisher.name,
    topicScheme: `${url}/topics/`,
    topicTitles: new Map(content.topics.map((t) => [t.slug, t.title])),
    sourceBase: `${url}/sources/`,
  }

  const { positions, stats, months } = placesOf(content.entries)
  const membershipsOf = (i: number, ts: number): MembershipRow[] => {
    const scopes = scopesOf(content.entries[i]!)
    return positions[i]!.map((pos, k) => ({ scope: scopes[k]!, ts, pos }))
  }
  const n = content.entries.length

  const full = (i: number): Entry =>
    cache ? cache.full(content.entries[i]!) : (content.entries[i] as Entry)

  async function rows(i: number): Promise<EntryRows> {
    const entry = full(i)
    const ts = unixTime(entry.published)
    const corrected = entry.corrections?.reduce((latest, c) =>
      latest.at >= c.at ? latest : c,
    ).date
    const card: Card = {
      id: entry.id,
      title: entry.title,
      summary: entry.summary,
      published: entry.published,
      date: entry.date,
      topics: entry.topics,
      ...(corrected && { corrected }),
    }
    const memberships = membershipsOf(i, ts)
    const text: TextRow = {
      ts,
      title: entry.title,
      summary: entry.summary,
      body: htmlText(entry.html),
    }
    const items = Object.fromEntries(
      FORMAT_KEYS.map((format) => [format, FORMATS[format].serializer.item(entry, context)]),
    ) as Record<Format, string>
    const row: Omit<EntryRow, 'hash' | 'spots'> = {
      ts,
      id: entry.id,
      updated: entry.updated,
      topics: entry.topics.join(','),
      card: JSON.stringify(card),
      doc: JSON.stringify(entry),
      items,
    }
    const [hash, spots] = await Promise.all([
      sha256(JSON.stringify([row, text])),
      sha256(JSON.stringify(memberships)),
    ])
    return { row: { ...row, hash, spots }, memberships, text }
  }

  // What rendering an entry depends on besides the entry itself.
  const digest = cache?.sha256 ?? sha256
  const dependsOn = await digest(JSON.stringify([content.site, [...context.topicTitles]]))
  const hashes: Prepared['hashes'] = new Array(n)
  const spotsOf = (i: number, ts: number) => JSON.stringify(membershipsOf(i, ts))
  const placesKey = (i: number) => `${content.entries[i]!.published} ${positions[i]!.join(',')}`
  // Entries whose hash the cache knows: their memberships hash only, from the cache or at once when it digests synchronously.
  const render: number[] = []
  const digests: Promise<void>[] = []
  for (let i = 0; i < n; i++) {
    const entry = content.entries[i]!
    const known = cache?.get(entry, dependsOn)
    if (!known) {
      render.push(i)
      continue
    }
    const ts = unixTime(entry.published)
    const places = cache?.spots && placesKey(i)
    const spots = places && cache.spots!(entry, places)
    if (spots) hashes[i] = { id: entry.id, ts, hash: known, spots }
    else if (cache?.sha256) {
      hashes[i] = { id: entry.id, ts, hash: known, spots: cache.sha256(spotsOf(i, ts)) }
      if (places) cache.setSpots?.(entry, places, hashes[i]!.spots)
    } else
      digests.push(
        sha256(spotsOf(i, ts)).then(
          (spots) => void (hashes[i] = { id: entry.id, ts, hash: known, spots }),
        ),
      )
  }
  await Promise.all(digests)
  for (let c = 0; c < render.length; c += CHUNK) {
    await Promise.all(
      render.slice(c, c + CHUNK).map(async (i) => {
        const { row } = await rows(i)
        cache?.set(content.entries[i]!, dependsOn, row.hash)
        cache?.setSpots?.(content.entries[i]!, placesKey(i), row.spots)
        hashes[i] = { id: row.id, ts: row.ts, hash: row.hash, spots: row.spots }
      }),
    )
  }

  const credits = creditsOf(content.entries)
  const catalog: Omit<CatalogData, 'version'> = {
    site: content.site,
    topics: content.topics,
    people: content.people,
    sources: content.sources.map(({ file: _file, ...source }) => ({
      ...source,
      credits: credits.get(source.slug) ?? [],
    })),
    images: content.images,
    scopes: Object.fromEntries(Object.entries(stats).sort(([a], [b]) => (a < b ? -1 : 1))),
    related: relatedOf(content),
    tombstones: withdrawalTombstones(content.withdrawn),
  }
  const version = (
    await sha256(JSON.stringify([catalog, hashes.map((h) => [h.hash, h.spots])]))
  ).slice(0, 16)
  return { catalog: { version, ...catalog }, months, hashes, rows }
}
