/**
 * @module dates
 * Partial dates as the content writes them (`2025`, `2025-04`, `2025-05-03`
 * or an RFC 3339 date-time) and the instants feeds carry for them.
 *
 * Parsed by hand rather than with `Date.parse`, which maps two-digit years
 * to the twentieth century through `Date.UTC`, accepts `T24:00` and refuses
 * the leap second `:60`. Every instant a feed carries must be a four-digit
 * year in UTC (RFC 3339 section 5.6, `date-fullyear = 4DIGIT`): an offset
 * may not push a date past 9999 or before 0000.
 */
import type { DateWords } from '../i18n.ts'

/** How precisely a date is known, read from how it was written. */
export type DatePrecision = 'year' | 'month' | 'day' | 'time'

/** The first and last millisecond that RFC 3339 can write in UTC: 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z. */
export const MIN_INSTANT = utc(0, 0, 1)
export const MAX_INSTANT = utc(9999, 11, 31, 23, 59, 59)

/**
 * The spelling of a partial date; each part is checked for range separately, so the reason given is the true one.
 * RFC 3339 section 5.6 (NOTE): `T` and `Z` may be written in lowercase; {@link normaliseDate} uppercases them.
 */
const SHAPE = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[Tt](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?([Zz]|[+-]\d{2}:\d{2}))?)?)?$/

/** A partial date, read. */
export interface ParsedDate {
  /** The first instant of the period the date names, in milliseconds since the epoch, whole seconds. */
  time: number
  precision: DatePrecision
  /** Minutes east of UTC the date-time was written in; undefined for dates without a time and for `Z` or `-00:00` (RFC 3339 section 4.3: offset unknown). */
  offset?: number
}

/** `Date.UTC` without its two-digit-year mapping: year 0050 stays 0050 (ECMA-262 section 21.4.3.4 step 2). */
export function utc(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  const date = new Date(0)
  date.setUTCFullYear(year, month, day)
  date.setUTCHours(hour, minute, second, 0)
  return date.getTime()
}

/**
 * Reads a partial date; returns a reason when it cannot stand. The reason is
 * phrased to follow the field name: `published: is not a real date`.
 */
export function parsePartialDate(s: string): ParsedDate | string {
  const m = SHAPE.exec(s)
  if (!m) return 'must be YYYY, YYYY-MM, YYYY-MM-DD or an RFC 3339 date-time such as 2025-05-03T10:30:00-06:00'
  const [, y, mo, d, h, mi, sec, , zone] = m
  const year = Number(y)
  const month = mo === undefined ? 1 : Number(mo)
  const day = d === undefined ? 1 : Number(d)
  if (month < 1 || month > 12) return 'is not a real date (the month must be 01 to 12)'
  const first = utc(year, month - 1, day)
  if (day < 1 || new Date(first).getUTCDate() !== day) return 'is not a real date'
  const precision: DatePrecision = h !== undefined ? 'time' : d !== undefined ? 'day' : mo !== undefined ? 'month' : 'year'
  if (h === undefined) return { time: first, precision }

  const hour = Number(h)
  const minute = Number(mi)
  const second = sec === undefined ? 0 : Number(sec)
  if (hour > 23) return hour === 24 ? 'is not a real time: write T24:00 as T00:00 of the next day' : 'is not a real time (the hour must be 00 to 23)'
  if (minute > 59) return 'is not a real time (the minute must be 00 to 59)'
  if (second > 60) return 'is not a real time (the second must be 00 to 60)'
  let offset = 0
  if (zone !== 'Z' && zone !== 'z') {
    const oh = Number(zone!.slice(1, 3))
    const om = Number(zone!.slice(4, 6))
    if (oh > 23 || om > 59) return 'has an impossible UTC offset (hours 00 to 23, minutes 00 to 59)'
    offset = (zone![0] === '-' ? -1 : 1) * (oh * 60 + om)
  }
  // A leap second (RFC 3339 section 5.7) is carried as the second before it: few date parsers accept :60.
  const time = utc(year, month - 1, day, hour, minute, Math.min(second, 59)) - offset * 60_000
  if (second === 60) {
    const at = new Date(time)
    if (at.getUTCHours() !== 23 || at.getUTCMinutes() !== 59) return 'is not a real time: a leap second (:60) falls only at 23:59:60 UTC'
  }
  if (time < MIN_INSTANT || time > MAX_INSTANT) return 'falls outside the years 0000 to 9999 in UTC, which RFC 3339 cannot write'
  return { time, precision, ...(zone !== 'Z' && zone !== 'z' && zone !== '-00:00' && { offset }) }
}

/**
 * A partial date as the service writes it: the `t` and `z` that RFC 3339
 * section 5.6 allows in lowercase are uppercased (`2025-06-01t10:00:00z` is
 * `2025-06-01T10:00:00Z`); anything else is kept as written.
 */
export function normaliseDate(date: string): string {
  return /^\d{4}-\d{2}-\d{2}t/.test(date) || /z$/.test(date) ? date.toUpperCase() : date
}

/** RFC 3339 UTC without fractional seconds, four-digit year: `2025-05-03T16:30:00Z`. */
export function formatInstant(time: number): string {
  if (time < MIN_INSTANT || time > MAX_INSTANT) throw new RangeError(`instant outside 0000-9999: ${time}`)
  return new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** The first instant of a partial date that {@link parsePartialDate} accepts, as RFC 3339 UTC. */
export function instant(date: string): string {
  const parsed = parsePartialDate(date)
  if (typeof parsed === 'string') throw new RangeError(`${date}: ${parsed}`)
  return formatInstant(parsed.time)
}

/** `0042` for year 42: years keep their four digits on pages, as written. */
const year4 = (y: number) => String(y).padStart(4, '0')

/**
 * A partial date for readers, as precisely as it is known and in the time
 * zone it was written in, in the words of an interface language
 * (src/i18n.ts): in English `2025`, `April 2025`, `3 May 2025`,
 * `3 May 2025, 10:30 (UTC−06:00)`, `3 May 2025, 16:30 UTC`; in Spanish
 * `abril de 2025`, `3 de mayo de 2025, 10:30 (UTC−06:00)`. Text that is no
 * partial date is returned as it is.
 */
export function displayPartial(text: string, words: DateWords): string {
  const parsed = parsePartialDate(text)
  if (typeof parsed === 'string') return text
  const zone = /(?:[Zz]|[+-]\d{2}:\d{2})$/.exec(text)?.[0]
  return displayParts(text.slice(0, 10), parsed.precision, words, text.slice(11, 16), parsed.offset === undefined ? undefined : zone)
}

/**
 * A date from its `YYYY[-MM[-DD]]` digits at `precision`, with the clock
 * (`HH:MM`) of a time and its zone (`-06:00`; undefined for UTC): what
 * {@link displayPartial} writes, for callers that hold an instant instead.
 */
export function displayParts(ymd: string, precision: DatePrecision, words: DateWords, clock = '', zone?: string): string {
  const [y, m = 1, d = 1] = ymd.split('-').map(Number) as [number, number?, number?]
  const year = year4(y)
  if (precision === 'year') return year
  const month = words.months[m - 1]!
  if (precision === 'month') return words.month(month, year)
  const day = words.day(String(d), month, year)
  if (precision === 'day') return day
  return words.time(day, clock, zone?.replace('-', '−'))
}
