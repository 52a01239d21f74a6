/**
 * @module pages
 * The HTML pages: the site's index, topic pages and `/entries/{id}` (each
 * feed item's link). Every one is served through `represent`, so it gets the
 * feeds' ETag, Last-Modified, Cache-Control and Cache-Tag, and is read from
 * the store and rendered at most once per isolate per canonical key.
 */
import type { Hono } from 'hono'
import type { Entry } from '../content/types.ts'
import { HttpError, NotFound, quote } from '../errors.ts'
import { COUNT_CAP, DEFAULT_LIMIT, filterScopeKeys } from '../filters.ts'
import { subscriptionLength } from '../history.ts'
import { redirect } from '../redirect.ts'
import { renderEntryPage, renderGonePage } from '../pages/entry.tsx'
import { renderHomePage } from '../pages/home.tsx'
import { HTML_TYPE } from '../pages/layout.tsx'
import { rawChoices, readForm, renderTopicPage, type TopicInfo } from '../pages/topic.tsx'
import { pagingOf } from '../render/feed-head.ts'
import {
  routePattern,
  SCOPE_KINDS,
  scopeNamed,
  scopeTag,
  siteScope,
  sizesOf,
  statsOf,
  vocabularyOf,
  type Scope,
} from '../scopes.ts'
import { cardsQuery, countQuery, entryQuery, type ItemRow } from '../store/queries.ts'
import type { Card } from '../store/rows.ts'
import type { AppEnv, RouteContext } from './context.ts'

/** Registers the page routes on `app`. */
export function pageRoutes(app: Hono<AppEnv>, { catalog, represent, store }: RouteContext): void {
  const sizes = sizesOf(catalog)
  const row = SCOPE_KINDS.topic
  const cards = (rows: ItemRow[]) => rows.map((r) => JSON.parse(r.item) as Card)
  /** A front page lists what its subscription feed carries: every entry no archive page holds. */
  const latestCount = (scope: Scope) => subscriptionLength(pagingOf(catalog, scope), DEFAULT_LIMIT)

  app.get('/', (c) =>
    represent(c, '/', async () => ({
      body: renderHomePage(
        catalog,
        cards(
          await store(c).all<ItemRow>(
            cardsQuery(siteScope(catalog).key, latestCount(siteScope(catalog))),
          ),
        ),
      ),
      type: HTML_TYPE,
      updated: catalog.updated,
      tags: ['page', 'page:home', scopeTag(siteScope(catalog).key), 'catalog', 'format:html'],
    })),
  )

  app.get(routePattern(row), async (c) => {
    const { scope, spelled } = scopeNamed(catalog, row.kind, c.req.param(row.param) ?? '')
    const { name: slug, member: topic } = scope
    const search = new URL(c.req.url).search.slice(1)
    if (!spelled) return redirect(c, `${scope.path}${search ? `?${search}` : ''}`)
    const stats = statsOf(catalog, scope.key)
    const related = catalog.related[slug] ?? { topics: [], people: [] }
    const info = async (): Promise<TopicInfo> => ({
      topic,
      stats,
      related: related.topics.map((t) => catalog.topicBySlug.get(t)!),
      people: related.people.map((p) => catalog.personById.get(p)!),
      latest: cards(await store(c).all<ItemRow>(cardsQuery(scope.key, latestCount(scope)))),
    })
    let request
    try {
      request = readForm(search, vocabularyOf(catalog))
    } catch (error) {
      // A malformed value is answered on the page itself, with the input put back in the form. It is not memoised:
      // its body echoes what was typed, so its key would be unbounded.
      if (!(error instanceof HttpError) || error.status !== 400) throw error
      const body = renderTopicPage(catalog, await info(), {
        kind: 'error',
        message: error.message,
        raw: rawChoices(search),
      })
      return c.body(body, 400, { 'Content-Type': HTML_TYPE, 'Cache-Control': 'public, max-age=60' })
    }
    // The key is the path plus the canonical form of the form's values: only valid values reach it, so it is bounded.
    const key = request ? `${scope.path}?${request.pageQuery}` : scope.path
    const tags = [...new Set([scope.key, ...(request ? filterScopeKeys(request.filters) : [])])]
      .sort()
      .map(scopeTag)
    return represent(c, key, async () => {
      const view = request
        ? {
            kind: 'result' as const,
            request,
            matches:
              (
                await store(c).first<{ n: number }>(
                  countQuery(scope.key, request.filters, sizes, COUNT_CAP + 1),
                )
              )?.n ?? 0,
            cap: COUNT_CAP,
          }
        : { kind: 'plain' as const }
      return {
        body: renderTopicPage(catalog, await info(), view),
        type: HTML_TYPE,
        updated: stats.updated ?? catalog.updated,
        tags: ['page', 'page:topic', ...tags, 'format:html'],
      }
    })
  })

  app.get('/entries/:id', async (c) => {
    const id = c.req.param('id')
    // Ids are slugs; anything else cannot exist, and never reaches the store.
    if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(id)) throw new NotFound(`No entry ${quote(id)}.`)
    // A withdrawn or deleted entry: 410 Gone (RFC 9110 section 15.5.11), with the reason, in the site's layout.
    const gone = catalog.gone.get(id)
    if (gone)
      return c.body(renderGonePage(catalog, gone), 410, {
        'Content-Type': HTML_TYPE,
        'Cache-Control': 'public, max-age=300',
        'Cache-Tag': `page,entry:${id}`,
      })
    return represent(c, `/entries/${id}`, async () => {
      const row = await store(c).first<{ doc: string; updated: string }>(entryQuery(id))
      if (!row) throw new NotFound(`No entry ${quote(id)}.`)
      const entry = JSON.parse(row.doc) as Entry
      return {
        body: renderEntryPage(catalog, entry),
        type: HTML_TYPE,
        updated: entry.updated,
        tags: ['page', `entry:${entry.id}`, 'format:html'],
      }
    })
  })
}
