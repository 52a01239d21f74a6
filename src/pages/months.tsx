/**
 * @module months
 * `/archive/{yyyy}/{mm}` (and the same under `/topics/{slug}` and
 * `/people/{id}`): the entries of one month, newest first, paged by the
 * site's archive page size, with `rel=prev/next` to the older and newer
 * month. Entries whose date is known only to the month come last, under
 * their own heading; entries known only to the year are on
 * `/archive/{yyyy}/year`, never folded into January.
 */
import type { Catalog } from '../catalog.ts'
import { feedTitle, scopeTitle, type Scope } from '../scopes.ts'
import { archiveIndexPath } from '../history.ts'
import type { Card } from '../store/rows.ts'
import { except, monthName, monthPath, Pager } from './archive.tsx'
import { capitalise, wordsFor } from '../i18n.ts'
import { EntryList } from './entry.tsx'
import { feedLinks, Layout, toHtml } from './layout.tsx'

export interface MonthView {
  scope: Scope
  /** `YYYY-MM`, or `YYYY` for entries dated only to the year. */
  month: string
  /** Entries of the month in the whole scope. */
  total: number
  page: number
  pages: number
  /** This page's entries, newest first. */
  entries: Card[]
  /** The months before and after, if any. */
  older?: string | undefined
  newer?: string | undefined
}

export function renderMonthPage(catalog: Catalog, view: MonthView): string {
  const { scope, month, page, pages, entries } = view
  const words = wordsFor(catalog.site.language)
  const base = scope.path
  const name = scopeTitle(scope)
  const title = monthName(month, words)
  // Older is `prev`: the previous page of this month, else the month before.
  const olderHref =
    page < pages ? monthPath(base, month, page + 1) : view.older && monthPath(base, view.older)
  const newerHref =
    page > 1 ? monthPath(base, month, page - 1) : view.newer && monthPath(base, view.newer)
  const dated = entries.filter((e) => e.date.precision !== 'month')
  const monthOnly = entries.filter((e) => e.date.precision === 'month')
  const list = (cards: Card[]) => (
    <EntryList entries={cards} catalog={catalog} words={words} except={except(scope)} />
  )
  return toHtml(
    <Layout
      site={catalog.site}
      title={`${name}: ${title}${page > 1 ? `, ${words.archive.pageN(page)}` : ''} · ${catalog.site.title}`}
      description={words.month.description(name, title)}
      canonical={catalog.url + monthPath(base, month, page)}
      feeds={feedLinks(catalog.url + base, feedTitle(catalog, scope))}
      prev={olderHref}
      next={newerHref}
    >
      <p class="meta">
        <a href={base || '/'}>{name}</a> · <a href={archiveIndexPath(base)}>{words.nav.archive}</a>
      </p>
      <h1>{capitalise(title)}</h1>
      <p class="lead">
        {words.entries(view.total)}
        {pages > 1 && `, ${words.month.pageOf(page, pages)}`}.
      </p>
      {dated.length > 0 && (
        <section aria-labelledby="entries">
          <h2 id="entries">{words.entriesHeading}</h2>
          {list(dated)}
        </section>
      )}
      {monthOnly.length > 0 && (
        <section aria-labelledby="month-only">
          <h2 id="month-only">{words.month.monthOnly(title)}</h2>
          {list(monthOnly)}
        </section>
      )}
      <Pager
        words={words}
        older={
          olderHref
            ? {
                href: olderHref,
                label: page < pages ? words.archive.older(page + 1) : monthName(view.older!, words),
              }
            : undefined
        }
        newer={
          newerHref
            ? {
                href: newerHref,
                label: page > 1 ? words.archive.newer(page - 1) : monthName(view.newer!, words),
              }
            : undefined
        }
        index={archiveIndexPath(base)}
      />
    </Layout>,
  )
}
