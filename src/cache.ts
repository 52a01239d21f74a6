/**
 * @module cache
 * Cache lifetimes and the headers that state them: `Cache-Control` for
 * browsers, readers and shared caches, `CDN-Cache-Control` for Cloudflare's
 * edge.
 */

export interface CachePolicy {
  /** Seconds a browser or feed reader may reuse a response without asking (and the RSS `<ttl>`, in minutes). */
  maxAge: number
  /** Seconds a shared cache (Workers Cache) may keep it. */
  sMaxAge: number
  /** Seconds a stale copy may be served while it is revalidated in the background. */
  staleWhileRevalidate: number
  /** Seconds a stale copy may be served when the Worker fails. */
  staleIfError: number
}

export const DEFAULT_CACHE: CachePolicy = {
  maxAge: 300,
  sMaxAge: 3600,
  staleWhileRevalidate: 86_400,
  staleIfError: 604_800,
}

/** `Cache-Control` (RFC 9111 section 5.2.2, RFC 5861) for browsers, readers and shared caches in general. */
export function cacheControl(p: CachePolicy): string {
  return `public, max-age=${p.maxAge}, s-maxage=${p.sMaxAge}, stale-while-revalidate=${p.staleWhileRevalidate}, stale-if-error=${p.staleIfError}`
}

/**
 * `CDN-Cache-Control` (RFC 9213) for Cloudflare's edge, which prefers it to
 * `Cache-Control`. It states the edge lifetime as `max-age` rather than
 * `s-maxage`: `s-maxage` implies `proxy-revalidate` (RFC 9111 section
 * 5.2.2.10), and Workers Cache then ignores `stale-while-revalidate` and
 * `stale-if-error`.
 */
export function cdnCacheControl(p: CachePolicy): string {
  return `public, max-age=${p.sMaxAge}, stale-while-revalidate=${p.staleWhileRevalidate}, stale-if-error=${p.staleIfError}`
}
