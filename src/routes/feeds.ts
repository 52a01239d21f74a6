/**
 * @module feeds
 * The feed routes: `/{rss.xml,atom.xml,feed.json}` for the whole site and
 * the same under `/topics/{slug}/` and `/people/{id}/`. A feed URL not spelled
 * canonically (path or query) is a 301 to its canonical spelling; otherwise
 * the route answers the memoised representation of that URL, which on a miss
 * is one store query and a join of the stored items.
 */
import type { Context, Hono } from 'hono'
import { feedTitle, personNamed, scopeBase, scopeKey, statsOf, topicNamed, type Catalog, type Scope } from '../catalog.ts'
import { NotFound } from '../errors.ts'
import { atom } from '../feeds/atom.ts'
import { json } from '../feeds/json.ts'
import type { FeedHead, FeedHistory, Serializer } from '../feeds/model.ts'
import { rss } from '../feeds/rss.ts'
import { canonicalQuery, DEFAULT_LIMIT, parseFilters, withinScope } from '../filters.ts'
import { archivePath, isComplete, pageCount, subscriptionLength, type Paging } from '../history.ts'
import { feedPath, FORMAT_BY_FILE, FORMATS, rawQuery, redirect, type Format } from '../http.ts'
import { feedQuery, type ItemRow } from '../store/queries.ts'
import { tombstonesOf } from '../tombstones.ts'
import { discoveryLinks } from '../websub/hub.ts'
import { feedImages } from './images.ts'
import type { AppEnv, RouteContext } from './context.ts'

/** Each format's serializer. */
export const SERIALIZERS: Record<Format, Serializer> = { rss, atom, json }

/** The head of a scope's feed whose canonical path is `selfPath`. */
export function feedHead(catalog: Catalog, scope: Scope, selfPath: string, updated: string, ttlSeconds: number, links: Pick<FeedHead, 'hub' | 'history' | 'deleted'> = {}): FeedHead {
  const site = catalog.site
  const images = feedImages(catalog)
  return {
    title: feedTitle(catalog, scope),
    description: scope.kind === 'site' ? site.description : scope.kind === 'topic' ? scope.topic.description : scope.person.role,
    selfUrl: catalog.url + selfPath,
    homeUrl: `${catalog.url}${scopeBase(scope) || '/'}`,
    language: site.language,
    updated,
    author: site.publisher,
    rights: site.rights,
    ttl: Math.max(1, Math.round(ttlSeconds / 60)),
    images,
    ...links,
  }
}

/** The newest `updated` among rows (RFC 3339 UTC strings compare as text). */
export function newest(rows: readonly { updated: string }[]): string | undefined {
  let max: string | undefined
  for (const r of rows) if (max === undefined || r.updated > max) max = r.updated
  return max
}

/** The Cache-Tag of a scope's documents. */
export function scopeTag(scope: Scope): string {
  return `feed:${scope.kind === 'site' ? 'site' : scope.kind === 'topic' ? scope.topic.slug : `person:${scope.person.id}`}`
}

/** A scope's archive layout: its entry count and the site's page size. */
export function pagingOf(catalog: Catalog, scope: Scope): Paging {
  return { count: statsOf(catalog, scope).entries, size: catalog.archivePageSize }
}

/** The subscription document's place in history: complete, or linked to the newest archive page. */
function subscriptionHistory(catalog: Catalog, scope: Scope, format: Format, paging: Paging): FeedHistory {
  if (isComplete(paging)) return { complete: true }
  return { prevArchive: catalog.url + archivePath(scopeBase(scope), pageCount(paging), format) }
}

export function feedRoutes(app: Hono<AppEnv>, { catalog, represent, store, policy, hubFor }: RouteContext): void {
  const sizes = (scope: string) => catalog.scopes[scope]?.entries ?? 0

  async function feed(c: Context<AppEnv>, scope: Scope, format: Format, spelled: boolean) {
    const raw = rawQuery(c.req.url)
    const own = scope.kind === 'topic' ? { topic: scope.topic.slug } : scope.kind === 'person' ? { person: scope.person.id } : undefined
    const filters = withinScope(parseFilters(raw ?? '', catalog.vocabulary), own)
    const query = canonicalQuery(filters)
    const path = feedPath(scopeBase(scope), format)
    const canonical = query ? `${path}?${query}` : path
    if (raw !== (query || undefined) || !spelled) return redirect(c, canonical)
    const hub = hubFor(query)
    // WebSub discovery (section 4) in the header too, so a subscriber need not parse the feed.
    c.header('Link', discoveryLinks(hub, catalog.url + canonical))
    // The subscription document (no query) holds every entry no archive page holds (RFC 5005 sections 2 and 4).
    const paging = pagingOf(catalog, scope)
    const history = query ? undefined : subscriptionHistory(catalog, scope, format, paging)
    const limit = query ? filters.limit : subscriptionLength(paging, DEFAULT_LIMIT)
    // Withdrawn and deleted entries, on the subscription document only; a withdrawal is a change of the feed, so it advances `updated`.
    const deleted = query ? [] : tombstonesOf(catalog.tombstones, scopeKey(scope), catalog.contentTime, catalog.tombstoneDays)
    return represent(c, canonical, async () => {
      const rows = await store(c).all<ItemRow>(feedQuery(scopeKey(scope), filters, format, sizes, limit))
      const updated = newest([...rows, ...deleted.map((t) => ({ updated: t.when }))]) ?? statsOf(catalog, scope).updated ?? catalog.updated
      const topics = new Set([...(scope.kind === 'topic' ? [scope.topic.slug] : []), ...filters.topic, ...filters.exclude, ...rows.flatMap((r) => r.topics.split(','))])
      return {
        body: SERIALIZERS[format].document(feedHead(catalog, scope, canonical, updated, policy.maxAge, { hub, history, deleted }), rows.map((r) => r.item)),
        type: FORMATS[format].type,
        updated,
        tags: [scopeTag(scope), `format:${format}`, ...[...topics].sort().map((t) => `topic:${t}`)],
      }
    })
  }

  const formatOf = (file: string) => {
    const format = FORMAT_BY_FILE.get(file)
    if (!format) throw new NotFound(`No such feed. Feeds are ${[...FORMAT_BY_FILE.keys()].join(', ')}.`)
    return format
  }

  for (const format of Object.keys(FORMATS) as Format[]) {
    app.get(`/${FORMATS[format].file}`, (c) => feed(c, { kind: 'site' }, format, true))
  }
  app.get('/topics/:slug/:file', (c) => {
    const format = formatOf(c.req.param('file'))
    const topic = topicNamed(catalog, c.req.param('slug'))
    return feed(c, { kind: 'topic', topic }, format, topic.slug === c.req.param('slug'))
  })
  app.get('/people/:id/:file', (c) => {
    const format = formatOf(c.req.param('file'))
    const person = personNamed(catalog, c.req.param('id'))
    return feed(c, { kind: 'person', person }, format, person.id === c.req.param('id'))
  })
}
