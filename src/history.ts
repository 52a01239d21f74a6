/**
 * @module history
 * Archived and complete feeds (RFC 5005, "Feed Paging and Archiving"), and
 * the HTML pages that follow the same numbering: pure arithmetic over a
 * scope's entry count and the site's archive page size, the archive URLs,
 * and the reading of a page number from a path.
 *
 * Positions count from a scope's oldest entry (1, 2, …; the store's
 * `memberships.pos`). Archive page k holds positions (k-1)·N+1 … k·N, so
 * publishing a newer entry never moves an entry between full pages. Only
 * full pages exist: floor(count / N) of them. The newest, partly filled page
 * is the subscription document's business (RFC 5005 section 4: the
 * subscription document holds the most recent entries).
 */
import { BadParameter, NotFound } from './errors.ts'
import { FORMATS, type Format } from './formats.ts'
import type { CachePolicy } from './cache.ts'

/** Entries per archive page when `site.yaml` sets no `archivePageSize`. */
export const DEFAULT_ARCHIVE_PAGE_SIZE = 50

/**
 * Cache lifetimes of a full archive page that is not the newest one: it
 * changes only when an entry it holds is edited (purge it by its tag), so
 * readers keep it a day and shared caches a year, with the subscription
 * feed's stale directives (RFC 5861).
 */
export const ARCHIVE_CACHE: CachePolicy = {
  maxAge: 86_400,
  sMaxAge: 31_536_000,
  staleWhileRevalidate: 86_400,
  staleIfError: 604_800,
}

/** A scope's archive layout: `count` entries, `size` per page. */
export interface Paging {
  count: number
  size: number
}

/** Number of full archive pages: floor(count / size). */
export function pageCount({ count, size }: Paging): number {
  return Math.floor(count / size)
}

/** First and last position (from the oldest, inclusive) of archive page `page` (1-based). */
export function pageRange(page: number, size: number): { first: number; last: number } {
  return { first: (page - 1) * size + 1, last: page * size }
}

/** The archive page that holds position `pos`, or undefined while it is in the subscription document only. */
export function pageOf(pos: number, paging: Paging): number | undefined {
  const page = Math.ceil(pos / paging.size)
  return page <= pageCount(paging) ? page : undefined
}

/**
 * Entries in the subscription document (the unfiltered feed): every entry
 * that no archive page holds, and at least `minimum` (the feeds' default
 * limit) when there are archives, so it may overlap the newest archive page.
 * With fewer entries than a page, all of them: the feed is complete.
 */
export function subscriptionLength(paging: Paging, minimum: number): number {
  const { count, size } = paging
  return count < size ? count : Math.min(count, Math.max(minimum, count % size))
}

/** True when the subscription document holds every entry (RFC 5005 section 2: `fh:complete`). */
export function isComplete(paging: Paging): boolean {
  return paging.count < paging.size
}

/**
 * Month pages (`{base}/archive/{yyyy}/{mm}`) are paged newest first: page 1
 * holds a month's newest entries. The positions of page `page` of a month
 * spanning `first` … `last`, `size` a page.
 */
export function monthPageRange(
  first: number,
  last: number,
  size: number,
  page: number,
): { lo: number; hi: number } {
  return { lo: Math.max(first, last - page * size + 1), hi: last - (page - 1) * size }
}

/** Pages of a month spanning `first` … `last`. */
export function monthPages(first: number, last: number, size: number): number {
  return Math.max(1, Math.ceil((last - first + 1) / size))
}

/** Root-relative path of a scope's archive index (`base` is the scope's path: `''`, `/topics/{slug}`, …). */
export function archiveIndexPath(base: string): string {
  return `${base}/archive`
}

/** Root-relative path of archive page `page`: its HTML page, or its feed document in `format`. */
export function archivePath(base: string, page: number, format?: Format): string {
  return `${base}/archive/${page}${format ? `/${FORMATS[format].file}` : ''}`
}

/**
 * Reads a page number from a path segment. A whole number spelled with
 * leading zeros answers its canonical spelling (the caller redirects),
 * however many zeros (`0000000001` is page 1); anything that is not a whole
 * number of at least 1 (`x`, `-1`, `1.5`, `0`) is a 400, like a malformed
 * filter value; a page past the last is a 404 that says how many pages
 * there are, and so is a number of ten or more significant digits, which
 * is past the last page of any scope (no page count reaches 10^9).
 */
export function readPage(
  raw: string,
  pages: number,
  where: string,
): { page: number; canonical: boolean } {
  const digits = /^\d+$/.test(raw) ? raw.replace(/^0+/, '') : ''
  if (digits === '') {
    throw new BadParameter(
      'page',
      `a whole number from 1${pages ? ` to ${pages}` : ''} in the path, as in ${where}/1`,
    )
  }
  const page = digits.length > 9 ? Infinity : Number(digits)
  if (page > pages) {
    const shown = digits.length > 9 ? `${digits.slice(0, 9)}…` : String(page)
    const message = pages
      ? `No archive page ${shown}: there ${pages === 1 ? 'is 1 page' : `are ${pages} pages`} (1 to ${pages}) at ${where}/{n}; newer entries are in the subscription feed.`
      : `No archive page ${shown}: there are no archive pages yet; every entry is in the subscription feed.`
    throw new NotFound(message, { pages })
  }
  return { page, canonical: digits === raw }
}
