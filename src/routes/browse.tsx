/**
 * @module routes/browse
 * Pages for finding one's way: `/topics` (every topic), `/robots.txt` and
 * the sitemaps, `/sitemap.xml` and, past 50,000 URLs, its parts (see
 * pages/sitemap.ts and docs/pages.md).
 */
import type { Context, Hono } from 'hono'
import { NotFound } from '../errors.ts'
import { HTML_TYPE } from '../pages/layout.tsx'
import {
  entryPart,
  robotsTxt,
  scopePages,
  sitemapIndex,
  sitemapPlan,
  SITEMAP_TYPE,
  urlset,
  type SitemapUrl,
} from '../pages/sitemap.ts'
import { renderTopicsIndex } from '../pages/topics.tsx'
import { rangeQuery, type ItemRow } from '../store/queries.ts'
import type { Card } from '../store/rows.ts'
import type { AppEnv, RouteContext } from './context.ts'

/** Registers the browsing pages on `app`. */
export function browseRoutes(app: Hono<AppEnv>, { catalog, represent, store }: RouteContext): void {
  const catalogTags = ['catalog', 'format:html']
  app.get('/topics', (c) =>
    represent(c, '/topics', async () => ({
      body: renderTopicsIndex(catalog),
      type: HTML_TYPE,
      updated: catalog.updated,
      tags: [...catalogTags, 'page', 'page:topics'],
    })),
  )
  app.get('/robots.txt', (c) =>
    represent(c, '/robots.txt', async () => ({
      body: robotsTxt(catalog),
      type: 'text/plain; charset=utf-8',
      updated: catalog.updated,
      tags: ['catalog'],
    })),
  )

  const total = catalog.scopes.site?.entries ?? 0
  const pages = scopePages(catalog)
  const plan = sitemapPlan(pages.length, total)
  /** Entry pages at site positions `first` … `last` (an index range of the memberships). */
  const entryUrls = async (
    c: Context<AppEnv>,
    first: number,
    last: number,
  ): Promise<SitemapUrl[]> => {
    if (last < first) return []
    const rows = await store(c).all<ItemRow>(rangeQuery('site', first, last, 'card'))
    return rows.map((r) => ({
      loc: `${catalog.url}/entries/${(JSON.parse(r.item) as Card).id}`,
      lastmod: r.updated,
    }))
  }
  const xml = (c: Context<AppEnv>, path: string, body: () => Promise<string>) =>
    represent(c, path, async () => ({
      body: await body(),
      type: SITEMAP_TYPE,
      updated: catalog.updated,
      tags: ['catalog', 'sitemap'],
    }))

  app.get('/sitemap.xml', (c) =>
    xml(c, '/sitemap.xml', async () => {
      if (plan.single) return urlset([...pages, ...(await entryUrls(c, 1, total))])
      const parts = Array.from({ length: plan.parts }, (_, i) => ({
        loc: `${catalog.url}/sitemap/entries/${i + 1}.xml`,
        lastmod: catalog.updated,
      }))
      return sitemapIndex([
        { loc: `${catalog.url}/sitemap/pages.xml`, lastmod: catalog.updated },
        ...parts,
      ])
    }),
  )
  app.get('/sitemap/pages.xml', (c) => {
    if (plan.single) throw new NotFound('No sitemap parts: /sitemap.xml lists every page.')
    return xml(c, '/sitemap/pages.xml', async () => urlset(pages))
  })
  app.get('/sitemap/entries/:file{[0-9]+\\.xml}', (c) => {
    const n = Number(c.req.param('file').slice(0, -4))
    if (plan.single || !(n >= 1 && n <= plan.parts) || c.req.param('file') !== `${n}.xml`) {
      throw new NotFound(
        plan.single
          ? 'No sitemap parts: /sitemap.xml lists every page.'
          : `No sitemap part ${n}: parts are 1 to ${plan.parts}.`,
      )
    }
    const { first, last } = entryPart(n, total)
    return xml(c, `/sitemap/entries/${n}.xml`, async () => urlset(await entryUrls(c, first, last)))
  })
}
