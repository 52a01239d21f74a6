/**
 * @module middleware/feed-csp
 * Puts a Content-Security-Policy on every XML feed response. A feed reader
 * ignores it; a browser that renders the feed as a page (the preview, see
 * docs/feeds-in-browsers.md) then runs nothing but the preview's own
 * same-origin stylesheet and script. Registered beside `pageCsp`, for the
 * same reason (it must see the response before a 304 replaces it).
 */
import type { MiddlewareHandler } from 'hono'
import { createMiddleware } from 'hono/factory'

export function feedCsp(policy: string): MiddlewareHandler {
  return createMiddleware(async function feedCsp(c, next) {
    await next()
    if (c.res.headers.get('Content-Type')?.startsWith('application/xml'))
      c.res.headers.set('Content-Security-Policy', policy)
  })
}
