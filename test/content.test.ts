/**
 * Source documents as readers see them, on fixture A (test/fixtures/millbrook;
 * the compiler's guarantees on any publication are in publication.test.ts).
 * Then the compiler against hostile content, called directly: each class of
 * bad input is refused with file, field and reason, and random damage to
 * valid files only ever ends in a ContentError.
 */
import fc from 'fast-check'
import { DomUtils, parseDocument } from 'htmlparser2'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import {
  compileContent,
  ContentError,
  distinctInstants,
  LIMITS,
  type ContentFiles,
} from '../src/content/compile.ts'
import type { Entry } from '../src/content/types.ts'
import content from './generated/content.ts'
import {
  entrySchema,
  kinds,
  personSchema,
  siteSchema,
  sourceDocumentSchema,
  topicSchema,
} from '../src/schema.ts'
import { appFor, BASIC, files, PEOPLE, SITE, SOURCES, TOPICS } from './helpers.ts'
import { makePng } from './png-fixtures.ts'

describe('source documents', () => {
  it('have unique readable slugs and labels that never contain the file name', () => {
    expect(new Set(content.sources.map((s) => s.slug)).size).toBe(content.sources.length)
    for (const s of content.sources) {
      expect(s.slug).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+){2,}$/)
      expect(s.label.length, s.slug).toBeGreaterThan(10)
      expect(s.label).not.toContain(s.file.replace(/\.[a-z]+$/, ''))
    }
  })

  it('no reader-facing body (feeds, pages, /topics.json, /opml.xml) contains a source file name', async () => {
    const app = await appFor(content)
    // The whole name, its stem and the hash in it (`001_0b82f05f8ba7f11c.txt`, `001_0b82f05f8ba7f11c`, `0b82f05f8ba7f11c`).
    const names = content.sources.flatMap((s) => [
      s.file,
      s.file.replace(/\.[^.]+$/, ''),
      ...(s.file.match(/[0-9a-f]{12,}/g) ?? []),
    ])
    expect(names.length).toBeGreaterThanOrEqual(content.sources.length * 2)
    const feeds = (base: string) =>
      ['rss.xml', 'atom.xml', 'feed.json'].map((f) => `${base}/${f}?limit=100`)
    const paths = [
      '/',
      '/topics.json',
      '/opml.xml',
      ...feeds(''),
      ...content.topics.flatMap((t) => [`/topics/${t.slug}`, ...feeds(`/topics/${t.slug}`)]),
      ...content.entries.map((e) => `/entries/${e.id}`),
    ]
    for (const path of paths) {
      const res = await app.request(`http://127.0.0.1:8787${path}`)
      expect(res.status, path).toBe(200)
      const body = await res.text()
      for (const name of names) expect(body.includes(name), `${path} shows ${name}`).toBe(false)
    }
  })
})

/** The issues a compile reports, as `file: path: message` lines; fails if it compiles. */
function issuesOf(input: ContentFiles, options?: Parameters<typeof compileContent>[1]): string[] {
  try {
    compileContent(input, options)
  } catch (error) {
    expect(error).toBeInstanceOf(ContentError)
    return (error as ContentError).issues.map((i) => `${i.file}: ${i.path}: ${i.message}`)
  }
  throw new Error('expected a ContentError')
}

const TWO_TOPICS = { topics: ['alpha', 'beta'] }

describe('hostile content: dates', () => {
  it.each([
    ['9999-12-31T23:00:00-05:00', 'falls outside the years 0000 to 9999 in UTC'],
    ['0000-01-01T00:30:00+01:00', 'falls outside the years 0000 to 9999 in UTC'],
    ['2025-05-03T24:00:00Z', 'write T24:00 as T00:00 of the next day'],
    ['2025-05-03T23:60:00Z', 'the minute must be 00 to 59'],
    ['2025-05-03T12:00:61Z', 'the second must be 00 to 60'],
    ['2025-05-03T12:00:60Z', 'a leap second (:60) falls only at 23:59:60 UTC'],
    ['2025-05-03T12:00:00+24:00', 'impossible UTC offset'],
    ['2025-13', 'the month must be 01 to 12'],
    ['2023-02-29', 'is not a real date'],
    ['25-05-03', 'must be YYYY, YYYY-MM, YYYY-MM-DD or an RFC 3339 date-time'],
    ['2025-05-03 12:00:00Z', 'must be YYYY, YYYY-MM, YYYY-MM-DD or an RFC 3339 date-time'],
  ])('refuses %s: %s', (published, reason) => {
    const found = issuesOf(files([{ id: 'a', front: { ...TWO_TOPICS, published } }]))
    expect(found.join('\n')).toContain(`content/entries/a.md: published: `)
    expect(found.join('\n')).toContain(reason)
  })

  it('accepts what RFC 3339 allows: a leap second, years before 0100, year 0000, -00:00', () => {
    const content = compileContent(
      files([
        { id: 'leap', front: { ...TWO_TOPICS, published: '2016-12-31T23:59:60Z' } },
        { id: 'leap-offset', front: { published: '2017-01-01T00:59:60+01:00' } },
        { id: 'early', front: { published: '0050-06-01' } },
        { id: 'year-zero', front: { published: '0000' } },
        { id: 'unknown-offset', front: { published: '2025-05-03T10:00:00-00:00' } },
      ]),
    )
    const at = Object.fromEntries(content.entries.map((e) => [e.id, e.published]))
    // The leap second is carried as the second before it; the tie with it is spaced.
    expect([at.leap, at['leap-offset']].sort()).toEqual([
      '2016-12-31T23:59:59Z',
      '2017-01-01T00:00:00Z',
    ])
    expect(at.early).toBe('0050-06-01T00:00:00Z')
    expect(at['year-zero']).toBe('0000-01-01T00:00:00Z')
    expect(at['unknown-offset']).toBe('2025-05-03T10:00:00Z')
  })

  it('refuses an updated date earlier than the published one', () => {
    expect(
      issuesOf(
        files([
          {
            id: 'a',
            front: { ...TWO_TOPICS, published: '2025-05-03', updated: '2025-05-02T23:00:00Z' },
          },
        ]),
      ),
    ).toContain('content/entries/a.md: updated: is earlier than published')
    // A later instant in another zone is not earlier.
    expect(() =>
      compileContent(
        files([
          {
            id: 'a',
            front: {
              ...TWO_TOPICS,
              published: '2025-05-03T10:00:00+02:00',
              updated: '2025-05-03T08:30:00Z',
            },
          },
        ]),
      ),
    ).not.toThrow()
  })

  it('refuses ties that spacing would push past 9999, naming the entries', () => {
    const found = issuesOf(
      files([
        { id: 'a', front: { ...TWO_TOPICS, published: '9999-12-31T23:59:59Z' } },
        { id: 'b', front: { published: '9999-12-31T23:59:59Z' } },
      ]),
    )
    expect(found).toEqual([
      'content/entries/a.md: published: shares its date with so many entries that giving each its own second would pass 9999-12-31T23:59:59Z',
    ])
  })

  it('spaces 20,000 entries sharing one publication and one updated date into distinct instants, in order', () => {
    const n = 20_000
    const entries = Array.from({ length: n }, (_, i) => ({
      id: `e-${String(i).padStart(5, '0')}`,
      published: '2025-05-03T00:00:00Z',
      updated: i % 2 ? '2025-05-03T00:00:00Z' : '2025-05-03T01:00:00Z',
    })) as unknown as Entry[]
    const { entries: spaced, overflow } = distinctInstants(entries)
    expect(overflow).toEqual([])
    expect(new Set(spaced.map((e) => e.published)).size).toBe(n)
    expect(new Set(spaced.map((e) => e.updated)).size).toBe(n)
    for (let i = 1; i < n; i++) expect(spaced[i - 1]!.published > spaced[i]!.published).toBe(true)
    for (const e of spaced) expect(e.updated >= e.published, e.id).toBe(true)
    // Entries never updated keep updated = published.
    for (const [i, e] of spaced.entries()) if (i % 2) expect(e.updated).toBe(e.published)
  })

  it('the compile spaces ties of the whole content the same way', () => {
    const content = compileContent(
      files(
        Array.from({ length: 500 }, (_, i) => ({
          id: `e-${i}`,
          front: { ...TWO_TOPICS, updated: '2025-05-03' },
        })),
      ),
    )
    expect(new Set(content.entries.map((e) => e.updated)).size).toBe(500)
  })
})

describe('hostile content: URLs', () => {
  const site = (patch: string) => SITE.replace('url: https://news.test\n', patch)
  it.each([
    [
      'a javascript: publisher URL',
      site('url: https://news.test\n').replace(
        '  name: Test Desk\n',
        '  name: Test Desk\n  url: "javascript:alert(1)"\n',
      ),
      'publisher.url: must be an http or https URL',
    ],
    [
      'a data: publisher URL',
      SITE.replace('  name: Test Desk\n', '  name: Test Desk\n  url: "data:text/html,x"\n'),
      'publisher.url: must be an http or https URL',
    ],
    [
      'credentials in the publisher URL',
      SITE.replace('  name: Test Desk\n', '  name: Test Desk\n  url: "https://u:p@x.test/"\n'),
      'publisher.url: must not carry a user name or password',
    ],
    [
      'a site URL with a path',
      site('url: https://news.test/feeds\n'),
      'url: must be a bare origin',
    ],
    [
      'a site URL with a query',
      site('url: https://news.test/?a=1\n'),
      'url: must be a bare origin',
    ],
    [
      'a site URL with a fragment',
      site('url: "https://news.test/#x"\n'),
      'url: must be a bare origin',
    ],
    [
      'a site URL with credentials',
      site('url: https://user@news.test\n'),
      'url: must not carry a user name or password',
    ],
    ['a site URL with markup', site("url: 'https://news.test\"><script>'\n"), 'url: '],
    [
      'a site URL with a quote in the host',
      site("url: 'https://a\"b.test'\n"),
      'url: must have an ordinary host name',
    ],
    ['an ftp site URL', site('url: ftp://news.test\n'), 'url: must be an http or https URL'],
  ])('refuses %s', (_, text, reason) => {
    expect(issuesOf(files(BASIC, { site: text })).join('\n')).toContain(
      `content/site.yaml: ${reason}`,
    )
  })
  it.each([
    ['https://feeds.test/base'],
    ['https://feeds.test/?x'],
    ['javascript:alert(1)'],
    ['https://feeds.test/"><b>'],
  ])('refuses SITE_URL=%s', (siteUrl) => {
    expect(issuesOf(files(BASIC), { siteUrl }).join('\n')).toMatch(/^SITE_URL: url: /)
  })
  it('normalises an accepted origin: case, default port, one trailing slash', () => {
    expect(compileContent(files(BASIC), { siteUrl: 'HTTPS://Feeds.Test:443/' }).site.url).toBe(
      'https://feeds.test',
    )
  })
  it('resolves relative links in a body against the entry, not the site root', () => {
    const [entry] = compileContent(
      files([
        {
          id: 'a',
          front: TWO_TOPICS,
          body: '[f](#notes) [i](img/a.png) [r](/x) [u](../up) ![p](pic.png)',
        },
      ]),
    ).entries
    expect(entry!.html).toContain('href="https://news.test/entries/a#notes"')
    expect(entry!.html).toContain('href="https://news.test/entries/img/a.png"')
    expect(entry!.html).toContain('href="https://news.test/x"')
    expect(entry!.html).toContain('href="https://news.test/up"')
    expect(entry!.html).toContain('src="https://news.test/entries/pic.png"')
  })
})

describe('hostile content: plain text', () => {
  const LITERAL = 'a<b and c>d <scr<b>ipt> &amp; it\u0000s'
  const CLEANED = 'a<b and c>d <scr<b>ipt> &amp; its'

  it('every string field of the schemas is of a known kind, so free text always goes through the one cleaner', () => {
    const unchecked = (schema: z.ZodType, path: string): string[] => {
      if (kinds.has(schema)) return []
      const def = schema._zod.def as unknown as Record<string, z.ZodType> & {
        type: string
        shape?: Record<string, z.ZodType>
      }
      switch (def.type) {
        case 'object':
          return Object.entries(def.shape!).flatMap(([k, v]) => unchecked(v, `${path}.${k}`))
        case 'array':
          return unchecked(def.element!, `${path}[]`)
        case 'optional':
        case 'default':
        case 'nullable':
        case 'prefault':
          return unchecked(def.innerType!, path)
        case 'pipe':
          return [...unchecked(def.in!, path), ...unchecked(def.out!, path)]
        case 'string':
        case 'template_literal':
          return [path]
        default:
          return []
      }
    }
    const all = { entrySchema, topicSchema, personSchema, sourceDocumentSchema, siteSchema }
    expect(Object.entries(all).flatMap(([name, schema]) => unchecked(schema, name))).toEqual([])
    // And the walk does find strings that are not registered.
    expect(unchecked(z.strictObject({ x: z.string() }), 'probe')).toEqual(['probe.x'])
  })

  it('keeps markup in plain text as literal text, cleaned, in every output', async () => {
    const content = compileContent(
      files(
        [
          {
            id: 'a',
            front: {
              ...TWO_TOPICS,
              title: LITERAL,
              summary: LITERAL,
              quotes: [
                {
                  speaker: 'ana',
                  text: LITERAL,
                  document: 'doc-1.txt',
                  where: LITERAL,
                  note: LITERAL,
                },
              ],
            },
          },
        ],
        {
          site: SITE.replace('title: Test Site', `title: ${JSON.stringify(LITERAL)}`),
          topics: TOPICS.replace('title: Alpha', `title: ${JSON.stringify(LITERAL)}`),
          people: PEOPLE.replace('name: Ana Example', `name: ${JSON.stringify(LITERAL)}`),
        },
      ),
    )
    const entry = content.entries[0]!
    for (const value of [
      content.site.title,
      content.topics[0]!.title,
      content.people[0]!.name,
      entry.title,
      entry.summary,
      entry.quotes[0]!.text,
      entry.quotes[0]!.where,
      entry.quotes[0]!.note,
      entry.quotes[0]!.speakerName,
    ]) {
      expect(value).toBe(CLEANED)
    }
    const app = await appFor(content)
    const textOf = (xml: string) =>
      DomUtils.textContent(parseDocument(xml, { xmlMode: true }).children)
    for (const path of [
      '/rss.xml',
      '/atom.xml',
      '/topics/alpha/rss.xml',
      '/opml.xml',
      '/entries/a',
      '/',
      '/topics/alpha',
    ]) {
      const body = await (await app.request(`https://news.test${path}`)).text()
      expect(body, path).not.toContain('<scr<b>ipt>')
      expect(body, path).not.toContain('<b and c>')
      expect(textOf(body.replace(/^<!doctype html>/, '')), path).toContain(CLEANED)
    }
    const json = (await (await app.request('https://news.test/feed.json')).json()) as {
      title: string
      items: { title: string; summary: string }[]
    }
    expect([json.title, json.items[0]!.title, json.items[0]!.summary]).toEqual([
      CLEANED,
      CLEANED,
      CLEANED,
    ])
    const topicsJson = JSON.stringify(
      await (await app.request('https://news.test/topics.json')).json(),
    )
    expect(topicsJson).toContain(JSON.stringify(CLEANED))
  })
})

describe('hostile content: YAML and byte-order marks', () => {
  it('refuses an alias bomb, naming the file and line, with no stack trace', () => {
    const bomb = [
      '- &a [x, x, x, x, x, x, x, x, x, x]',
      ...Array.from(
        { length: 9 },
        (_, i) =>
          `- &${String.fromCharCode(98 + i)} [${Array(10)
            .fill(`*${String.fromCharCode(97 + i)}`)
            .join(', ')}]`,
      ),
    ].join('\n')
    const found = issuesOf(files(BASIC, { topics: bomb }))
    expect(found).toEqual([
      expect.stringMatching(
        /^content\/topics\.yaml: line 2, column \d+: YAML: aliases expand to too much data/,
      ),
    ])
  })
  it('refuses an alias to no anchor, naming its line', () => {
    const found = issuesOf(files(BASIC, { people: `${PEOPLE}- *nothing\n` }))
    expect(found.join('\n')).toMatch(/content\/people\.yaml: line 7, column 3: YAML: /)
  })
  it('turns any exception from a parser into an issue: deep nesting', () => {
    const deep = '['.repeat(50_000) + ']'.repeat(50_000)
    const found = issuesOf(files(BASIC, { sources: deep }))
    expect(found.length).toBeGreaterThan(0)
    for (const line of found) expect(line).toMatch(/^content\/sources\.yaml: /)
  })
  it('accepts and strips a leading byte-order mark in every file', () => {
    const input = files(BASIC, {
      site: `\uFEFF${SITE}`,
      topics: `\uFEFF${TOPICS}`,
      people: `\uFEFF${PEOPLE}`,
      sources: `\uFEFF${SOURCES}`,
    })
    for (const entry of input.entries) entry.text = `\uFEFF${entry.text}`
    const content = compileContent(input)
    expect(content.site.title).toBe('Test Site')
    expect(content.entries).toHaveLength(3)
  })
})

describe('hostile content: sizes', () => {
  it('refuses an entry file over the size limit, and one that renders over the limit', () => {
    const huge = 'word '.repeat((LIMITS.entryBytes / 5) | 0)
    const big = 'word '.repeat(((LIMITS.renderedBytes / 5) | 0) + 100)
    const found = issuesOf(
      files([
        { id: 'a', front: TWO_TOPICS },
        { id: 'huge', body: huge },
        { id: 'big', body: big },
      ]),
    )
    expect(found).toEqual([
      `content/entries/huge.md: : is larger than the limit of ${LIMITS.entryBytes / 1024} KiB for an entry`,
      expect.stringMatching(
        new RegExp(
          `^content/entries/big\\.md: body: renders to \\d+ KiB, over the limit of ${LIMITS.renderedBytes / 1024} KiB`,
        ),
      ),
    ])
  })

  it('a 100-entry feed of entries at the limit stays under 4 MiB in every format', async () => {
    // Each entry as large as it may be, with the characters escaping grows most: quotes and backslashes (JSON), < (XML).
    const filler = (n: number) => '\\\\ "q" <'.repeat(n)
    const near = (id: string) => ({
      id,
      front: {
        ...TWO_TOPICS,
        title: '<'.repeat(200),
        summary: '<'.repeat(1000),
        quotes: [{ speaker: 'ana', text: '"'.repeat(2000), document: 'doc-1.txt' }],
      },
      body: filler(1),
    })
    // Find, by halving, the largest body that still passes the rendered limit.
    let [lo, hi] = [1, 8000]
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2)
      try {
        compileContent(files([{ ...near('x'), body: filler(mid) }]))
        lo = mid
      } catch {
        hi = mid - 1
      }
    }
    const content = compileContent(
      files(Array.from({ length: 100 }, (_, i) => ({ ...near(`e-${i}`), body: filler(lo) }))),
    )
    const app = await appFor(content)
    for (const path of ['/rss.xml?limit=100', '/atom.xml?limit=100', '/feed.json?limit=100']) {
      const size = (await (await app.request(`https://news.test${path}`)).arrayBuffer()).byteLength
      expect(size, path).toBeGreaterThan(2 * 1024 * 1024)
      expect(size, path).toBeLessThan(4 * 1024 * 1024)
    }
  }, 30_000)
})

describe('hostile content: images', () => {
  const png = (width: number, height: number, crcOk = true) => {
    const bytes = makePng(width, height)
    if (!crcOk) bytes.fill(0, 29, 33)
    return bytes
  }
  const withImages = (images: ContentFiles['images']) => {
    const input = files(BASIC, {
      site: `${SITE}images:\n  icon: icon.png\n  favicon: favicon.png\n  logo: logo.png\n`,
    })
    return { ...input, images }
  }
  it('compiles named PNGs and carries their sizes and bytes', () => {
    const content = compileContent(
      withImages([
        { file: 'content/icon.png', bytes: png(512, 512) },
        { file: 'content/favicon.png', bytes: png(64, 64) },
        { file: 'content/logo.png', bytes: png(400, 200) },
      ]),
    )
    expect(content.images.map((i) => [i.name, i.width, i.height])).toEqual([
      ['icon.png', 512, 512],
      ['favicon.png', 64, 64],
      ['logo.png', 400, 200],
    ])
    expect(atob(content.images[0]!.base64).length).toBe(png(512, 512).length)
  })
  it('refuses a missing file, a file that is not a PNG, a bad checksum and the wrong shapes', () => {
    const found = issuesOf(
      withImages([
        {
          file: 'content/icon.png',
          bytes: new TextEncoder().encode('<svg>not a png</svg>'.repeat(3)),
        },
        { file: 'content/favicon.png', bytes: png(64, 32) },
        { file: 'content/other.png', bytes: png(400, 200, false) },
      ]),
    )
    expect(found).toEqual([
      'content/icon.png: : is not a PNG file (no PNG signature)',
      'content/site.yaml: images.favicon: "favicon.png" is 64×32; the favicon must be square',
      'content/site.yaml: images.logo: no PNG file "logo.png" in the content folder',
    ])
    expect(
      issuesOf({ ...withImages([{ file: 'content/icon.png', bytes: png(8, 8, false) }]) }).join(
        '\n',
      ),
    ).toContain('content/icon.png: : is not a valid PNG file (the IHDR checksum is wrong)')
  })
  it('serves each image with its type, an ETag and a long lifetime, and answers a revalidation with 304', async () => {
    const content = compileContent(
      withImages([
        { file: 'content/icon.png', bytes: png(512, 512) },
        { file: 'content/favicon.png', bytes: png(64, 64) },
        { file: 'content/logo.png', bytes: png(400, 200) },
      ]),
    )
    const app = await appFor(content)
    const res = await app.request('https://news.test/images/icon.png')
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe('image/png')
    expect(res.headers.get('Cache-Control')).toMatch(/max-age=604800/)
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(png(512, 512))
    const etag = res.headers.get('ETag')!
    expect(etag).toMatch(/^"[\w-]{22}"$/)
    const again = await app.request('https://news.test/images/icon.png', {
      headers: { 'If-None-Match': etag },
    })
    expect(again.status).toBe(304)
    expect((await app.request('https://news.test/images/nope.png')).status).toBe(404)
    const rss = await (await app.request('https://news.test/rss.xml')).text()
    expect(rss).toContain(
      '<image><url>https://news.test/images/favicon.png</url><title>Test Site</title><link>https://news.test/</link><width>64</width><height>64</height></image>',
    )
    const atom = await (await app.request('https://news.test/atom.xml')).text()
    expect(atom).toContain(
      '<icon>https://news.test/images/icon.png</icon><logo>https://news.test/images/logo.png</logo>',
    )
    const json = (await (await app.request('https://news.test/feed.json')).json()) as Record<
      string,
      unknown
    >
    expect([json.icon, json.favicon]).toEqual([
      'https://news.test/images/icon.png',
      'https://news.test/images/favicon.png',
    ])
    expect(await (await app.request('https://news.test/')).text()).toContain(
      '<link rel="icon" type="image/png" href="/images/favicon.png"/>',
    )
  })
  it('feeds omit the image elements when the site has none', async () => {
    const app = await appFor(compileContent(files(BASIC)))
    expect(await (await app.request('https://news.test/rss.xml')).text()).not.toContain('<image>')
    expect(await (await app.request('https://news.test/atom.xml')).text()).not.toMatch(
      /<icon>|<logo>/,
    )
    expect(
      Object.keys((await (await app.request('https://news.test/feed.json')).json()) as object),
    ).not.toContain('icon')
  })
})

describe('random content', () => {
  /** Small edits of valid files: the kinds of damage a hand-edited file suffers, plus arbitrary text. */
  const damage = (text: string) =>
    fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc
        .tuple(
          fc.nat(text.length),
          fc.nat(20),
          fc.oneof(
            fc.string({ unit: 'binary', maxLength: 20 }),
            fc.constantFrom(
              '*a',
              '&a',
              '<<: *a',
              '"',
              "'",
              ':',
              '- ',
              '\n',
              '\t',
              '{',
              '[',
              '\uFEFF',
              '---',
              '!!binary',
              '!!js/function',
              '%YAML 1.1\n',
              '? ',
              '24:00',
              '9999-12-31T23:59:59-01:00',
              'javascript:',
              '\u0000',
              '\uD800',
            ),
          ),
        )
        .map(([at, cut, insert]) => text.slice(0, at) + insert + text.slice(at + cut)),
    )
  it('builds clean, or fails with a ContentError listing issues, never anything else', () => {
    const valid = files(BASIC)
    fc.assert(
      fc.property(
        fc.record({
          site: damage(SITE),
          topics: damage(TOPICS),
          people: damage(PEOPLE),
          sources: damage(SOURCES),
          entry: damage(valid.entries[0]!.text),
        }),
        fc.array(fc.constantFrom('site', 'topics', 'people', 'sources', 'entry'), {
          minLength: 1,
          maxLength: 2,
        }),
        (damaged, which) => {
          const input = files(BASIC)
          for (const key of which) {
            if (key === 'entry') input.entries[0]!.text = damaged.entry
            else input[key].text = damaged[key]
          }
          try {
            const content = compileContent(input)
            expect(content.entries.length).toBeGreaterThan(0)
          } catch (error) {
            expect(error).toBeInstanceOf(ContentError)
            expect((error as ContentError).issues.length).toBeGreaterThan(0)
          }
        },
      ),
      { numRuns: 400 },
    )
  }, 30_000)
})

describe('dates on pages', () => {
  it('show a time in the zone it was written in, or say UTC; a day as written', async () => {
    const content = compileContent(
      files([
        { id: 'local', front: { ...TWO_TOPICS, published: '2025-05-03T22:30:00-06:00' } },
        {
          id: 'utc',
          front: { published: '2025-05-03T16:30:00Z', updated: '2025-05-04T08:00:00+02:00' },
        },
        { id: 'day', front: { published: '0050-06-01' } },
      ]),
    )
    const app = await appFor(content)
    const page = async (id: string) =>
      (await (await app.request(`https://news.test/entries/${id}`)).text()).replace(/<[^>]+>/g, '')
    // 22:30 at UTC−6 is 4 May in UTC; the page keeps the writer's day and says which zone.
    expect(await page('local')).toContain('3 May 2025, 22:30 (UTC−06:00)')
    expect(await page('utc')).toContain('3 May 2025, 16:30 UTC')
    expect(await page('utc')).toContain('updated 4 May 2025, 08:00 (UTC+02:00)')
    expect(await page('day')).toContain('1 June 0050')
  })
})
