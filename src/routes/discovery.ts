/**
 * @module discovery
 * The machine-readable lists of feeds, `/topics.json` and `/opml.xml`: both
 * built from the catalog alone, so neither reads the store.
 */
import type { Hono } from 'hono'
import { OPML_TYPE, renderOpml, renderTopicsJson, TOPICS_JSON_TYPE } from '../pages/discovery.ts'
import type { AppEnv, RouteContext } from './context.ts'

export function discoveryRoutes(app: Hono<AppEnv>, { catalog, represent }: RouteContext): void {
  const allTopicTags = catalog.topics.map((t) => `topic:${t.slug}`).sort()
  app.get('/topics.json', (c) =>
    represent(c, '/topics.json', async () => ({
      body: renderTopicsJson(catalog),
      type: TOPICS_JSON_TYPE,
      updated: catalog.updated,
      tags: ['discovery', 'discovery:topics', 'catalog', ...allTopicTags],
    })),
  )
  app.get('/opml.xml', (c) =>
    represent(c, '/opml.xml', async () => ({
      body: renderOpml(catalog),
      type: OPML_TYPE,
      updated: catalog.updated,
      tags: ['discovery', 'discovery:opml', 'catalog', ...allTopicTags],
    })),
  )
}
