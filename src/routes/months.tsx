/**
 * @module routes/months
 * The month pages of each scope's archive: `{base}/archive/{yyyy}/{mm}`
 * and `{base}/archive/{yyyy}/year` (entries dated only to the year), page
 * `n` > 1 at `…/{n}`, for every scope of the scope table. A month is
 * one row of the store's `months` table (its entry count and the range of
 * positions it spans); its page reads that range of the scope's
 * memberships (an index range, never a scan) and keeps the entries whose
 * archive month it is, so each entry is on exactly one month page.
 */
import type { Context, Hono } from 'hono'
import { BadParameter, NotFound } from '../errors.ts'
import { archiveIndexPath, monthPageRange, monthPages } from '../history.ts'
import { rawQuery, redirect } from '../redirect.ts'
import { wordsFor } from '../i18n.ts'
import { monthName, monthPath, type MonthRow } from '../pages/archive.tsx'
import { HTML_TYPE } from '../pages/layout.tsx'
import { renderMonthPage } from '../pages/months.tsx'
import { monthsQuery, rangeQuery, type ItemRow } from '../store/queries.ts'
import { archiveMonth, type Card } from '../store/rows.ts'
import { routePattern, SCOPE_ROWS, scopeTag, statsOf, type Scope } from '../scopes.ts'
import { locator, type AppEnv, type RouteContext } from './context.ts'

/** Reads `yyyy`, `mm` (or `year`) and the page from the path; a month out of range or a malformed page is a 400. */
function readMonth(c: Context<AppEnv>): { month: string; page: string | undefined } {
  const year = c.req.param('year') ?? ''
  const mm = c.req.param('mm') ?? ''
  if (mm !== 'year' && !(/^\d\d$/.test(mm) && Number(mm) >= 1 && Number(mm) <= 12))
    throw new BadParameter(
      'month',
      'a month from 01 to 12, or "year" for entries dated only to the year, as in /archive/2025/05',
    )
  return { month: mm === 'year' ? year : `${year}-${mm}`, page: c.req.param('page') }
}

/** Error messages are the service's, in English for every client (an HTML error page marks them so). */
const ENGLISH = wordsFor('en')

/** Registers the month pages on `app`. */
export function monthRoutes(app: Hono<AppEnv>, { catalog, represent, store }: RouteContext): void {
  async function monthPage(c: Context<AppEnv>, scope: Scope, spelled: boolean): Promise<Response> {
    const base = scope.path
    const key = scope.key
    const { month, page: rawPage } = readMonth(c)
    const months = await store(c).all<MonthRow>(monthsQuery(key))
    const i = months.findIndex((m) => m.month === month)
    const row = months[i]
    if (!row)
      throw new NotFound(
        `No entries from ${monthName(month, ENGLISH)}; ${archiveIndexPath(base)} lists the months that have entries.`,
      )
    const size = catalog.archivePageSize
    const pages = monthPages(row.first_pos, row.last_pos, size)
    if (rawPage !== undefined && (!/^\d{1,9}$/.test(rawPage) || Number(rawPage) === 0))
      throw new BadParameter(
        'page',
        `a whole number from 1 to ${pages} in the path, as in ${monthPath(base, month, 2)}`,
      )
    const page = rawPage === undefined ? 1 : Number(rawPage)
    if (page > pages)
      throw new NotFound(
        `No page ${page} of ${monthName(month, ENGLISH)}: there ${pages === 1 ? 'is 1 page' : `are ${pages} pages`}.`,
        { pages },
      )
    const path = monthPath(base, month, page)
    // Page 1 has no number in its path; any other spelling (leading zeros, `/1`) is redirected to the canonical one.
    const canonical = rawPage === undefined || (rawPage === String(page) && page > 1)
    if (!spelled || !canonical || rawQuery(c.req.url) !== undefined) return redirect(c, path)
    return represent(c, path, async () => {
      const { lo, hi } = monthPageRange(row.first_pos, row.last_pos, size, page)
      const rows = await store(c).all<ItemRow>(rangeQuery(key, lo, hi, 'card'))
      // The range may hold entries of neighbouring months (a backdated entry's position); keep this month's.
      const shown = rows
        .map((r) => ({ card: JSON.parse(r.item) as Card, updated: r.updated }))
        .filter((r) => archiveMonth(r.card) === month)
      const entries = shown.map((r) => r.card)
      return {
        body: renderMonthPage(catalog, {
          scope,
          month,
          total: row.entries,
          page,
          pages,
          entries,
          older: months[i + 1]?.month,
          newer: months[i - 1]?.month,
        }),
        type: HTML_TYPE,
        updated:
          shown
            .map((r) => r.updated)
            .sort()
            .at(-1) ??
          statsOf(catalog, key).updated ??
          catalog.updated,
        tags: ['page', 'page:archive-month', scopeTag(key), 'format:html'],
      }
    })
  }

  const MONTH = '/archive/:year{[0-9]{4}}/:mm{[0-9a-z]{2,4}}'
  for (const row of SCOPE_ROWS) {
    const where = locator(catalog, row)
    const handler = (c: Context<AppEnv>) => {
      const { scope, spelled } = where(c)
      return monthPage(c, scope, spelled)
    }
    app.get(`${routePattern(row)}${MONTH}`, handler)
    app.get(`${routePattern(row)}${MONTH}/:page`, handler)
  }
}
