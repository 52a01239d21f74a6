/**
 * @module routes
 * The HTML pages and discovery documents: `/entries/{id}` (each feed item's
 * link), and the site's index, topic pages, `/topics.json` and `/opml.xml`.
 *
 * Every one is served through `represent`, so it gets the feeds' ETag,
 * Last-Modified, Cache-Control and Cache-Tag, and is rendered at most once
 * per isolate per canonical key: rendering happens only in the callbacks.
 */
import type { Hono } from 'hono'
import { redirect, topicNamed, type RouteContext } from '../app.ts'
import { HttpError, NotFound, quote } from '../errors.ts'
import { buildDirectory } from './directory.ts'
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
    const slug = topicNamed(site, c.req.param('slug')).slug
    const search = new URL(c.req.url).search.slice(1)
    if (slug !== c.req.param('slug')) return redirect(c, `/topics/${slug}${search ? `?${search}` : ''}`)
    const info = dir.bySlug.get(slug)!
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
}
