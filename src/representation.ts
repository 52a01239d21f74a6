/**
 * @module representation
 * Rendered responses kept as bytes: a representation (body, strong ETag,
 * Last-Modified, type, Cache-Tag) is made once per canonical URL and kept
 * in a bounded in-isolate memo (src/memo.ts), so a repeat request does no
 * rendering at all.
 */
import type { Context } from 'hono'
import { cacheControl, cdnCacheControl, type CachePolicy } from './cache.ts'
import { ByteLru } from './memo.ts'

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
  return `"${btoa(String.fromCharCode(...digest))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '')}"`
}

/**
 * Encodes, hashes and measures what a route rendered: the value the memo
 * keeps under `key`. Pure apart from hashing; the Node memory test builds
 * entries with it exactly as the Worker does.
 */
export async function makeRepresentation(key: string, rendered: Rendered): Promise<Representation> {
  // TextEncoder always returns a fresh ArrayBuffer; the Workers types say only ArrayBufferLike.
  const body =
    typeof rendered.body === 'string'
      ? (encoder.encode(rendered.body) as Uint8Array<ArrayBuffer>)
      : rendered.body
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
  return (
    stringBytes(key) +
    rep.body.buffer.byteLength +
    stringBytes(rep.etag) +
    stringBytes(rep.lastModified) +
    stringBytes(rep.type) +
    stringBytes(rep.cacheTag) +
    ENTRY_OVERHEAD
  )
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
  async function represent(
    c: Context,
    key: string,
    render: () => Promise<Rendered>,
    policy?: CachePolicy,
  ): Promise<Response> {
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

/** The function routes serve memoised representations with. */
export type Represent = ReturnType<typeof createRepresenter>['represent']
