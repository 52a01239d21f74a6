/**
 * @module http
 * HTTP plumbing shared by every route: the format table, cache headers,
 * the in-isolate body memo and conditional requests by date.
 */
import type { Context, MiddlewareHandler } from 'hono'
import { createMiddleware } from 'hono/factory'
import { ByteLru } from './memo.ts'

/** Each feed format: its file name in the URL and its exact media type. */
export const FORMATS = {
  rss: { file: 'rss.xml', media: 'application/rss+xml', type: 'application/rss+xml; charset=utf-8', label: 'RSS' },
  atom: { file: 'atom.xml', media: 'application/atom+xml', type: 'application/atom+xml; charset=utf-8', label: 'Atom' },
  json: { file: 'feed.json', media: 'application/feed+json', type: 'application/feed+json; charset=utf-8', label: 'JSON Feed' },
} as const

export type Format = keyof typeof FORMATS

/** Root-relative path of a feed; `base` is its scope's path: `''` → `/rss.xml`, `/topics/{slug}` → `/topics/{slug}/atom.xml`. */
export function feedPath(base: string, format: Format): string {
  return `${base}/${FORMATS[format].file}`
}

/** Format by file name: `rss.xml` → `rss`. */
export const FORMAT_BY_FILE: ReadonlyMap<string, Format> = new Map(
  (Object.keys(FORMATS) as Format[]).map((f) => [FORMATS[f].file, f]),
)

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

export const DEFAULT_CACHE: CachePolicy = { maxAge: 300, sMaxAge: 3600, staleWhileRevalidate: 86_400, staleIfError: 604_800 }

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

/** A rendered response body, kept as bytes so workerd never re-encodes it. */
export interface Representation {
  readonly body: Uint8Array<ArrayBuffer>
  readonly size: number
  /** Strong validator: a hash of the body (RFC 9110 section 8.8.3). */
  readonly etag: string
  /** IMF-fixdate (RFC 9110 section 5.6.7) of the newest entry shown. */
  readonly lastModified: string
  readonly type: string
  /** The Cloudflare `Cache-Tag` header value, for purging by tag. */
  readonly cacheTag: string
}

/** What a route builds on a memo miss. */
export interface Rendered {
  /** A page as text, or a feed already encoded as UTF-8. */
  body: string | Uint8Array<ArrayBuffer>
  type: string
  /** RFC 3339 time of the newest entry the body shows. */
  updated: string
  tags: readonly string[]
}

const encoder = new TextEncoder()

/** Hashes a body into a strong entity tag: 128 bits of SHA-256, base64url. */
export async function entityTag(body: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', body)).subarray(0, 16)
  return `"${btoa(String.fromCharCode(...digest)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '')}"`
}

/** Counts kept per isolate, for tests and the benchmark: how often a body was rendered or reused. */
export interface MemoStats {
  renders: number
  hits: number
}

/**
 * A bounded memo of representations by canonical URL. On a miss it renders,
 * encodes and hashes once; every later request for the same URL reuses the
 * bytes and the validators.
 */
export function createRepresenter(maxBytes: number, policy: CachePolicy) {
  const memo = new ByteLru<Representation>(maxBytes)
  const stats: MemoStats = { renders: 0, hits: 0 }
  const control = cacheControl(policy)
  const cdnControl = cdnCacheControl(policy)

  /** Renders still hashing, so that concurrent misses for one URL render once. */
  const pending = new Map<string, Promise<Representation>>()

  async function build(key: string, render: () => Promise<Rendered>): Promise<Representation> {
    const rendered = await render()
    stats.renders++
    // TextEncoder always returns a fresh ArrayBuffer; the Workers types say only ArrayBufferLike.
    const body = typeof rendered.body === 'string' ? (encoder.encode(rendered.body) as Uint8Array<ArrayBuffer>) : rendered.body
    const rep: Representation = {
      body,
      size: body.byteLength + key.length,
      etag: await entityTag(body),
      lastModified: new Date(rendered.updated).toUTCString(),
      type: rendered.type,
      cacheTag: rendered.tags.join(','),
    }
    memo.set(key, rep)
    return rep
  }

  /** `policy` overrides the app's cache lifetimes for this URL (archive pages keep far longer). */
  async function represent(c: Context, key: string, render: () => Promise<Rendered>, policy?: CachePolicy): Promise<Response> {
    let rep = memo.get(key)
    if (rep) stats.hits++
    else {
      let job = pending.get(key)
      if (!job) {
        job = build(key, render).finally(() => pending.delete(key))
        pending.set(key, job)
      }
      rep = await job
    }
    return c.body(rep.body, 200, {
      'Content-Type': rep.type,
      'Content-Length': String(rep.body.byteLength),
      ETag: rep.etag,
      'Last-Modified': rep.lastModified,
      'Cache-Control': policy ? cacheControl(policy) : control,
      'CDN-Cache-Control': policy ? cdnCacheControl(policy) : cdnControl,
      'Cache-Tag': rep.cacheTag,
    })
  }
  return { represent, stats, memo }
}

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

/** The function routes serve memoised representations with. */
export type Represent = ReturnType<typeof createRepresenter>['represent']

/**
 * Answers `If-Modified-Since` with 304 (RFC 9110 section 13.1.3). Evaluated
 * only when the request has no `If-None-Match` (section 13.2.2, step 3):
 * that one is answered by Hono's `etag` middleware and takes precedence.
 */
export function ifModifiedSince(): MiddlewareHandler {
  return createMiddleware(async function ifModifiedSince(c, next) {
    await next()
    const since = c.req.header('If-Modified-Since')
    if (since === undefined || c.req.header('If-None-Match') !== undefined || c.res.status !== 200) return
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return
    const lastModified = c.res.headers.get('Last-Modified')
    const sinceTime = Date.parse(since)
    if (!lastModified || Number.isNaN(sinceTime) || Date.parse(lastModified) > sinceTime) return
    await c.res.body?.cancel()
    // Hono copies the old response's headers onto the new one; keep only the retained ones.
    c.res = new Response(null, { status: 304 })
    for (const name of [...c.res.headers.keys()]) if (!RETAINED_304.includes(name)) c.res.headers.delete(name)
  })
}

/**
 * Headers a 304 keeps (RFC 9110 section 15.4.5): those a 200 would carry that
 * guide caches, both validators, the purge tags, and CORS (a browser drops a
 * cross-origin 304 without them).
 */
export const RETAINED_304 = [
  'cache-control', 'cdn-cache-control', 'content-location', 'date', 'etag', 'expires', 'vary', 'last-modified', 'cache-tag',
  'access-control-allow-origin', 'access-control-expose-headers',
]
