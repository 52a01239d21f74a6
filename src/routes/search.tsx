/**
 * @module search
 * `/search`: the HTML view of a filtered site feed, made for keywords
 * (`q`). The query is parsed and spelled exactly as a feed's
 * (`parseFilters`, `canonicalQuery`), and any other spelling is a 301 to the
 * canonical one, so each search has one URL and one memo key. A malformed
 * value (`q` too long, too many words) is answered on the page itself with
 * a 400 and the input put back in the box; that answer is not memoised, as
 * its body echoes what was typed.
 */
import type { Hono } from 'hono'
import { HttpError } from '../errors.ts'
import { canonicalQuery, COUNT_CAP, filterScopeKeys, parseFilters, readQuery } from '../filters.ts'
import { rawQuery, redirect } from '../redirect.ts'
import { HTML_TYPE } from '../pages/layout.tsx'
import { renderSearchPage } from '../pages/search.tsx'
import { scopeTag, siteScope, sizesOf, vocabularyOf } from '../scopes.ts'
import { countQuery, feedQuery, type ItemRow } from '../store/queries.ts'
import type { Card } from '../store/rows.ts'
import type { AppEnv, RouteContext } from './context.ts'

/** Registers `/search` on `app`. */
export function searchRoutes(app: Hono<AppEnv>, { catalog, represent, store }: RouteContext): void {
  const sizes = sizesOf(catalog)
  const site = siteScope(catalog).key

  app.get('/search', async (c) => {
    const raw = rawQuery(c.req.url)
    let filters
    try {
      filters = parseFilters(raw ?? '', vocabularyOf(catalog))
    } catch (error) {
      if (!(error instanceof HttpError) || error.status !== 400) throw error
      const body = renderSearchPage(catalog, {
        kind: 'error',
        message: error.message,
        typed: typedWords(raw ?? ''),
      })
      return c.body(body, 400, { 'Content-Type': HTML_TYPE, 'Cache-Control': 'public, max-age=60' })
    }
    const query = canonicalQuery(filters)
    if (raw !== (query || undefined)) return redirect(c, query ? `/search?${query}` : '/search')
    const res = await represent(c, query ? `/search?${query}` : '/search', async () => {
      if (!query)
        return {
          body: renderSearchPage(catalog, { kind: 'form' }),
          type: HTML_TYPE,
          updated: catalog.updated,
          tags: ['page', 'page:search', 'format:html'],
        }
      const [rows, count] = await Promise.all([
        store(c).all<ItemRow>(feedQuery(site, filters, 'card', sizes)),
        store(c).first<{ n: number }>(countQuery(site, filters, sizes, COUNT_CAP + 1)),
      ])
      const results = rows.map((r) => JSON.parse(r.item) as Card)
      const keys = [...new Set([site, ...filterScopeKeys(filters)])].sort()
      return {
        body: renderSearchPage(catalog, {
          kind: 'result',
          filters,
          query,
          results,
          matches: count?.n ?? 0,
          cap: COUNT_CAP,
        }),
        type: HTML_TYPE,
        updated:
          rows
            .map((r) => r.updated)
            .sort()
            .at(-1) ?? catalog.updated,
        tags: ['page', 'page:search', ...keys.map(scopeTag), 'format:html'],
      }
    })
    return res
  })
}

/** The `q` the reader typed, to put back in the box after an error; tolerant of anything. */
function typedWords(raw: string): string {
  try {
    return readQuery(raw).find(([name]) => name === 'q')?.[1] ?? ''
  } catch {
    return ''
  }
}
