/**
 * @module people
 * `/people`, everyone the entries involve, and `/people/{id}`: who a person
 * is (their `role`, as the source documents describe them, and nothing
 * more), their quotes with source, date and place, the entries they appear
 * in, and their feeds. Pure renderers: the route reads the store.
 */
import type { Catalog, ScopeStats } from '../catalog.ts'
import { feedTitle, scopeKey, scopeOf, statsOf } from '../scopes.ts'
import type { Entry, EntryQuote, EntrySource, Person } from '../content/types.ts'
import type { Card } from '../store/rows.ts'
import { capitalise, wordsFor } from '../i18n.ts'
import { displayDate, EntryList, QuoteFigure, type QuoteInEntry } from './entry.tsx'
import { archivePath, pageCount } from '../history.ts'
import { FrontPager } from './archive.tsx'
import { FeedAnchors, feedLinks, Layout, toHtml } from './layout.tsx'

export function renderPeopleIndex(catalog: Catalog): string {
  const meta = catalog.site
  const words = wordsFor(meta.language)
  const heading = words.scopes.person.many
  return toHtml(
    <Layout
      site={meta}
      title={`${heading} · ${meta.title}`}
      description={words.people.description(meta.title)}
      canonical={`${catalog.url}/people`}
      feeds={[]}
    >
      <h1>{heading}</h1>
      <p class="lead">{words.people.lead}</p>
      <p class="muted">
        {capitalise(words.forPrograms)} <a href="/people.json">people.json</a>; {words.forReaders}{' '}
        <a href="/opml.xml">{words.allFeedsOpml}</a>.
      </p>
      <ul class="plain">
        {catalog.people.map((person) => {
          const entries = statsOf(catalog, scopeKey('person', person.id)).entries
          return (
            <li id={`person-${person.id}`}>
              <h2>
                <a href={`/people/${person.id}`}>{person.name}</a>
              </h2>
              <p>{person.role}</p>
              <p class="meta">
                <span data-entries={entries}>{words.entries(entries)}</span> · {words.subscribe}{' '}
                <FeedAnchors base={`/people/${person.id}`} name={person.name} words={words} />
              </p>
            </li>
          )
        })}
      </ul>
    </Layout>,
  )
}

/** What a person's page shows. */
export interface PersonInfo {
  person: Person
  /** The person's scope: the entries that involve them. */
  stats: ScopeStats
  /** The entries that quote them. */
  quoted: ScopeStats
  /** The newest entries, as many as the feeds carry by default. */
  latest: Card[]
  /** Their quotes in the newest {@link QUOTED_ENTRIES} entries that quote them. */
  quotes: QuoteInEntry[]
}

/** Entries read for a person's quotes. */
export const QUOTED_ENTRIES = 20

export function renderPersonPage(catalog: Catalog, info: PersonInfo): string {
  const { person, stats, quoted, latest, quotes } = info
  const meta = catalog.site
  const words = wordsFor(meta.language)
  const base = `/people/${person.id}`
  const newestEntry = latest[0]
  const pages = pageCount({ count: stats.entries, size: catalog.archivePageSize })
  const older = pages ? archivePath(base, pages) : undefined
  return toHtml(
    <Layout
      site={meta}
      title={`${person.name} · ${meta.title}`}
      description={person.role}
      canonical={catalog.url + base}
      feeds={feedLinks(catalog.url + base, feedTitle(catalog, scopeOf('person', person)))}
      prev={older}
    >
      <p class="meta">
        <a href="/people">{words.scopes.person.one}</a>
      </p>
      <h1>{person.name}</h1>
      <p class="lead">{person.role}</p>
      <p class="meta" data-entries={stats.entries}>
        {words.entries(stats.entries)}
        {newestEntry &&
          words.newestFrom(displayDate(newestEntry.date, newestEntry.published, words))}
      </p>
      <p>
        {words.subscribe} <FeedAnchors base={base} name={person.name} words={words} />{' '}
        <span class="muted">·</span>{' '}
        <a href={`/search?person=${person.id}`}>{words.people.searchTheirs}</a>
      </p>
      {quotes.length > 0 && (
        <p class="meta">
          {words.people.onThisPage} <a href="#entries">{words.people.entriesLink}</a> ·{' '}
          <a href="#quotes">{words.quotes(quotes.length)}</a>
        </p>
      )}

      <section aria-labelledby="entries">
        <h2 id="entries">{words.entriesHeading}</h2>
        {latest.length ? (
          <EntryList entries={latest} catalog={catalog} words={words} />
        ) : (
          <p>{words.noEntries}</p>
        )}
        {stats.entries > latest.length && (
          <p class="muted">{words.people.newestOf(latest.length, stats.entries)}</p>
        )}
        <FrontPager words={words} base={base} pages={pages} />
      </section>

      {quotes.length > 0 && (
        <section aria-labelledby="quotes">
          <h2 id="quotes">{words.quotesHeading}</h2>
          {quotes.map((q) => (
            <QuoteFigure quote={q.quote} words={words} speaker={false} entry={q.entry} />
          ))}
          {quoted.entries > QUOTED_ENTRIES && (
            <p class="muted">
              {words.people.quotedFrom(QUOTED_ENTRIES, quoted.entries, person.name)}
            </p>
          )}
        </section>
      )}
    </Layout>,
  )
}
