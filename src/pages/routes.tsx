/**
 * @module routes
 * The HTML pages and discovery documents: `/entries/{id}` (each feed item's
 * link), and the site's index, topic pages, `/topics.json` and `/opml.xml`.
 */
import type { Hono } from 'hono'
import type { RouteContext } from '../app.ts'
import { NotFound, quote } from '../errors.ts'
import { renderEntryPage } from './entry.tsx'
import { HTML_TYPE, pageCsp } from './layout.tsx'

/** Registers the page routes on `app`. */
export function pageRoutes(app: Hono, { site, represent }: RouteContext): void {
  app.get('/entries/:id', async (c) => {
    const id = c.req.param('id')
    const entry = site.entryById.get(id)
    if (!entry) throw new NotFound(`No entry ${quote(id)}.`)
    const res = await represent(c, `/entries/${entry.id}`, () => ({
      body: renderEntryPage(site, entry),
      type: HTML_TYPE,
      updated: entry.updated,
      tags: ['page', `entry:${entry.id}`, ...entry.topics.map((t) => `topic:${t}`)],
    }))
    res.headers.set('Content-Security-Policy', pageCsp)
    return res
  })
}
