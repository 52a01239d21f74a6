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
import { wordsFor, type Words } from '../i18n.ts'
import { displayDate, displayPartial, EntryList, QuoteFigure, type QuoteInEntry } from './entry.tsx'
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
function Facts({ source, words }: { source: CatalogSource; words: Words }) {
  const w = words.sources
  const missing = () => <span class="muted">{w.notGiven}</span>
  return (
    <dl>
      <dt>{w.publication}</dt>
      <dd>{source.publication ?? missing()}</dd>
      <dt>{w.headline}</dt>
      <dd>{source.headline ? <cite>{source.headline}</cite> : missing()}</dd>
      <dt>{w.author}</dt>
      <dd>{source.author ?? missing()}</dd>
      <dt>{w.date}</dt>
      <dd>
        {source.date ? (
          <>
            <time datetime={source.date}>{displayPartial(source.date, words.dates)}</time>
            {source.dateInferred ? w.inferred(source.dateBasis ?? '') : w.stated}
          </>
        ) : (
          missing()
        )}
      </dd>
      {source.description && (
        <>
          <dt>{w.description}</dt>
          <dd>{source.description}</dd>
        </>
      )}
      <dt>{w.credits}</dt>
      <dd>
        {source.credits.length ? (
          source.credits.join(', ')
        ) : (
          <span class="muted">{w.noCredits}</span>
        )}
      </dd>
    </dl>
  )
}

export function renderSourcesIndex(catalog: Catalog): string {
  const meta = catalog.site
  const words = wordsFor(meta.language)
  const heading = words.scopes.source.many
  return toHtml(
    <Layout
      site={meta}
      title={`${heading} · ${meta.title}`}
      description={words.sources.indexDescription(meta.title)}
      canonical={`${catalog.url}/sources`}
      feeds={[]}
    >
      <h1>{heading}</h1>
      <p class="lead">{words.sources.lead}</p>
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
                <span data-entries={entries}>{words.sources.draw(entries)}</span>{' '}
                {words.sources.onIt} ·{' '}
                <FeedAnchors base={scope.path} name={source.label} words={words} />
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
  const words = wordsFor(meta.language)
  const query = sourceFeedQuery(source.slug)
  const scope = scopeOf('source', source)
  const feeds = feedLinks(catalog.url + scope.path, feedTitle(catalog, scope))
  const newestEntry = latest[0]
  return toHtml(
    <Layout
      site={meta}
      title={`${source.label} · ${meta.title}`}
      description={words.sources.pageDescription(source.label)}
      canonical={`${catalog.url}/sources/${source.slug}`}
      feeds={feeds}
    >
      <p class="meta">
        <a href="/sources">{words.scopes.source.one}</a>
      </p>
      <h1>{source.label}</h1>
      <Facts source={source} words={words} />
      <p class="meta" data-entries={stats.entries}>
        {words.sources.draw(stats.entries)} {words.sources.onIt}
        {newestEntry &&
          words.newestFrom(displayDate(newestEntry.date, newestEntry.published, words))}
      </p>
      <p>
        {words.sources.follow} <FeedAnchors base={scope.path} name={source.label} words={words} />{' '}
        <span class="muted">·</span> <a href={archiveIndexPath(scope.path)}>{words.nav.archive}</a>
      </p>

      {quotes.length > 0 && (
        <section aria-labelledby="quotes">
          <h2 id="quotes">{words.sources.quotesFrom}</h2>
          {quotes.map(({ quote, entry }) => (
            <QuoteFigure quote={quote} words={words} source={false} entry={entry} />
          ))}
          {stats.entries > DEFAULT_LIMIT && (
            <p class="muted">{words.sources.quotedFrom(DEFAULT_LIMIT, stats.entries)}</p>
          )}
        </section>
      )}

      <section aria-labelledby="entries">
        <h2 id="entries">{words.sources.entriesFrom}</h2>
        {latest.length ? (
          <EntryList entries={latest} catalog={catalog} words={words} />
        ) : (
          <p>{words.sources.noEntries}</p>
        )}
        {stats.entries > DEFAULT_LIMIT && (
          <p class="muted">
            {words.sources.newestOf(DEFAULT_LIMIT, stats.entries)}{' '}
            <a href={`/search?${query}`}>{words.sources.searchAll}</a>.
          </p>
        )}
      </section>
    </Layout>,
  )
}
