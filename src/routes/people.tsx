/**
 * @module people
 * The people routes: `/people` (everyone, with entry counts from the
 * catalog) and `/people/{id}` (one person: role, quotes, entries, feeds).
 * Feeds, archives and `/people.json` come from the scope table, in
 * `feeds.ts`, `archives.ts` and `discovery.ts`. A person page reads two indexed ranges of the store, in
 * parallel: the newest entries of `person:{id}` as cards, and the newest
 * entries of `speaker:{id}` whole, for their quotes.
 */
import type { Hono } from 'hono'
import type { Entry } from '../content/types.ts'
import { DEFAULT_LIMIT } from '../filters.ts'
import { subscriptionLength } from '../history.ts'
import { redirect } from '../redirect.ts'
import { HTML_TYPE } from '../pages/layout.tsx'
import { quotesIn } from '../pages/entry.tsx'
import { QUOTED_ENTRIES, renderPeopleIndex, renderPersonPage } from '../pages/people.tsx'
import { routePattern, SCOPE_KINDS, scopeNamed, scopeTag, speakerKey, statsOf } from '../scopes.ts'
import { cardsQuery, docsQuery, type ItemRow } from '../store/queries.ts'
import type { Card } from '../store/rows.ts'
import type { AppEnv, RouteContext } from './context.ts'

/** Registers the people routes on `app`. */
export function peopleRoutes(app: Hono<AppEnv>, { catalog, represent, store }: RouteContext): void {
  const row = SCOPE_KINDS.person

  app.get('/people', (c) =>
    represent(c, '/people', async () => ({
      body: renderPeopleIndex(catalog),
      type: HTML_TYPE,
      updated: catalog.updated,
      tags: ['page', 'page:people', 'catalog'],
    })),
  )

  app.get(routePattern(row), async (c) => {
    const { scope, spelled } = scopeNamed(catalog, row.kind, c.req.param(row.param) ?? '')
    const { name: id, member: person } = scope
    if (!spelled) return redirect(c, `${scope.path}${new URL(c.req.url).search}`)
    const stats = statsOf(catalog, scope.key)
    const quoted = statsOf(catalog, speakerKey(id))
    // The page shows entries of both scopes; RFC 3339 UTC strings sort as times.
    const updated =
      [stats.updated, quoted.updated]
        .filter((u) => u !== null)
        .sort()
        .at(-1) ?? catalog.updated
    return represent(c, scope.path, async () => {
      const [cards, docs] = await Promise.all([
        // As many entries as the person's subscription feed holds, so that with the archive pages every entry has an HTML page.
        store(c).all<ItemRow>(
          cardsQuery(
            scope.key,
            subscriptionLength(
              { count: stats.entries, size: catalog.archivePageSize },
              DEFAULT_LIMIT,
            ),
          ),
        ),
        store(c).all<ItemRow>(docsQuery(speakerKey(id), QUOTED_ENTRIES)),
      ])
      const latest = cards.map((r) => JSON.parse(r.item) as Card)
      const quotes = quotesIn(
        docs.map((r) => JSON.parse(r.item) as Entry),
        (q) => q.speaker === id,
      )
      return {
        body: renderPersonPage(catalog, { person, stats, quoted, latest, quotes }),
        type: HTML_TYPE,
        updated,
        tags: ['page', 'page:person', scopeTag(scope.key), scopeTag(speakerKey(id)), 'format:html'],
      }
    })
  })
}
