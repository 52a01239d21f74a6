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
import { capitalise, wordsFor, type Words } from '../i18n.ts'
import { feedUrl } from './directory.ts'
import { EntryList } from './entry.tsx'
import { ErrorDetail, Layout, toHtml, type FeedLink } from './layout.tsx'

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
  const words = wordsFor(catalog.site.language)
  return FORMAT_KEYS.map((format) => ({
    format,
    href: feedUrl(catalog, '', format, query),
    title: `${catalog.site.title}: ${words.search.feedName(terms)} (${FORMATS[format].label})`,
  }))
}

export function renderSearchPage(catalog: Catalog, view: SearchView): string {
  const meta = catalog.site
  const words = wordsFor(meta.language)
  const terms = view.kind === 'result' ? keywordText(view.filters.q ?? []) : ''
  const typed = view.kind === 'error' ? view.typed : terms
  const feeds = view.kind === 'result' ? searchFeeds(catalog, view.query, terms) : []
  return toHtml(
    <Layout
      site={meta}
      title={`${terms ? `${terms} · ` : ''}${words.search.title} · ${meta.title}`}
      description={words.search.description(meta.title)}
      canonical={`${catalog.url}/search${view.kind === 'result' ? `?${view.query}` : ''}`}
      feeds={feeds}
    >
      <h1>{words.search.title}</h1>
      <form method="get" action="/search" role="search">
        <label>
          {words.search.label}
          <input type="search" name="q" value={typed} maxlength={MAX_KEYWORD_LENGTH} />
        </label>
        {view.kind === 'result' && <Kept filters={view.filters} />}
        <button type="submit">{words.search.button}</button>
      </form>
      {view.kind === 'error' && (
        <p class="error" role="alert" id="search-error">
          <strong>{words.search.cannotRun}</strong>{' '}
          <ErrorDetail words={words} message={view.message} />
        </p>
      )}
      {view.kind === 'result' && (
        <Results catalog={catalog} view={view} feeds={feeds} words={words} />
      )}
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
function within(catalog: Catalog, filters: Filters, words: Words): string[] {
  const w = words.search
  const names = (slugs: string[], get: (s: string) => string | undefined) =>
    slugs.map((s) => get(s) ?? s).join(w.or)
  const topic = (s: string) => catalog.topicBySlug.get(s)?.title
  const parts: string[] = []
  if (filters.topic.length) parts.push(w.inTopics(names(filters.topic, topic)))
  if (filters.exclude.length) parts.push(w.notInTopics(names(filters.exclude, topic)))
  if (filters.person.length)
    parts.push(w.involving(names(filters.person, (s) => catalog.personById.get(s)?.name)))
  if (filters.since) parts.push(w.since(filters.since))
  if (filters.until) parts.push(w.until(filters.until))
  return parts
}

function Results({
  catalog,
  view,
  feeds,
  words,
}: {
  catalog: Catalog
  view: Extract<SearchView, { kind: 'result' }>
  feeds: FeedLink[]
  words: Words
}) {
  const { filters, results, matches, cap } = view
  const narrowed = within(catalog, filters, words)
  return (
    <section aria-labelledby="results">
      <h2 id="results">{words.search.results}</h2>
      <p class="meta" data-matches={matches > cap ? `>${cap}` : matches}>
        {capitalise(words.search.matching(matches, cap))}
        {narrowed.length ? ` (${narrowed.join(', ')})` : ''}
        {matches > results.length && results.length ? words.search.shown(results.length) : ''}.
      </p>
      <p>
        {words.search.follow}{' '}
        <span class="feeds">
          {feeds.map((f) => (
            <a href={f.href.slice(catalog.url.length)} type={FORMATS[f.format].media}>
              {FORMATS[f.format].label}
              <span class="vh">{words.feedOf(f.title)}</span>
            </a>
          ))}
        </span>
      </p>
      {results.length > 0 ? (
        <EntryList entries={results} catalog={catalog} words={words} />
      ) : (
        <p>{words.search.none}</p>
      )}
    </section>
  )
}
