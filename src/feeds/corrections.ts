/**
 * @module corrections
 * An entry's correction notes as HTML, appended to its content in every
 * format (RSS `content:encoded`, Atom `content`, JSON Feed `content_html`),
 * so that a reader who only sees a feed item learns what changed and when.
 * Feeds have no standard element for a correction; JSON Feed items carry
 * them as data too, in `_news.corrections`.
 */
import { displayPartial } from '../content/dates.ts'
import type { Entry } from '../content/types.ts'
import { wordsFor } from '../i18n.ts'
import { escape } from '../lib/xml.ts'

/** The notes as a section of HTML (empty when there are none): a heading, then each dated note, oldest first, in the entry's language. */
export function correctionsHtml(entry: Pick<Entry, 'corrections' | 'language'>): string {
  if (!entry.corrections?.length) return ''
  const words = wordsFor(entry.language)
  const items = entry.corrections.map(
    (c) =>
      `<li><time datetime="${escape(c.date)}">${escape(displayPartial(c.date, words.dates))}</time>: ${escape(c.text)}</li>`,
  )
  return `<h2>${escape(words.entry.corrections(entry.corrections.length))}</h2><ul>${items.join('')}</ul>`
}

/** The item's full HTML: the body, then the correction notes. */
export function contentHtml(entry: Pick<Entry, 'html' | 'corrections' | 'language'>): string {
  return entry.html + correctionsHtml(entry)
}
