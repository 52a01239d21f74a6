/**
 * Hardening, third round: content. What one entry may make a feed carry
 * (caps per entry, every format's item measured at build time), one run
 * that lists every problem, and RFC 3339's lowercase `t` and `z`. Over
 * small in-memory publications (test/helpers.ts).
 */
import { describe, expect, it } from 'vitest'
import { FEED_BOUNDS, itemBudget } from '../src/content/bounds.ts'
import {
  compileContent,
  ContentError,
  ENTRY_CAPS,
  type ContentFiles,
} from '../src/content/compile.ts'
import { displayPartial, parsePartialDate } from '../src/content/dates.ts'
import { wordsFor } from '../src/i18n.ts'
import { MAX_LIMIT } from '../src/filters.ts'
import { BASIC, files, SITE, type EntrySpec } from './helpers.ts'
import { makePng } from './png-fixtures.ts'

function issuesOf(input: ContentFiles): string[] {
  try {
    compileContent(input)
  } catch (error) {
    if (error instanceof ContentError)
      return error.issues.map((i) => `${i.file}: ${i.path}: ${i.message}`)
    throw error
  }
  return []
}

/** A topics file with `n` topics t0…t{n-1}, titled `title(i)`. */
const manyTopics = (n: number, title = (i: number) => `Topic ${i}`) =>
  Array.from(
    { length: n },
    (_, i) => `- slug: t${i}\n  title: ${JSON.stringify(title(i))}\n  description: A topic.\n`,
  ).join('')

describe('8. what one entry can make a feed carry is bounded', () => {
  it(`an entry naming more than ${ENTRY_CAPS.topics} topics is refused, naming the file (300 topics)`, () => {
    const slugs = Array.from({ length: 300 }, (_, i) => `t${i}`)
    const found = issuesOf(
      files([{ id: 'wide', front: { topics: slugs } }], { topics: manyTopics(300) }),
    )
    expect(found).toContain(
      `content/entries/wide.md: topics: names 300 topics; an entry may name at most ${ENTRY_CAPS.topics} (each becomes markup in every feed item)`,
    )
  })
  it.each([
    ['people', 31],
    ['sources', 31],
    ['quotes', 51],
  ] as const)('more than the cap of %s is refused', (key, n) => {
    const list = Array.from({ length: n }, () =>
      key === 'people'
        ? 'ana'
        : key === 'sources'
          ? { document: 'doc-1.txt' }
          : { speaker: 'ana', text: 'Words.', document: 'doc-1.txt' },
    )
    const found = issuesOf(files([{ id: 'wide', front: { [key]: list } }]))
    expect(found.join('\n')).toContain(
      `content/entries/wide.md: ${key}: names ${n} ${key}; an entry may name at most ${ENTRY_CAPS[key]}`,
    )
  })
  it('an entry under every cap whose Atom item would pass the per-item limit is refused, naming the file and the format', () => {
    // Twenty topics titled with 100 ampersands each: five bytes apiece in every Atom category label, nothing in the compiled entry.
    const topics = manyTopics(20, () => '&'.repeat(100))
    const body = 'Plain words of a long report. '.repeat(900)
    const input = files(
      [{ id: 'heavy', front: { topics: Array.from({ length: 20 }, (_, i) => `t${i}`) }, body }],
      { topics },
    )
    const found = issuesOf(input)
    expect(
      found.some(
        (f) =>
          f.startsWith('content/entries/heavy.md: : renders to a Atom item of') &&
          f.includes(`over the limit of ${FEED_BOUNDS.itemBytes / 1024} KiB per item`),
      ),
    ).toBe(true)
    expect(found.some((f) => f.includes('RSS item') || f.includes('JSON Feed item'))).toBe(false)
    expect(found.some((f) => f.includes('for one entry'))).toBe(false)
  })
  it('the largest document stays under 4 MiB: items × item budget + head, for every archive page size', () => {
    expect(FEED_BOUNDS.maxItems).toBe(MAX_LIMIT)
    for (const pageSize of [undefined, 10, 50, 100, 101, 250, 500]) {
      const items = Math.max(FEED_BOUNDS.maxItems, pageSize ?? 0)
      expect(
        items * itemBudget(pageSize) + FEED_BOUNDS.headBytes,
        String(pageSize),
      ).toBeLessThanOrEqual(FEED_BOUNDS.documentBytes)
    }
    expect(itemBudget(undefined)).toBe(FEED_BOUNDS.itemBytes)
    expect(itemBudget(500)).toBe(Math.floor((4 * 2 ** 20 - 64 * 1024) / 500))
  })
})

describe('9. one run lists every problem', () => {
  it('an invalid site.yaml hides neither the image checks nor the entry checks', () => {
    const input = files([{ id: 'one', front: { topics: ['alpha', 'nope'] } }, ...BASIC.slice(1)], {
      site: `${SITE.replace('language: en', 'language: 42')}images:\n  icon: icon.png\n`,
    })
    const broken = makePng(8, 8).slice(0, 40)
    const found = issuesOf({
      ...input,
      images: [{ file: 'content/icon.png', bytes: broken }],
    }).join('\n')
    expect(found).toContain('content/site.yaml: language:')
    expect(found).toContain('content/icon.png: : is not a valid PNG file')
    expect(found).toContain('content/entries/one.md: topics.1: unknown topic "nope"')
  })
  it('a site.yaml that is not YAML at all still has every PNG of the folder checked', () => {
    const input = files(BASIC, { site: 'title: [unclosed\n' })
    const found = issuesOf({
      ...input,
      images: [{ file: 'content/logo.png', bytes: new Uint8Array([1, 2, 3]) }],
    }).join('\n')
    expect(found).toContain('content/site.yaml')
    expect(found).toContain('content/logo.png: : is not a PNG file')
  })
  it('a bad date hides neither an unknown topic nor an unknown source nor an unknown speaker in the same entry', () => {
    const spec: EntrySpec = {
      id: 'bad',
      front: {
        published: '2025-13-45',
        topics: ['alpha', 'ghost'],
        sources: [{ document: 'missing.txt' }],
        quotes: [{ speaker: 'nobody', text: 'Words.', document: 'missing.txt' }],
      },
    }
    const found = issuesOf(files([spec, ...BASIC])).filter((f) =>
      f.startsWith('content/entries/bad.md'),
    )
    expect(found).toEqual([
      'content/entries/bad.md: published: is not a real date (the month must be 01 to 12)',
      'content/entries/bad.md: topics.1: unknown topic "ghost" (valid: alpha, beta)',
      'content/entries/bad.md: sources.0.document: unknown source document "missing.txt" (valid: doc-1.txt, doc-2.txt)',
      'content/entries/bad.md: quotes.0.speaker: unknown person "nobody" (valid: ana, bo)',
    ])
  })
})

describe('10. RFC 3339 lowercase t and z (section 5.6 NOTE)', () => {
  it('are accepted and mean what uppercase means', () => {
    expect(parsePartialDate('2025-06-01t10:00:00z')).toEqual(
      parsePartialDate('2025-06-01T10:00:00Z'),
    )
    expect(parsePartialDate('2025-06-01t10:00:00+02:00')).toEqual(
      parsePartialDate('2025-06-01T10:00:00+02:00'),
    )
    expect(displayPartial('2025-06-01t10:00:00z', wordsFor('en').dates)).toBe(
      '1 June 2025, 10:00 UTC',
    )
  })
  it('are normalised to uppercase in compiled content', () => {
    const content = compileContent(
      files([
        {
          id: 'lower',
          front: {
            published: '2025-06-01t10:00:00z',
            updated: '2025-06-02t08:30:00-05:00',
            topics: ['alpha', 'beta'],
          },
        },
      ]),
    )
    const [entry] = content.entries
    expect(entry!.published).toBe('2025-06-01T10:00:00Z')
    expect(entry!.date.text).toBe('2025-06-01T10:00:00Z')
    expect(entry!.updatedText).toBe('2025-06-02T08:30:00-05:00')
    expect(entry!.updated).toBe('2025-06-02T13:30:00Z')
  })
  it('other spellings are still refused with the true reason', () => {
    expect(parsePartialDate('2025-06-01 10:00:00Z')).toMatch(/^must be YYYY/)
    expect(parsePartialDate('2025-06-01t25:00:00z')).toBe(
      'is not a real time (the hour must be 00 to 23)',
    )
  })
})
