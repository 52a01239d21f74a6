/**
 * @module sources
 * The source routes: `/sources` (every document, from the catalog) and
 * `/sources/{slug}` (one document). A source page reads one indexed range of
 * the store: the newest entries of `source:{slug}`, whole, for their cards and
 * the quotes they take from it.
 */
import type { Hono } from 'hono'
import { sourceNamed } from '../catalog.ts'
import type { Entry } from '../content/types.ts'
import { DEFAULT_LIMIT } from '../filters.ts'
import { redirect } from '../http.ts'
import { HTML_TYPE } from '../pages/layout.tsx'
import { quotesIn } from '../pages/entry.tsx'
import { renderSourcePage, renderSourcesIndex } from '../pages/sources.tsx'
import { docsQuery, type ItemRow } from '../store/queries.ts'
import type { AppEnv, RouteContext } from './context.ts'

/** Registers the source routes on `app`. */
export function sourceRoutes(app: Hono<AppEnv>, { catalog, represent, store }: RouteContext): void {
  const sourceTags = catalog.sources.map((s) => `source:${s.slug}`).sort()

  app.get('/sources', (c) =>
    represent(c, '/sources', async () => ({
      body: renderSourcesIndex(catalog),
      type: HTML_TYPE,
      updated: catalog.updated,
      tags: ['page', 'page:sources', 'catalog', 'format:html', ...sourceTags],
    })),
  )

  app.get('/sources/:slug', async (c) => {
    const source = sourceNamed(catalog, c.req.param('slug'))
    const slug = source.slug
    if (slug !== c.req.param('slug')) return redirect(c, `/sources/${slug}${new URL(c.req.url).search}`)
    const stats = catalog.scopes[`source:${slug}`] ?? { entries: 0, updated: null }
    return represent(c, `/sources/${slug}`, async () => {
      const rows = await store(c).all<ItemRow>(docsQuery(`source:${slug}`, DEFAULT_LIMIT))
      const entries = rows.map((r) => JSON.parse(r.item) as Entry)
      const topics = new Set(entries.flatMap((e) => e.topics))
      return {
        body: renderSourcePage(catalog, { source, stats, latest: entries, quotes: quotesIn(entries, (q) => q.source === slug) }),
        type: HTML_TYPE,
        updated: stats.updated ?? catalog.updated,
        tags: ['page', 'page:source', `source:${slug}`, `scope:source:${slug}`, 'format:html', ...[...topics].sort().map((t) => `topic:${t}`)],
      }
    })
  })
}
