/**
 * @module routes/browse
 * Pages for finding one's way: `/topics` (every topic), `/robots.txt` and
 * the sitemaps, `/sitemap.xml` and, past 50,000 URLs, its parts
 * `/sitemap/pages/{n}.xml` and `/sitemap/entries/{n}.xml` (see
 * pages/sitemap.ts and docs/pages.md).
 */
import type { Context, Hono } from 'hono'
import { NotFound } from '../errors.ts'
import { HTML_TYPE } from '../pages/layout.tsx'
import {
  robotsTxt,
  scopePages,
  sitemapIndex,
  sitemapPart,
  sitemapPlan,
  SITEMAP_TYPE,
  urlset,
  type SitemapUrl,
} from '../pages/sitemap.ts'
import { renderTopicsIndex } from '../pages/topics.tsx'
import { allMonthsQuery, rangeQuery, type ItemRow } from '../store/queries.ts'
import type { Card, MonthRow } from '../store/rows.ts'
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
  /** Every page that is not an entry (month pages come from the store) and how the sitemap splits. */
  const layout = async (c: Context<AppEnv>) => {
    const pages = scopePages(catalog, await store(c).all<MonthRow>(allMonthsQuery()))
    return { pages, plan: sitemapPlan(pages.length, total) }
  }
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
  const parts = (kind: string, count: number) =>
    Array.from({ length: count }, (_, i) => ({
      loc: `${catalog.url}/sitemap/${kind}/${i + 1}.xml`,
      lastmod: catalog.updated,
    }))

  app.get('/sitemap.xml', (c) =>
    xml(c, '/sitemap.xml', async () => {
      const { pages, plan } = await layout(c)
      if (plan.single) return urlset([...pages, ...(await entryUrls(c, 1, total))])
      return sitemapIndex([...parts('pages', plan.pageParts), ...parts('entries', plan.entryParts)])
    }),
  )
  for (const kind of ['pages', 'entries'] as const) {
    app.get(`/sitemap/${kind}/:file{[0-9]+\\.xml}`, async (c) => {
      const n = Number(c.req.param('file').slice(0, -4))
      const { pages, plan } = await layout(c)
      const count = plan.single ? 0 : kind === 'pages' ? plan.pageParts : plan.entryParts
      if (!(n >= 1 && n <= count) || c.req.param('file') !== `${n}.xml`) {
        throw new NotFound(
          plan.single
            ? 'No sitemap parts: /sitemap.xml lists every page.'
            : `No sitemap part ${kind}/${c.req.param('file')}: parts are ${kind}/1.xml to ${kind}/${count}.xml.`,
        )
      }
      const { first, last } = sitemapPart(n, kind === 'pages' ? pages.length : total)
      return xml(c, `/sitemap/${kind}/${n}.xml`, async () =>
        urlset(kind === 'pages' ? pages.slice(first - 1, last) : await entryUrls(c, first, last)),
      )
    })
  }
}
