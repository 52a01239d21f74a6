/**
 * @module sitemap
 * `/robots.txt` and the sitemaps (sitemaps.org protocol 0.9): every page
 * with its `lastmod`, the newest `updated` of what the page shows. One
 * sitemap holds at most {@link SITEMAP_LIMIT} URLs; past that `/sitemap.xml`
 * is a sitemap index of `/sitemap/pages.xml` (the scope pages) and
 * `/sitemap/entries/{n}.xml` (entry pages, oldest first, a fixed number
 * each, so a full part never changes).
 */
import type { Catalog } from '../catalog.ts'
import { escape } from '../lib/xml.ts'

/** The protocol's limit of URLs per sitemap file. */
export const SITEMAP_LIMIT = 50_000

export const SITEMAP_TYPE = 'application/xml; charset=utf-8'

export interface SitemapUrl {
  loc: string
  lastmod: string
}

/** The pages that are not entries: home, the indexes, each topic, person and source, with their lastmod. */
export function scopePages(catalog: Catalog): SitemapUrl[] {
  const at = (key: string) => catalog.scopes[key]?.updated ?? catalog.updated
  return [
    ...['/', '/topics', '/people', '/sources', '/archive', '/subscribe'].map((path) => ({
      loc: catalog.url + path,
      lastmod: catalog.updated,
    })),
    ...catalog.topics.map((t) => ({
      loc: `${catalog.url}/topics/${t.slug}`,
      lastmod: at(`topic:${t.slug}`),
    })),
    ...catalog.people.map((p) => ({
      loc: `${catalog.url}/people/${p.id}`,
      lastmod: at(`person:${p.id}`),
    })),
    ...catalog.sources.map((s) => ({
      loc: `${catalog.url}/sources/${s.slug}`,
      lastmod: at(`source:${s.slug}`),
    })),
  ]
}

/** How the sitemap is split: one file when everything fits, else the number of entry parts. */
export function sitemapPlan(
  pages: number,
  entries: number,
  limit = SITEMAP_LIMIT,
): { single: true } | { single: false; parts: number } {
  return pages + entries <= limit
    ? { single: true }
    : { single: false, parts: Math.ceil(entries / limit) }
}

/** Entry positions (1 is the oldest) of entry part `n`. */
export function entryPart(
  n: number,
  entries: number,
  limit = SITEMAP_LIMIT,
): { first: number; last: number } {
  return { first: (n - 1) * limit + 1, last: Math.min(entries, n * limit) }
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
