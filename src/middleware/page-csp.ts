/**
 * @module middleware/page-csp
 * Puts the pages' Content-Security-Policy on every HTML response, so that no
 * page route can forget it. Registered last, so it sees the route's response
 * before the conditional-request middleware turns it into a 304 (which keeps
 * only the headers RFC 9110 section 15.4.5 lists).
 */
import type { MiddlewareHandler } from 'hono'
import { createMiddleware } from 'hono/factory'

export function pageCsp(policy: string): MiddlewareHandler {
  return createMiddleware(async function pageCsp(c, next) {
    await next()
    if (c.res.headers.get('Content-Type')?.startsWith('text/html'))
      c.res.headers.set('Content-Security-Policy', policy)
  })
}
