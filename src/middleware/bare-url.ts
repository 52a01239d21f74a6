/**
 * @module middleware/bare-url
 * One rule for query strings: a resource that reads no query has one URL,
 * the bare one. A `GET` or `HEAD` with a query (even an empty `?`) to any
 * other route answers `301` to the same path without it, so that
 * `?utm_source=x` and friends do not each become an edge-cache key of their
 * own (RFC 9111 section 2: the cache key is the whole target URI).
 *
 * The routes that do read a query are declared once, by the caller, as a
 * predicate on the canonical path (feeds, search, the topic page's feed
 * builder); they canonicalise their own queries. The rule applies only to
 * responses the route would have given (a 2xx or a 304), so a mistyped URL
 * with a query is a plain 404, not a redirect to one. Runs after the
 * canonical-path middleware: the path is already canonical.
 */
import type { MiddlewareHandler } from 'hono'
import { createMiddleware } from 'hono/factory'

/** As stable as the other canonicalising redirects. */
const REDIRECT_CACHE = 'public, max-age=3600'

/** Redirects requests with a query to routes for which `takesQuery(path)` is false. */
export function bareUrl(takesQuery: (path: string) => boolean): MiddlewareHandler {
  return createMiddleware(async function bareUrl(c, next) {
    await next()
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return
    if (!c.req.url.includes('?') || takesQuery(c.req.path)) return
    const { status } = c.res
    if (!((status >= 200 && status < 300) || status === 304)) return
    await c.res.body?.cancel()
    // Hono copies the route's headers onto the new response: keep only the redirect's own and CORS.
    c.res = new Response(null, { status: 301 })
    for (const name of [...c.res.headers.keys()])
      if (!name.startsWith('access-control-')) c.res.headers.delete(name)
    c.res.headers.set('Location', c.req.path)
    c.res.headers.set('Cache-Control', REDIRECT_CACHE)
  })
}
