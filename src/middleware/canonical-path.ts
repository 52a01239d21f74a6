/**
 * @module middleware/canonical-path
 * One spelling per path, so that each resource has one URL and one cache key.
 *
 * Works on the path as the runtime hands it over in `c.req.url` (not
 * `c.req.path`, which Hono has already percent-decoded). It keeps doubled
 * slashes, percent-encoded letters and a trailing slash, which this
 * middleware redirects.
 *
 * Dot segments are a property of the platform, not of this middleware: the
 * WHATWG URL parser resolves `.`, `..` and their `%2e` spellings (RFC 3986
 * section 5.2.4) before the Worker runs, in workerd locally and at
 * Cloudflare's edge alike, so `/topics/./alpha/rss.xml` and
 * `/topics/%2e%2e/atom.xml` arrive as `/topics/alpha/rss.xml` and
 * `/atom.xml` and are answered there directly, with no redirect. (The pure
 * {@link canonicalPathOf} still removes dot segments, so that it is total
 * on any string; no request ever carries one.)
 *
 * The canonical path (RFC 3986 section 6.2.2): every percent-encoded
 * unreserved character decoded (section 2.3: `%72` is `r`, `%7E` is `~`),
 * empty segments (`//`, a trailing slash) dropped. No path this service answers contains anything but
 * unreserved characters and `/`, so a segment that decodes to anything else
 * (`%2F`, `%00`, a space, `<`), or does not decode at all, is a 404 rather
 * than a redirect. Any other spelling answers `301` with a relative
 * `Location`: the canonical path followed by the query exactly as received.
 * Only the path is ever rewritten, so a forged `Host` cannot reach the
 * redirect, and the target never starts with `//` (no open redirect).
 */
import type { MiddlewareHandler } from 'hono'
import { createMiddleware } from 'hono/factory'

/** RFC 3986 section 2.3. */
const UNRESERVED = /^[A-Za-z0-9._~-]*$/

/** Redirects to the canonical path are as stable as the feeds' own (the app's `redirect`). */
const REDIRECT_CACHE = 'public, max-age=3600'

/**
 * Splits an absolute URL into its path as received and what follows it
 * (`?query`, without a fragment; empty when there is no `?`).
 */
export function splitUrl(url: string): { path: string; suffix: string } {
  const authority = url.indexOf('//')
  const start = url.indexOf('/', authority === -1 ? 0 : authority + 2)
  if (start === -1) return { path: '/', suffix: '' }
  let end = url.length
  for (let i = start; i < url.length; i++) {
    const ch = url.charCodeAt(i)
    if (ch === 0x3f /* ? */ || ch === 0x23 /* # */) {
      end = i
      break
    }
  }
  const hash = url.indexOf('#', end)
  return { path: url.slice(start, end), suffix: url.slice(end, hash === -1 ? undefined : hash) }
}

/**
 * The canonical spelling of a raw path (see the module comment), or
 * undefined when no canonical spelling can name a resource here.
 * Pure: `/topics/./%73overeignty//rss.xml/` → `/topics/sovereignty/rss.xml`.
 */
export function canonicalPathOf(raw: string): string | undefined {
  const out: string[] = []
  for (const segment of raw.split('/').slice(1)) {
    let decoded: string
    try {
      decoded = segment.includes('%') ? decodeURIComponent(segment) : segment
    } catch {
      return undefined
    }
    if (!UNRESERVED.test(decoded)) return undefined
    if (decoded === '' || decoded === '.') continue
    if (decoded === '..') out.pop()
    else out.push(decoded)
  }
  return `/${out.join('/')}`
}

/**
 * Redirects (301, relative) every request whose path is not spelled
 * canonically, and answers the app's 404 for paths no resource can have.
 * Replaces Hono's `trimTrailingSlash`, which builds an absolute `Location`
 * from the request URL, and so from its `Host`.
 */
export function canonicalPath(): MiddlewareHandler {
  return createMiddleware(async function canonicalPath(c, next) {
    const { path, suffix } = splitUrl(c.req.url)
    const canonical = canonicalPathOf(path)
    if (canonical === undefined) return c.notFound()
    if (canonical !== path)
      return c.body(null, 301, { Location: canonical + suffix, 'Cache-Control': REDIRECT_CACHE })
    await next()
  })
}
