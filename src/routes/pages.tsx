/**
 * @module pages
 * The HTML pages: the site's index, topic pages and `/entries/{id}` (each
 * feed item's link). Every one is served through `represent`, so it gets the
 * feeds' ETag, Last-Modified, Cache-Control and Cache-Tag, and is read from
 * the store and rendered at most once per isolate per canonical key.
 */
import type { Hono } from 'hono'
import { topicNamed, type Scope } from '../catalog.ts'
import type { Entry } from '../content/types.ts'
import { HttpError, NotFound, quote } from '../errors.ts'
import { DEFAULT_LIMIT } from '../filters.ts'
import { subscriptionLength } from '../history.ts'
import { redirect } from '../http.ts'
import { renderEntryPage, renderGonePage } from '../pages/entry.tsx'
import { renderHomePage } from '../pages/home.tsx'
import { HTML_TYPE } from '../pages/layout.tsx'
import { rawChoices, readForm, renderTopicPage, type TopicInfo } from '../pages/topic.tsx'
import { cardsQuery, countQuery, entryQuery, type ItemRow } from '../store/queries.ts'
import type { Card } from '../store/rows.ts'
import type { AppEnv, RouteContext } from './context.ts'
import { pagingOf } from './feeds.ts'

/** Most matches the topic page's form counts before it says "more than". */
export const COUNT_CAP = 1000

/** Registers the page routes on `app`. */
export function pageRoutes(app: Hono<AppEnv>, { catalog, represent, store }: RouteContext): void {
  const allTopicTags = catalog.topics.map((t) => `topic:${t.slug}`).sort()
  const sizes = (scope: string) => catalog.scopes[scope]?.entries ?? 0
  const cards = (rows: ItemRow[]) => rows.map((r) => JSON.parse(r.item) as Card)
  /** A front page lists what its subscription feed carries: every entry no archive page holds. */
  const latestCount = (scope: Scope) => subscriptionLength(pagingOf(catalog, scope), DEFAULT_LIMIT)

  app.get('/', (c) =>
    represent(c, '/', async () => ({
      body: renderHomePage(catalog, cards(await store(c).all<ItemRow>(cardsQuery('site', latestCount({ kind: 'site' }))))),
      type: HTML_TYPE,
      updated: catalog.updated,
      tags: ['page', 'page:home', ...allTopicTags],
    })),
  )

  app.get('/topics/:slug', async (c) => {
    const topic = topicNamed(catalog, c.req.param('slug'))
    const slug = topic.slug
    const search = new URL(c.req.url).search.slice(1)
    if (slug !== c.req.param('slug')) return redirect(c, `/topics/${slug}${search ? `?${search}` : ''}`)
    const stats = catalog.scopes[`topic:${slug}`] ?? { entries: 0, updated: null }
    const related = catalog.related[slug] ?? { topics: [], people: [] }
    const info = async (): Promise<TopicInfo> => ({
      topic,
      stats,
      related: related.topics.map((t) => catalog.topicBySlug.get(t)!),
      people: related.people.map((p) => catalog.personById.get(p)!),
      latest: cards(await store(c).all<ItemRow>(cardsQuery(`topic:${slug}`, latestCount({ kind: 'topic', topic })))),
    })
    let request
    try {
      request = readForm(search, catalog.vocabulary)
    } catch (error) {
      // A malformed value is answered on the page itself, with the input put back in the form. It is not memoised:
      // its body echoes what was typed, so its key would be unbounded.
      if (!(error instanceof HttpError) || error.status !== 400) throw error
      const body = renderTopicPage(catalog, await info(), { kind: 'error', message: error.message, raw: rawChoices(search) })
      return c.body(body, 400, { 'Content-Type': HTML_TYPE, 'Cache-Control': 'public, max-age=60' })
    }
    // The key is the path plus the canonical form of the form's values: only valid values reach it, so it is bounded.
    const key = request ? `/topics/${slug}?${request.pageQuery}` : `/topics/${slug}`
    const tags = new Set([slug, ...(request ? [...request.filters.topic, ...request.filters.exclude] : [])])
    return represent(c, key, async () => {
      const view = request
        ? { kind: 'result' as const, request, matches: (await store(c).first<{ n: number }>(countQuery(`topic:${slug}`, request.filters, sizes, COUNT_CAP + 1)))?.n ?? 0, cap: COUNT_CAP }
        : { kind: 'plain' as const }
      return {
        body: renderTopicPage(catalog, await info(), view),
        type: HTML_TYPE,
        updated: stats.updated ?? catalog.updated,
        tags: ['page', 'page:topic', ...[...tags].sort().map((t) => `topic:${t}`)],
      }
    })
  })

  app.get('/entries/:id', async (c) => {
    const id = c.req.param('id')
    // Ids are slugs; anything else cannot exist, and never reaches the store.
    if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(id)) throw new NotFound(`No entry ${quote(id)}.`)
    // A withdrawn or deleted entry: 410 Gone (RFC 9110 section 15.5.11), with the reason, in the site's layout.
    const gone = catalog.gone.get(id)
    if (gone) return c.body(renderGonePage(catalog, gone), 410, { 'Content-Type': HTML_TYPE, 'Cache-Control': 'public, max-age=300', 'Cache-Tag': `page,entry:${id}` })
    return represent(c, `/entries/${id}`, async () => {
      const row = await store(c).first<{ doc: string; updated: string }>(entryQuery(id))
      if (!row) throw new NotFound(`No entry ${quote(id)}.`)
      const entry = JSON.parse(row.doc) as Entry
      return {
        body: renderEntryPage(catalog, entry),
        type: HTML_TYPE,
        updated: entry.updated,
        tags: ['page', `entry:${entry.id}`, ...entry.topics.map((t) => `topic:${t}`)],
      }
    })
  })
}
