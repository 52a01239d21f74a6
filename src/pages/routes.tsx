/**
 * @module routes
 * The HTML pages and discovery documents: `/entries/{id}` (each feed item's
 * link), and the site's index, topic pages, `/topics.json` and `/opml.xml`.
 *
 * Every one is served through `represent`, so it gets the feeds' ETag,
 * Last-Modified, Cache-Control and Cache-Tag, and is rendered at most once
 * per isolate per canonical key: rendering happens only in the callbacks.
 */
import type { Context, Hono } from 'hono'
import type { RouteContext } from '../app.ts'
import { HttpError, NotFound, quote } from '../errors.ts'
import { buildDirectory, type TopicInfo } from './directory.ts'
import { OPML_TYPE, renderOpml, renderTopicsJson, TOPICS_JSON_TYPE } from './discovery.ts'
import { renderEntryPage } from './entry.tsx'
import { renderHomePage } from './home.tsx'
import { HTML_TYPE, pageCsp } from './layout.tsx'
import { rawChoices, readForm, renderTopicPage } from './topic.tsx'

/** Registers the page routes on `app`. */
export function pageRoutes(app: Hono, { site, represent }: RouteContext): void {
  const dir = buildDirectory(site)
  const allTopicTags = site.content.topics.map((t) => `topic:${t.slug}`).sort()

  /** Pages carry the Content-Security-Policy; 304s are cut down later by the etag middleware. */
  const page = (res: Response) => (res.headers.set('Content-Security-Policy', pageCsp), res)

  app.get('/', async (c) =>
    page(
      await represent(c, '/', () => ({
        body: renderHomePage(site, dir),
        type: HTML_TYPE,
        updated: site.updated,
        tags: ['page', 'page:home', ...allTopicTags],
      })),
    ),
  )

  app.get('/topics/:slug', async (c) => {
    const info = topicOr404(c, c.req.param('slug'))
    if (info instanceof Response) return info
    const slug = info.topic.slug
    const search = new URL(c.req.url).search.slice(1)
    let request
    try {
      request = readForm(search, site.vocabulary)
    } catch (error) {
      // A malformed value is answered on the page itself, with the input put back in the form. It is not memoised:
      // its body echoes what was typed, so its key would be unbounded.
      if (!(error instanceof HttpError) || error.status !== 400) throw error
      const body = renderTopicPage(site, info, { kind: 'error', message: error.message, raw: rawChoices(search) })
      return c.body(body, 400, { 'Content-Type': HTML_TYPE, 'Cache-Control': 'public, max-age=60', 'Content-Security-Policy': pageCsp })
    }
    // The key is the path plus the canonical form of the form's values: only valid values reach it, so it is bounded.
    const key = request ? `/topics/${slug}?${request.pageQuery}` : `/topics/${slug}`
    const tags = new Set([slug, ...(request ? [...request.filters.topic, ...request.filters.exclude] : [])])
    return page(
      await represent(c, key, () => ({
        body: renderTopicPage(site, info, request ? { kind: 'result', request } : { kind: 'plain' }),
        type: HTML_TYPE,
        updated: info.updated ?? site.updated,
        tags: ['page', 'page:topic', ...[...tags].sort().map((t) => `topic:${t}`)],
      })),
    )
  })

  app.get('/entries/:id', async (c) => {
    const id = c.req.param('id')
    const entry = site.entryById.get(id)
    if (!entry) throw new NotFound(`No entry ${quote(id)}.`)
    return page(
      await represent(c, `/entries/${entry.id}`, () => ({
        body: renderEntryPage(site, entry),
        type: HTML_TYPE,
        updated: entry.updated,
        tags: ['page', `entry:${entry.id}`, ...entry.topics.map((t) => `topic:${t}`)],
      })),
    )
  })

  app.get('/topics.json', (c) =>
    represent(c, '/topics.json', () => ({
      body: renderTopicsJson(site, dir),
      type: TOPICS_JSON_TYPE,
      updated: site.updated,
      tags: ['discovery', 'discovery:topics', ...allTopicTags],
    })),
  )

  app.get('/opml.xml', (c) =>
    represent(c, '/opml.xml', () => ({
      body: renderOpml(site, dir),
      type: OPML_TYPE,
      updated: site.updated,
      tags: ['discovery', 'discovery:opml', ...allTopicTags],
    })),
  )

  /** As app.ts's `topicOr404`: a slug in the wrong case redirects (query kept), an unknown one is a 404 naming the valid ones. */
  function topicOr404(c: Context, slug: string): TopicInfo | Response {
    const info = dir.bySlug.get(slug)
    if (info) return info
    const lower = slug.toLowerCase()
    if (lower !== slug && dir.bySlug.has(lower)) {
      return c.body(null, 301, { Location: `/topics/${lower}${new URL(c.req.url).search}`, 'Cache-Control': 'public, max-age=3600' })
    }
    const valid = [...dir.bySlug.keys()]
    throw new NotFound(`Unknown topic ${quote(slug)}. Valid topics: ${valid.join(', ')}.`, { topics: valid })
  }
}
