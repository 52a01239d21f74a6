/**
 * @module redirect
 * One URL per resource: the raw query a request was sent with (to compare
 * with its canonical spelling) and the 301 to the canonical URL.
 */
import type { Context } from 'hono'

/**
 * The query exactly as the client sent it, without `?`; undefined when the
 * URL has no `?`. (`URL.search` cannot tell `/a?` from `/a`, and
 * re-encodes some characters.)
 */
export function rawQuery(url: string): string | undefined {
  const at = url.indexOf('?')
  if (at === -1) return undefined
  const hash = url.indexOf('#', at)
  return url.slice(at + 1, hash === -1 ? undefined : hash)
}

/** 301 to a path on this site; relative, so the request's Host is never echoed. */
export function redirect(c: Context, location: string) {
  return c.body(null, 301, { Location: location, 'Cache-Control': 'public, max-age=3600' })
}
