/**
 * @module archive
 * The HTML side of a scope's history: `/archive/{n}` (and the same under
 * every scope's path), one archive page with the entries
 * its feed archive documents hold, newest first, with links to the older
 * and newer pages; and `/archive`, the index by month, each month linking
 * to its page (pages/months.tsx). Page numbers are the
 * feed archives' (src/history.ts): page 1 is the oldest.
 */
import type { Catalog } from '../catalog.ts'
import { FORMAT_KEYS, FORMATS } from '../formats.ts'
import { feedTitle, scopeTitle, type Scope } from '../scopes.ts'
import { archiveIndexPath, archivePath, pageOf, pageRange, type Paging } from '../history.ts'
import type { Card } from '../store/rows.ts'
import { displayParts } from '../content/dates.ts'
import { capitalise, wordsFor, type Words } from '../i18n.ts'
import { EntryList } from './entry.tsx'
import { feedLinks, Layout, toHtml } from './layout.tsx'

/** The topic an entry list leaves out of each entry's topics (the topic whose pages these are). */
export function except(scope: Scope): string | undefined {
  return scope.kind === 'topic' ? scope.name : undefined
}

/** Links to the older and newer pages of a series, and to the index; `rel` matches the head's links. */
export function Pager({
  words,
  older,
  newer,
  index,
}: {
  words: Words
  older?: { href: string; label: string } | undefined
  newer?: { href: string; label: string } | undefined
  index?: string | undefined
}) {
  return (
    <nav class="pager" aria-label={words.archive.olderAndNewer}>
      <p>
        {older && (
          <a href={older.href} rel="prev">
            ← {older.label}
          </a>
        )}
        {older && (newer || index) && ' · '}
        {index && <a href={index}>{words.archive.byMonth}</a>}
        {index && newer && ' · '}
        {newer && (
          <a href={newer.href} rel="next">
            {newer.label} →
          </a>
        )}
      </p>
    </nav>
  )
}

/** The pager under a scope's newest entries: its newest archive page (`pages`, if any) and the month index. */
export function FrontPager({ words, base, pages }: { words: Words; base: string; pages: number }) {
  return (
    <Pager
      words={words}
      older={
        pages
          ? {
              href: archivePath(base, pages),
              label: words.archive.olderEntries(words.archive.page(pages)),
            }
          : undefined
      }
      index={archiveIndexPath(base)}
    />
  )
}

export interface ArchivePageView {
  scope: Scope
  page: number
  pages: number
  /** Newest first. */
  entries: Card[]
}

/** `/…/archive/{n}`: the N entries of archive page n, newest first. */
export function renderArchivePage(catalog: Catalog, view: ArchivePageView): string {
  const { scope, page, pages, entries } = view
  const words = wordsFor(catalog.site.language)
  const base = scope.path
  const name = scopeTitle(scope)
  const older = page > 1 ? archivePath(base, page - 1) : undefined
  const newer = page < pages ? archivePath(base, page + 1) : base || '/'
  const title = `${name}: ${words.archive.pageOf(page, pages)}`
  const { first, last } = pageRange(page, entries.length)
  return toHtml(
    <Layout
      site={catalog.site}
      title={`${title} · ${catalog.site.title}`}
      description={words.archive.description(first, last, name)}
      canonical={catalog.url + archivePath(base, page)}
      feeds={feedLinks(catalog.url + base, feedTitle(catalog, scope))}
      prev={older}
      next={newer}
    >
      <p class="meta">
        <a href={base || '/'}>{name}</a> · <a href={archiveIndexPath(base)}>{words.nav.archive}</a>
      </p>
      <h1>{capitalise(words.archive.pageOf(page, pages))}</h1>
      <p class="lead">{words.archive.lead(entries.length)}</p>
      <p class="meta">
        {words.archive.asFeed}{' '}
        <span class="feeds">
          {FORMAT_KEYS.map((format) => (
            <a href={archivePath(base, page, format)} type={FORMATS[format].media}>
              {FORMATS[format].label}
              <span class="vh">{words.feedOf(words.archive.page(page))}</span>
            </a>
          ))}
        </span>
      </p>
      <section aria-labelledby="entries">
        <h2 id="entries">{words.entriesHeading}</h2>
        <EntryList entries={entries} catalog={catalog} words={words} except={except(scope)} />
      </section>
      <Pager
        words={words}
        older={older ? { href: older, label: words.archive.older(page - 1) } : undefined}
        newer={
          page < pages
            ? { href: newer, label: words.archive.newer(page + 1) }
            : { href: newer, label: words.latest }
        }
        index={archiveIndexPath(base)}
      />
    </Layout>,
  )
}

/** A row of the store's `months` table. */
export interface MonthRow {
  month: string
  entries: number
  first_pos: number
  last_pos: number
}

/** `2025-05` → `May 2025`; a year key, `2025` → `2025 (date known to the year)`; in the words of `words`. */
export function monthName(month: string, words: Words): string {
  if (month.length === 4) return words.archive.yearOnly(month)
  return displayParts(month, 'month', words.dates)
}

/** Root-relative path of a month page: `{base}/archive/2025/05`, and `{base}/archive/2025/year` for entries dated only to the year; page `n` > 1 appends `/n`. */
export function monthPath(base: string, month: string, page = 1): string {
  const [year, mm] = month.split('-')
  return `${base}/archive/${year}/${mm ?? 'year'}${page > 1 ? `/${page}` : ''}`
}

/** The archive pages holding positions `first` … `last`, and whether some are still on the scope's front page only. */
function pagesOfMonth(
  m: Pick<MonthRow, 'first_pos' | 'last_pos'>,
  paging: Paging,
): { pages: number[]; latest: boolean } {
  const from = pageOf(m.first_pos, paging)
  const to = pageOf(m.last_pos, paging)
  const pages: number[] = []
  if (from !== undefined)
    for (let p = from; p <= (to ?? Math.floor(paging.count / paging.size)); p++) pages.push(p)
  return { pages, latest: to === undefined }
}

/** `/…/archive`: every month with its entry count and the pages that hold it, newest first. */
export function renderArchiveIndex(
  catalog: Catalog,
  scope: Scope,
  paging: Paging,
  months: readonly MonthRow[],
): string {
  const words = wordsFor(catalog.site.language)
  const base = scope.path
  const name = scopeTitle(scope)
  const pages = Math.floor(paging.count / paging.size)
  return toHtml(
    <Layout
      site={catalog.site}
      title={`${words.archive.title(name)} · ${catalog.site.title}`}
      description={words.archive.indexDescription(name)}
      canonical={catalog.url + archiveIndexPath(base)}
      feeds={feedLinks(catalog.url + base, feedTitle(catalog, scope))}
    >
      <p class="meta">
        <a href={base || '/'}>{name}</a>
      </p>
      <h1>{words.nav.archive}</h1>
      <p class="lead">{words.archive.indexLead(paging.count, pages, paging.size)}</p>
      {months.length ? (
        <ul class="plain compact">
          {months.map((m) => {
            const { pages: held, latest } = pagesOfMonth(m, paging)
            return (
              <li data-month={m.month}>
                <strong>
                  <a href={monthPath(base, m.month)}>{capitalise(monthName(m.month, words))}</a>
                </strong>
                : <span data-entries={m.entries}>{words.entries(m.entries)}</span> ·{' '}
                {held.map((p, i) => (
                  <>
                    {i > 0 && ', '}
                    <a href={archivePath(base, p)}>{words.archive.pageN(p)}</a>
                  </>
                ))}
                {held.length > 0 && latest && ', '}
                {latest && <a href={base || '/'}>{words.archive.latestLink}</a>}
              </li>
            )
          })}
        </ul>
      ) : (
        <p>{words.noEntries}</p>
      )}
    </Layout>,
  )
}
