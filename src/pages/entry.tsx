/**
 * @module entry
 * `/entries/{id}`: one entry, the target of every feed item's link.
 */
import { raw } from 'hono/html'
import type { Site } from '../app.ts'
import type { Entry } from '../content/types.ts'
import { feedLinks, Layout, toHtml } from './layout.tsx'

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']

/** A date as precisely as it is known: `2025`, `April 2025`, `3 May 2025`. */
export function displayDate(date: Entry['date'], rfc3339: string): string {
  const [y, m, d] = rfc3339.slice(0, 10).split('-').map(Number) as [number, number, number]
  if (date.precision === 'year') return String(y)
  if (date.precision === 'month') return `${MONTHS[m - 1]} ${y}`
  return `${d} ${MONTHS[m - 1]} ${y}`
}

export function DateLine({ entry }: { entry: Entry }) {
  return (
    <p class="meta">
      <time datetime={entry.date.text}>{displayDate(entry.date, entry.published)}</time>
      {entry.date.inferred && (
        <>
          {' '}
          <span class="inferred">(date inferred{entry.date.basis ? `: ${entry.date.basis}` : ''})</span>
        </>
      )}
    </p>
  )
}

export function renderEntryPage(site: Site, entry: Entry): string {
  const url = site.url
  const topics = entry.topics.map((slug) => site.topicBySlug.get(slug)!)
  return toHtml(
    <Layout
      site={site.content.site}
      title={`${entry.title} · ${site.content.site.title}`}
      description={entry.summary}
      canonical={entry.url}
      lang={entry.language}
      feeds={topics.flatMap((t) => feedLinks(`${url}/topics/${t.slug}`, `${site.content.site.title}: ${t.title}`))}
    >
      <article>
        <h1>{entry.title}</h1>
        <DateLine entry={entry} />
        <p>
          <strong>{entry.summary}</strong>
        </p>
        {raw(entry.html)}
        {entry.quotes.length > 0 && (
          <section aria-labelledby="quotes">
            <h2 id="quotes">Quotes</h2>
            {entry.quotes.map((q) => (
              <blockquote>
                <p>{q.text}</p>
                <footer>
                  — {q.speakerName}
                  {q.where ? `, ${q.where}` : ''}
                  {q.said ? ` (${q.said})` : ''}
                  {q.note ? `. ${q.note}` : ''}
                </footer>
              </blockquote>
            ))}
          </section>
        )}
        <section aria-labelledby="sources">
          <h2 id="sources">Sources</h2>
          <ul>
            {entry.sources.map((s) => (
              <li>
                {s.publication ?? 'Publication not named'}
                {s.headline ? <>: <cite>{s.headline}</cite></> : ''}
                {s.author ? `, by ${s.author}` : ''}
                {s.date ? `, ${s.date}` : ''} <span class="muted">(source document {s.file})</span>
                {s.credits.length > 0 && <> — credits {s.credits.join(', ')}</>}
              </li>
            ))}
          </ul>
        </section>
        {entry.people.length > 0 && (
          <p class="meta">People: {entry.people.map((p) => p.name).join(', ')}</p>
        )}
        <p class="meta">
          Topics:{' '}
          {topics.map((t) => (
            <a class="tag" href={`${url}/topics/${t.slug}`}>
              {t.title}
            </a>
          ))}
        </p>
      </article>
    </Layout>,
  )
}
