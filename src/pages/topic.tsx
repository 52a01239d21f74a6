/**
 * @module topic
 * `/topics/{slug}`: a topic's description, entries and feeds, and a form
 * that builds the canonical URL of a filtered topic feed. The form works
 * without JavaScript: it GETs this same page, and the server answers with
 * the canonical feed URL, spelled by `parseFilters` and `canonicalQuery`.
 */
import type { Catalog, ScopeStats } from '../catalog.ts'
import { feedTitle, scopeOf } from '../scopes.ts'
import type { Person, Topic } from '../content/types.ts'
import { BadParameter } from '../errors.ts'
import {
  canonicalQuery,
  parseFilters,
  readQuery,
  type Filters,
  type Vocabulary,
} from '../filters.ts'
import { feedPath, FORMAT_KEYS, FORMATS, type Format } from '../formats.ts'
import { archivePath, pageCount } from '../history.ts'
import { keywordText, MAX_KEYWORD_LENGTH } from '../keywords.ts'
import type { Card } from '../store/rows.ts'
import { FrontPager } from './archive.tsx'
import { capitalise, wordsFor, type Words } from '../i18n.ts'
import { feedUrl } from './directory.ts'
import { displayDate, EntryList } from './entry.tsx'
import { ErrorDetail, FeedAnchors, feedLinks, Layout, toHtml } from './layout.tsx'
import { COPY_SCRIPT } from './subscribe.tsx'

/** The form's fields; any other query parameter is ignored. */
export const FORM_FIELDS = ['topic', 'exclude', 'person', 'q', 'since', 'format'] as const
const LISTS = ['topic', 'exclude', 'person'] as const
type List = (typeof LISTS)[number]
const FIELD_SET: ReadonlySet<string> = new Set(FORM_FIELDS)

/** A valid form submission: the filters, the format, and the canonical spellings derived from them. */
export interface FeedRequest {
  filters: Filters
  format: Format
  /** `canonicalQuery(filters)`: the feed URL's query, without `?`. */
  query: string
  /** The page's own canonical query (the filters plus `format`): the memo key's query. */
  pageQuery: string
}

/**
 * Reads the form from a raw query string (without `?`). Returns undefined
 * when none of the form's fields is present (the plain topic page).
 *
 * Checkboxes submit a list as repeated parameters (`topic=a&topic=b`); they
 * are joined with commas into the one parameter `parseFilters` accepts, so
 * the spelling rules (case, order, duplicates, unknown names) are exactly
 * the feeds'. Empty fields mean "not given"; `format` defaults to RSS.
 *
 * @throws BadRequest or BadParameter (400) for a malformed value, NotFound (404) for an unknown topic or person.
 */
export function readForm(search: string, vocabulary: Vocabulary): FeedRequest | undefined {
  const pairs = readQuery(search).filter(([name]) => FIELD_SET.has(name))
  if (pairs.length === 0) return undefined
  const given = (name: string) =>
    pairs
      .filter(([n]) => n === name)
      .map(([, v]) => v.trim())
      .filter(Boolean)
  const parts: string[] = []
  for (const name of LISTS) {
    const values = given(name)
    if (values.length) parts.push(`${name}=${encodeURIComponent(values.join(','))}`)
  }
  // More than one `q` or `since` is passed on as it is, for parseFilters to refuse.
  for (const q of given('q')) parts.push(`q=${encodeURIComponent(q)}`)
  for (const since of given('since')) parts.push(`since=${encodeURIComponent(since)}`)
  const filters = parseFilters(parts.join('&'), vocabulary)

  const formats = given('format').map((f) => f.toLowerCase())
  if (formats.length > 1) throw new BadParameter('format', 'one "format" parameter')
  const format = formats[0] ?? 'rss'
  if (!Object.hasOwn(FORMATS, format))
    throw new BadParameter('format', `one of ${FORMAT_KEYS.join(', ')}`)
  const query = canonicalQuery(filters)
  return {
    filters,
    format: format as Format,
    query,
    pageQuery: [query, `format=${format}`].filter(Boolean).join('&'),
  }
}

/** What the form shows as chosen: the canonical filters after a valid submission, the raw input after a bad one. */
interface Chosen {
  lists: Record<List, readonly string[]>
  /** The keywords, as `q` spells them. */
  q: string
  since: string
  format: string
}

const NOTHING: Chosen = {
  lists: { topic: [], exclude: [], person: [] },
  q: '',
  since: '',
  format: 'rss',
}

/** The raw values of a submission that failed, to put back in the form; tolerant of anything. */
export function rawChoices(search: string): Chosen {
  let pairs: [string, string][]
  try {
    pairs = readQuery(search)
  } catch {
    return NOTHING
  }
  const given = (name: string) =>
    pairs
      .filter(([n]) => n === name)
      .flatMap(([, v]) => v.split(','))
      .map((v) => v.trim())
  return {
    lists: {
      topic: given('topic').map((v) => v.toLowerCase()),
      exclude: given('exclude').map((v) => v.toLowerCase()),
      person: given('person').map((v) => v.toLowerCase()),
    },
    q: pairs.find(([n]) => n === 'q')?.[1] ?? '',
    since: pairs.find(([n]) => n === 'since')?.[1] ?? '',
    format: (pairs.find(([n]) => n === 'format')?.[1] ?? 'rss').toLowerCase(),
  }
}

/** What a topic page shows besides the form. */
export interface TopicInfo {
  topic: Topic
  stats: ScopeStats
  /** Other topics that share entries with this one, in content order: the useful filter choices. */
  related: Topic[]
  /** People named in the topic's entries, in content order. */
  people: Person[]
  /** The newest entries, as many as the feeds carry by default. */
  latest: Card[]
}

export type TopicView =
  | { kind: 'plain' }
  | { kind: 'result'; request: FeedRequest; matches: number; cap: number }
  | { kind: 'error'; message: string; raw: Chosen }

export function renderTopicPage(catalog: Catalog, info: TopicInfo, view: TopicView): string {
  const { topic, latest, stats } = info
  const meta = catalog.site
  const words = wordsFor(meta.language)
  const title = feedTitle(catalog, scopeOf('topic', topic))
  const chosen: Chosen =
    view.kind === 'result'
      ? {
          lists: view.request.filters,
          q: keywordText(view.request.filters.q ?? []),
          since: view.request.filters.since ?? '',
          format: view.request.format,
        }
      : view.kind === 'error'
        ? view.raw
        : NOTHING
  const newestEntry = latest[0]
  const base = `/topics/${topic.slug}`
  const pages = pageCount({ count: stats.entries, size: catalog.archivePageSize })
  const older = pages ? archivePath(base, pages) : undefined
  return toHtml(
    <Layout
      site={meta}
      title={`${topic.title} · ${meta.title}`}
      description={topic.description}
      canonical={`${catalog.url}/topics/${topic.slug}`}
      feeds={feedLinks(`${catalog.url}/topics/${topic.slug}`, title)}
      prev={older}
      scripts={[COPY_SCRIPT]}
    >
      <p class="meta">{words.scopes.topic.one}</p>
      <h1>{topic.title}</h1>
      <p class="lead">{topic.description}</p>
      <p class="meta" data-entries={stats.entries}>
        {words.entries(stats.entries)}
        {newestEntry &&
          words.newestFrom(displayDate(newestEntry.date, newestEntry.published, words))}
      </p>
      <p>
        {words.subscribe}{' '}
        <FeedAnchors base={`/topics/${topic.slug}`} name={topic.title} words={words} />{' '}
        <span class="muted">·</span> <a href="#build">{words.topic.buildLink}</a>
      </p>

      <section aria-labelledby="entries">
        <h2 id="entries">{words.entriesHeading}</h2>
        {latest.length ? (
          <EntryList entries={latest} catalog={catalog} words={words} except={topic.slug} />
        ) : (
          <p>{words.noEntries}</p>
        )}
        {stats.entries > latest.length && (
          <p class="muted">{words.topic.newestOf(latest.length, stats.entries)}</p>
        )}
        <FrontPager words={words} base={base} pages={pages} />
      </section>

      <section aria-labelledby="build">
        <h2 id="build">{words.topic.buildLink}</h2>
        <p>{words.topic.buildIntro}</p>
        {view.kind === 'error' && (
          <p class="error" role="alert" id="form-error">
            <strong>{words.topic.cannotBuild}</strong>{' '}
            <ErrorDetail words={words} message={view.message} />
          </p>
        )}
        {view.kind === 'result' && (
          <Result
            catalog={catalog}
            topic={topic}
            request={view.request}
            matches={view.matches}
            cap={view.cap}
            words={words}
          />
        )}
        <FilterForm catalog={catalog} info={info} chosen={chosen} words={words} />
      </section>
    </Layout>,
  )
}

function Result({
  catalog,
  topic,
  request,
  matches,
  cap,
  words,
}: {
  catalog: Catalog
  topic: Topic
  request: FeedRequest
  matches: number
  cap: number
  words: Words
}) {
  const base = `/topics/${topic.slug}`
  const url = feedUrl(catalog, base, request.format, request.query)
  const path = feedPath(base, request.format) + (request.query ? `?${request.query}` : '')
  return (
    <section class="result" aria-labelledby="result-title">
      <h3 id="result-title">{words.topic.resultTitle(FORMATS[request.format].label)}</h3>
      <p>
        {words.topic.itsAddress}
        <code id="feed-url" class="feed-url">
          {/* Each part stays on one line where it fits: lines break before "?" and "&", not inside a value. */}
          {url.split(/(?=[?&])/).map((part) => (
            <span>{part}</span>
          ))}
        </code>
        <button type="button" data-copy="feed-url" data-done={words.copied} hidden>
          {words.copy}
        </button>
      </p>
      <p>
        <a id="feed-link" href={path} type={FORMATS[request.format].media}>
          {words.topic.openFeed}
        </a>{' '}
        <span class="muted">· {words.topic.soFar(matches, cap, request.filters.limit)}</span>
      </p>
    </section>
  )
}

function FilterForm({
  catalog,
  info,
  chosen,
  words,
}: {
  catalog: Catalog
  info: TopicInfo
  chosen: Chosen
  words: Words
}) {
  const slug = info.topic.slug
  // The useful choices, plus anything already chosen that is real (a hand-made URL may name others).
  const topicChoices = (list: readonly string[]) =>
    catalog.topics.filter((t) => info.related.includes(t) || list.includes(t.slug))
  const personChoices = catalog.people.filter(
    (p) => info.people.includes(p) || chosen.lists.person.includes(p.id),
  )
  const choices = (
    name: List,
    legend: string,
    options: { value: string; label: string }[],
    none: string,
  ) => (
    <fieldset>
      <legend>{legend}</legend>
      {options.length ? (
        <div class="choices">
          {options.map((o) => (
            <label>
              <input
                type="checkbox"
                name={name}
                value={o.value}
                checked={chosen.lists[name].includes(o.value)}
              />
              <span>{o.label}</span>
            </label>
          ))}
        </div>
      ) : (
        <p class="muted">{none}</p>
      )}
    </fieldset>
  )
  const topicOptions = (name: List) =>
    topicChoices(chosen.lists[name]).map((t) => ({ value: t.slug, label: t.title }))
  return (
    <form method="get" action={`/topics/${slug}#build`}>
      {choices('topic', words.topic.alsoIn, topicOptions('topic'), words.topic.noOtherTopic)}
      {choices('exclude', words.topic.notIn, topicOptions('exclude'), words.topic.noOtherTopic)}
      {choices(
        'person',
        words.topic.naming,
        personChoices.map((p) => ({ value: p.id, label: p.name })),
        words.topic.noPeople,
      )}
      <label>
        {words.topic.words}
        <input type="search" name="q" value={chosen.q} maxlength={MAX_KEYWORD_LENGTH} />
      </label>
      <div class="row">
        <label>
          {words.topic.since}
          {/* A date input takes only yyyy-mm-dd; anything else the request gave is named in the error above. */}
          <input
            type="date"
            name="since"
            value={/^\d{4}-\d{2}-\d{2}$/.test(chosen.since) ? chosen.since : ''}
          />
        </label>
        <label>
          {words.topic.format}
          <select name="format">
            {FORMAT_KEYS.map((f) => (
              <option value={f} selected={chosen.format === f}>
                {FORMATS[f].label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <button type="submit">{words.topic.submit}</button>
    </form>
  )
}
