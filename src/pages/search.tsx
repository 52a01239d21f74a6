/**
 * @module search
 * `/search?q=…`: the entries whose title, summary or body hold every word
 * and phrase of `q`, newest first, with how many match (counted up to a
 * cap) and the feeds of the same search. It takes every filter the feeds
 * take, in the same canonical spelling, so a search and its feeds share one
 * query string. Pure renderer: the route reads the store.
 */
import type { Catalog } from '../catalog.ts'
import { type Filters } from '../filters.ts'
import { FORMAT_KEYS, FORMATS } from '../formats.ts'
import { keywordText, MAX_KEYWORD_LENGTH } from '../keywords.ts'
import type { Card } from '../store/rows.ts'
import { feedUrl, plural } from './directory.ts'
import { EntrySummary } from './entry.tsx'
import { Layout, toHtml, type FeedLink } from './layout.tsx'

export type SearchView =
  /** No filter given: the form alone. */
  | { kind: 'form' }
  | {
      kind: 'result'
      filters: Filters
      query: string
      results: Card[]
      matches: number
      cap: number
    }
  /** A malformed value: the message, and what was typed, put back in the box. */
  | { kind: 'error'; message: string; typed: string }

/** The feeds of a search: the site feeds with the same canonical query. */
export function searchFeeds(catalog: Catalog, query: string, terms: string): FeedLink[] {
  return FORMAT_KEYS.map((format) => ({
    format,
    href: feedUrl(catalog, '', format, query),
    title: `${catalog.site.title}: ${terms ? `“${terms}”` : 'search'} (${FORMATS[format].label})`,
  }))
}

export function renderSearchPage(catalog: Catalog, view: SearchView): string {
  const meta = catalog.site
  const terms = view.kind === 'result' ? keywordText(view.filters.q ?? []) : ''
  const typed = view.kind === 'error' ? view.typed : terms
  const feeds = view.kind === 'result' ? searchFeeds(catalog, view.query, terms) : []
  return toHtml(
    <Layout
      site={meta}
      title={`${terms ? `${terms} · ` : ''}Search · ${meta.title}`}
      description={`Search the entries of ${meta.title}.`}
      canonical={`${catalog.url}/search${view.kind === 'result' ? `?${view.query}` : ''}`}
      feeds={feeds}
    >
      <h1>Search</h1>
      <form method="get" action="/search" role="search">
        <label>
          Words, or "a phrase in quotes"; every one must appear
          <input type="search" name="q" value={typed} maxlength={MAX_KEYWORD_LENGTH} />
        </label>
        {view.kind === 'result' && <Kept filters={view.filters} />}
        <button type="submit">Search</button>
      </form>
      {view.kind === 'error' && (
        <p class="error" role="alert" id="search-error">
          <strong>That search cannot be run.</strong> {view.message}
        </p>
      )}
      {view.kind === 'result' && <Results catalog={catalog} view={view} feeds={feeds} />}
    </Layout>,
  )
}

/** The other filters of the search, kept when the words are changed. */
function Kept({ filters }: { filters: Filters }) {
  const pairs: [string, string][] = []
  for (const name of ['topic', 'exclude', 'person'] as const)
    if (filters[name].length) pairs.push([name, filters[name].join(',')])
  if (filters.since) pairs.push(['since', filters.since])
  if (filters.until) pairs.push(['until', filters.until])
  return (
    <>
      {pairs.map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
    </>
  )
}

/** Which filters besides the words narrow the search, in words. */
function within(catalog: Catalog, filters: Filters): string[] {
  const names = (slugs: string[], get: (s: string) => string | undefined) =>
    slugs.map((s) => get(s) ?? s).join(' or ')
  const parts: string[] = []
  if (filters.topic.length)
    parts.push(`in ${names(filters.topic, (s) => catalog.topicBySlug.get(s)?.title)}`)
  if (filters.exclude.length)
    parts.push(`not in ${names(filters.exclude, (s) => catalog.topicBySlug.get(s)?.title)}`)
  if (filters.person.length)
    parts.push(`involving ${names(filters.person, (s) => catalog.personById.get(s)?.name)}`)
  if (filters.since) parts.push(`published on or after ${filters.since}`)
  if (filters.until) parts.push(`published on or before ${filters.until}`)
  return parts
}

function Results({
  catalog,
  view,
  feeds,
}: {
  catalog: Catalog
  view: Extract<SearchView, { kind: 'result' }>
  feeds: FeedLink[]
}) {
  const { filters, results, matches, cap } = view
  const narrowed = within(catalog, filters)
  return (
    <section aria-labelledby="results">
      <h2 id="results">Results</h2>
      <p class="meta" data-matches={matches > cap ? `>${cap}` : matches}>
        {matches > cap
          ? `More than ${cap.toLocaleString('en-US')} entries match`
          : plural(matches, 'entry matches', 'entries match')}
        {narrowed.length ? ` (${narrowed.join(', ')})` : ''}
        {matches > results.length && results.length
          ? `; the newest ${results.length} are shown`
          : ''}
        .
      </p>
      <p>
        Follow this search:{' '}
        <span class="feeds">
          {feeds.map((f) => (
            <a href={f.href.slice(catalog.url.length)} type={FORMATS[f.format].media}>
              {FORMATS[f.format].label}
              <span class="vh">{` feed: ${f.title}`}</span>
            </a>
          ))}
        </span>
      </p>
      {results.length > 0 ? (
        <ol class="plain">
          {results.map((entry) => (
            <EntrySummary entry={entry} topics={catalog.topicBySlug} />
          ))}
        </ol>
      ) : (
        <p>No entry matches. Try fewer words, or another spelling.</p>
      )}
    </section>
  )
}
