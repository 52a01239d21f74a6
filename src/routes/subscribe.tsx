/**
 * @module routes/subscribe
 * The subscribe pages (`/subscribe`, `/topics/{slug}/subscribe`,
 * `/people/{id}/subscribe`) and the feed preview's assets: `/feed.css` and
 * `/feed.js`, which every RSS and Atom document names, and `/copy.js`.
 * Registered before the feed routes, whose `/topics/{slug}/{file}` would
 * otherwise take `subscribe` for a feed file name.
 */
import type { Context, Hono } from 'hono'
import { personNamed, scopeBase, scopeKey, topicNamed, type Scope } from '../catalog.ts'
import { PREVIEW } from '../feeds/model.ts'
import { redirect } from '../http.ts'
import { wordsFor } from '../i18n.ts'
import { HTML_TYPE } from '../pages/layout.tsx'
import { COPY_JS, previewCss, previewJs } from '../pages/preview.ts'
import { COPY_SCRIPT, renderSubscribePage, subscribePath } from '../pages/subscribe.tsx'
import type { AppEnv, RouteContext } from './context.ts'

/** Registers the subscribe pages and the preview assets on `app`. */
export function subscribeRoutes(app: Hono<AppEnv>, { catalog, represent }: RouteContext): void {
  const words = wordsFor(catalog.site.language)
  const assets: [string, string, string][] = [
    [PREVIEW.stylesheet, 'text/css; charset=utf-8', previewCss(words)],
    [PREVIEW.script, 'text/javascript; charset=utf-8', previewJs(words)],
    [COPY_SCRIPT, 'text/javascript; charset=utf-8', COPY_JS],
  ]
  for (const [path, type, body] of assets) {
    app.get(path, (c) => represent(c, path, async () => ({ body, type, updated: catalog.updated, tags: ['asset'] })))
  }

  // Browsers ask for /favicon.ico when they show a document that names no icon, as a feed preview does.
  const favicon = catalog.site.images?.favicon
  app.get('/favicon.ico', (c) => (favicon ? redirect(c, `/images/${favicon}`) : c.body(null, 204, { 'Cache-Control': 'public, max-age=86400' })))

  const page = async (c: Context<AppEnv>, scope: Scope, spelled: boolean): Promise<Response> => {
    const path = subscribePath(scopeBase(scope))
    if (!spelled || new URL(c.req.url).search) return redirect(c, path)
    return represent(c, path, async () => ({ body: renderSubscribePage(catalog, scope), type: HTML_TYPE, updated: catalog.updated, tags: ['page', 'page:subscribe', `scope:${scopeKey(scope)}`] }))
  }
  app.get('/subscribe', (c) => page(c, { kind: 'site' }, true))
  app.get('/topics/:slug/subscribe', (c) => {
    const topic = topicNamed(catalog, c.req.param('slug'))
    return page(c, { kind: 'topic', topic }, topic.slug === c.req.param('slug'))
  })
  app.get('/people/:id/subscribe', (c) => {
    const person = personNamed(catalog, c.req.param('id'))
    return page(c, { kind: 'person', person }, person.id === c.req.param('id'))
  })
}
