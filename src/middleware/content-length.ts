/**
 * @module middleware/content-length
 * Every response states its length, so that `HEAD` carries exactly the
 * headers of `GET` (RFC 9110 section 9.3.2) and no body is sent chunked.
 *
 * Hono answers `HEAD` by running the `GET` route and dropping the body;
 * whatever this middleware sets on the `GET` response therefore reaches
 * both. Bodies here are small and already in memory (memoised bytes,
 * error text), so reading one to count it costs a copy at most. Responses
 * that have no content by definition, `204` and `304`, carry no
 * `Content-Length` (RFC 9110 section 8.6).
 *
 * Under `wrangler dev` (not at the edge), HTML responses reach the client
 * chunked whatever the Worker sends: the development proxy pipes every
 * `text/html` response through an HTMLRewriter to add its live-reload
 * script. The Worker's own response, as `exports.default.fetch` returns it,
 * carries its length.
 */
import type { MiddlewareHandler } from 'hono'
import { createMiddleware } from 'hono/factory'

/** Sets `Content-Length` on every response with content, reading the body to bytes when it is not known yet. */
export function contentLength(): MiddlewareHandler {
  return createMiddleware(async function contentLength(c, next) {
    await next()
    const res = c.res
    if (res.status === 204 || res.status === 304) {
      res.headers.delete('Content-Length')
      return
    }
    if (res.headers.has('Content-Length')) return
    const bytes = res.body ? new Uint8Array(await res.arrayBuffer()) : new Uint8Array(0)
    const headers = new Headers(res.headers)
    headers.set('Content-Length', String(bytes.byteLength))
    // Unset first: Hono's `c.res` setter would otherwise wrap the new body in a stream of unknown length again.
    c.res = undefined
    c.res = new Response(bytes, { status: res.status, statusText: res.statusText, headers })
  })
}
