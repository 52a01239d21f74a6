/**
 * @module middleware/preconditions
 * The preconditions that can fail a request (RFC 9110 section 13.1.1
 * `If-Match` and 13.1.4 `If-Unmodified-Since`), evaluated against the
 * representation the route selected: its `ETag` and `Last-Modified`.
 *
 * RFC 9110 section 13.2.2 fixes the order: (1) `If-Match`, when present,
 * decides; (2) otherwise `If-Unmodified-Since`; a false one answers `412
 * Precondition Failed`. Only then (3) `If-None-Match` and (4)
 * `If-Modified-Since`, which Hono's `etag` middleware and the app's
 * `ifModifiedSince` answer with `304`. So this middleware is registered
 * outside both: its `412` replaces any `304` they made.
 *
 * Section 13.2.1: preconditions are ignored when the response without them
 * would be neither a 2xx nor a 412 (a 404, a redirect). A `304` here came
 * from steps 3 and 4, so the route's response was a 2xx.
 */
import type { MiddlewareHandler } from 'hono'
import { createMiddleware } from 'hono/factory'
import { PreconditionFailed } from '../errors.ts'
import { parseHttpDate } from '../conditional.ts'

/**
 * The entity tags of an `If-Match` or `If-None-Match` value (RFC 9110
 * section 8.8.3: `1#entity-tag`), `*` as itself; undefined when the value
 * is not valid, so that the header can be ignored rather than guessed at.
 */
export function entityTags(value: string): string[] | undefined {
  const trimmed = value.trim()
  if (trimmed === '*') return ['*']
  const tags: string[] = []
  const pattern = /\s*(W\/)?"([\x21\x23-\x7e\x80-\xff]*)"\s*(?:,|$)/y
  let at = 0
  while (at < trimmed.length) {
    pattern.lastIndex = at
    const m = pattern.exec(trimmed)
    if (!m) return undefined
    tags.push(`${m[1] ?? ''}"${m[2]}"`)
    at = pattern.lastIndex
  }
  return tags.length ? tags : undefined
}

/** Strong comparison (RFC 9110 section 8.8.3.2): neither tag is weak and their opaque tags match. */
export function strongMatch(a: string, b: string): boolean {
  return !a.startsWith('W/') && !b.startsWith('W/') && a === b
}

/**
 * Section 13.1.1: `If-Match` is true when it is `*` (a current
 * representation exists) or one of its tags matches the current `ETag` by
 * strong comparison. An invalid value is false: a client that meant a
 * condition must not get an unconditional answer.
 */
export function ifMatchHolds(header: string, etag: string | null): boolean {
  const tags = entityTags(header)
  if (!tags) return false
  if (tags[0] === '*') return true
  return etag !== null && tags.some((tag) => strongMatch(tag, etag))
}

/**
 * Section 13.1.4: `If-Unmodified-Since` is false when the representation
 * was modified after the date. It is ignored (true) when the value is not a
 * valid HTTP-date or the representation has no modification date.
 */
export function ifUnmodifiedSinceHolds(header: string, lastModified: string | null): boolean {
  const since = parseHttpDate(header)
  const modified = lastModified === null ? undefined : parseHttpDate(lastModified)
  return since === undefined || modified === undefined || modified <= since
}

/** Answers `412` (through the app's error mapping) when `If-Match` or `If-Unmodified-Since` is false. */
export function preconditions(): MiddlewareHandler {
  return createMiddleware(async function preconditions(c, next) {
    await next()
    const ifMatch = c.req.header('If-Match')
    const ifUnmodifiedSince = c.req.header('If-Unmodified-Since')
    if (ifMatch === undefined && ifUnmodifiedSince === undefined) return
    const { status } = c.res
    if (!((status >= 200 && status < 300) || status === 304)) return
    const etag = c.res.headers.get('ETag')
    // Step 1, else step 2 (section 13.2.2).
    const holds =
      ifMatch !== undefined
        ? ifMatchHolds(ifMatch, etag)
        : ifUnmodifiedSinceHolds(ifUnmodifiedSince!, c.res.headers.get('Last-Modified'))
    if (holds) return
    await c.res.body?.cancel()
    // Hono copies this response's headers onto the error's: keep only CORS.
    for (const name of [...c.res.headers.keys()])
      if (!name.startsWith('access-control-')) c.res.headers.delete(name)
    throw new PreconditionFailed(ifMatch !== undefined ? 'If-Match' : 'If-Unmodified-Since', etag)
  })
}
