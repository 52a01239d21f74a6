/**
 * @module sitemap
 * `/robots.txt` and the sitemaps (sitemaps.org protocol 0.9): every page
 * with its `lastmod`, the newest `updated` of what the page shows. One
 * sitemap holds at most {@link SITEMAP_LIMIT} URLs; past that `/sitemap.xml`
 * is a sitemap index of `/sitemap/pages/{n}.xml` (the pages that are not
 * entries: scopes, their subscribe and archive pages, every page of every
 * month) and `/sitemap/entries/{n}.xml` (entry pages, oldest first, a fixed
 * number each, so a full part never changes).
 */
import type { Catalog } from '../catalog.ts'
import { archiveIndexPath, monthPages } from '../history.ts'
import { escape } from '../lib/xml.ts'
import { allScopes, MEMBER_ROWS, statsOf } from '../scopes.ts'
import { monthPath } from './archive.tsx'
import type { MonthRow } from '../store/rows.ts'

/** The protocol's limit of URLs per sitemap file. */
export const SITEMAP_LIMIT = 50_000

export const SITEMAP_TYPE = 'application/xml; charset=utf-8'

export interface SitemapUrl {
  loc: string
  lastmod: string
}

/**
 * The pages that are not entries, with their lastmod: the member indexes
 * (`/topics`, `/people`, `/sources`); each scope's page (the site's is `/`),
 * subscribe page and archive index; and every page of every month of every
 * scope (`months`: the store's month rows of the version served). Search
 * results are left out, as robots.txt asks.
 */
export function scopePages(catalog: Catalog, months: readonly MonthRow[] = []): SitemapUrl[] {
  const at = (key: string) => statsOf(catalog, key).updated ?? catalog.updated
  const url = (path: string, lastmod: string) => ({ loc: catalog.url + (path || '/'), lastmod })
  const paths = new Map(allScopes(catalog).map((s) => [s.key, s.path]))
  return [
    ...MEMBER_ROWS.map((row) => url(`/${row.segment}`, catalog.updated)),
    ...allScopes(catalog).flatMap((s) => [
      url(s.path, at(s.key)),
      url(`${s.path}/subscribe`, at(s.key)),
      url(archiveIndexPath(s.path), at(s.key)),
    ]),
    ...months.flatMap((m) => {
      const base = paths.get(m.scope)
      if (base === undefined) return [] // a store-only scope (quotes of a person) has no pages
      const lastmod = m.updated || at(m.scope)
      const pages = monthPages(m.first_pos, m.last_pos, catalog.archivePageSize)
      return Array.from({ length: pages }, (_, i) => url(monthPath(base, m.month, i + 1), lastmod))
    }),
  ]
}

/** How the sitemap is split: one file when everything fits, else the number of parts of pages and of entries. */
export function sitemapPlan(
  pages: number,
  entries: number,
  limit = SITEMAP_LIMIT,
): { single: true } | { single: false; pageParts: number; entryParts: number } {
  return pages + entries <= limit
    ? { single: true }
    : {
        single: false,
        pageParts: Math.ceil(pages / limit),
        entryParts: Math.ceil(entries / limit),
      }
}

/** Positions (1 is the first) of part `n` of `count` items. */
export function sitemapPart(
  n: number,
  count: number,
  limit = SITEMAP_LIMIT,
): { first: number; last: number } {
  return { first: (n - 1) * limit + 1, last: Math.min(count, n * limit) }
}

export function urlset(urls: readonly SitemapUrl[]): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' +
    urls
      .map((u) => `<url><loc>${escape(u.loc)}</loc><lastmod>${u.lastmod}</lastmod></url>\n`)
      .join('') +
    '</urlset>\n'
  )
}

export function sitemapIndex(maps: readonly SitemapUrl[]): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' +
    maps
      .map((m) => `<sitemap><loc>${escape(m.loc)}</loc><lastmod>${m.lastmod}</lastmod></sitemap>\n`)
      .join('') +
    '</sitemapindex>\n'
  )
}

/** `/robots.txt`: everything may be crawled, feeds included, but the endless search results and the hub; the sitemap's address. */
export function robotsTxt(catalog: Catalog): string {
  return `User-agent: *\nAllow: /\nDisallow: /search\nDisallow: /websub\n\nSitemap: ${catalog.url}/sitemap.xml\n`
}
