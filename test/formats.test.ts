/**
 * Every feed URL of the Worker (serving fixture A) is valid to the letter: W3C Feed
 * Validation Service rules for RSS 2.0 and Atom 1.0 and JSON Feed 1.1
 * conformance (test/validity.ts), exact media types, and the three formats
 * of one URL saying the same thing, read back by two independent feed
 * parsers. A hostile-content fixture goes through the real compile step and
 * must come out valid and script-free as well.
 */
import { parseFeed as rowanParse } from '@rowanmanning/feed-parser'
import { parseAtomFeed, parseJsonFeed, parseRssFeed } from 'feedsmith'
import { describe, expect, it } from 'vitest'
import { appFor, entryFile, fetchWorker } from './helpers.ts'
import { compileContent, type ContentFiles } from '../src/content/compile.ts'
import type { Content, Entry } from '../src/content/types.ts'
import content from './generated/content.ts'
import { checkFeed, checkHtml, CONTENT_TYPES, parseRfc822, rfc3339Time } from './validity.ts'

type Format = keyof typeof CONTENT_TYPES
const FILES: Record<Format, string> = { rss: 'rss.xml', atom: 'atom.xml', json: 'feed.json' }
const FORMATS = Object.keys(FILES) as Format[]
const BASE = 'http://127.0.0.1:8787'
const DEFAULT_LIMIT = 20

// ---------------------------------------------------------------------------
// The independent model of what a feed URL must contain
// ---------------------------------------------------------------------------

interface Query {
  topic?: string[]
  exclude?: string[]
  person?: string[]
  since?: string
  until?: string
  limit?: number
}

/** The canonical query string (the service redirects any other spelling). */
function queryString(q: Query): string {
  const parts: string[] = []
  for (const name of ['topic', 'exclude', 'person'] as const)
    if (q[name]?.length) parts.push(`${name}=${[...q[name]!].sort().join(',')}`)
  if (q.since) parts.push(`since=${q.since}`)
  if (q.until) parts.push(`until=${q.until}`)
  if (q.limit !== undefined && q.limit !== DEFAULT_LIMIT) parts.push(`limit=${q.limit}`)
  return parts.length ? `?${parts.join('&')}` : ''
}

/** Written from the README's description of the filters, not from src/filters.ts. */
function expectedEntries(all: readonly Entry[], scope: string | undefined, q: Query): Entry[] {
  const day = (e: Entry) => e.published.slice(0, 10)
  return all
    .filter((e) => !scope || e.topics.includes(scope))
    .filter((e) => !q.topic?.length || e.topics.some((t) => q.topic!.includes(t)))
    .filter((e) => !q.exclude?.length || !e.topics.some((t) => q.exclude!.includes(t)))
    .filter((e) => !q.person?.length || e.people.some((p) => q.person!.includes(p.id)))
    .filter((e) => !q.since || day(e) >= q.since)
    .filter((e) => !q.until || day(e) <= q.until)
    .sort((a, b) =>
      a.published !== b.published
        ? a.published < b.published
          ? 1
          : -1
        : a.id < b.id
          ? -1
          : a.id > b.id
            ? 1
            : 0,
    )
    .slice(0, q.limit ?? DEFAULT_LIMIT)
}

interface FeedCase {
  path: string
  scope: string | undefined
  query: Query
}

function feedCases(c: Content, extra: { scope?: string; query: Query }[]): FeedCase[] {
  const cases: FeedCase[] = []
  const add = (scope: string | undefined, query: Query) => {
    for (const format of FORMATS)
      cases.push({
        path: `${scope ? `/topics/${scope}` : ''}/${FILES[format]}${queryString(query)}`,
        scope,
        query,
      })
  }
  add(undefined, {})
  for (const topic of c.topics) add(topic.slug, {})
  for (const { scope, query } of extra) add(scope, query)
  return cases
}

const topicSlugs = content.topics.map((t) => t.slug)
const busiest = [...topicSlugs].sort(
  (a, b) =>
    content.entries.filter((e) => e.topics.includes(b)).length -
    content.entries.filter((e) => e.topics.includes(a)).length,
)
const personIds = content.people.map((p) => p.id)
const busiestPerson = [...personIds].sort(
  (a, b) =>
    content.entries.filter((e) => e.people.some((p) => p.id === b)).length -
    content.entries.filter((e) => e.people.some((p) => p.id === a)).length,
)[0]!
const FILTERED: { scope?: string; query: Query }[] = [
  { query: { topic: [topicSlugs[0]!, topicSlugs[1]!], limit: 5 } },
  { query: { person: [busiestPerson] } },
  { query: { since: '2025-05-01', until: '2025-11-18' } },
  { query: { exclude: [busiest[0]!] } },
  { query: { limit: 1 } },
  { query: { limit: 100 } },
  { scope: busiest[0]!, query: { person: [personIds[0]!], limit: 3 } },
  { scope: busiest[1]!, query: { exclude: [busiest[0]!] } },
]
const CASES = feedCases(content, FILTERED)
const formatOf = (path: string): Format =>
  path.includes('/rss.xml') ? 'rss' : path.includes('/atom.xml') ? 'atom' : 'json'

// ---------------------------------------------------------------------------
// Reading the three formats back into one shape
// ---------------------------------------------------------------------------

interface Item {
  id: string
  title: string
  /** Unix seconds. */
  published: number
  updated?: number
  categories: string[]
  html: string
}
interface Parsed {
  title: string
  self: string
  items: Item[]
}

const seconds = (ms: number | undefined) =>
  ms === undefined || Number.isNaN(ms) ? Number.NaN : Math.floor(ms / 1000)
/** Parsers trim the HTML of content elements; the trailing newline Markdown leaves is not content. */
const trim = (v: unknown): string => (typeof v === 'string' ? v.trim() : '')
const text = (v: unknown): string =>
  typeof v === 'string'
    ? v
    : v && typeof v === 'object' && 'value' in v
      ? String((v as { value: unknown }).value ?? '')
      : ''

/** With feedsmith. */
function readFeedsmith(format: Format, body: string): Parsed {
  if (format === 'rss') {
    const f = parseRssFeed(body) as any
    return {
      title: f.title,
      self: f.atom?.links?.find((l: any) => l.rel === 'self')?.href,
      items: (f.items ?? []).map((i: any) => ({
        id: i.guid?.value,
        title: i.title,
        published: seconds(parseRfc822(i.pubDate)),
        categories: (i.categories ?? []).map((c: any) => c.name),
        html: trim(i.content?.encoded),
      })),
    }
  }
  if (format === 'atom') {
    const f = parseAtomFeed(body) as any
    return {
      title: text(f.title),
      self: f.links?.find((l: any) => l.rel === 'self')?.href,
      items: (f.entries ?? []).map((e: any) => ({
        id: e.id,
        title: text(e.title),
        published: seconds(rfc3339Time(e.published)),
        updated: seconds(rfc3339Time(e.updated)),
        categories: (e.categories ?? []).map((c: any) => c.term),
        html: trim(text(e.content)),
      })),
    }
  }
  const f = parseJsonFeed(JSON.parse(body)) as any
  return {
    title: f.title,
    self: f.feed_url,
    items: (f.items ?? []).map((i: any) => ({
      id: i.id,
      title: i.title,
      published: seconds(rfc3339Time(i.date_published)),
      updated: seconds(rfc3339Time(i.date_modified)),
      categories: i.tags ?? [],
      html: trim(i.content_html),
    })),
  }
}

/** With @rowanmanning/feed-parser (RSS and Atom only), a second, unrelated implementation. */
function readRowan(body: string): Parsed {
  const f = rowanParse(body)
  return {
    title: f.title ?? '',
    self: f.self ?? '',
    items: f.items.map((i) => ({
      id: i.id ?? '',
      title: i.title ?? '',
      published: seconds(i.published?.getTime()),
      ...(i.updated && { updated: seconds(i.updated.getTime()) }),
      categories: i.categories.map((c) => c.term),
      html: trim(i.content),
    })),
  }
}

const responses = new Map<string, Promise<{ status: number; type: string | null; body: string }>>()
function get(path: string) {
  let r = responses.get(path)
  if (!r) {
    r = (async () => {
      const res = await fetchWorker(`${BASE}${path}`)
      return { status: res.status, type: res.headers.get('Content-Type'), body: await res.text() }
    })()
    responses.set(path, r)
  }
  return r
}

// ---------------------------------------------------------------------------
// The Worker, every feed URL
// ---------------------------------------------------------------------------

describe(`every feed URL of the Worker (${CASES.length} URLs)`, () => {
  it('covers the site, every topic, every format and the filters', () => {
    expect(content.site.url).toBe(BASE)
    expect(CASES.length).toBe((1 + content.topics.length + FILTERED.length) * 3)
  })

  it.each(CASES.map((c) => [c.path, c] as const))(
    '%s: 200, exact media type, valid to the letter',
    async (path, c) => {
      const format = formatOf(path)
      const res = await get(path)
      expect(res.status).toBe(200)
      expect(res.type).toBe(CONTENT_TYPES[format])
      expect(checkFeed(format, res.body, `${BASE}${c.path}`)).toEqual([])
    },
  )

  it.each(
    CASES.filter((c) => formatOf(c.path) === 'json').map(
      (c) => [c.path.replace(/feed\.json/, '{rss.xml,atom.xml,feed.json}'), c] as const,
    ),
  )('%s: the three formats agree with each other and with the content', async (_, c) => {
    const paths = FORMATS.map((f) => c.path.replace('feed.json', FILES[f]))
    const bodies = await Promise.all(paths.map(async (p) => (await get(p)).body))
    const [rss, atom, json] = FORMATS.map((f, k) => readFeedsmith(f, bodies[k]!))
    const expected = expectedEntries(content.entries, c.scope, c.query)
    const want: Item[] = expected.map((e) => ({
      id: e.url,
      title: e.title,
      published: seconds(Date.parse(e.published)),
      updated: seconds(Date.parse(e.updated)),
      categories: e.topics,
      html: e.html.trim(),
    }))
    const noUpdated = ({ updated: _u, ...rest }: Item) => rest
    expect(rss!.items).toEqual(want.map(noUpdated))
    expect(atom!.items).toEqual(want)
    expect(json!.items).toEqual(want)
    expect(expected.length).toBeLessThanOrEqual(c.query.limit ?? DEFAULT_LIMIT)
    // Feed-level: same title, self links that are the URL itself.
    expect(new Set([rss!.title, atom!.title, json!.title]).size).toBe(1)
    expect([rss!.self, atom!.self, json!.self]).toEqual(paths.map((p) => `${BASE}${p}`))
    // A second parser reads the XML formats the same way.
    for (const [k, f] of (['rss', 'atom'] as const).entries()) {
      const other = readRowan(bodies[k]!)
      expect(other.self).toBe(`${BASE}${paths[k]}`)
      expect(other.items.map((i) => [i.id, i.title, i.published, i.categories])).toEqual(
        want.map((i) => [i.id, i.title, i.published, i.categories]),
      )
      if (f === 'atom')
        expect(other.items.map((i) => i.updated)).toEqual(want.map((i) => i.updated))
    }
  })

  it('filtered feeds are not all the same feed', async () => {
    const ids = await Promise.all(
      FILTERED.map(async ({ scope, query }) =>
        readFeedsmith(
          'json',
          (await get(`${scope ? `/topics/${scope}` : ''}/feed.json${queryString(query)}`)).body,
        )
          .items.map((i) => i.id)
          .join(),
      ),
    )
    expect(new Set(ids).size).toBeGreaterThan(FILTERED.length / 2)
  })
})

// ---------------------------------------------------------------------------
// Hostile content, through the real compile step
// ---------------------------------------------------------------------------

const HOSTILE_TITLE =
  'Evil <script>alert("t")</script> \u0001\u0008\u000B title ]]> and ]]> again \uD800 & \u0085 C1\u009F end'
const HOSTILE_SUMMARY =
  'Summary with <b>bold</b>, a < b && c > d, onclick=alert(1) javascript:alert(1) ]]>]]> \u000C\u007F &amp; &copy &#1;'
const DEEP =
  '<div>'.repeat(60) + '<em>'.repeat(60) + 'deep' + '</em>'.repeat(60) + '</div>'.repeat(60)
const HOSTILE_BODY = [
  '<script>alert(1)</script><SCRIPT SRC="http://evil.test/x.js"></SCRIPT>',
  '<p onclick="alert(1)" onmouseover=alert(2) style="background:url(javascript:alert(3))">Click ]]> me ]]> twice</p>',
  '[js](javascript:alert(1)) [rel](/relative/path) [proto](//evil.test/x) <a href="java&#x09;script:alert(2)">tab</a> <a href="  JaVaScRiPt:alert(3)">case</a> <a href="data:text/html,<script>alert(4)</script>">data</a>',
  '<iframe src="http://evil.test/"></iframe><object data="x.swf"></object><embed src="y.swf"><form action="http://evil.test/"><input name=x></form>',
  '<img src="x.png" onerror="alert(1)"> <img src=javascript:alert(5)> <svg><script>alert(1)</script></svg> <math><mi>x</mi></math> <style>body{}</style> <base href="http://evil.test/">',
  'Controls: \u0001 \u001F \u007F \u0085 \u009F lone \uD800 surrogate \uDFFF low \uFFFE \uFFFF \uFDD0 nonchar \uFFFD replacement.',
  DEEP,
  '<b><i>misnested</b></i> <table><td>cell</td><p>in table</p>text</table> <tr><td>loose cell</td></tr> <caption>loose caption</caption>',
  '<a href="http://x.test/"><a href="http://y.test/">nested</a></a> <h2><h3>heading</h2></h3> <ul><li>one<li>two</ul> <p>unclosed <em>em',
  '<!-- comment --> <![CDATA[ cdata ]]> <?php echo 1 ?> &unknown; &#0; &#xD800; &#x110000;',
].join('\n\n')

/** YAML double-quoted strings take escapes: `\\u0001` below reaches the compiler as U+0001. */
const SITE = `title: "Hostile <b>Test</b> & Site \\u0001\\u0085"
description: "A site whose content tries to break every feed format. \\x08 \\ud800 ]]> &copy &#1;"
url: https://news.test
language: en
publisher:
  name: "Test Desk \\x1f"
rights: "\\u00A9 Test & <Co> ]]> \\u0002"
`
const TOPICS = `- slug: alpha
  title: "Alpha & <Omega> \\u0003"
  description: "The first topic. \\u007f\\ufffe"
- slug: beta
  title: Beta
  description: The second topic.
`
const PEOPLE = `- id: ana
  name: Ana Example
  role: A person in the tests.
`
const SOURCES = `- file: doc-1.txt
  slug: test-gazette-report
  publication: The Test Gazette
`
const HOSTILE_FILES: ContentFiles = {
  site: { file: 'content/site.yaml', text: SITE },
  topics: { file: 'content/topics.yaml', text: TOPICS },
  people: { file: 'content/people.yaml', text: PEOPLE },
  sources: { file: 'content/sources.yaml', text: SOURCES },
  entries: [
    // helpers' entryFile: YAML front matter as JSON (JSON string escapes are YAML escapes) and a Markdown body.
    entryFile({
      id: 'evil',
      front: {
        title: HOSTILE_TITLE,
        summary: HOSTILE_SUMMARY,
        published: '2025-05-03',
        topics: ['alpha', 'beta'],
        people: ['ana'],
      },
      body: HOSTILE_BODY,
    }),
    entryFile({
      id: 'same-day',
      front: { published: '2025-05-03', topics: ['alpha'] },
      body: 'Same day as the evil one: distinct `updated` values are still required.',
    }),
    entryFile({
      id: 'plain',
      front: { published: '2025-05', topics: ['beta'] },
      body: 'Plain *body* with a [link](https://example.test/a?b=1&c=2).',
    }),
  ],
}

/** Characters XML 1.0 forbids or discourages, and the ones the W3C validator calls "bad" (C1 controls, U+FFFD). */
const NOT_CLEAN =
  /[\0-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\uFDD0-\uFDEF\uFFFD\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

describe('hostile content', () => {
  const hostile = compileContent(HOSTILE_FILES)
  const app = appFor(hostile)
  const site = hostile.site.url
  const paths = feedCases(hostile, [
    { query: { limit: 1 } },
    { scope: 'beta', query: { person: ['ana'] } },
  ]).map((c) => c.path)
  const fetchBody = async (path: string) => {
    const res = await app.request(new Request(`${site}${path}`))
    return { status: res.status, type: res.headers.get('Content-Type'), body: await res.text() }
  }

  it('compiles', () => {
    expect(hostile.entries.map((e) => e.id).sort()).toEqual(['evil', 'plain', 'same-day'])
  })

  it.each(paths)('%s is well-formed, valid to the letter and script-free', async (path) => {
    const format = formatOf(path)
    const res = await fetchBody(path)
    expect(res.status).toBe(200)
    expect(res.type).toBe(CONTENT_TYPES[format])
    // Well-formedness is the checker's first rule (SAXError / JsonSyntax); characters XML allows but discourages come on top.
    const problems = checkFeed(format, res.body, `${site}${path}`)
    const unclean = NOT_CLEAN.exec(
      format === 'json'
        ? JSON.stringify(JSON.parse(res.body)).replace(/\\u[0-9a-f]{4}/g, (u) =>
            String.fromCharCode(Number.parseInt(u.slice(2), 16)),
          )
        : res.body,
    )
    if (unclean)
      problems.push(
        `error NotClean: U+${unclean[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} in the body`,
      )
    // Plain text is escaped, never tag-stripped: a title that says "<b>" carries those characters, and the
    // validator's heuristic warns that it reads like HTML. That warning is the only one expected.
    expect(
      problems.filter(
        (p) =>
          !/^warning (ContainsHTML|ContainsUndeclaredHTML): .*(plain text|type is text)/.test(p),
      ),
    ).toEqual([])
  })

  it('every HTML field is script-free and clean', () => {
    for (const e of hostile.entries) {
      expect(checkHtml(e.html, 'content', e.id, { absUrl: true }), e.id).toEqual([])
      expect(e.html, e.id).not.toMatch(
        /<script|<iframe|<object|<embed|<svg|<style|<form|\son\w+=|javascript:|vbscript:|data:/i,
      )
      expect(e.html, e.id).not.toMatch(NOT_CLEAN)
    }
  })

  it('the three formats and both parsers round-trip the title, without the invalid characters', async () => {
    const evil = hostile.entries.find((e) => e.id === 'evil')!
    expect(evil.title).not.toMatch(NOT_CLEAN)
    expect(evil.title).toContain(']]> and ]]> again')
    expect(evil.title).toContain('Evil')
    const bodies = await Promise.all(
      FORMATS.map(async (f) => (await fetchBody(`/${FILES[f]}`)).body),
    )
    const read = FORMATS.map((f, k) => readFeedsmith(f, bodies[k]!))
    for (const [k, parsed] of read.entries()) {
      const item = parsed.items.find((i) => i.id === evil.url)
      expect(item, FORMATS[k]).toBeDefined()
      expect(item!.title, FORMATS[k]).toBe(evil.title)
      expect(item!.html, FORMATS[k]).toBe(evil.html.trim())
      expect(parsed.title, FORMATS[k]).toBe(hostile.site.title)
    }
    for (const k of [0, 1]) {
      const item = readRowan(bodies[k]!).items.find((i) => i.id === evil.url)
      expect(item?.title, FORMATS[k]).toBe(evil.title)
    }
  })

  it('entries of the same day still get distinct Atom updated values', async () => {
    const atom = (await fetchBody('/atom.xml')).body
    const updated = [...atom.matchAll(/<entry>[\s\S]*?<updated>([^<]+)<\/updated>/g)].map(
      (m) => m[1],
    )
    expect(updated.length).toBe(3)
    expect(new Set(updated).size).toBe(updated.length)
  })
})

// ---------------------------------------------------------------------------
// The checker itself: it must catch what it claims to catch
// ---------------------------------------------------------------------------

describe('the checker rejects what the W3C validator rejects', () => {
  const self = 'https://news.test/rss.xml'
  const rss = (
    channel: string,
    item = '<item><title>T</title><link>https://news.test/a</link><guid isPermaLink="true">https://news.test/a</guid><pubDate>Sat, 03 May 2025 00:00:00 GMT</pubDate><description>d</description></item>',
  ) =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>S</title><link>https://news.test/</link><description>D</description><language>en</language><atom:link href="${self}" rel="self" type="application/rss+xml" />${channel}\n${item}\n</channel></rss>\n`
  const codes = (problems: string[]) => problems.map((p) => p.split(':')[0])
  const now = new Date('2026-01-01T00:00:00Z')

  it('accepts a minimal valid RSS feed', () => {
    expect(checkFeed('rss', rss(''), self, now)).toEqual([])
  })
  it.each([
    [
      'a wrong day name',
      '',
      '<item><title>T</title><guid isPermaLink="false">x-1</guid><pubDate>Mon, 03 May 2025 00:00:00 GMT</pubDate></item>',
      'error IncorrectDOW',
    ],
    [
      'a two-digit year',
      '',
      '<item><title>T</title><guid isPermaLink="false">x-1</guid><pubDate>Sat, 03 May 25 00:00:00 GMT</pubDate></item>',
      'warning ProblematicalRFC822Date',
    ],
    [
      'a future date',
      '',
      '<item><title>T</title><guid isPermaLink="false">x-1</guid><pubDate>Fri, 03 May 2030 00:00:00 GMT</pubDate></item>',
      'warning ImplausibleDate',
    ],
    [
      'a relative permalink',
      '',
      '<item><title>T</title><guid>/a</guid></item>',
      'error InvalidHttpGUID',
    ],
    ['a missing guid', '', '<item><title>T</title></item>', 'warning MissingGuid'],
    [
      'HTML in a title',
      '',
      '<item><title>a &lt;/b&gt; b</title><guid isPermaLink="false">x-1</guid></item>',
      'warning ContainsHTML',
    ],
    [
      '"<" in a title without hex references',
      '',
      '<item><title>a &lt;b</title><guid isPermaLink="false">x-1</guid></item>',
      'warning CharacterData',
    ],
    [
      'an author that is a name',
      '',
      '<item><title>T</title><guid isPermaLink="false">x-1</guid><author>Ana</author></item>',
      'error InvalidContact',
    ],
    [
      'a script in content',
      '',
      '<item><title>T</title><guid isPermaLink="false">x-1</guid><description>d</description><content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/">&lt;script&gt;x()&lt;/script&gt;</content:encoded></item>',
      'warning SecurityRisk',
    ],
    [
      'an event handler',
      '',
      '<item><title>T</title><guid isPermaLink="false">x-1</guid><description>&lt;p onclick="x()"&gt;d&lt;/p&gt;</description></item>',
      'warning SecurityRiskAttr',
    ],
    [
      'a relative link in HTML',
      '',
      '<item><title>T</title><guid isPermaLink="false">x-1</guid><description>&lt;a href="/x"&gt;d&lt;/a&gt;</description></item>',
      'warning ContainsRelRef',
    ],
    [
      'misnested HTML',
      '',
      '<item><title>T</title><guid isPermaLink="false">x-1</guid><description>&lt;table&gt;&lt;p&gt;x&lt;/p&gt;&lt;/table&gt;</description></item>',
      'warning NotHtml',
    ],
    [
      'a C1 control character',
      '',
      '<item><title>T\u0085</title><guid isPermaLink="false">x-1</guid></item>',
      'warning BadCharacters',
    ],
    [
      'a duplicate guid',
      '',
      '<item><title>T</title><guid isPermaLink="false">x-1</guid></item><item><title>U</title><guid isPermaLink="false">x-1</guid></item>',
      'error DuplicateValue',
    ],
    ['a ttl that is not a number', '<ttl>5m</ttl>', undefined, 'error InvalidNonNegativeInteger'],
    ['a bad language', '<language>english</language>', undefined, 'error InvalidLanguage'],
    [
      'channel metadata after an item',
      '',
      '<item><title>T</title><guid isPermaLink="false">x-1</guid></item><copyright>c</copyright>',
      'warning MisplacedItem',
    ],
    [
      'an undeclared prefix',
      '',
      '<item><title>T</title><guid isPermaLink="false">x-1</guid><dc:creator>A</dc:creator></item>',
      'error SAXError',
    ],
    [
      'an empty dc:creator',
      '',
      '<item xmlns:dc="http://purl.org/dc/elements/1.1/"><title>T</title><guid isPermaLink="false">x-1</guid><dc:creator></dc:creator></item>',
      'error NotBlank',
    ],
    [
      'a date that is not RFC 822',
      '',
      '<item><title>T</title><guid isPermaLink="false">x-1</guid><pubDate>2025-05-03</pubDate></item>',
      'error InvalidRFC2822Date',
    ],
    [
      'a lastBuildDate before an item',
      '<lastBuildDate>Fri, 02 May 2025 00:00:00 GMT</lastBuildDate>',
      undefined,
      'warning LastBuildDateBeforeItem',
    ],
    ['a second channel title', '<title>again</title>', undefined, 'error DuplicateElement'],
    [
      'an element outside any namespace that RSS does not define',
      '<foo>x</foo>',
      undefined,
      'error UndefinedElement',
    ],
    [
      'a managingEditor that is a name',
      '<managingEditor>Ed</managingEditor>',
      undefined,
      'error InvalidContact',
    ],
    [
      'an item with neither title nor description',
      '',
      '<item><guid isPermaLink="false">x-1</guid></item>',
      'error MissingElement',
    ],
    [
      'a relative item link',
      '',
      '<item><title>T</title><link>/a</link><guid isPermaLink="false">x-1</guid></item>',
      'error InvalidUrl',
    ],
    [
      'an isPermaLink that is not a boolean',
      '',
      '<item><title>T</title><guid isPermaLink="yes">x-1</guid></item>',
      'error InvalidBooleanAttribute',
    ],
    [
      '"&" in a CDATA title',
      '',
      '<item><title><![CDATA[a & b]]></title><guid isPermaLink="false">x-1</guid></item>',
      'warning CharacterData',
    ],
    [
      'an enclosure without a length',
      '',
      '<item><title>T</title><guid isPermaLink="false">x-1</guid><enclosure url="https://news.test/a.mp3" type="audio/mpeg" /></item>',
      'error InvalidEnclosure',
    ],
    [
      'a javascript: URL in HTML',
      '',
      '<item><title>T</title><guid isPermaLink="false">x-1</guid><description>&lt;a href="javascript:x()"&gt;d&lt;/a&gt;</description></item>',
      'warning SecurityRiskAttr',
    ],
    [
      'an unclosed element in HTML',
      '',
      '<item><title>T</title><guid isPermaLink="false">x-1</guid><description>&lt;p&gt;d</description></item>',
      'warning NotHtml',
    ],
    [
      'a reference to NUL in HTML',
      '',
      '<item><title>T</title><guid isPermaLink="false">x-1</guid><description>a &amp;#0; b</description></item>',
      'error InvalidCharacter',
    ],
  ])('RSS with %s', (_, channel, item, code) => {
    expect(codes(checkFeed('rss', rss(channel, item), self, now))).toContain(code)
  })
  it('RSS with a self link to another URL', () => {
    expect(codes(checkFeed('rss', rss(''), 'https://news.test/other.xml', now))).toEqual(
      expect.arrayContaining(['warning SelfDoesntMatchLocation']),
    )
  })
  it('RSS that is not well-formed: a lone "]]>", a control character, a bare "&"', () => {
    expect(codes(checkFeed('rss', rss('<copyright>a ]]> b</copyright>'), self, now))).toContain(
      'error SAXError',
    )
    expect(codes(checkFeed('rss', rss('<copyright>a \u0001 b</copyright>'), self, now))).toContain(
      'error SAXError',
    )
    expect(codes(checkFeed('rss', rss('<copyright>a & b</copyright>'), self, now))).toContain(
      'error SAXError',
    )
  })
  it('RSS without a self link, or with one of the wrong type', () => {
    expect(codes(checkFeed('rss', rss('').replace(/<atom:link [^>]*>/, ''), self, now))).toContain(
      'warning MissingSelf',
    )
    expect(
      codes(
        checkFeed(
          'rss',
          rss('').replace('type="application/rss+xml"', 'type="text/xml"'),
          self,
          now,
        ),
      ),
    ).toContain('warning SelfLinkType')
  })
  it.each([
    ['an undeclared entity', '<copyright>&nbsp;</copyright>'],
    ['mismatched tags', '<copyright>a</title>'],
    ['a repeated attribute', '<category domain="a" domain="b">c</category>'],
    ['U+FFFF', '<copyright>a \uFFFF b</copyright>'],
    ['a lone surrogate', '<copyright>a \uD800 b</copyright>'],
    ['a reference to a control character', '<copyright>a &#x1; b</copyright>'],
    ['an attribute without quotes', '<category domain=a>c</category>'],
  ])('RSS that is not well-formed: %s', (_, channel) => {
    expect(codes(checkFeed('rss', rss(channel), self, now))).toEqual(['error SAXError'])
  })

  const atom = (entries: string) =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en"><id>https://news.test/atom.xml</id><title type="text">S</title><updated>2025-05-04T00:00:00Z</updated><author><name>A</name></author><link rel="self" type="application/atom+xml" href="https://news.test/atom.xml" /><link rel="alternate" type="text/html" href="https://news.test/" />\n${entries}</feed>\n`
  const entry = (id: string, updated = '2025-05-03T00:00:00Z', extra = '') =>
    `<entry><id>https://news.test/${id}</id><title type="text">T</title><link rel="alternate" type="text/html" href="https://news.test/${id}" /><published>2025-05-03T00:00:00Z</published><updated>${updated}</updated><summary type="text">s</summary><content type="html">&lt;p&gt;x&lt;/p&gt;</content>${extra}</entry>\n`
  it('accepts a minimal valid Atom feed', () => {
    expect(
      checkFeed(
        'atom',
        atom(entry('a') + entry('b', '2025-05-03T00:00:01Z')),
        'https://news.test/atom.xml',
        now,
      ),
    ).toEqual([])
  })
  it.each([
    [
      'two entries updated at the same instant',
      entry('a') + entry('b'),
      'warning DuplicateUpdated',
    ],
    [
      'two entries with the same id',
      entry('a') + entry('a', '2025-05-03T00:00:01Z'),
      'warning DuplicateEntries',
    ],
    [
      'a non-canonical id',
      entry('a').replace('<id>https://news.test/a', '<id>HTTPS://news.test:443/a'),
      'warning NonCanonicalURI',
    ],
    ['a date without a zone', entry('a', '2025-05-03T00:00:00'), 'error InvalidRFC3339Date'],
    [
      'HTML in a text title',
      entry('a').replace('<title type="text">T', '<title type="text">&lt;/b&gt;'),
      'warning ContainsUndeclaredHTML',
    ],
    [
      'a category without term',
      entry('a', undefined, '<category label="x" />'),
      'error MissingAttribute',
    ],
    [
      'a bad xml:lang',
      entry('a').replace('<content type="html">', '<content type="html" xml:lang="english">'),
      'error InvalidLanguage',
    ],
    ['metadata after an entry', entry('a') + '<rights>r</rights>', 'error MisplacedMetadata'],
    ['a future updated', entry('a', '2030-05-03T00:00:00Z'), 'warning ImplausibleDate'],
    ['a second title', entry('a', undefined, '<title>U</title>'), 'error DuplicateElement'],
    [
      'an unknown text type',
      entry('a').replace('<title type="text">', '<title type="markdown">'),
      'error InvalidTextType',
    ],
    [
      'xhtml without its div',
      entry('a').replace('<summary type="text">s</summary>', '<summary type="xhtml">s</summary>'),
      'error NotInline',
    ],
    [
      'neither content nor an alternate link',
      entry('a')
        .replace(/<link [^>]*>/, '')
        .replace(/<content[\s\S]*<\/content>/, ''),
      'error MissingAlternateLink',
    ],
    [
      'a relative link in HTML content',
      entry('a').replace('&lt;p&gt;x', '&lt;a href="/x"&gt;x&lt;/a&gt;&lt;p&gt;x'),
      'warning ContainsRelRef',
    ],
    [
      'an empty category label',
      entry('a', undefined, '<category term="x" label="" />'),
      'error NotBlank',
    ],
  ])('Atom with %s', (_, entries, code) => {
    expect(codes(checkFeed('atom', atom(entries), 'https://news.test/atom.xml', now))).toContain(
      code,
    )
  })
  it('Atom without an author, or with a self link to another URL', () => {
    expect(
      codes(
        checkFeed(
          'atom',
          atom(entry('a')).replace('<author><name>A</name></author>', ''),
          'https://news.test/atom.xml',
          now,
        ),
      ),
    ).toContain('error MissingAuthor')
    expect(
      codes(checkFeed('atom', atom(entry('a')), 'https://news.test/other.xml', now)),
    ).toContain('warning SelfDoesntMatchLocation')
  })
  it('an XHTML element other than a div among the feed metadata (the preview script stands in a div)', () => {
    const script = '<script src="/feed.js" defer="defer"></script>'
    const bare = `<script xmlns="http://www.w3.org/1999/xhtml" src="/feed.js" defer="defer"></script>`
    const wrapped = `<div xmlns="http://www.w3.org/1999/xhtml">${script}</div>`
    const inFeed = (extra: string) =>
      checkFeed('atom', atom(extra + entry('a')), 'https://news.test/atom.xml', now)
    expect(codes(inFeed(bare))).toContain('warning MisplacedXHTMLContent')
    expect(inFeed(wrapped)).toEqual([])
    expect(codes(checkFeed('rss', rss(bare), self, now))).toContain('warning MisplacedXHTMLContent')
    expect(checkFeed('rss', rss(wrapped), self, now)).toEqual([])
    expect(
      codes(
        checkFeed('atom', atom(entry('a', undefined, wrapped)), 'https://news.test/atom.xml', now),
      ),
    ).toContain('warning MisplacedXHTMLContent')
  })

  const json = (patch: (f: any) => void) => {
    const f = {
      version: 'https://jsonfeed.org/version/1.1',
      title: 'S',
      home_page_url: 'https://news.test/',
      feed_url: 'https://news.test/feed.json',
      items: [
        {
          id: 'https://news.test/a',
          url: 'https://news.test/a',
          content_html: '<p>x</p>',
          date_published: '2025-05-03T00:00:00Z',
          tags: ['a'],
        },
      ],
    }
    patch(f)
    return JSON.stringify(f)
  }
  it('accepts a minimal valid JSON Feed', () => {
    expect(
      checkFeed(
        'json',
        json(() => {}),
        'https://news.test/feed.json',
        now,
      ),
    ).toEqual([])
  })
  it.each([
    [
      'version 1.0',
      (f: any) => (f.version = 'https://jsonfeed.org/version/1'),
      'error JsonFeedVersion',
    ],
    ['an unknown key', (f: any) => (f.news = {}), 'error JsonFeedUnknownKey'],
    [
      'an extension not starting with a letter',
      (f: any) => (f._1x = {}),
      'error JsonFeedExtensionName',
    ],
    [
      'an item without content',
      (f: any) => delete f.items[0].content_html,
      'error JsonFeedRequired',
    ],
    ['a bad date', (f: any) => (f.items[0].date_published = '2025-05-03'), 'error JsonFeedDate'],
    ['a duplicate id', (f: any) => f.items.push({ ...f.items[0] }), 'error JsonFeedDuplicateId'],
    ['tags that are not strings', (f: any) => (f.items[0].tags = [1]), 'error JsonFeedType'],
    [
      'a script',
      (f: any) => (f.items[0].content_html = '<script>x()</script>'),
      'warning SecurityRisk',
    ],
    ['a relative home_page_url', (f: any) => (f.home_page_url = '/'), 'error JsonFeedUrl'],
    ['no feed_url', (f: any) => delete f.feed_url, 'warning MissingSelf'],
    ['an empty id', (f: any) => (f.items[0].id = ''), 'error NotBlank'],
    ['a bad language', (f: any) => (f.language = 'english'), 'error InvalidLanguage'],
    [
      'an author without name, url or avatar',
      (f: any) => (f.authors = [{}]),
      'error JsonFeedRequired',
    ],
    [
      'a future date',
      (f: any) => (f.items[0].date_modified = '2030-05-03T00:00:00Z'),
      'warning ImplausibleDate',
    ],
    ['unclosed HTML', (f: any) => (f.items[0].content_html = '<p>x'), 'warning NotHtml'],
    ['a C1 control character', (f: any) => (f.title = 'S\u0085'), 'warning BadCharacters'],
  ])('JSON Feed with %s', (_, patch, code) => {
    expect(codes(checkFeed('json', json(patch), 'https://news.test/feed.json', now))).toContain(
      code,
    )
  })
  it('JSON Feed that is not JSON, or fetched from another URL', () => {
    expect(
      codes(checkFeed('json', json(() => {}).slice(0, -1), 'https://news.test/feed.json', now)),
    ).toEqual(['error JsonSyntax'])
    expect(
      codes(
        checkFeed(
          'json',
          json(() => {}),
          'https://news.test/other.json',
          now,
        ),
      ),
    ).toEqual(['warning SelfDoesntMatchLocation'])
  })

  it('HTML fragments: relative URLs only matter with absUrl; well-formed, safe HTML passes', () => {
    expect(checkHtml('<p><a href="/x">x</a></p>', 'content', 'item 1')).toEqual([])
    expect(
      codes(checkHtml('<p><a href="/x">x</a></p>', 'content', 'item 1', { absUrl: true })),
    ).toEqual(['warning ContainsRelRef'])
    expect(
      checkHtml(
        '<table><thead><tr><th scope="col">a</th></tr></thead><tbody><tr><td>b &amp; c</td></tr></tbody></table><ul><li>x</li></ul><img src="https://x.test/i.png" alt="" />',
        'content',
        'item 1',
        { absUrl: true },
      ),
    ).toEqual([])
    for (const broken of [
      '<b><i>x</b></i>',
      '<p>x</div>',
      '<ul><li>a<li>b</li></ul>',
      '<h2><h3>x</h3></h2>',
      '<p><div>x</div></p>',
      '<a href="https://a.test/"><a href="https://b.test/">x</a></a>',
      '<tr><td>x</td></tr>',
      '<div/>',
      '<br></br>',
      '<![CDATA[x]]>',
      '&bogus;',
    ]) {
      expect(codes(checkHtml(broken, 'content', 'item 1')), broken).toContain('warning NotHtml')
    }
    for (const active of [
      '<iframe src="https://x.test/"></iframe>',
      '<object data="https://x.test/x"></object>',
      '<form></form>',
      '<svg></svg>',
      '<math></math>',
      '<style>p{}</style>',
      '<base href="https://x.test/">',
      '<meta charset="utf-8">',
    ]) {
      expect(codes(checkHtml(active, 'content', 'item 1')), active).toContain(
        'warning SecurityRisk',
      )
    }
    for (const attr of [
      '<p style="width:expression(x())">x</p>',
      '<p style="background:url(https://x.test/)">x</p>',
      '<a href=" java&#x09;script:x()">x</a>',
      '<img src="data:image/png;base64,AA" alt="" />',
    ]) {
      expect(codes(checkHtml(attr, 'content', 'item 1')), attr).toContain(
        'warning SecurityRiskAttr',
      )
    }
  })

  it('dates: RFC 822 and RFC 3339 parsing', () => {
    expect(parseRfc822('Sat, 03 May 2025 00:00:00 GMT')).toBe(Date.UTC(2025, 4, 3))
    expect(parseRfc822('3 May 2025 02:00 +0200')).toBe(Date.UTC(2025, 4, 3))
    expect(parseRfc822('Sat, 03 May 2025 00:00:00 EDT')).toBe(Date.UTC(2025, 4, 3, 4))
    for (const bad of [
      'Sat, 31 Feb 2025 00:00:00 GMT',
      'Sat, 03 May 2025 24:00:00 GMT',
      'Sat, 03 May 2025 00:00:00 XYZ',
      '2025-05-03T00:00:00Z',
    ])
      expect(parseRfc822(bad), bad).toBeNaN()
    expect(rfc3339Time('2025-05-03T02:00:00.5+02:00')).toBe(Date.UTC(2025, 4, 3, 0, 0, 0, 500))
    for (const bad of [
      '2025-05-03',
      '2025-05-03T00:00:00',
      '2025-02-29T00:00:00Z',
      '2025-05-03 00:00:00Z',
      '2025-05-03T00:00:00+24:00',
    ])
      expect(rfc3339Time(bad), bad).toBeNaN()
  })
})
