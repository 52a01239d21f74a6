/**
 * @module sources
 * The source pages: `/sources` (every document, from the catalog) and
 * `/sources/{slug}` (one document). A source page reads one indexed range of
 * the store: the newest entries of `source:{slug}`, whole, for their cards and
 * the quotes they take from it. A source's feeds, archives and
 * `/sources.json` come from the scope table, like every scope's.
 */
import type { Hono } from 'hono'
import type { Entry } from '../content/types.ts'
import { DEFAULT_LIMIT } from '../filters.ts'
import { redirect } from '../redirect.ts'
import { HTML_TYPE } from '../pages/layout.tsx'
import { quotesIn } from '../pages/entry.tsx'
import { renderSourcePage, renderSourcesIndex } from '../pages/sources.tsx'
import { routePattern, SCOPE_KINDS, scopeNamed, scopeTag, statsOf } from '../scopes.ts'
import { docsQuery, type ItemRow } from '../store/queries.ts'
import type { AppEnv, RouteContext } from './context.ts'

/** Registers the source pages on `app`. */
export function sourceRoutes(app: Hono<AppEnv>, { catalog, represent, store }: RouteContext): void {
  const row = SCOPE_KINDS.source

  app.get('/sources', (c) =>
    represent(c, '/sources', async () => ({
      body: renderSourcesIndex(catalog),
      type: HTML_TYPE,
      updated: catalog.updated,
      tags: ['page', 'page:sources', 'catalog'],
    })),
  )

  app.get(routePattern(row), async (c) => {
    const { scope, spelled } = scopeNamed(catalog, row.kind, c.req.param(row.param) ?? '')
    const { name: slug, member: source } = scope
    if (!spelled) return redirect(c, `${scope.path}${new URL(c.req.url).search}`)
    const stats = statsOf(catalog, scope.key)
    return represent(c, scope.path, async () => {
      const rows = await store(c).all<ItemRow>(docsQuery(scope.key, DEFAULT_LIMIT))
      const entries = rows.map((r) => JSON.parse(r.item) as Entry)
      return {
        body: renderSourcePage(catalog, {
          source,
          stats,
          latest: entries,
          quotes: quotesIn(entries, (q) => q.source === slug),
        }),
        type: HTML_TYPE,
        updated: stats.updated ?? catalog.updated,
        tags: ['page', 'page:source', scopeTag(scope.key), 'format:html'],
      }
    })
  })
}
