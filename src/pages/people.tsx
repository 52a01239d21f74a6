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
import { plural } from './directory.ts'
import { displayDate, EntrySummary, QuoteFigure, type QuoteInEntry } from './entry.tsx'
import { archiveIndexPath, archivePath, pageCount } from '../history.ts'
import { Pager } from './archive.tsx'
import { FeedAnchors, feedLinks, Layout, toHtml } from './layout.tsx'

export function renderPeopleIndex(catalog: Catalog): string {
  const meta = catalog.site
  return toHtml(
    <Layout
      site={meta}
      title={`People · ${meta.title}`}
      description={`Everyone the entries of ${meta.title} involve, with their feeds.`}
      canonical={`${catalog.url}/people`}
      feeds={[]}
    >
      <h1>People</h1>
      <p class="lead">
        Everyone the entries involve, as the source documents describe them. Each person has a page
        and feeds.
      </p>
      <p class="muted">
        For programs: <a href="/people.json">people.json</a>; for feed readers:{' '}
        <a href="/opml.xml">all feeds as OPML</a>.
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
                <span data-entries={entries}>{plural(entries, 'entry', 'entries')}</span> ·
                Subscribe: <FeedAnchors base={`/people/${person.id}`} name={person.name} />
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
        <a href="/people">Person</a>
      </p>
      <h1>{person.name}</h1>
      <p class="lead">{person.role}</p>
      <p class="meta" data-entries={stats.entries}>
        {plural(stats.entries, 'entry', 'entries')}
        {newestEntry && (
          <>, the newest from {displayDate(newestEntry.date, newestEntry.published)}</>
        )}
      </p>
      <p>
        Subscribe: <FeedAnchors base={base} name={person.name} /> <span class="muted">·</span>{' '}
        <a href={`/search?person=${person.id}`}>Search their entries</a>
      </p>
      {quotes.length > 0 && (
        <p class="meta">
          On this page: <a href="#entries">entries</a> ·{' '}
          <a href="#quotes">{plural(quotes.length, 'quote', 'quotes')}</a>
        </p>
      )}

      <section aria-labelledby="entries">
        <h2 id="entries">Entries</h2>
        {latest.length ? (
          <ol class="plain">
            {latest.map((entry) => (
              <EntrySummary entry={entry} topics={catalog.topicBySlug} />
            ))}
          </ol>
        ) : (
          <p>No entries yet.</p>
        )}
        {stats.entries > latest.length && (
          <p class="muted">
            The newest {latest.length} of {stats.entries}; the feeds carry the same, and older ones
            are in the archive.
          </p>
        )}
        <Pager
          older={older ? { href: older, label: `Older entries: archive page ${pages}` } : undefined}
          index={archiveIndexPath(base)}
        />
      </section>

      {quotes.length > 0 && (
        <section aria-labelledby="quotes">
          <h2 id="quotes">Quotes</h2>
          {quotes.map((q) => (
            <QuoteFigure quote={q.quote} speaker={false} entry={q.entry} />
          ))}
          {quoted.entries > QUOTED_ENTRIES && (
            <p class="muted">
              From the newest {QUOTED_ENTRIES} of the {quoted.entries} entries that quote{' '}
              {person.name}.
            </p>
          )}
        </section>
      )}
    </Layout>,
  )
}
