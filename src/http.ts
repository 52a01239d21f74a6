/**
 * @module http
 * HTTP plumbing shared by every route: the format table, cache headers,
 * the in-isolate body memo and conditional requests by date.
 */
import type { Context, MiddlewareHandler } from 'hono'
import { createMiddleware } from 'hono/factory'
import { ByteLru } from './memo.ts'

/**
 * Each feed format: its file name in the URL, `media` (the format's own
 * media type, in autodiscovery links and self links) and `type` (the
 * Content-Type it is served with). RSS and Atom are served as
 * `application/xml`, which browsers render with the feed preview's
 * stylesheet and every reader and the W3C validator accept; under their
 * own types Chromium shows them as plain text (docs/feeds-in-browsers.md).
 */
export const FORMATS = {
  rss: { file: 'rss.xml', media: 'application/rss+xml', type: 'application/xml; charset=utf-8', label: 'RSS' },
  atom: { file: 'atom.xml', media: 'application/atom+xml', type: 'application/xml; charset=utf-8', label: 'Atom' },
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
  /** Bytes the memo entry retains: {@link retainedBytes}. */
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

/**
 * Encodes, hashes and measures what a route rendered: the value the memo
 * keeps under `key`. Pure apart from hashing; the Node memory test builds
 * entries with it exactly as the Worker does.
 */
export async function makeRepresentation(key: string, rendered: Rendered): Promise<Representation> {
  // TextEncoder always returns a fresh ArrayBuffer; the Workers types say only ArrayBufferLike.
  const body = typeof rendered.body === 'string' ? (encoder.encode(rendered.body) as Uint8Array<ArrayBuffer>) : rendered.body
  const fields = {
    body,
    etag: await entityTag(body),
    lastModified: new Date(rendered.updated).toUTCString(),
    type: rendered.type,
    cacheTag: rendered.tags.join(','),
  }
  return { ...fields, size: retainedBytes(key, fields) }
}

/**
 * Heap bytes of a V8 string: a 16-byte header (map, hash, length on a
 * 64-bit heap without pointer compression, as in Node; workerd compresses
 * pointers, so this is an upper bound there), then 1 byte a character when
 * every character is Latin-1 (a one-byte string), else 2, rounded up to 8.
 */
export function stringBytes(s: string): number {
  return align8(16 + (/^[\u0000-\u00ff]*$/.test(s) ? s.length : 2 * s.length))
}

/**
 * Bytes a memo entry retains beyond its strings and body bytes. Measured in
 * Node 22 (test/node/memo-memory.test.ts prints the figures): about 300
 * bytes for the Representation object, its Uint8Array and ArrayBuffer
 * objects and its Map slot, and up to about 500 once the Map has churned
 * (an ordered hash table doubles as it grows and keeps deleted slots until
 * it is rebuilt). The rest is a margin for what V8 allocates outside its
 * heap for each ArrayBuffer (its BackingStore record and the allocator's
 * header), which neither `heapUsed` nor `arrayBuffers` shows. Node has no
 * pointer compression and workerd has, so workerd needs less.
 */
export const ENTRY_OVERHEAD = 768

/**
 * What one memo entry really keeps alive, in bytes: the key, every header
 * string, the whole ArrayBuffer behind the body (a view may share a larger
 * one) and {@link ENTRY_OVERHEAD}. The `type` string is usually shared by
 * many entries; counting it for each errs on the safe side.
 */
export function retainedBytes(key: string, rep: Omit<Representation, 'size'>): number {
  return stringBytes(key) + rep.body.buffer.byteLength + stringBytes(rep.etag) + stringBytes(rep.lastModified) + stringBytes(rep.type) + stringBytes(rep.cacheTag) + ENTRY_OVERHEAD
}

const align8 = (n: number) => (n + 7) & ~7

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
    const rep = await makeRepresentation(key, await render())
    stats.renders++
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
 * Answers `If-Modified-Since` with 304 (RFC 9110 section 13.1.3) when its
 * value is a valid HTTP-date ({@link parseHttpDate}) no earlier than the
 * response's `Last-Modified`; any other value is ignored. Evaluated
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
    // A value that is not one valid HTTP-date (a list, ISO 8601, "2030", a numeric zone) is ignored.
    const sinceTime = parseHttpDate(since)
    const modified = lastModified === null ? undefined : parseHttpDate(lastModified)
    if (sinceTime === undefined || modified === undefined || modified > sinceTime) return
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

const SHORT_DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const LONG_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const MONTH = MONTHS.join('|')
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})'
/** IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`. */
const IMF_FIXDATE = new RegExp(`^(${SHORT_DAYS.join('|')}), (\\d{2}) (${MONTH}) (\\d{4}) ${TIME} GMT$`)
/** Obsolete RFC 850 form: `Sunday, 06-Nov-94 08:49:37 GMT`. */
const RFC850_DATE = new RegExp(`^(${LONG_DAYS.join('|')}), (\\d{2})-(${MONTH})-(\\d{2}) ${TIME} GMT$`)
/** Obsolete asctime form: `Sun Nov  6 08:49:37 1994` (a one-digit day is padded with a space). */
const ASCTIME_DATE = new RegExp(`^(${SHORT_DAYS.join('|')}) (${MONTH}) (\\d{2}| \\d) ${TIME} (\\d{4})$`)

/**
 * Parses an HTTP-date (RFC 9110 section 5.6.7) into milliseconds since the
 * epoch, or undefined for anything else. Accepts exactly the three forms a
 * recipient must: IMF-fixdate, RFC 850 and asctime. HTTP-date is case
 * sensitive, so `sun, 06 nov 1994 …` is refused; so are numeric zones
 * (`+0000`), ISO 8601, bare years, lists, surrounding spaces, impossible
 * dates (`31 Feb`, hour 24) and a day name that is not the date's weekday.
 * A two-digit RFC 850 year that would be more than 50 years after `now`
 * is taken as the most recent such year in the past.
 */
export function parseHttpDate(value: string, now: number = Date.now()): number | undefined {
  let m: RegExpExecArray | null
  let parts: { day: string; date: string; month: string; year: number; h: string; min: string; s: string }
  if ((m = IMF_FIXDATE.exec(value))) parts = { day: m[1]!, date: m[2]!, month: m[3]!, year: +m[4]!, h: m[5]!, min: m[6]!, s: m[7]! }
  else if ((m = RFC850_DATE.exec(value))) parts = { day: m[1]!, date: m[2]!, month: m[3]!, year: twoDigitYear(+m[4]!, now), h: m[5]!, min: m[6]!, s: m[7]! }
  else if ((m = ASCTIME_DATE.exec(value))) parts = { day: m[1]!, month: m[2]!, date: m[3]!.trim(), h: m[4]!, min: m[5]!, s: m[6]!, year: +m[7]! }
  else return undefined
  const month = MONTHS.indexOf(parts.month)
  const [date, h, min, s] = [+parts.date, +parts.h, +parts.min, +parts.s]
  // Seconds run to 60 for a leap second (RFC 5322 section 3.3).
  if (h > 23 || min > 59 || s > 60) return undefined
  const day = new Date(Date.UTC(parts.year, month, date))
  if (day.getUTCMonth() !== month || day.getUTCDate() !== date || parts.year < 1) return undefined
  const weekday = (parts.day.length === 3 ? SHORT_DAYS : LONG_DAYS).indexOf(parts.day)
  if (day.getUTCDay() !== weekday) return undefined
  return Date.UTC(parts.year, month, date, h, min, s)
}

/** RFC 9110 section 5.6.7: a two-digit year is in the century that puts it at most 50 years after `now`. */
function twoDigitYear(yy: number, now: number): number {
  const current = new Date(now).getUTCFullYear()
  let year = current - (current % 100) + yy
  if (year > current + 50) year -= 100
  else if (year <= current - 50) year += 100
  return year
}

/** One element of an `Accept` header (RFC 9110 section 12.5.1). */
export interface MediaRange {
  /** Lowercase; `*` for a wildcard. */
  type: string
  subtype: string
  /** Media type parameters before the weight, names lowercase. */
  params: Record<string, string>
  /** The weight, 0 to 1 (section 12.4.2); 0 means "not acceptable". */
  q: number
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/

/**
 * Parses an `Accept` value into its media ranges. Case-insensitive; quoted
 * parameter values may hold commas and semicolons. An element that cannot
 * be read (no `/`, `*\/json`, a bad `q`) is skipped, as is everything after
 * the weight (the old `accept-ext`).
 */
export function parseAccept(value: string): MediaRange[] {
  const ranges: MediaRange[] = []
  for (const element of splitOutsideQuotes(value, ',')) {
    const [range = '', ...rest] = splitOutsideQuotes(element, ';').map((p) => p.trim())
    const slash = range.indexOf('/')
    const [type, subtype] = [range.slice(0, slash).toLowerCase(), range.slice(slash + 1).toLowerCase()]
    if (slash === -1 || !TOKEN.test(type) || !TOKEN.test(subtype) || (type === '*' && subtype !== '*')) continue
    const params: Record<string, string> = {}
    let q = 1
    let ok = true
    for (const param of rest) {
      if (param === '') continue
      const eq = param.indexOf('=')
      const name = param.slice(0, eq).trim().toLowerCase()
      let v = param.slice(eq + 1).trim()
      if (eq === -1 || !TOKEN.test(name)) {
        ok = false
        break
      }
      if (name === 'q') {
        if (!QVALUE.test(v)) ok = false
        else q = Number(v)
        break
      }
      if (v.startsWith('"') && v.endsWith('"') && v.length >= 2) v = v.slice(1, -1).replace(/\\(.)/g, '$1')
      else if (!TOKEN.test(v)) {
        ok = false
        break
      }
      params[name] = v
    }
    if (ok) ranges.push({ type, subtype, params, q })
  }
  return ranges
}

/** Splits on `sep` where it is not inside a quoted string. */
function splitOutsideQuotes(s: string, sep: string): string[] {
  const out: string[] = []
  let start = 0
  let quoted = false
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]
    if (quoted && ch === '\\') i++
    else if (ch === '"') quoted = !quoted
    else if (!quoted && ch === sep) {
      out.push(s.slice(start, i))
      start = i + 1
    }
  }
  out.push(s.slice(start))
  return out
}

/**
 * The weight `ranges` give a media type (lowercase `type/subtype`, with its
 * parameters): that of the most specific matching range (RFC 9110 section
 * 12.5.1: a type with parameters, then the type, then `type/*`, then
 * `*\/*`); the highest among equally specific ones; 0 when none matches.
 * A range's parameters must all be the type's own to match.
 */
export function quality(ranges: readonly MediaRange[], media: string, params: Record<string, string> = {}): number {
  const [type, subtype] = media.split('/') as [string, string]
  let best = -1
  let q = 0
  for (const r of ranges) {
    if (r.type !== '*' && r.type !== type) continue
    if (r.subtype !== '*' && r.subtype !== subtype) continue
    const names = Object.keys(r.params)
    if (names.some((n) => params[n]?.toLowerCase() !== r.params[n]!.toLowerCase())) continue
    const specificity = r.type === '*' ? 1 : r.subtype === '*' ? 2 : 3 + names.length
    if (specificity > best) [best, q] = [specificity, r.q]
    else if (specificity === best) q = Math.max(q, r.q)
  }
  return q
}

/**
 * True when `accept` prefers a JSON error (`application/problem+json`,
 * RFC 9457) to plain text. `application/json` counts as asking for it (a
 * problem document is JSON). Text wins ties, and is the answer when the
 * header is absent or accepts neither: the header is then disregarded
 * rather than answered with 406 (RFC 9110 section 12.5.1).
 */
export function prefersJson(accept: string | undefined): boolean {
  if (accept === undefined) return false
  const ranges = parseAccept(accept)
  const charset = { charset: 'utf-8' }
  const json = Math.max(quality(ranges, 'application/problem+json', charset), quality(ranges, 'application/json', charset))
  return json > quality(ranges, 'text/plain', charset)
}
