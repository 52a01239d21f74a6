/**
 * The keyword filter `q` (on every feed URL, the topic form and `/search`):
 * its canonical spelling and limits, accent and case folding, phrases, FTS5
 * syntax in the input read as plain words, every combination with the other
 * filters checked against an independent model of the README's rules, the
 * feeds valid to the letter, and the store's query plans free of table scans.
 */
import { env } from 'cloudflare:workers'
import fc from 'fast-check'
import { DomUtils, parseDocument } from 'htmlparser2'
import { describe, expect, it } from 'vitest'
import { appFor, fetchWorker, files } from './helpers.ts'
import { compileContent } from '../src/content/compile.ts'
import type { Entry } from '../src/content/types.ts'
import { BadParameter } from '../src/errors.ts'
import { canonicalQuery, parseFilters } from '../src/filters.ts'
import { ftsMatch, keywordText, parseKeywords } from '../src/keywords.ts'
import { renderSearchPage } from '../src/pages/search.tsx'
import type { Statement } from '../src/store/load.ts'
import { countQuery, feedQuery } from '../src/store/queries.ts'
import { htmlText } from '../src/store/rows.ts'
import content from './generated/content.ts'
import { checkFeed, CONTENT_TYPES } from './validity.ts'

type Format = keyof typeof CONTENT_TYPES
const FILES: Record<Format, string> = { rss: 'rss.xml', atom: 'atom.xml', json: 'feed.json' }
const FORMATS = Object.keys(FILES) as Format[]
const BASE = content.site.url

// ---------------------------------------------------------------------------
// An independent model: the README's rules, not src/keywords.ts
// ---------------------------------------------------------------------------

/** Words of a text as the index sees them: lowercase, Latin accents dropped, split at anything not a letter or digit. */
const tokens = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
const holds = (hay: string[], needle: string[]) =>
  hay.some((_, i) => needle.every((w, k) => hay[i + k] === w))

/** Terms of a `q` as a reader means them: "quoted phrases" and words. */
function termsOf(q: string): string[][] {
  return [...q.matchAll(/"([^"]*)"?|([^\s"]+)/g)]
    .map((m) => tokens(m[1] ?? m[2]!))
    .filter((t) => t.length)
}

function matches(entry: Entry, q: string): boolean {
  const columns = [entry.title, entry.summary, htmlText(entry.html)].map(tokens)
  return termsOf(q).every((term) => columns.some((col) => holds(col, term)))
}

interface Query {
  q: string
  topic?: string[]
  exclude?: string[]
  person?: string[]
  since?: string
  until?: string
  limit?: number
}

function expected(
  all: readonly Entry[],
  scope: { topic?: string; person?: string },
  query: Query,
): string[] {
  const day = (e: Entry) => e.published.slice(0, 10)
  return all
    .filter((e) => !scope.topic || e.topics.includes(scope.topic))
    .filter((e) => !scope.person || e.people.some((p) => p.id === scope.person))
    .filter((e) => matches(e, query.q))
    .filter((e) => !query.topic?.length || e.topics.some((t) => query.topic!.includes(t)))
    .filter((e) => !query.exclude?.length || !e.topics.some((t) => query.exclude!.includes(t)))
    .filter((e) => !query.person?.length || e.people.some((p) => query.person!.includes(p.id)))
    .filter((e) => !query.since || day(e) >= query.since)
    .filter((e) => !query.until || day(e) <= query.until)
    .slice(0, query.limit ?? 20)
    .map((e) => e.url)
}

/** A canonical query string, written by hand from the README. */
function queryString(query: Query): string {
  const parts: string[] = []
  for (const name of ['topic', 'exclude', 'person'] as const)
    if (query[name]?.length) parts.push(`${name}=${[...query[name]!].sort().join(',')}`)
  parts.push(`q=${encodeURIComponent(query.q).replaceAll('%20', '+')}`)
  if (query.since) parts.push(`since=${query.since}`)
  if (query.until) parts.push(`until=${query.until}`)
  if (query.limit) parts.push(`limit=${query.limit}`)
  return parts.join('&')
}

const vocabulary = {
  topics: new Set(content.topics.map((t) => t.slug)),
  people: new Set(content.people.map((p) => p.id)),
  sources: new Set(content.sources.map((s) => s.slug)),
}
const canonical = (q: string) =>
  canonicalQuery(parseFilters(`q=${encodeURIComponent(q)}`, vocabulary))

// ---------------------------------------------------------------------------
// Spelling and limits
// ---------------------------------------------------------------------------

describe('q: canonical spelling', () => {
  it.each([
    ['Marlowe', 'q=marlowe'],
    ['Café', 'q=cafe'],
    ['CAFÉ cafe', 'q=cafe'],
    ['  Reyl   MARLOWE\treyl ', 'q=reyl+marlowe'],
    ['marlowe reyl', 'q=marlowe+reyl'],
    ['"No  River   Bridge"  reyl', 'q=%22no+river+bridge%22+reyl'],
    ['"reyl"', 'q=reyl'],
    ['\u201Criver bridge\u201D', 'q=%22river+bridge%22'],
    ['"river bridge', 'q=%22river+bridge%22'],
    ['Ine\u0301s', 'q=ines'],
    ['reyl\u0000marlowe\n', 'q=reyl+marlowe'],
    ['c++ 3.5%', 'q=c%2B%2B+3.5%25'],
    ['a a a a a a a a a a a', 'q=a'],
    ['""', ''],
    ['  ', ''],
  ])('%j → %j', (typed, want) => {
    expect(canonical(typed)).toBe(want)
  })

  it('keeps the marks of scripts the index does not fold', () => {
    expect(parseKeywords('Ελλάδα')).toEqual(['ελλάδα'])
    expect(parseKeywords('हिंदी')).toEqual(['हिंदी'])
  })

  it.each([
    ['too long', 'x'.repeat(201)],
    ['too many words', 'a b c d e f g h i'],
    ['too many phrases', '"a b" "c d" "e f" "g h" "i j" "k l" "m n" "o p" "q r"'],
    ['a word without a letter or digit', 'reyl *'],
    ['only punctuation', '-'],
    ['a phrase with a bare dash', '"reyl - marlowe"'],
  ])('%s is a 400 naming q', (_, typed) => {
    const error = (() => {
      try {
        parseFilters(`q=${encodeURIComponent(typed)}`, vocabulary)
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(BadParameter)
    expect((error as BadParameter).details.parameter).toBe('q')
    expect((error as BadParameter).message).toMatch(/^Bad value for "q": expected at most 8 words/)
  })

  it('accepts exactly 200 characters and 8 words', () => {
    expect(parseKeywords('x'.repeat(200))).toHaveLength(1)
    expect(parseKeywords('a b c d e f g h')).toHaveLength(8)
  })

  it('sits after person and before since in the canonical order', () => {
    expect(
      canonicalQuery(
        parseFilters('limit=5&since=2025-01-01&q=Reyl&person=tomas-reyl&topic=roads', vocabulary),
      ),
    ).toBe('topic=roads&person=tomas-reyl&q=reyl&since=2025-01-01&limit=5')
  })

  it('quotes every term as an FTS5 string, so no input is FTS5 syntax', () => {
    expect(ftsMatch(parseKeywords('reyl OR okafor'))).toBe('"reyl" "or" "okafor"')
    expect(ftsMatch(parseKeywords('NEAR(reyl okafor) title:reyl -x ^y z*'))).toBe(
      '"near(reyl" "okafor)" "title:reyl" "-x" "^y" "z*"',
    )
    expect(ftsMatch(parseKeywords('say "no river" bridge'))).toBe('"say" "no river" "bridge"')
    for (const term of parseKeywords('a"b"c "d e" \u201Cf\u201D')) expect(term).not.toContain('"')
  })
})

describe('q on feed URLs (the Worker, fixture A)', () => {
  const get = (path: string) => fetchWorker(new Request(BASE + path, { redirect: 'manual' }))

  it('/rss.xml?q=reyl works, and finds what the model finds', async () => {
    const res = await get('/rss.xml?q=reyl')
    expect(res.status).toBe(200)
    const body = await res.text()
    expect(checkFeed('rss', body, `${BASE}/rss.xml?q=reyl`)).toEqual([])
    const want = expected(content.entries, {}, { q: 'reyl' })
    expect(want.length).toBeGreaterThan(0)
    expect(
      [...body.matchAll(/<guid isPermaLink="true">([^<]+)<\/guid>/g)].map((m) => m[1]),
    ).toEqual(want)
  })

  it.each([
    ['case', '/rss.xml?q=REYL', '/rss.xml?q=reyl'],
    ['%20 for a space', '/feed.json?q=reyl%20marlowe', '/feed.json?q=reyl+marlowe'],
    ['an accent', '/atom.xml?q=Caf%C3%A9', '/atom.xml?q=cafe'],
    ['extra spaces and a repeated word', '/rss.xml?q=+reyl++reyl+', '/rss.xml?q=reyl'],
    [
      'order of parameters',
      '/rss.xml?since=2025-01-01&q=reyl&topic=roads',
      '/rss.xml?topic=roads&q=reyl&since=2025-01-01',
    ],
    ['a one-word phrase', '/rss.xml?q=%22reyl%22', '/rss.xml?q=reyl'],
    ['an empty q', '/rss.xml?q=', '/rss.xml'],
    ['only quotes', '/rss.xml?q=%22%22', '/rss.xml'],
    [
      'a person page feed',
      '/people/ines-marlowe/feed.json?q=Bridge',
      '/people/ines-marlowe/feed.json?q=bridge',
    ],
  ])('%s answers 301 to the canonical URL', async (_, from, to) => {
    const res = await get(from)
    expect(res.status).toBe(301)
    expect(res.headers.get('Location')).toBe(to)
  })

  it.each([
    ['too long', `q=${'x'.repeat(201)}`],
    ['too many words', 'q=a+b+c+d+e+f+g+h+i'],
    ['a bare asterisk', 'q=*'],
    ['two q parameters', 'q=a&q=b'],
  ])('%s is a 400 naming q, as text and as JSON', async (_, query) => {
    const text = await get(`/rss.xml?${query}`)
    expect(text.status).toBe(400)
    expect(await text.text()).toContain('"q"')
    const json = await get(`/feed.json?${query}`)
    expect(json.status).toBe(400)
    expect(json.headers.get('Content-Type')).toBe('application/problem+json; charset=utf-8')
    expect(((await json.json()) as { parameter: string }).parameter).toBe('q')
  })

  it.each(FORMATS)('a q with no match is a valid empty %s feed (200)', async (format) => {
    const path = `/${FILES[format]}?q=zzzyzx`
    const res = await get(path)
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe(CONTENT_TYPES[format])
    const body = await res.text()
    expect(checkFeed(format, body, BASE + path)).toEqual([])
    if (format === 'json') expect((JSON.parse(body) as { items: unknown[] }).items).toEqual([])
    else expect(body).not.toMatch(/<item>|<entry>/)
  })

  /** Every list filter, both date bounds and the limit, alone and together, on the site, a topic and a person. */
  const busiest = [...content.topics].sort(
    (a, b) =>
      content.entries.filter((e) => e.topics.includes(b.slug)).length -
      content.entries.filter((e) => e.topics.includes(a.slug)).length,
  )
  const [t1, t2, t3] = busiest.map((t) => t.slug) as [string, string, string]
  const CASES: { scope: { topic?: string; person?: string }; query: Query }[] = [
    { scope: {}, query: { q: 'marlowe' } },
    { scope: {}, query: { q: 'bridge millbrook' } },
    { scope: {}, query: { q: '"river bridge"' } },
    { scope: {}, query: { q: '"bridge river"' } },
    { scope: {}, query: { q: 'okafor', topic: [t1, t2] } },
    { scope: {}, query: { q: 'okafor', exclude: [t1] } },
    { scope: {}, query: { q: 'millbrook', person: ['dana-okafor', 'tomas-reyl'] } },
    { scope: {}, query: { q: 'millbrook', since: '2025-05-01' } },
    { scope: {}, query: { q: 'millbrook', until: '2025-06-30' } },
    { scope: {}, query: { q: 'millbrook', limit: 2 } },
    {
      scope: {},
      query: {
        q: 'marlowe',
        topic: [t1, t3],
        exclude: [t2],
        person: ['dana-okafor'],
        since: '2025-01-01',
        until: '2025-12-31',
        limit: 5,
      },
    },
    { scope: { topic: t1 }, query: { q: 'marlowe' } },
    { scope: { topic: t1 }, query: { q: 'bridge', person: ['ines-marlowe'], exclude: [t2] } },
    { scope: { person: 'ines-marlowe' }, query: { q: 'bridge' } },
    {
      scope: { person: 'dana-okafor' },
      query: { q: 'millbrook', topic: [t2], since: '2025-03-01' },
    },
    // FTS5 syntax in the input is read as words: each case must equal its plain reading.
    { scope: {}, query: { q: 'reyl OR okafor' } },
    { scope: {}, query: { q: 'marlowe NOT okafor' } },
    { scope: {}, query: { q: '-okafor' } },
    { scope: {}, query: { q: 'title:marlowe' } },
    { scope: {}, query: { q: 'NEAR(marlowe okafor)' } },
    { scope: {}, query: { q: 'marl*' } },
    { scope: {}, query: { q: '^marlowe +bridge' } },
    { scope: {}, query: { q: '"marlowe' } },
    { scope: {}, query: { q: 'marlowe" bridge "' } },
  ]

  it('the cases cover matches and non-matches', () => {
    const sizes = CASES.map(({ scope, query }) => expected(content.entries, scope, query).length)
    expect(sizes.filter((n) => n > 0).length).toBeGreaterThan(CASES.length / 2)
    expect(sizes).toContain(0)
  })

  it.each(
    CASES.map(
      (c) =>
        [
          `${c.scope.topic ? `/topics/${c.scope.topic}` : c.scope.person ? `/people/${c.scope.person}` : ''}/{format}?${queryString(c.query)}`,
          c,
        ] as const,
    ),
  )('%s: every format valid, and the entries the model expects', async (_, { scope, query }) => {
    const base = scope.topic
      ? `/topics/${scope.topic}`
      : scope.person
        ? `/people/${scope.person}`
        : ''
    const want = expected(content.entries, scope, query)
    for (const format of FORMATS) {
      // Input typed in capitals, or with unbalanced quotes, is first sent to its canonical spelling, once.
      const typed = `${base}/${FILES[format]}?${queryString(query)}`
      let res = await get(typed)
      const path = res.status === 301 ? res.headers.get('Location')! : typed
      if (res.status === 301) res = await get(path)
      expect(res.status, path).toBe(200)
      const body = await res.text()
      expect(checkFeed(format, body, BASE + path), path).toEqual([])
      const ids =
        format === 'json'
          ? (JSON.parse(body) as { items: { id: string }[] }).items.map((i) => i.id)
          : format === 'rss'
            ? [...body.matchAll(/<guid isPermaLink="true">([^<]+)<\/guid>/g)].map((m) => m[1])
            : [...body.matchAll(/<entry>\s*<id>([^<]+)<\/id>/g)].map((m) => m[1])
      expect(ids, path).toEqual(want)
    }
  })

  it('-okafor finds what okafor finds; marl* finds nothing (no prefix search)', () => {
    expect(expected(content.entries, {}, { q: '-okafor' })).toEqual(
      expected(content.entries, {}, { q: 'okafor' }),
    )
    expect(expected(content.entries, {}, { q: 'marl*' })).toEqual([])
  })
})

describe('q: any input', () => {
  /** Strings weighted towards FTS5 syntax, quotes, controls and marks. */
  const typed = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc
      .array(
        fc.constantFrom(
          'reyl',
          'Marlowe',
          'OR',
          'NOT',
          'AND',
          'NEAR(',
          ')',
          'title:',
          '*',
          '^',
          '-',
          '+',
          '"',
          '\u201C',
          '\0',
          '\u0301',
          'Caf\u00E9',
          ' ',
          '  ',
          '{a b}:',
          ':',
          ',',
          '.',
        ),
        { maxLength: 12 },
      )
      .map((a) => a.join('')),
  )

  it('is a canonical redirect, a feed or a 400 naming q, never an error of the store; the canonical spelling is a fixed point', async () => {
    await fc.assert(
      fc.asyncProperty(typed, async (q) => {
        const res = await fetchWorker(
          new Request(`${BASE}/feed.json?q=${encodeURIComponent(q)}`, { redirect: 'manual' }),
        )
        expect([200, 301, 400], q).toContain(res.status)
        if (res.status === 400)
          expect(((await res.json()) as { parameter: string }).parameter).toBe('q')
        else await res.arrayBuffer()
        if (res.status !== 301) return
        const location = res.headers.get('Location')!
        const again = await fetchWorker(new Request(BASE + location, { redirect: 'manual' }))
        expect(again.status, location).toBe(200)
        await again.arrayBuffer()
        const terms = parseKeywords(q)
        expect(parseKeywords(keywordText(terms))).toEqual(terms)
      }),
      { numRuns: 60 },
    )
  })
})

describe('q: accents, case and phrases (a fixture)', () => {
  const fixture = compileContent(
    files([
      {
        id: 'cafe',
        front: { published: '2025-01-01', title: 'Le Café de Marlowe' },
        body: 'Una frase: no river bridge here.',
      },
      {
        id: 'plain',
        front: {
          published: '2025-01-02',
          title: 'Cafe without accent',
          summary: 'MARLOWE in capitals.',
        },
        body: 'bridge, river and no.',
      },
      {
        id: 'other',
        front: { published: '2025-01-03', title: 'Nothing relevant', topics: ['beta'] },
      },
    ]),
  )
  const app = appFor(fixture)
  const ids = async (query: string) => {
    const res = await app.request(`https://news.test/feed.json?${query}`)
    expect(res.status, query).toBe(200)
    return ((await res.json()) as { items: { id: string }[] }).items.map((i) =>
      i.id.split('/').at(-1),
    )
  }

  it('folds case and accents in the text and in the query', async () => {
    expect(await ids('q=cafe')).toEqual(['plain', 'cafe'])
    expect(await ids('q=marlowe')).toEqual(['plain', 'cafe'])
  })
  it('a phrase needs its words together and in order; words alone do not', async () => {
    expect(await ids('q=%22no+river+bridge%22')).toEqual(['cafe'])
    expect(await ids('q=no+river+bridge')).toEqual(['plain', 'cafe'])
    expect(await ids('q=%22bridge+river+no%22')).toEqual([])
  })
  it('every word must appear', async () => {
    expect(await ids('q=cafe+capitals')).toEqual(['plain'])
    expect(await ids('q=cafe+relevant')).toEqual([])
  })
})

describe('query plans with q', () => {
  const filters = (query: string) => parseFilters(query, vocabulary)
  const sizes = (scope: string) => content.entries.length - (scope.length % 5)
  const plan = async (statement: Statement) =>
    (
      await env.DB.prepare(`EXPLAIN QUERY PLAN ${statement.sql}`)
        .bind(...statement.params)
        .all<{ detail: string }>()
    ).results.map((r) => r.detail)
  const queries = [
    'q=marlowe',
    'q=%22river+bridge%22+millbrook',
    'topic=roads,budget&q=millbrook',
    'exclude=parks&q=millbrook',
    'person=dana-okafor,tomas-reyl&q=millbrook',
    'q=millbrook&since=2025-03-01&until=2025-10-01',
    'topic=roads&exclude=parks&person=dana-okafor&q=millbrook&since=2025-01-01&until=2025-12-31&limit=5',
  ]
  const scopes = ['site', 'topic:roads', 'person:ines-marlowe']

  it.each(queries.flatMap((q) => scopes.map((s) => [s, q] as const)))(
    '%s ?%s: the index drives, no base table is scanned',
    async (scope, query) => {
      for (const statement of [
        feedQuery(scope, filters(query), 'rss', sizes),
        countQuery(scope, filters(query), sizes, 1001),
        feedQuery(scope, filters(query), 'card', sizes),
      ]) {
        const details = await plan(statement)
        expect(
          details.some((d) => /^SCAN entry_text VIRTUAL TABLE INDEX \d+:M/.test(d)),
          details.join('\n'),
        ).toBe(true)
        const scans = details.filter(
          (d) => d.startsWith('SCAN ') && !d.startsWith('SCAN entry_text VIRTUAL TABLE'),
        )
        // Only the subquery's own rows are walked (`SCAN picked`, `SCAN (subquery-N)`), never entries or memberships.
        for (const s of scans)
          expect(s, details.join('\n')).toMatch(/^SCAN (picked|\(subquery-\d+\))$/)
        expect(
          details.filter((d) => /\b(entries|memberships)\b/.test(d) && !/USING/.test(d)),
          details.join('\n'),
        ).toEqual([])
        // FTS5 yields rowids newest first itself: no sort before the limit.
        expect(statement.sql).toContain('ORDER BY rowid DESC LIMIT ?')
      }
    },
  )
})

describe('/search', () => {
  const get = (path: string) => fetchWorker(new Request(BASE + path, { redirect: 'manual' }))
  const doc = async (path: string) => {
    const res = await get(path)
    return { res, doc: parseDocument(await res.text()) }
  }
  const hrefs = (d: ReturnType<typeof parseDocument>) =>
    DomUtils.findAll((e) => e.name === 'h3', d.children).map(
      (h) => DomUtils.findOne((e) => e.name === 'a', h.children)!.attribs.href,
    )

  it('without a query, shows the search form alone', async () => {
    const { res, doc: d } = await doc('/search')
    expect(res.status).toBe(200)
    expect(
      DomUtils.findOne((e) => e.name === 'form' && e.attribs.role === 'search', d.children),
    ).not.toBeNull()
    expect(DomUtils.getElementById('results', d.children)).toBeNull()
  })

  it('lists the matching entries newest first with their count, and links the feeds of the search', async () => {
    const { res, doc: d } = await doc('/search?q=marlowe')
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Security-Policy')).toContain("default-src 'none'")
    const all = content.entries.filter((e) => matches(e, 'marlowe'))
    expect(hrefs(d)).toEqual(all.slice(0, 20).map((e) => `/entries/${e.id}`))
    const meta = DomUtils.findOne((e) => 'data-matches' in e.attribs, d.children)!
    expect(Number(meta.attribs['data-matches'])).toBe(all.length)
    const alternates = DomUtils.findAll(
      (e) => e.name === 'link' && e.attribs.rel === 'alternate',
      d.children,
    ).map((l) => l.attribs.href)
    expect(alternates).toEqual(FORMATS.map((f) => `${BASE}/${FILES[f]}?q=marlowe`))
    const input = DomUtils.findOne((e) => e.name === 'input' && e.attribs.name === 'q', d.children)!
    expect(input.attribs.value).toBe('marlowe')
  })

  it("takes the feeds' other filters, and keeps them in the form", async () => {
    const { res, doc: d } = await doc('/search?person=tomas-reyl&q=marlowe')
    expect(res.status).toBe(200)
    expect(hrefs(d)).toEqual(
      content.entries
        .filter((e) => matches(e, 'marlowe') && e.people.some((p) => p.id === 'tomas-reyl'))
        .map((e) => `/entries/${e.id}`),
    )
    const hidden = DomUtils.findAll(
      (e) => e.name === 'input' && e.attribs.type === 'hidden',
      d.children,
    ).map((e) => [e.attribs.name, e.attribs.value])
    expect(hidden).toEqual([['person', 'tomas-reyl']])
  })

  it('redirects other spellings to the canonical one', async () => {
    const res = await get('/search?q=Marlowe&person=tomas-reyl&utm_source=x')
    expect(res.status).toBe(301)
    expect(res.headers.get('Location')).toBe('/search?person=tomas-reyl&q=marlowe')
  })

  it('says so when nothing matches', async () => {
    const { res, doc: d } = await doc('/search?q=zzzyzx')
    expect(res.status).toBe(200)
    expect(hrefs(d)).toEqual([])
    expect(DomUtils.textContent(d)).toContain('No entry matches')
  })

  it('answers a bad q with a 400 page that puts the input back, escaped', async () => {
    const typed = '<script>x</script> '.repeat(12)
    const res = await get(`/search?q=${encodeURIComponent(typed)}`)
    expect(res.status).toBe(400)
    const body = await res.text()
    expect(body).not.toContain('<script>x')
    const d = parseDocument(body)
    expect(DomUtils.getElementById('search-error', d.children)).not.toBeNull()
    expect(
      DomUtils.findOne((e) => e.name === 'input' && e.attribs.name === 'q', d.children)!.attribs
        .value,
    ).toBe(typed)
  })

  it('caps the count it shows', () => {
    const catalog = {
      site: content.site,
      url: BASE,
      topicBySlug: new Map(),
      personById: new Map(),
    } as never
    const html = renderSearchPage(catalog, {
      kind: 'result',
      filters: parseFilters('q=x', vocabulary),
      query: 'q=x',
      results: [],
      matches: 1001,
      cap: 1000,
    })
    expect(html).toContain('More than 1,000 entries match')
  })

  it('serves validators and 304s like every page', async () => {
    const first = await get('/search?q=marlowe')
    const etag = first.headers.get('ETag')!
    expect(etag).toMatch(/^"[\w-]{22}"$/)
    expect(first.headers.get('Cache-Tag')!.split(',')).toEqual(
      expect.arrayContaining(['page', 'page:search']),
    )
    const again = await fetchWorker(
      new Request(`${BASE}/search?q=marlowe`, { headers: { 'If-None-Match': etag } }),
    )
    expect(again.status).toBe(304)
  })
})

describe('the topic form with keywords', () => {
  const get = (path: string) => fetchWorker(new Request(BASE + path, { redirect: 'manual' }))
  it('builds a feed URL whose query includes the canonical q, and counts its matches', async () => {
    const topic = 'budget'
    const res = await get(`/topics/${topic}?q=Marlowe+%22River+Bridge%22&format=atom`)
    expect(res.status).toBe(200)
    const d = parseDocument(await res.text())
    const url = DomUtils.textContent(DomUtils.getElementById('feed-url', d.children)!)
    expect(url).toBe(`${BASE}/topics/${topic}/atom.xml?q=marlowe+%22river+bridge%22`)
    const input = DomUtils.findOne((e) => e.name === 'input' && e.attribs.name === 'q', d.children)!
    expect(input.attribs.value).toBe('marlowe "river bridge"')
    const feed = await get(`/topics/${topic}/feed.json?q=marlowe+%22river+bridge%22`)
    expect(feed.status).toBe(200)
    const n = ((await feed.json()) as { items: unknown[] }).items.length
    expect(DomUtils.textContent(d)).toContain(n === 1 ? '1 entry matches' : `${n} entries match`)
  })
  it('answers a bad q on the page with a 400', async () => {
    const res = await get(`/topics/budget?q=${'x'.repeat(201)}`)
    expect(res.status).toBe(400)
    expect(await res.text()).toContain('Bad value for &quot;q&quot;')
  })
})
