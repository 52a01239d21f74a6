/**
 * Unit tests of the pure modules: escaping, sanitizing, filters, the memo
 * and the content compiler's validation.
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { compileContent, ContentError, instant } from '../src/content/compile.ts'
import { sanitizeHtml, safeUrl } from '../src/content/sanitize.ts'
import { BadParameter, NotFound } from '../src/errors.ts'
import { canonicalQuery, isDay, parseFilters, readQuery } from '../src/filters.ts'
import { cdata, clean, escape, escapeText, stripInvalidXml } from '../src/lib/xml.ts'
import { ByteLru } from '../src/memo.ts'
import { feedQuery } from '../src/store/queries.ts'
import { Store } from '../src/store/store.ts'
import { BASIC, files, TOPICS, useContent, type EntrySpec } from './helpers.ts'

describe('xml', () => {
  it('escapes the five special characters', () => {
    expect(escape(`<a href="x">Tom & Jerry's</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;',
    )
    expect(escapeText(`a < b & "c" ]]>`)).toBe('a &#x3C; b &#x26; "c" ]]&#x3E;')
    expect(escape('plain')).toBe('plain')
  })
  it('removes characters XML 1.0 cannot carry, keeping tab, LF, CR and astral pairs', () => {
    expect(stripInvalidXml('a\0b\x07c\x1Fd\tE\nF\rG\uFFFEH\uFFFF')).toBe('abcd\tE\nF\rGH')
    expect(stripInvalidXml('lone \uD800 high, lone \uDC00 low, pair 😀')).toBe(
      'lone  high, lone  low, pair 😀',
    )
    // Discouraged by XML 1.0 section 2.2 and reported by validators: DEL, C1 controls, noncharacters, U+FFFD.
    expect(stripInvalidXml('a\x7Fb\x85c\x9Fd\uFDD0e\uFFFDf\u{1FFFE}g\u{10FFFF}h\u{1F600}')).toBe(
      'abcdefgh\u{1F600}',
    )
    expect(clean('\u0001<b>')).toBe('&lt;b&gt;')
  })
  it('splits every ]]> across CDATA sections', () => {
    const wrapped = cdata('a]]>b]]>c')
    expect(wrapped).toBe('<![CDATA[a]]]]><![CDATA[>b]]]]><![CDATA[>c]]>')
    // Reading the sections back yields the original text.
    expect(wrapped.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1')).toBe('a]]>b]]>c')
  })
})

describe('sanitizeHtml', () => {
  const base = 'https://news.test'
  it('drops script, style and their contents, and event attributes', () => {
    const out = sanitizeHtml(
      '<p onclick="x()">Hi<script>alert(1)</script><style>p{}</style></p><img src=x onerror=alert(1)>',
      base,
    )
    expect(out).toBe('<p>Hi</p><img src="https://news.test/x" />')
  })
  it('removes javascript: and data: URLs, even obfuscated, and makes relative links absolute', () => {
    expect(sanitizeHtml('<a href="java\tscript:alert(1)">a</a>', base)).toBe('<a>a</a>')
    expect(sanitizeHtml('<a href=" JAVASCRIPT:alert(1)">a</a>', base)).toBe('<a>a</a>')
    expect(sanitizeHtml('<a href="data:text/html,x">a</a>', base)).toBe('<a>a</a>')
    expect(sanitizeHtml('<a href="/entries/x">a</a>', base)).toBe(
      '<a href="https://news.test/entries/x" rel="noopener">a</a>',
    )
    expect(sanitizeHtml('<a href="../up?q=1#f">a</a>', base)).toBe(
      '<a href="https://news.test/up?q=1#f" rel="noopener">a</a>',
    )
  })
  it('unwraps unknown elements, keeps their text, and closes what is left open', () => {
    expect(sanitizeHtml('<div><custom>text</custom><p><b>open', base)).toBe(
      'text<p><b>open</b></p>',
    )
  })
  it('escapes text and attribute values', () => {
    expect(
      sanitizeHtml(
        '<p title="x">1 &lt; 2 &amp; "q"</p><abbr title="&quot;><script>">t</abbr>',
        base,
      ),
    ).toBe('<p>1 &lt; 2 &amp; &quot;q&quot;</p><abbr title="&quot;&gt;&lt;script&gt;">t</abbr>')
  })
  it('flattens nesting deeper than 32 levels', () => {
    const deep = '<blockquote>'.repeat(200) + 'x' + '</blockquote>'.repeat(200)
    const out = sanitizeHtml(deep, base)
    expect(out.match(/<blockquote>/g)).toHaveLength(32)
    expect(out.match(/<\/blockquote>/g)).toHaveLength(32)
  })
  it('keeps table parts only where a table allows them', () => {
    expect(sanitizeHtml('<td>cell</td><table><tr>stray<td>a</td><p>x</p></tr></table>', base)).toBe(
      'cell<table><tr><td>a</td></tr></table>',
    )
  })
  it('safeUrl keeps only http, https and mailto', () => {
    expect(safeUrl('mailto:a@b.test', base)).toBe('mailto:a@b.test')
    expect(safeUrl('vbscript:x', base)).toBeUndefined()
    expect(safeUrl('', base)).toBeUndefined()
  })
})

describe('filters', () => {
  const vocabulary = {
    topics: new Set(['alpha', 'beta', 'gamma']),
    people: new Set(['ana', 'bo']),
    sources: new Set(['gazette', 'note']),
  }
  const parse = (q: string) => parseFilters(q, vocabulary)

  it('reads lists, dates and limit, and writes one canonical spelling', () => {
    const f = parse(
      'utm_source=x&limit=5&source=NOTE,gazette&person=BO,ana,bo&topic=beta,alpha,alpha&since=2025-01-01',
    )
    expect(f).toEqual({
      topic: ['alpha', 'beta'],
      exclude: [],
      person: ['ana', 'bo'],
      source: ['gazette', 'note'],
      since: '2025-01-01',
      limit: 5,
    })
    expect(canonicalQuery(f)).toBe(
      'topic=alpha,beta&person=ana,bo&source=gazette,note&since=2025-01-01&limit=5',
    )
    expect(canonicalQuery(parse('limit=20&topic='))).toBe('')
  })
  it.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=ten', 'limit'],
    ['limit=1e2', 'limit'],
    ['limit=-1', 'limit'],
    ['since=2025-02-30', 'since'],
    ['since=2025-1-1', 'since'],
    ['until=yesterday', 'until'],
    ['since=2025-05-02&until=2025-05-01', 'until'],
    ['topic=a_b', 'topic'],
    ['topic=alpha&topic=beta', 'topic'],
    ['topic[]=alpha', 'topic'],
    ['source=a_b', 'source'],
    ['source=gazette&source=note', 'source'],
    [`person=${Array.from({ length: 51 }, (_, i) => `p${i}`).join(',')}`, 'person'],
  ])('%s is a 400 naming %s', (query, name) => {
    const error = (() => {
      try {
        parse(query)
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(BadParameter)
    expect((error as BadParameter).details.parameter).toBe(name)
    expect((error as BadParameter).message).toContain(`"${name}"`)
  })
  it('an unknown topic or person is a 404 listing the valid ones', () => {
    expect(() => parse('topic=alpha,nope')).toThrow(NotFound)
    expect(() => parse('exclude=nope')).toThrow(/Valid topics: alpha, beta, gamma/)
    expect(() => parse('person=zed')).toThrow(/Valid people: ana, bo/)
    expect(() => parse('source=doc-1')).toThrow(
      /Unknown source in "source": "doc-1". Valid sources: gazette, note/,
    )
  })
  it('refuses malformed percent-encoding and overlong queries', () => {
    expect(() => readQuery('topic=%E0%A4%A')).toThrow(/percent-encoding/)
    expect(() => readQuery('topic=%FF')).toThrow(/percent-encoding/)
    expect(() => readQuery('a='.padEnd(3000, 'x'))).toThrow(/too long/)
    expect(readQuery('a=1+2&b=%C3%A9&&c')).toEqual([
      ['a', '1 2'],
      ['b', 'é'],
      ['c', ''],
    ])
  })
  it('isDay accepts only real calendar dates', () => {
    expect(isDay('2024-02-29')).toBe(true)
    expect(isDay('2025-02-29')).toBe(false)
    expect(isDay('2025-13-01')).toBe(false)
  })
  it('the feed query combines scope, any-of, exclude, person, dates and limit', async () => {
    const e = (id: string, day: string, topics: string[], people: string[] = []): EntrySpec => ({
      id,
      front: { published: day, topics, people },
    })
    const fixture = compileContent(
      files(
        [
          e('d', '2025-04-01', ['alpha']),
          e('c', '2025-03-01', ['beta'], ['ana']),
          e('b', '2025-02-01', ['alpha', 'gamma'], ['bo']),
          e('a', '2025-01-01', ['gamma']),
        ],
        {
          topics: `${TOPICS}- slug: gamma\n  title: Gamma\n  description: The third topic.\n`,
        },
      ),
    )
    const rows = await useContent(fixture)
    const store = new Store(env.DB, rows.catalog.version)
    const sizes = (scope: string) => rows.catalog.scopes[scope]?.entries ?? 0
    const ids = async (q: string, scope = 'site') =>
      (await store.all<{ item: string }>(feedQuery(scope, parse(q), 'json', sizes))).map((r) =>
        (JSON.parse(r.item) as { id: string }).id.replace(/^.*\//, ''),
      )
    expect(await ids('')).toEqual(['d', 'c', 'b', 'a'])
    expect(await ids('topic=beta,gamma')).toEqual(['c', 'b', 'a'])
    expect(await ids('exclude=gamma')).toEqual(['d', 'c'])
    expect(await ids('person=ana,bo')).toEqual(['c', 'b'])
    expect(await ids('since=2025-02-01&until=2025-03-01')).toEqual(['c', 'b'])
    expect(await ids('limit=2')).toEqual(['d', 'c'])
    expect(await ids('topic=gamma', 'topic:alpha')).toEqual(['b'])
    expect(await ids('exclude=alpha&limit=1')).toEqual(['c'])
  })
})

describe('ByteLru', () => {
  it('evicts least recently used values to stay within its byte bound', () => {
    const lru = new ByteLru<{ size: number }>(10)
    lru.set('a', { size: 4 })
    lru.set('b', { size: 4 })
    lru.get('a')
    lru.set('c', { size: 4 })
    expect([lru.get('a'), lru.get('b'), lru.get('c')].map((v) => v !== undefined)).toEqual([
      true,
      false,
      true,
    ])
    expect(lru.bytes).toBe(8)
    lru.set('huge', { size: 11 })
    expect(lru.get('huge')).toBeUndefined()
    expect(lru.count).toBe(2)
  })
})

describe('compileContent', () => {
  const issues = (fn: () => unknown) => {
    try {
      fn()
    } catch (e) {
      expect(e).toBeInstanceOf(ContentError)
      return (e as ContentError).issues.map((i) => `${i.file}: ${i.path}: ${i.message}`)
    }
    throw new Error('expected a ContentError')
  }

  it('compiles valid content: sorted newest first, dates normalised, people resolved', () => {
    const content = compileContent(files(BASIC))
    expect(content.entries.map((e) => e.id)).toEqual(['three', 'two', 'one'])
    expect(content.entries[0]!.published).toBe('2025-03-30T00:00:00Z')
    expect(content.entries[0]!.people.map((p) => p.name)).toEqual(['Ana Example', 'Bo Example'])
    expect(content.entries[0]!.url).toBe('https://news.test/entries/three')
    expect(content.entries[0]!.sources[0]).toEqual({
      slug: 'test-gazette-report',
      label: 'The Test Gazette',
      publication: 'The Test Gazette',
      credits: [],
    })
  })
  it('records date precision and inference', () => {
    const content = compileContent(
      files([
        {
          id: 'y',
          front: {
            published: 2025,
            dateInferred: true,
            dateBasis: 'Undated; the text says 2025.',
            topics: ['alpha', 'beta'],
          },
        },
        { id: 'm', front: { published: '2025-04' } },
        { id: 't', front: { published: '2025-05-03T10:30:00-06:00' } },
      ]),
    )
    const byId = Object.fromEntries(content.entries.map((e) => [e.id, e]))
    expect(byId.y!.date).toEqual({
      text: '2025',
      precision: 'year',
      inferred: true,
      basis: 'Undated; the text says 2025.',
    })
    expect(byId.m!.published).toBe('2025-04-01T00:00:00Z')
    expect(byId.t!.published).toBe('2025-05-03T16:30:00Z')
    expect(instant('2024-02')).toBe('2024-02-01T00:00:00Z')
  })
  it('spaces tied publication instants a second apart, keeping the order, and keeps markup in plain text as text', () => {
    const content = compileContent(
      files([
        { id: 'b', front: { published: '2025-05-03', title: 'Title <b>bold</b>\n & </script>' } },
        { id: 'a', front: { published: '2025-05-03', topics: ['beta'] } },
        { id: 'c', front: { published: '2025-05-03T00:00:01Z' } },
      ]),
    )
    expect(content.entries.map((e) => [e.id, e.published, e.updated])).toEqual([
      ['c', '2025-05-03T00:00:02Z', '2025-05-03T00:00:02Z'],
      ['a', '2025-05-03T00:00:01Z', '2025-05-03T00:00:01Z'],
      ['b', '2025-05-03T00:00:00Z', '2025-05-03T00:00:00Z'],
    ])
    expect(content.entries.map((e) => e.date.text)).toEqual([
      '2025-05-03T00:00:01Z',
      '2025-05-03',
      '2025-05-03',
    ])
    expect(content.entries[2]!.title).toBe('Title <b>bold</b> & </script>')
  })
  it('SITE_URL overrides the site URL everywhere', () => {
    const content = compileContent(
      files([{ id: 'a', front: { topics: ['alpha', 'beta'] }, body: '[rel](/entries/b)' }]),
      { siteUrl: 'https://feeds.test/' },
    )
    expect(content.site.url).toBe('https://feeds.test')
    expect(content.entries[0]!.html).toContain('href="https://feeds.test/entries/b"')
  })

  it('lists every problem with file, field path and reason', () => {
    const found = issues(() =>
      compileContent(
        files([
          { id: 'bad-date', front: { published: '2025-02-30', topics: ['alpha', 'beta'] } },
          { id: 'unknown-refs', front: { topics: ['nope'], people: ['zed'] } },
          { id: 'no-title', front: { title: undefined } },
          {
            id: 'quote-no-speaker',
            front: { quotes: [{ text: 'Words.', document: 'doc-1.txt' }] },
          },
          {
            id: 'quote-bad-doc',
            front: { quotes: [{ speaker: 'ana', text: 'Words.', document: 'doc-2.txt' }] },
          },
          { id: 'inferred-no-basis', front: { dateInferred: true } },
          { id: 'extra-key', front: { colour: 'red' } },
          { id: 'wrong-name', front: { id: 'other-name' } },
        ]),
      ),
    )
    const expected = [
      'content/entries/bad-date.md: published: is not a real date',
      'content/entries/unknown-refs.md: topics.0: unknown topic "nope"',
      'content/entries/unknown-refs.md: people.0: unknown person "zed"',
      'content/entries/no-title.md: title: ',
      'content/entries/quote-no-speaker.md: quotes.0.speaker: ',
      'content/entries/quote-bad-doc.md: quotes.0.document: "doc-2.txt" is not among this entry\'s sources',
      'content/entries/inferred-no-basis.md: dateBasis: is required when dateInferred is true',
      'content/entries/extra-key.md: : Unrecognized key: "colour"',
      'content/entries/wrong-name.md: id: "other-name" must match the file name "wrong-name"',
    ]
    for (const line of expected)
      expect(
        found.some((f) => f.startsWith(line)),
        `${line}\nin:\n${found.join('\n')}`,
      ).toBe(true)
  })
  it('reports broken YAML with its line, duplicate ids, unknown documents and unused topics', () => {
    const broken = files([{ id: 'a' }])
    broken.entries.push({
      file: 'content/entries/broken.md',
      text: '---\ntitle: [unclosed\n---\nBody\n',
    })
    broken.entries.push({ file: 'content/entries/nofront.md', text: 'Just text\n' })
    const found = issues(() => compileContent(broken))
    expect(found.some((f) => f.startsWith('content/entries/broken.md: line 2'))).toBe(true)
    expect(found).toContain(
      'content/entries/nofront.md: : must start with YAML front matter between two "---" lines',
    )
    expect(found).toContain('content/topics.yaml: 1.slug: topic "beta" has no entries')

    const dup = files([
      { id: 'a', front: { topics: ['alpha', 'beta'] } },
      { id: 'a', front: { sources: [{ document: 'missing.txt' }] } },
    ])
    dup.entries[1]!.file = 'content/entries/sub/a.md'
    const found2 = issues(() => compileContent(dup))
    expect(found2).toContain(
      'content/entries/sub/a.md: id: duplicate id "a" (also in content/entries/a.md)',
    )
    expect(
      found2.some((f) =>
        f.startsWith(
          'content/entries/sub/a.md: sources.0.document: unknown source document "missing.txt"',
        ),
      ),
    ).toBe(true)
  })
  it('rejects bad site settings, topics and people files', () => {
    const found = issues(() =>
      compileContent(
        files(BASIC, {
          site: 'title: T\ndescription: D\nurl: ftp://x\nlanguage: en\npublisher: {}\n',
          topics: '- slug: Alpha\n  title: A\n  description: d\n',
          people: 'id: not-a-list\n',
        }),
      ),
    )
    expect(found.some((f) => f.startsWith('content/site.yaml: url:'))).toBe(true)
    expect(found.some((f) => f.startsWith('content/site.yaml: publisher.name:'))).toBe(true)
    expect(found.some((f) => f.startsWith('content/topics.yaml: 0.slug: must be lowercase'))).toBe(
      true,
    )
    expect(found).toContain('content/people.yaml: : must be a YAML list')
  })
  it('the error message names file, field and reason on one line each', () => {
    try {
      compileContent(files([{ id: 'x', front: { published: 'soon' } }]))
    } catch (e) {
      expect((e as Error).message).toMatch(
        /^Invalid content \(\d+ problems?\):\n  content\/entries\/x\.md: published: must be YYYY/,
      )
    }
  })
})
