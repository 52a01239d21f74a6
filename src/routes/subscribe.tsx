/**
 * @module routes/subscribe
 * The subscribe pages (`{scope}/subscribe` for every scope of the scope
 * table: `/subscribe`, `/topics/{slug}/subscribe`, …) and the feed
 * preview's assets: `/feed.css` and `/feed.js`, which every RSS and Atom
 * document names, and `/copy.js`.
 */
import type { Context, Hono } from 'hono'
import { PREVIEW } from '../feeds/model.ts'
import { redirect } from '../redirect.ts'
import { wordsFor } from '../i18n.ts'
import { HTML_TYPE } from '../pages/layout.tsx'
import { COPY_JS, previewCss, previewJs } from '../pages/preview.ts'
import { COPY_SCRIPT, renderSubscribePage, subscribePath } from '../pages/subscribe.tsx'
import { routePattern, SCOPE_ROWS, scopeTag, type Scope } from '../scopes.ts'
import { locator, type AppEnv, type RouteContext } from './context.ts'

/** Registers the subscribe pages and the preview assets on `app`. */
export function subscribeRoutes(app: Hono<AppEnv>, { catalog, represent }: RouteContext): void {
  const words = wordsFor(catalog.site.language)
  const assets: [string, string, string][] = [
    [PREVIEW.stylesheet, 'text/css; charset=utf-8', previewCss(words)],
    [PREVIEW.script, 'text/javascript; charset=utf-8', previewJs(words)],
    [COPY_SCRIPT, 'text/javascript; charset=utf-8', COPY_JS],
  ]
  for (const [path, type, body] of assets) {
    app.get(path, (c) =>
      represent(c, path, async () => ({ body, type, updated: catalog.updated, tags: ['asset'] })),
    )
  }

  // Browsers ask for /favicon.ico when they show a document that names no icon, as a feed preview does.
  const favicon = catalog.site.images?.favicon
  app.get('/favicon.ico', (c) =>
    favicon
      ? redirect(c, `/images/${favicon}`)
      : c.body(null, 204, { 'Cache-Control': 'public, max-age=86400' }),
  )

  const page = async (c: Context<AppEnv>, scope: Scope, spelled: boolean): Promise<Response> => {
    const path = subscribePath(scope.path)
    if (!spelled || new URL(c.req.url).search) return redirect(c, path)
    return represent(c, path, async () => ({
      body: renderSubscribePage(catalog, scope),
      type: HTML_TYPE,
      updated: catalog.updated,
      tags: ['page', 'page:subscribe', scopeTag(scope.key), 'format:html'],
    }))
  }
  for (const row of SCOPE_ROWS) {
    const where = locator(catalog, row)
    app.get(`${routePattern(row)}/subscribe`, (c) => {
      const { scope, spelled } = where(c)
      return page(c, scope, spelled)
    })
  }
}
