/**
 * @module discovery
 * The machine-readable lists of feeds: `/{plural}.json` for each kind of
 * the scope table (`/topics.json`, `/people.json`, `/sources.json`) and
 * `/opml.xml`. All are built from the catalog alone, so none reads the
 * store, and all carry the `catalog` Cache-Tag.
 */
import type { Hono } from 'hono'
import {
  DISCOVERY_JSON_TYPE,
  OPML_TYPE,
  renderDiscoveryJson,
  renderOpml,
} from '../pages/discovery.ts'
import { MEMBER_ROWS } from '../scopes.ts'
import type { AppEnv, RouteContext } from './context.ts'

/** Registers the discovery documents on `app`. */
export function discoveryRoutes(app: Hono<AppEnv>, { catalog, represent }: RouteContext): void {
  for (const row of MEMBER_ROWS) {
    const path = `/${row.plural}.json`
    app.get(path, (c) =>
      represent(c, path, async () => ({
        body: renderDiscoveryJson(catalog, row),
        type: DISCOVERY_JSON_TYPE,
        updated: catalog.updated,
        tags: ['catalog', `discovery:${row.plural}`],
      })),
    )
  }
  app.get('/opml.xml', (c) =>
    represent(c, '/opml.xml', async () => ({
      body: renderOpml(catalog),
      type: OPML_TYPE,
      updated: catalog.updated,
      tags: ['catalog', 'discovery:opml'],
    })),
  )
}
