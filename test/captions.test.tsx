/**
 * Quote captions are built from the parts that exist: every combination of
 * a missing place, date, note, source and speaker reads without stray
 * punctuation, and shows each part that is there.
 */
import { describe, expect, it } from 'vitest'
import type { EntryQuote } from '../src/content/types.ts'
import { wordsFor } from '../src/i18n.ts'
import { QuoteFigure } from '../src/pages/entry.tsx'
import { toHtml } from '../src/pages/layout.tsx'

const BASE: EntryQuote = {
  text: 'Words.',
  speaker: 'ana',
  speakerName: 'Ana Example',
  saidInferred: false,
  source: 'doc-1',
  sourceLabel: 'Doc One',
}

/** The caption's visible text. */
function caption(
  quote: EntryQuote,
  show: { speaker: boolean; source: boolean; entry: boolean },
): string {
  const html = toHtml(
    <QuoteFigure
      quote={quote}
      words={wordsFor('en')}
      speaker={show.speaker}
      source={show.source}
      entry={show.entry ? { id: 'e1', title: 'An entry' } : undefined}
    />,
  )
  const inner = /<figcaption>([\s\S]*)<\/figcaption>/.exec(html)![1]!
  return inner.replace(/<[^>]+>/g, '').replace(/&#39;/g, "'")
}

const bools = [true, false]
const combos = bools.flatMap((where) =>
  bools.flatMap((said) =>
    bools.flatMap((inferred) =>
      bools.flatMap((note) =>
        bools.flatMap((source) =>
          bools.flatMap((speaker) =>
            bools.map((entry) => ({ where, said, inferred, note, source, speaker, entry })),
          ),
        ),
      ),
    ),
  ),
)

describe('quote captions', () => {
  it.each(combos)('%o', (c) => {
    const quote: EntryQuote = {
      ...BASE,
      ...(c.where ? { where: 'Mexico City' } : {}),
      ...(c.said ? { said: '2025-05-03' } : {}),
      saidInferred: c.said && c.inferred,
      ...(c.note ? { note: 'Said in Spanish' } : {}),
    }
    const text = caption(quote, { speaker: c.speaker, source: c.source, entry: c.entry })
    // No stray punctuation: nothing starts with a stop, no space before one, no empty or dangling brackets, no doubled stops.
    expect(text).not.toMatch(/^\s*[.,)]/)
    expect(text).not.toMatch(/\s[.,)]/)
    expect(text).not.toMatch(/\(\s*\)|\(,|,\s*\)|\.\.|,,|\s\s/)
    expect(text).toBe(text.trim())
    if (text) expect(text).toMatch(/[.!?]$/)
    // Each part that exists is shown, and only those.
    expect(text.includes('Ana Example')).toBe(c.speaker)
    expect(text.includes('Mexico City')).toBe(c.where)
    expect(text.includes('3 May 2025')).toBe(c.said)
    expect(text.includes('date inferred')).toBe(c.said && c.inferred)
    expect(text.includes('Said in Spanish.')).toBe(c.note)
    expect(text.includes('Source: Doc One.')).toBe(c.source)
    expect(text.includes('In An entry.')).toBe(c.entry)
  })

  it('reads as one line when everything is known', () => {
    const quote = { ...BASE, where: 'Mexico City', said: '2025-05-03', note: 'Said in Spanish' }
    expect(caption(quote, { speaker: true, source: true, entry: true })).toBe(
      '— Ana Example (Mexico City, 3 May 2025). Said in Spanish. Source: Doc One. In An entry.',
    )
  })

  it('keeps a note that already ends a sentence as it is', () => {
    expect(
      caption({ ...BASE, note: 'Translated?' }, { speaker: true, source: false, entry: false }),
    ).toBe('— Ana Example. Translated?')
  })
})
