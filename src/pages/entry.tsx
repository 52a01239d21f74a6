/**
 * @module entry
 * `/entries/{id}`: one entry, the target of every feed item's link; and the
 * entry summaries the index and topic pages list.
 */
import { raw } from 'hono/html'
import type { Child } from 'hono/jsx'
import type { Catalog } from '../catalog.ts'
import { feedTitle, scopeOf } from '../scopes.ts'
import type { Entry, EntryQuote, Topic } from '../content/types.ts'
import { displayPartial, displayParts } from '../content/dates.ts'
import { wordsFor, type Words } from '../i18n.ts'
import type { Card } from '../store/rows.ts'
import type { Tombstone } from '../tombstones.ts'
import { FeedAnchors, feedLinks, Layout, toHtml } from './layout.tsx'

export { displayPartial }

/**
 * A date as precisely as it is known, in the interface language: `2025`,
 * `April 2025`, `3 May 2025`, or with the time in a stated zone: the one
 * the content wrote it in (`3 May 2025, 10:30 (UTC−06:00)`), else UTC. When
 * the content's own spelling (`text`) is at hand it is shown as written;
 * otherwise the RFC 3339 UTC instant is.
 */
export function displayDate(
  date: Pick<Entry['date'], 'precision'> & { text?: string },
  rfc3339: string,
  words: Words,
): string {
  if (date.text !== undefined) return displayPartial(date.text, words.dates)
  return displayParts(rfc3339.slice(0, 10), date.precision, words.dates, rfc3339.slice(11, 16))
}

/** The entry's date with its precision; an inferred date is marked, and on the entry page its basis is given. */
export function DateLine({
  entry,
  words,
  basis = false,
}: {
  entry: Card
  words: Words
  basis?: boolean
}) {
  const { date } = entry
  return (
    <>
      <time datetime={date.text}>{displayDate(date, entry.published, words)}</time>
      {date.inferred && (
        <>
          {' '}
          <span class="badge" title={basis ? undefined : date.basis}>
            {words.entry.dateInferred}
          </span>
        </>
      )}
    </>
  )
}

/** Entries as a list of {@link EntrySummary}, in the order given (newest first). */
export function EntryList({
  entries,
  catalog,
  words,
  except,
}: {
  entries: readonly Card[]
  catalog: Pick<Catalog, 'topicBySlug'>
  words: Words
  except?: string | undefined
}) {
  return (
    <ol class="plain">
      {entries.map((entry) => (
        <EntrySummary entry={entry} topics={catalog.topicBySlug} words={words} except={except} />
      ))}
    </ol>
  )
}

/**
 * One entry in a list: title link, date, topics and summary. `except` is the
 * topic whose page lists it, left out of the entry's topics there.
 */
export function EntrySummary({
  entry,
  topics,
  words,
  except,
}: {
  entry: Card
  topics: ReadonlyMap<string, Topic>
  words: Words
  except?: string | undefined
}) {
  const shown = entry.topics.filter((slug) => slug !== except)
  return (
    <li>
      <article aria-labelledby={`e-${entry.id}`}>
        <h3 id={`e-${entry.id}`}>
          <a href={`/entries/${entry.id}`}>{entry.title}</a>
        </h3>
        <p class="meta">
          <DateLine entry={entry} words={words} />
          {entry.corrected && (
            <>
              {' '}
              <span class="badge">
                {words.entry.corrected}{' '}
                <time datetime={entry.corrected}>
                  {displayPartial(entry.corrected, words.dates)}
                </time>
              </span>
            </>
          )}
          {shown.length > 0 && (
            <>
              {' · '}
              <span class="topics">
                {shown.map((slug, i) => (
                  <>
                    {i > 0 && ', '}
                    <a href={`/topics/${slug}`}>{topics.get(slug)?.title ?? slug}</a>
                  </>
                ))}
              </span>
            </>
          )}
        </p>
        <p>{entry.summary}</p>
      </article>
    </li>
  )
}

/** A quote with the entry that prints it, for the pages that list quotes of many entries. */
export interface QuoteInEntry {
  quote: EntryQuote
  entry: Pick<Entry, 'id' | 'title'>
}

/** The quotes of `entries` (newest first) that pass `test`, in entry order and then each entry's own order. */
export function quotesIn(
  entries: readonly Entry[],
  test: (quote: EntryQuote) => boolean,
): QuoteInEntry[] {
  return entries.flatMap((entry) =>
    entry.quotes
      .filter(test)
      .map((quote) => ({ quote, entry: { id: entry.id, title: entry.title } })),
  )
}

/**
 * A verbatim quote with what is known of it: its speaker, where and when it
 * was said, the source that prints it and the entry it appears in. A page
 * leaves out what it is about already (a person's page, the speaker; a
 * source's page, the source; an entry's page, the entry).
 */
export function QuoteFigure({
  quote,
  words,
  speaker = true,
  source = true,
  entry,
}: {
  quote: EntryQuote
  words: Words
  speaker?: boolean
  source?: boolean
  entry?: { id: string; title: string }
}) {
  return (
    <figure>
      <blockquote>
        <p>{quote.text}</p>
      </blockquote>
      <figcaption>
        {joinSentences(captionSentences(quote, { speaker, source, entry }, words))}
      </figcaption>
    </figure>
  )
}

/** Ends a sentence with a full stop unless it already ends with `.`, `!` or `?`. */
const stop = (s: string) => (/[.!?]$/.test(s) ? '' : '.')

/**
 * The sentences of a quote's caption, each built only from the parts that
 * exist, so that a missing speaker, place, date, note or source leaves no
 * stray punctuation: `— Name (place, date).`, the note, `Source: X.`,
 * `In entry.`
 */
export function captionSentences(
  quote: EntryQuote,
  show: { speaker: boolean; source: boolean; entry?: { id: string; title: string } | undefined },
  words: Words,
): Child[] {
  const context: Child[] = []
  if (quote.where) context.push(quote.where)
  if (quote.said)
    context.push(<time datetime={quote.said}>{displayPartial(quote.said, words.dates)}</time>)
  if (quote.said && quote.saidInferred) context.push(words.entry.dateInferred)
  const said = context.length > 0 ? <>({joinWith(context, ', ')})</> : undefined
  const sentences: Child[] = []
  if (show.speaker) {
    sentences.push(
      <>
        —{' '}
        <a class="speaker" href={`/people/${quote.speaker}`}>
          {quote.speakerName}
        </a>
        {said && <> {said}</>}.
      </>,
    )
  } else if (said) sentences.push(<>{said}.</>)
  if (quote.note) sentences.push(`${quote.note}${stop(quote.note)}`)
  if (show.source) {
    sentences.push(
      <span class="muted">
        {words.entry.quoteSource} <a href={`/sources/${quote.source}`}>{quote.sourceLabel}</a>.
      </span>,
    )
  }
  if (show.entry) {
    sentences.push(
      <>
        {words.entry.quoteIn} <a href={`/entries/${show.entry.id}`}>{show.entry.title}</a>
        {stop(show.entry.title)}
      </>,
    )
  }
  return sentences
}

function joinWith(parts: Child[], separator: string): Child[] {
  return parts.flatMap((part, i) => (i === 0 ? [part] : [separator, part]))
}

const joinSentences = (sentences: Child[]) => joinWith(sentences, ' ')

export function renderEntryPage(catalog: Catalog, entry: Entry): string {
  const url = catalog.url
  const topics = entry.topics.map((slug) => catalog.topicBySlug.get(slug)!)
  const { date } = entry
  const words = wordsFor(catalog.site.language)
  // The page speaks the site's language; an entry written in another one says so of its own words.
  const own = entry.language === catalog.site.language ? undefined : entry.language
  return toHtml(
    <Layout
      site={catalog.site}
      title={`${entry.title} · ${catalog.site.title}`}
      description={entry.summary}
      canonical={entry.url}
      feeds={topics.flatMap((t) =>
        feedLinks(`${url}/topics/${t.slug}`, feedTitle(catalog, scopeOf('topic', t))),
      )}
    >
      <article aria-labelledby="title">
        <h1 id="title" lang={own}>
          {entry.title}
        </h1>
        <p class="meta">
          <DateLine entry={entry} words={words} basis />
          {entry.updated !== entry.published && (
            <>
              {` · ${words.entry.updated} `}
              <time datetime={entry.updatedText ?? entry.updated}>
                {entry.updatedText
                  ? displayPartial(entry.updatedText, words.dates)
                  : displayDate({ precision: 'day' }, entry.updated, words)}
              </time>
            </>
          )}
        </p>
        {date.inferred && date.basis && (
          <p class="meta">
            <strong>{words.entry.howInferred}</strong> {date.basis}
          </p>
        )}
        <p class="lead" lang={own}>
          {entry.summary}
        </p>
        {own ? <div lang={own}>{raw(entry.html)}</div> : raw(entry.html)}
        {entry.corrections && (
          <section aria-labelledby="corrections" class="corrections">
            <h2 id="corrections">{words.entry.corrections(entry.corrections.length)}</h2>
            <ul>
              {entry.corrections.map((c) => (
                <li>
                  <time datetime={c.date}>{displayPartial(c.date, words.dates)}</time>: {c.text}
                </li>
              ))}
            </ul>
          </section>
        )}
        {entry.quotes.length > 0 && (
          <section aria-labelledby="quotes">
            <h2 id="quotes">{words.quotesHeading}</h2>
            {entry.quotes.map((q) => (
              <QuoteFigure quote={q} words={words} />
            ))}
          </section>
        )}
        <section aria-labelledby="sources">
          <h2 id="sources">{words.scopes.source.many}</h2>
          <ul>
            {entry.sources.map((s) => (
              <li>
                <a href={`/sources/${s.slug}`}>{s.label}</a>
                {s.credits.length > 0 && words.entry.credits(s.credits.join(', '))}
              </li>
            ))}
          </ul>
        </section>
        {entry.people.length > 0 && (
          <p class="meta">
            {words.scopes.person.many}:{' '}
            {joinWith(
              entry.people.map((p) => <a href={`/people/${p.id}`}>{p.name}</a>),
              ', ',
            )}
          </p>
        )}
        <section aria-labelledby="topics">
          <h2 id="topics">{words.scopes.topic.many}</h2>
          <p class="muted">{words.entry.followTopics}</p>
          <ul class="plain compact">
            {topics.map((t) => (
              <li>
                <a href={`/topics/${t.slug}`}>{t.title}</a> <span class="muted">·</span>{' '}
                <FeedAnchors base={`/topics/${t.slug}`} name={t.title} words={words} />
              </li>
            ))}
          </ul>
        </section>
      </article>
    </Layout>,
  )
}

/** The page of a withdrawn or deleted entry, served with 410 Gone: when, why (if the publisher said) and where to go on. */
export function renderGonePage(catalog: Catalog, gone: Tombstone): string {
  const words = wordsFor(catalog.site.language)
  return toHtml(
    <Layout
      site={catalog.site}
      title={`${words.gone.title} · ${catalog.site.title}`}
      description={words.gone.description}
      canonical={gone.url}
      lang={catalog.site.language}
      feeds={[]}
    >
      <article aria-labelledby="title">
        <h1 id="title">{words.gone.heading}</h1>
        <p class="meta">
          {words.gone.withdrawn}{' '}
          <time datetime={gone.when}>{displayDate({ precision: 'day' }, gone.when, words)}</time>
          {gone.by && words.gone.by(gone.by)}.
        </p>
        {gone.comment && (
          <p>
            <strong>{words.gone.reason}</strong> {gone.comment}
          </p>
        )}
        <p>
          {words.gone.notListed} <a href="/">{words.latest}</a>
        </p>
      </article>
    </Layout>,
  )
}
