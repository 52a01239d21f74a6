/**
 * @module archives
 * Archived feeds (RFC 5005 section 4) and their HTML pages, one set per row
 * of the scope table:
 *
 * - `{base}/archive/{n}/{rss.xml,atom.xml,feed.json}`: archive document n,
 *   with `fh:archive` and its `current`, `prev-archive` and `next-archive`
 *   links (JSON Feed: `next_url` to the older page);
 * - `{base}/archive/{n}`: the same entries as an HTML page;
 * - `{base}/archive`: the index by month.
 *
 * `base` is the scope's path: ``, `/topics/{slug}`, `/people/{id}`,
 * `/sources/{slug}`. Archive URLs take no query: any query string is a 301
 * to the bare URL, as is a page number with leading zeros or a name in
 * capitals. Each page is one range read of `(scope, pos)`.
 */
import type { Context, Hono } from 'hono'
import type { CachePolicy } from '../cache.ts'
import type { Catalog } from '../catalog.ts'
import { FEED_FILE_PATTERN, formatNamed, type Format } from '../formats.ts'
import {
  ARCHIVE_CACHE,
  archiveIndexPath,
  archivePath,
  pageCount,
  pageRange,
  readPage,
} from '../history.ts'
import { archiveTag, formatTag } from '../tags.ts'
import { rawQuery, redirect } from '../redirect.ts'
import { renderArchiveIndex, renderArchivePage, type MonthRow } from '../pages/archive.tsx'
import { HTML_TYPE } from '../pages/layout.tsx'
import { archiveHistory, feedDocument, feedHead, newest, pagingOf } from '../render/feed-head.ts'
import { routePattern, scopeTag, SCOPE_ROWS, statsOf, type Located, type Scope } from '../scopes.ts'
import { monthsQuery, rangeQuery, type ItemRow } from '../store/queries.ts'
import type { Card } from '../store/rows.ts'
import { locator, type AppEnv, type RouteContext } from './context.ts'

/** Archive page `n` of a scope as the path names it: its number, its canonical path, and how long it may be cached. */
interface ArchivePage {
  page: number
  pages: number
  path: string
  /** True when the URL already is the canonical path. */
  bare: boolean
  cache: CachePolicy
}

/** Reads the page number in the path, checked against the scope's pages. */
function locatePage(
  c: Context<AppEnv>,
  catalog: Catalog,
  policy: CachePolicy,
  { scope, spelled }: Located,
  format?: Format,
): ArchivePage {
  const pages = pageCount(pagingOf(catalog, scope))
  const { page, canonical } = readPage(c.req.param('n') ?? '', pages, archiveIndexPath(scope.path))
  const path = archivePath(scope.path, page, format)
  const bare = spelled && canonical && rawQuery(c.req.url) === undefined
  // Full pages older than the newest never change when entries are published; the newest one gains its
  // next-archive link when the following page fills, so it is cached like the subscription feed.
  return { page, pages, path, bare, cache: page < pages ? ARCHIVE_CACHE : policy }
}

/** Registers the archive routes of every scope kind on `app`. */
export function archiveRoutes(
  app: Hono<AppEnv>,
  { catalog, represent, store, policy }: RouteContext,
): void {
  const rangeOf = async (
    c: Context<AppEnv>,
    scope: Scope,
    page: number,
    column: Format | 'card',
  ) => {
    const { first, last } = pageRange(page, catalog.archivePageSize)
    return store(c).all<ItemRow>(rangeQuery(scope.key, first, last, column))
  }

  async function archiveFeed(c: Context<AppEnv>, located: Located, format: Format) {
    const { page, pages, path, bare, cache } = locatePage(c, catalog, policy, located, format)
    if (!bare) return redirect(c, path)
    const scope = located.scope
    const render = async () => {
      const rows = await rangeOf(c, scope, page, format)
      const updated = newest(rows) ?? catalog.updated
      // RSS <ttl> of every archive document is the full pages' day, so that it does not change when the newest one ages.
      const head = feedHead(catalog, scope, path, updated, ARCHIVE_CACHE.maxAge, {
        history: archiveHistory(catalog, scope, format, page, pages),
      })
      return {
        ...feedDocument(format, head, rows),
        updated,
        tags: [archiveTag(scope.key, page), formatTag(format)],
      }
    }
    return represent(c, path, render, cache)
  }

  async function archivePage(c: Context<AppEnv>, located: Located) {
    const { page, pages, path, bare, cache } = locatePage(c, catalog, policy, located)
    if (!bare) return redirect(c, path)
    const scope = located.scope
    const render = async () => {
      const rows = await rangeOf(c, scope, page, 'card')
      const cards = rows.map((r) => JSON.parse(r.item) as Card)
      return {
        body: renderArchivePage(catalog, { scope, page, pages, entries: cards }),
        type: HTML_TYPE,
        updated: newest(rows) ?? catalog.updated,
        tags: ['page', 'page:archive', archiveTag(scope.key, page), 'format:html'],
      }
    }
    return represent(c, path, render, cache)
  }

  async function archiveIndex(c: Context<AppEnv>, { scope, spelled }: Located) {
    const path = archiveIndexPath(scope.path)
    if (!spelled || rawQuery(c.req.url) !== undefined) return redirect(c, path)
    return represent(c, path, async () => ({
      body: renderArchiveIndex(
        catalog,
        scope,
        pagingOf(catalog, scope),
        await store(c).all<MonthRow>(monthsQuery(scope.key)),
      ),
      type: HTML_TYPE,
      updated: statsOf(catalog, scope.key).updated ?? catalog.updated,
      tags: ['page', 'page:archive-index', scopeTag(scope.key), 'format:html'],
    }))
  }

  for (const row of SCOPE_ROWS) {
    const where = locator(catalog, row)
    const prefix = routePattern(row)
    app.get(`${prefix}/archive`, (c) => archiveIndex(c, where(c)))
    app.get(`${prefix}/archive/:n`, (c) => archivePage(c, where(c)))
    app.get(`${prefix}/archive/:n/:file{${FEED_FILE_PATTERN}}`, (c) =>
      archiveFeed(c, where(c), formatNamed(c.req.param('file'), 'archive feed')),
    )
  }
}
