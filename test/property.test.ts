/**
 * Property-based tests (fast-check) inside workerd: whatever the request or
 * the content, the service answers without a 5xx and every feed it serves
 * is well-formed and script-free.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { appFor, fetchWorker } from './helpers.ts'
import { compileContent, ContentError } from '../src/content/compile.ts'
import type { Content } from '../src/content/types.ts'
import content from './generated/content.ts'
import { files } from './helpers.ts'
import { scriptProblems, xmlHtmlFields, xmlProblems } from './wellformed.ts'

const RUNS = 300

/** Asserts a 2xx body is well-formed for its type. */
async function assertWellFormed(res: Response, label: string) {
  const type = res.headers.get('Content-Type') ?? ''
  const body = await res.text()
  if (type.includes('xml')) expect(xmlProblems(body), label).toEqual([])
  else if (type.includes('json')) expect(() => JSON.parse(body), label).not.toThrow()
  return body
}

describe('random requests', () => {
  const app = appFor(content)
  const topics = content.topics.map((t) => t.slug)
  const people = content.people.map((p) => p.id)
  const word = fc.oneof(
    fc.constantFrom(
      ...topics,
      ...people,
      'rss.xml',
      'atom.xml',
      'feed.json',
      'topics',
      'entries',
      '..',
      '.',
      '%2F',
      '%00',
      '%FF',
      '%E0%A4%A',
      '',
    ),
    fc.string({ maxLength: 12 }),
    fc.stringMatching(/^[a-z0-9%.\-_~]{0,16}$/),
  )
  const param = fc.tuple(
    fc.constantFrom(
      'topic',
      'exclude',
      'person',
      'since',
      'until',
      'limit',
      'topic[]',
      'utm_source',
      'x',
    ),
    fc.oneof(
      fc.constantFrom(
        ...topics,
        ...people,
        '2025-05-03',
        '2025-02-30',
        '0',
        '100',
        '101',
        '-1',
        '20',
        '1e3',
        '',
        ',',
        '%ZZ',
        '%C3%28',
      ),
      fc
        .array(fc.constantFrom(...topics, ...people, 'NOPE', ''), { maxLength: 6 })
        .map((a) => a.join(',')),
      fc.string({ maxLength: 20 }),
    ),
  )
  const url = fc
    .tuple(fc.array(word, { minLength: 1, maxLength: 4 }), fc.array(param, { maxLength: 5 }))
    .map(([segments, params]) => {
      const path = '/' + segments.map((s) => s.replace(/[?#]/g, encodeURIComponent)).join('/')
      const query = params
        .map(([k, v]) => `${k}=${v.replace(/[&#]/g, encodeURIComponent)}`)
        .join('&')
      return `https://feeds.test${path}${query ? `?${query}` : ''}`
    })

  it('never answer 5xx, and every 2xx is well-formed', async () => {
    await fc.assert(
      fc.asyncProperty(
        url,
        fc.constantFrom('GET', 'HEAD', 'POST', 'OPTIONS'),
        async (target, method) => {
          let res: Response
          try {
            res = await app.request(target, { method })
          } catch (error) {
            // A URL the Request constructor itself refuses never reaches the Worker.
            if (error instanceof TypeError) return
            throw error
          }
          expect(res.status, target).toBeLessThan(500)
          if (res.status === 200 && method === 'GET') await assertWellFormed(res, target)
          else await res.arrayBuffer()
        },
      ),
      { numRuns: RUNS },
    )
  }, 60_000)

  it('feed URLs with random valid filters are all well-formed and agree on the item count', async () => {
    const filter = fc.record({
      topic: fc.subarray(topics, { maxLength: 3 }),
      exclude: fc.subarray(topics, { maxLength: 2 }),
      person: fc.subarray(people, { maxLength: 2 }),
      limit: fc.integer({ min: 1, max: 100 }),
    })
    await fc.assert(
      fc.asyncProperty(
        filter,
        fc.option(fc.constantFrom(...topics), { nil: undefined }),
        async (f, scope) => {
          // Excluding a feed's own topic is a 400 (it could never have an item): see test/hardening.test.ts.
          if (scope) f.exclude = f.exclude.filter((t) => t !== scope)
          const query = Object.entries(f)
            .filter(([, v]) => (Array.isArray(v) ? v.length > 0 : true))
            .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : v}`)
            .join('&')
          const base = scope ? `/topics/${scope}/` : '/'
          const counts: number[] = []
          for (const file of ['rss.xml', 'atom.xml', 'feed.json']) {
            let res = await app.request(`https://feeds.test${base}${file}?${query}`)
            if (res.status === 301)
              res = await app.request(`https://feeds.test${res.headers.get('Location')}`)
            expect(res.status).toBe(200)
            const body = await assertWellFormed(res, `${base}${file}?${query}`)
            counts.push(
              file === 'feed.json'
                ? (JSON.parse(body) as { items: unknown[] }).items.length
                : body.split(file === 'rss.xml' ? '<item>' : '<entry>').length - 1,
            )
          }
          expect(new Set(counts).size).toBe(1)
        },
      ),
      { numRuns: 100 },
    )
  }, 60_000)
})

describe('random content', () => {
  /** Any string, weighted towards what breaks feeds. */
  const hostile = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 60 }),
    fc.string({ unit: 'grapheme', maxLength: 60 }),
    fc.constantFrom(
      ']]>',
      ']]>]]>',
      '<script>alert(1)</script>',
      '\u0000\u0001\u0008\u000B\u001F',
      '\uD800',
      '\uDFFF x \uD83D',
      '&amp;&#0;&#xD800;',
      '"\'<>&',
      '\uFFFE\uFFFF',
      '\u2028\u2029',
      '&lt;script&gt;alert(1)&lt;/script&gt;',
      '&lt;img src=x onerror=alert(1)&gt;',
    ),
    fc
      .array(
        fc.constantFrom(
          '<div>',
          '</div>',
          '<p>',
          '<b>',
          '</i>',
          '<a href="javascript:alert(1)">',
          '<img src=x onerror=alert(1)>',
          '<svg onload=alert(1)>',
          '<!--',
          '-->',
          '<![CDATA[',
          ']]>',
          '<iframe src=//x>',
          '[x](javascript:alert(1))',
          '[rel](../a)',
          'text',
          '\n\n',
          '<style>*{}</style>',
          '<scr<script>ipt>',
        ),
        { maxLength: 40 },
      )
      .map((a) => a.join('')),
  )
  const deep = fc
    .integer({ min: 1, max: 400 })
    .map((n) => '<div><b>'.repeat(n) + 'deep' + '</i>'.repeat(n))

  it('renders all three formats well-formed and script-free, or fails the build with a ContentError', async () => {
    await fc.assert(
      fc.asyncProperty(
        hostile,
        hostile,
        fc.oneof(hostile, deep),
        fc.string({ maxLength: 5000, unit: 'binary' }),
        async (title, summary, body, long) => {
          let compiled: Content
          try {
            compiled = compileContent(
              files([
                {
                  id: 'one',
                  front: {
                    title: `T ${title}`,
                    summary: `S ${summary}`,
                    topics: ['alpha', 'beta'],
                    quotes: [{ speaker: 'ana', text: `Q ${title}`, document: 'doc-1.txt' }],
                  },
                  body: `B ${body}\n\n${long}`,
                },
              ]),
            )
          } catch (error) {
            expect(error).toBeInstanceOf(ContentError)
            return
          }
          const app = appFor(compiled)
          for (const path of ['/rss.xml', '/atom.xml', '/topics/alpha/atom.xml']) {
            const xml = await (await app.request(`https://news.test${path}`)).text()
            expect(xmlProblems(xml), path).toEqual([])
            for (const html of xmlHtmlFields(xml)) expect(scriptProblems(html), path).toEqual([])
          }
          const json = JSON.parse(
            await (await app.request('https://news.test/feed.json')).text(),
          ) as { items: { title: string; content_html: string }[] }
          expect(scriptProblems(json.items[0]!.content_html)).toEqual([])
          const page = await (await app.request('https://news.test/entries/one')).text()
          expect(scriptProblems(page.slice(page.indexOf('<body>')))).toEqual([])
        },
      ),
      { numRuns: 150 },
    )
    // Each run compiles content and loads it into D1.
  }, 120_000)
})
