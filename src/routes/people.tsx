/**
 * @module people
 * The people routes: `/people` (everyone, with entry counts from the
 * catalog), `/people/{id}` (one person: role, quotes, entries, feeds) and
 * `/people.json`. The feeds, `/people/{id}/{rss.xml,atom.xml,feed.json}`,
 * are in `feeds.ts`. A person page reads two indexed ranges of the store, in
 * parallel: the newest entries of `person:{id}` as cards, and the newest
 * entries of `speaker:{id}` whole, for their quotes.
 */
import type { Hono } from 'hono'
import { personNamed } from '../catalog.ts'
import type { Entry } from '../content/types.ts'
import { DEFAULT_LIMIT } from '../filters.ts'
import { subscriptionLength } from '../history.ts'
import { redirect } from '../http.ts'
import { PEOPLE_JSON_TYPE, renderPeopleJson } from '../pages/discovery.ts'
import { HTML_TYPE } from '../pages/layout.tsx'
import { quotesIn } from '../pages/entry.tsx'
import { QUOTED_ENTRIES, renderPeopleIndex, renderPersonPage } from '../pages/people.tsx'
import { cardsQuery, docsQuery, type ItemRow } from '../store/queries.ts'
import type { Card } from '../store/rows.ts'
import type { AppEnv, RouteContext } from './context.ts'

const NONE = { entries: 0, updated: null }

/** Registers the people routes on `app`. */
export function peopleRoutes(app: Hono<AppEnv>, { catalog, represent, store }: RouteContext): void {
  const personTags = catalog.people.map((p) => `person:${p.id}`).sort()

  app.get('/people', (c) =>
    represent(c, '/people', async () => ({
      body: renderPeopleIndex(catalog),
      type: HTML_TYPE,
      updated: catalog.updated,
      tags: ['page', 'page:people', 'catalog', 'format:html', ...personTags],
    })),
  )

  app.get('/people.json', (c) =>
    represent(c, '/people.json', async () => ({
      body: renderPeopleJson(catalog),
      type: PEOPLE_JSON_TYPE,
      updated: catalog.updated,
      tags: ['discovery', 'discovery:people', 'catalog', ...personTags],
    })),
  )

  app.get('/people/:id', async (c) => {
    const person = personNamed(catalog, c.req.param('id'))
    const id = person.id
    if (id !== c.req.param('id')) {
      const search = new URL(c.req.url).search
      return redirect(c, `/people/${id}${search}`)
    }
    const stats = catalog.scopes[`person:${id}`] ?? NONE
    const quoted = catalog.scopes[`speaker:${id}`] ?? NONE
    // The page shows entries of both scopes; RFC 3339 UTC strings sort as times.
    const updated = [stats.updated, quoted.updated].filter((u) => u !== null).sort().at(-1) ?? catalog.updated
    return represent(c, `/people/${id}`, async () => {
      const [cards, docs] = await Promise.all([
        // As many entries as the person's subscription feed holds, so that with the archive pages every entry has an HTML page.
        store(c).all<ItemRow>(cardsQuery(`person:${id}`, subscriptionLength({ count: stats.entries, size: catalog.archivePageSize }, DEFAULT_LIMIT))),
        store(c).all<ItemRow>(docsQuery(`speaker:${id}`, QUOTED_ENTRIES)),
      ])
      const latest = cards.map((r) => JSON.parse(r.item) as Card)
      const quotes = quotesIn(docs.map((r) => JSON.parse(r.item) as Entry), (q) => q.speaker === id)
      const topics = new Set([...cards, ...docs].flatMap((r) => (r.topics ? r.topics.split(',') : [])))
      return {
        body: renderPersonPage(catalog, { person, stats, quoted, latest, quotes }),
        type: HTML_TYPE,
        updated,
        tags: ['page', 'page:person', `person:${id}`, `scope:person:${id}`, 'format:html', ...[...topics].sort().map((t) => `topic:${t}`)],
      }
    })
  })
}
