/**
 * @module tags
 * The Cache-Tag scheme (Cloudflare `Cache-Tag` header, purge by tag) and the
 * purge plan of a publish: which tags name documents whose bytes changed
 * between two content versions, and nothing else, so every other cached
 * document keeps its bytes and its ETag.
 *
 * - `scope:{key}`: every document whose entry list comes from scope `key`
 *   (feeds, HTML lists, archive index); not the archive pages.
 * - `archive:{key}:{n}`: archive page n of scope `key` (feeds and HTML).
 * - `entry:{id}`: the page of entry `id`.
 * - `format:{rss|atom|json|html}`: every document of that format.
 * - `catalog`: documents made of the catalog lists alone (topics.json,
 *   people.json, sources.json, opml.xml, the index pages).
 *
 * Purging allows 5 calls a minute of 100 tags each: a plan is at most
 * {@link MAX_TAGS} tags; a change that would need more (a site setting
 * shown on every document) purges the format tags, which cover everything.
 */
import type { CatalogData } from './catalog.ts'
import { DEFAULT_ARCHIVE_PAGE_SIZE, pageOf } from './history.ts'

/** Tags in one purge call. */
export const TAGS_PER_CALL = 100
/** Purge calls a minute. */
export const CALLS_PER_MINUTE = 5
/** Tags a plan may hold: one minute's calls. */
export const MAX_TAGS = TAGS_PER_CALL * CALLS_PER_MINUTE

/** The documents of a scope (`site`, `topic:{slug}`, `person:{id}`, `source:{slug}`). */
export const scopeTag = (key: string) => `scope:${key}`
/** Archive page `page` of a scope. */
export const archiveTag = (key: string, page: number) => `archive:${key}:${page}`
/** An entry's page. */
export const entryTag = (id: string) => `entry:${id}`
/** Every document of a format. */
export const formatTag = (format: 'rss' | 'atom' | 'json' | 'html') => `format:${format}`
/** Documents built from the catalog lists alone. */
export const CATALOG_TAG = 'catalog'
/** Every document: one tag per format. */
export const EVERYTHING = (['rss', 'atom', 'json', 'html'] as const).map(formatTag)

/** Where an entry sits: a scope and its position from the scope's oldest entry. */
export interface Place {
  scope: string
  pos: number
}

/**
 * What a purge plan compares of one version. `entries` may hold only the
 * entries whose rows differ between the two versions (the load knows
 * which): an entry the same on both sides purges nothing.
 */
export interface Snapshot {
  /** Undefined before the first version. */
  catalog: CatalogData | undefined
  entries: ReadonlyMap<string, { hash: string; places: readonly Place[] }>
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

/** Archive page of `pos` in `scope` under `catalog`'s layout, if a full page holds it. */
function archivePageOf(
  catalog: CatalogData | undefined,
  { scope, pos }: Place,
): number | undefined {
  if (!catalog) return undefined
  return pageOf(pos, {
    count: catalog.scopes[scope]?.entries ?? 0,
    size: catalog.site.archivePageSize ?? DEFAULT_ARCHIVE_PAGE_SIZE,
  })
}

/** Tags for the catalog lists: each topic, person or source added, removed or changed. */
function catalogTags(before: CatalogData, after: CatalogData): string[] {
  const tags: string[] = []
  const keyed = (c: CatalogData) =>
    new Map<string, unknown>([
      ...c.topics.map((t) => [`topic:${t.slug}`, t] as const),
      ...c.people.map((p) => [`person:${p.id}`, p] as const),
      ...c.sources.map((s) => [`source:${s.slug}`, s] as const),
    ])
  const [a, b] = [keyed(before), keyed(after)]
  const changed = [...new Set([...a.keys(), ...b.keys()])].filter(
    (key) => !same(a.get(key), b.get(key)),
  )
  // The lists' order shows too (topics.json, the index pages).
  if (changed.length || !same([...a.keys()], [...b.keys()]))
    tags.push(CATALOG_TAG, scopeTag('site'))
  tags.push(...changed.map(scopeTag))
  if (!same(before.related, after.related))
    tags.push(
      ...Object.keys(after.related)
        .filter((k) => !same(before.related[k], after.related[k]))
        .map((k) => scopeTag(`topic:${k}`)),
    )
  return tags
}

/**
 * The Cache-Tags to purge when `next` replaces `previous`, sorted, at most
 * {@link MAX_TAGS}. An entry added, edited or deleted purges its page, each
 * of its scopes' documents and the archive pages that hold (or held) it; an
 * entry whose position alone moved (one backdated before it) purges the
 * archive pages it leaves and enters; a topic, person or source changed
 * purges its scope and the catalog documents; a site setting purges
 * everything.
 */
export function purgePlan(previous: Snapshot, next: Snapshot): string[] {
  const before = previous.catalog
  const after = next.catalog
  if (!after) return []
  if (!before || !same(before.site, after.site) || !same(before.images, after.images))
    return [...EVERYTHING, CATALOG_TAG]
  const tags = new Set(catalogTags(before, after))
  for (const id of new Set([...previous.entries.keys(), ...next.entries.keys()])) {
    const old = previous.entries.get(id)
    const now = next.entries.get(id)
    if (old && now && same(old, now)) continue
    const edited = old?.hash !== now?.hash
    if (edited) tags.add(entryTag(id))
    const oldPages = new Map((old?.places ?? []).map((p) => [p.scope, archivePageOf(before, p)]))
    const newPages = new Map((now?.places ?? []).map((p) => [p.scope, archivePageOf(after, p)]))
    for (const scope of new Set([...oldPages.keys(), ...newPages.keys()])) {
      const [a, b] = [oldPages.get(scope), newPages.get(scope)]
      if (edited || !oldPages.has(scope) || !newPages.has(scope)) tags.add(scopeTag(scope))
      if (a !== undefined && (edited || a !== b)) tags.add(archiveTag(scope, a))
      if (b !== undefined && (edited || a !== b)) tags.add(archiveTag(scope, b))
    }
  }
  // Scopes whose counts or newest time moved: their lists and archive indexes, and the catalog documents that show counts.
  for (const key of new Set([...Object.keys(before.scopes), ...Object.keys(after.scopes)])) {
    if (!same(before.scopes[key], after.scopes[key])) tags.add(scopeTag(key)).add(CATALOG_TAG)
  }
  // A speaker's quotes show on the person's page.
  for (const tag of [...tags])
    if (tag.startsWith('scope:speaker:'))
      (tags.delete(tag), tags.add(scopeTag(`person:${tag.slice('scope:speaker:'.length)}`)))
  if (tags.size > MAX_TAGS) return [...EVERYTHING, CATALOG_TAG]
  return [...tags].sort()
}

/** A plan's tags in purge calls of at most {@link TAGS_PER_CALL}. */
export function purgeCalls(tags: readonly string[]): string[][] {
  const calls: string[][] = []
  for (let i = 0; i < tags.length; i += TAGS_PER_CALL) calls.push(tags.slice(i, i + TAGS_PER_CALL))
  return calls
}

/** What purges cached documents by tag: Workers Cache in production, a recorder in tests and development. */
export interface Purger {
  purge(tags: string[]): Promise<void>
}

/** Purges a plan, one call per {@link TAGS_PER_CALL} tags (a plan never needs more than a minute's calls). */
export async function purge(purger: Purger, tags: readonly string[]): Promise<number> {
  const calls = purgeCalls(tags)
  for (const call of calls) await purger.purge(call)
  return calls.length
}
