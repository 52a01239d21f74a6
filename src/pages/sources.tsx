/**
 * @module sources
 * `/sources`, every source document the entries draw on, and
 * `/sources/{slug}`: what is known and not known about one document (its
 * publication, author, headline, date and whether that date is stated or
 * inferred), the publications it credits, the entries that draw on it and
 * the quotes taken from it. Documents are named by label, never by file.
 * Pure renderers: the route reads the store.
 */
import type { Catalog, CatalogSource, ScopeStats } from '../catalog.ts'
import type { Entry, EntryQuote } from '../content/types.ts'
import { DEFAULT_LIMIT } from '../filters.ts'
import { archiveIndexPath } from '../history.ts'
import type { Card } from '../store/rows.ts'
import { plural } from './directory.ts'
import {
  displayDate,
  displayPartial,
  EntrySummary,
  QuoteFigure,
  type QuoteInEntry,
} from './entry.tsx'
import { FeedAnchors, feedLinks, Layout, toHtml } from './layout.tsx'
import { feedTitle, scopeOf, statsOf } from '../scopes.ts'

/** What a source's page shows besides the catalog's facts. */
export interface SourceInfo {
  source: CatalogSource
  stats: ScopeStats
  /** The newest entries that draw on it, as many as a feed carries by default. */
  latest: Card[]
  /** Quotes it supplies to those entries. */
  quotes: QuoteInEntry[]
}

/** The path of the filtered feed of entries drawing on a source. */
export const sourceFeedQuery = (slug: string) => `source=${slug}`

/** What the document says about itself, field by field; a field it does not give says so. */
function Facts({ source }: { source: CatalogSource }) {
  const missing = () => <span class="muted">not given in the document</span>
  return (
    <dl>
      <dt>Publication</dt>
      <dd>{source.publication ?? missing()}</dd>
      <dt>Headline</dt>
      <dd>{source.headline ? <cite>{source.headline}</cite> : missing()}</dd>
      <dt>Author</dt>
      <dd>{source.author ?? missing()}</dd>
      <dt>Date</dt>
      <dd>
        {source.date ? (
          <>
            <time datetime={source.date}>{displayPartial(source.date)}</time>
            {source.dateInferred ? (
              <> (inferred: {source.dateBasis})</>
            ) : (
              ' (stated in the document)'
            )}
          </>
        ) : (
          missing()
        )}
      </dd>
      {source.description && (
        <>
          <dt>Description</dt>
          <dd>{source.description}</dd>
        </>
      )}
      <dt>Credits</dt>
      <dd>
        {source.credits.length ? (
          source.credits.join(', ')
        ) : (
          <span class="muted">no other publication credited by the entries that use it</span>
        )}
      </dd>
    </dl>
  )
}

export function renderSourcesIndex(catalog: Catalog): string {
  const meta = catalog.site
  return toHtml(
    <Layout
      site={meta}
      title={`Sources · ${meta.title}`}
      description={`The source documents the entries of ${meta.title} are written from.`}
      canonical={`${catalog.url}/sources`}
      feeds={[]}
    >
      <h1>Sources</h1>
      <p class="lead">
        The documents the entries are written from. Every quote on this site is traced to one of
        them.
      </p>
      <ul class="plain">
        {catalog.sources.map((source) => {
          const scope = scopeOf('source', source)
          const entries = statsOf(catalog, scope.key).entries
          return (
            <li id={`source-${source.slug}`}>
              <h2>
                <a href={`/sources/${source.slug}`}>{source.label}</a>
              </h2>
              <p class="meta">
                <span data-entries={entries}>{plural(entries, 'entry draws', 'entries draw')}</span>{' '}
                on it · <FeedAnchors base={scope.path} name={source.label} />
              </p>
            </li>
          )
        })}
      </ul>
    </Layout>,
  )
}

export function renderSourcePage(catalog: Catalog, info: SourceInfo): string {
  const { source, stats, latest, quotes } = info
  const meta = catalog.site
  const query = sourceFeedQuery(source.slug)
  const scope = scopeOf('source', source)
  const feeds = feedLinks(catalog.url + scope.path, feedTitle(catalog, scope))
  const newestEntry = latest[0]
  return toHtml(
    <Layout
      site={meta}
      title={`${source.label} · ${meta.title}`}
      description={`A source document: ${source.label}.`}
      canonical={`${catalog.url}/sources/${source.slug}`}
      feeds={feeds}
    >
      <p class="meta">
        <a href="/sources">Source document</a>
      </p>
      <h1>{source.label}</h1>
      <Facts source={source} />
      <p class="meta" data-entries={stats.entries}>
        {plural(stats.entries, 'entry draws', 'entries draw')} on it
        {newestEntry && (
          <>, the newest from {displayDate(newestEntry.date, newestEntry.published)}</>
        )}
      </p>
      <p>
        Follow the entries that draw on it: <FeedAnchors base={scope.path} name={source.label} />{' '}
        <span class="muted">·</span> <a href={archiveIndexPath(scope.path)}>Archive</a>
      </p>

      {quotes.length > 0 && (
        <section aria-labelledby="quotes">
          <h2 id="quotes">Quotes taken from it</h2>
          {quotes.map(({ quote, entry }) => (
            <QuoteFigure quote={quote} source={false} entry={entry} />
          ))}
          {stats.entries > DEFAULT_LIMIT && (
            <p class="muted">
              From the newest {DEFAULT_LIMIT} of the {stats.entries} entries that draw on it.
            </p>
          )}
        </section>
      )}

      <section aria-labelledby="entries">
        <h2 id="entries">Entries that draw on it</h2>
        {latest.length ? (
          <ol class="plain">
            {latest.map((entry) => (
              <EntrySummary entry={entry} topics={catalog.topicBySlug} />
            ))}
          </ol>
        ) : (
          <p>No entries draw on it.</p>
        )}
        {stats.entries > DEFAULT_LIMIT && (
          <p class="muted">
            The newest {DEFAULT_LIMIT} of {stats.entries};{' '}
            <a href={`/search?${query}`}>search them all</a>.
          </p>
        )}
      </section>
    </Layout>,
  )
}
