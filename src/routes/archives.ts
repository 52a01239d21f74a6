/**
 * @module archives
 * Archived feeds (RFC 5005 section 4) and their HTML pages, for the site,
 * each topic and each person:
 *
 * - `{base}/archive/{n}/{rss.xml,atom.xml,feed.json}`: archive document n,
 *   with `fh:archive` and its `current`, `prev-archive` and `next-archive`
 *   links (JSON Feed: `next_url` to the older page);
 * - `{base}/archive/{n}`: the same entries as an HTML page;
 * - `{base}/archive`: the index by month.
 *
 * `base` is ``, `/topics/{slug}` or `/people/{id}`. Archive URLs take no
 * query: any query string is a 301 to the bare URL, as is a page number
 * with leading zeros or a slug in capitals. Each page is one range read of
 * `(scope, pos)`. Register these before the feed routes: `/topics/:slug/archive`
 * would otherwise be read as a feed file named `archive`.
 */
import type { Context, Hono } from 'hono'
import { personNamed, scopeBase, scopeKey, statsOf, topicNamed, type Scope } from '../catalog.ts'
import { NotFound } from '../errors.ts'
import type { FeedHistory } from '../feeds/model.ts'
import { ARCHIVE_CACHE, archiveIndexPath, archivePath, archiveTags, pageCount, pageRange, readPage } from '../history.ts'
import { feedPath, FORMAT_BY_FILE, FORMATS, rawQuery, redirect, type Format } from '../http.ts'
import { renderArchiveIndex, renderArchivePage, type MonthRow } from '../pages/archive.tsx'
import { HTML_TYPE } from '../pages/layout.tsx'
import { monthsQuery, rangeQuery, type ItemRow } from '../store/queries.ts'
import type { Card } from '../store/rows.ts'
import type { AppEnv, RouteContext } from './context.ts'
import { feedHead, newest, pagingOf, SERIALIZERS } from './feeds.ts'

/** A scope read from the path, and whether the path spells it canonically. */
type Located = { scope: Scope; spelled: boolean }

/** Registers the archive routes on `app`. */
export function archiveRoutes(app: Hono<AppEnv>, { catalog, represent, store, policy }: RouteContext): void {
  /** The page number in the path, checked against the scope's pages; its canonical path, and whether the URL already is it. */
  function locate(c: Context<AppEnv>, { scope, spelled }: Located, format?: Format) {
    const base = scopeBase(scope)
    const paging = pagingOf(catalog, scope)
    const pages = pageCount(paging)
    const { page, canonical } = readPage(c.req.param('n') ?? '', pages, archiveIndexPath(base))
    const path = archivePath(base, page, format)
    const bare = spelled && canonical && rawQuery(c.req.url) === undefined
    // Full pages older than the newest never change when entries are published; the newest one gains its
    // next-archive link when the following page fills, so it is cached like the subscription feed.
    return { base, paging, pages, page, path, bare, cache: page < pages ? ARCHIVE_CACHE : policy }
  }

  async function archiveFeed(c: Context<AppEnv>, located: Located, format: Format) {
    const { base, paging, pages, page, path, bare, cache } = locate(c, located, format)
    if (!bare) return redirect(c, path)
    const scope = located.scope
    const key = scopeKey(scope)
    return represent(
      c,
      path,
      async () => {
        const { first, last } = pageRange(page, paging.size)
        const rows = await store(c).all<ItemRow>(rangeQuery(key, first, last, format))
        const updated = newest(rows) ?? catalog.updated
        const history: FeedHistory = {
          archive: true,
          current: catalog.url + feedPath(base, format),
          prevArchive: page > 1 ? catalog.url + archivePath(base, page - 1, format) : undefined,
          nextArchive: page < pages ? catalog.url + archivePath(base, page + 1, format) : undefined,
        }
        return {
          // RSS <ttl> of every archive document is the full pages' day, so that it does not change when the newest one ages.
          body: SERIALIZERS[format].document(feedHead(catalog, scope, path, updated, ARCHIVE_CACHE.maxAge, { history }), rows.map((r) => r.item)),
          type: FORMATS[format].type,
          updated,
          tags: [...archiveTags(key, page), `format:${format}`],
        }
      },
      cache,
    )
  }

  async function archivePage(c: Context<AppEnv>, located: Located) {
    const { paging, pages, page, path, bare, cache } = locate(c, located)
    if (!bare) return redirect(c, path)
    const key = scopeKey(located.scope)
    const res = await represent(
      c,
      path,
      async () => {
        const { first, last } = pageRange(page, paging.size)
        const rows = await store(c).all<ItemRow>(rangeQuery(key, first, last, 'card'))
        return {
          body: renderArchivePage(catalog, { scope: located.scope, page, pages, entries: rows.map((r) => JSON.parse(r.item) as Card) }),
          type: HTML_TYPE,
          updated: newest(rows) ?? catalog.updated,
          tags: ['page', 'page:archive', ...archiveTags(key, page), 'format:html'],
        }
      },
      cache,
    )
    return res
  }

  async function archiveIndex(c: Context<AppEnv>, { scope, spelled }: Located) {
    const path = archiveIndexPath(scopeBase(scope))
    if (!spelled || rawQuery(c.req.url) !== undefined) return redirect(c, path)
    const key = scopeKey(scope)
    const res = await represent(c, path, async () => ({
      body: renderArchiveIndex(catalog, scope, pagingOf(catalog, scope), await store(c).all<MonthRow>(monthsQuery(key))),
      type: HTML_TYPE,
      updated: statsOf(catalog, scope).updated ?? catalog.updated,
      tags: ['page', 'page:archive-index', `archive:${key}`, `scope:${key}`, 'format:html'],
    }))
    return res
  }

  const formatOf = (file: string) => {
    const format = FORMAT_BY_FILE.get(file)
    if (!format) throw new NotFound(`No such archive feed. Archive feeds are ${[...FORMAT_BY_FILE.keys()].join(', ')}.`)
    return format
  }
  const site = (): Located => ({ scope: { kind: 'site' }, spelled: true })
  const topic = (c: Context<AppEnv>): Located => {
    const t = topicNamed(catalog, c.req.param('slug') ?? '')
    return { scope: { kind: 'topic', topic: t }, spelled: t.slug === c.req.param('slug') }
  }
  const person = (c: Context<AppEnv>): Located => {
    const p = personNamed(catalog, c.req.param('id') ?? '')
    return { scope: { kind: 'person', person: p }, spelled: p.id === c.req.param('id') }
  }

  for (const [prefix, where] of [['', site], ['/topics/:slug', topic], ['/people/:id', person]] as const) {
    app.get(`${prefix}/archive`, (c) => archiveIndex(c, where(c)))
    app.get(`${prefix}/archive/:n`, (c) => archivePage(c, where(c)))
    app.get(`${prefix}/archive/:n/:file`, (c) => archiveFeed(c, where(c), formatOf(c.req.param('file'))))
  }
}
