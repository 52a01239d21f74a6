/**
 * @module conditional
 * Conditional requests by date: HTTP-dates (RFC 9110 section 5.6.7) and the
 * `If-Modified-Since` middleware (section 13.1.3). `If-None-Match` is
 * answered by Hono's `etag` middleware, which runs first.
 */
import type { MiddlewareHandler } from 'hono'
import { createMiddleware } from 'hono/factory'

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
    if (since === undefined || c.req.header('If-None-Match') !== undefined || c.res.status !== 200)
      return
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return
    const lastModified = c.res.headers.get('Last-Modified')
    // A value that is not one valid HTTP-date (a list, ISO 8601, "2030", a numeric zone) is ignored.
    const sinceTime = parseHttpDate(since)
    const modified = lastModified === null ? undefined : parseHttpDate(lastModified)
    if (sinceTime === undefined || modified === undefined || modified > sinceTime) return
    await c.res.body?.cancel()
    // Hono copies the old response's headers onto the new one; keep only the retained ones.
    c.res = new Response(null, { status: 304 })
    for (const name of [...c.res.headers.keys()])
      if (!RETAINED_304.includes(name)) c.res.headers.delete(name)
  })
}

/**
 * Headers a 304 keeps (RFC 9110 section 15.4.5): those a 200 would carry that
 * guide caches, both validators, the purge tags, and CORS (a browser drops a
 * cross-origin 304 without them).
 */
export const RETAINED_304 = [
  'cache-control',
  'cdn-cache-control',
  'content-location',
  'date',
  'etag',
  'expires',
  'vary',
  'last-modified',
  'cache-tag',
  'access-control-allow-origin',
  'access-control-expose-headers',
]

const SHORT_DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const LONG_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const MONTH = MONTHS.join('|')
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})'
/** IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`. */
const IMF_FIXDATE = new RegExp(
  `^(${SHORT_DAYS.join('|')}), (\\d{2}) (${MONTH}) (\\d{4}) ${TIME} GMT$`,
)
/** Obsolete RFC 850 form: `Sunday, 06-Nov-94 08:49:37 GMT`. */
const RFC850_DATE = new RegExp(
  `^(${LONG_DAYS.join('|')}), (\\d{2})-(${MONTH})-(\\d{2}) ${TIME} GMT$`,
)
/** Obsolete asctime form: `Sun Nov  6 08:49:37 1994` (a one-digit day is padded with a space). */
const ASCTIME_DATE = new RegExp(
  `^(${SHORT_DAYS.join('|')}) (${MONTH}) (\\d{2}| \\d) ${TIME} (\\d{4})$`,
)

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
  let parts: {
    day: string
    date: string
    month: string
    year: number
    h: string
    min: string
    s: string
  }
  if ((m = IMF_FIXDATE.exec(value)))
    parts = { day: m[1]!, date: m[2]!, month: m[3]!, year: +m[4]!, h: m[5]!, min: m[6]!, s: m[7]! }
  else if ((m = RFC850_DATE.exec(value)))
    parts = {
      day: m[1]!,
      date: m[2]!,
      month: m[3]!,
      year: twoDigitYear(+m[4]!, now),
      h: m[5]!,
      min: m[6]!,
      s: m[7]!,
    }
  else if ((m = ASCTIME_DATE.exec(value)))
    parts = {
      day: m[1]!,
      month: m[2]!,
      date: m[3]!.trim(),
      h: m[4]!,
      min: m[5]!,
      s: m[6]!,
      year: +m[7]!,
    }
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
