/**
 * People: `/people`, `/people/{id}` for every person of fixture A
 * (role, quotes with source, date and place, entries, autodiscovery), their
 * feeds in every format (valid to the letter, agreeing with each other and
 * with the content), `/people.json`, people in OPML, caching and errors; and
 * a fixture whose quote's speaker is not among the entry's people.
 */
import { XMLParser } from 'fast-xml-parser'
import { DomUtils, parseDocument } from 'htmlparser2'
import { describe, expect, it } from 'vitest'
import { appFor, fetchWorker, files } from './helpers.ts'
import { compileContent } from '../src/content/compile.ts'
import type { Entry, Person } from '../src/content/types.ts'
import { pageCsp } from '../src/pages/layout.tsx'
import content from './generated/content.ts'
import { checkFeed, CONTENT_TYPES } from './validity.ts'

type Format = keyof typeof CONTENT_TYPES
const FILES: Record<Format, string> = { rss: 'rss.xml', atom: 'atom.xml', json: 'feed.json' }
const LABELS: Record<Format, string> = { rss: 'RSS', atom: 'Atom', json: 'JSON Feed' }
const MEDIA: Record<Format, string> = {
  rss: 'application/rss+xml',
  atom: 'application/atom+xml',
  json: 'application/feed+json',
}
const FORMATS = Object.keys(FILES) as Format[]
const SITE = content.site.url
/** Requests go to an origin that is not `site.url`, so any echo of the Host would show. */
const ORIGIN = 'https://request-host.invalid'

const get = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
  fetchWorker(new Request(ORIGIN + path, { headers, method, redirect: 'manual' }))
const html = async (path: string) => {
  const res = await get(path)
  expect(res.status, path).toBe(200)
  return parseDocument(await res.text())
}
type Doc = ReturnType<typeof parseDocument>
const find = (
  d: Doc | ReturnType<typeof DomUtils.findAll>[number],
  test: (e: ReturnType<typeof DomUtils.findAll>[number]) => boolean,
) => DomUtils.findAll(test, d.children)
const textOf = (e: Parameters<typeof DomUtils.textContent>[0]) =>
  DomUtils.textContent(e).replace(/\s+/g, ' ').trim()
const section = (d: Doc, id: string) =>
  find(d, (e) => e.name === 'section' && e.attribs['aria-labelledby'] === id)[0]

/** Independent of the code: the README says a person's feeds hold the entries involving them, newest first, 20 by default. */
const involving = (person: Person) =>
  content.entries.filter((e) => e.people.some((p) => p.id === person.id))
const quotedIn = (person: Person) =>
  content.entries.filter((e) => e.quotes.some((q) => q.speaker === person.id))

const itemIds = (format: Format, body: string) =>
  format === 'json'
    ? (JSON.parse(body) as { items: { id: string }[] }).items.map((i) => i.id)
    : format === 'rss'
      ? [...body.matchAll(/<guid isPermaLink="true">([^<]+)<\/guid>/g)].map((m) => m[1])
      : [...body.matchAll(/<entry>\s*<id>([^<]+)<\/id>/g)].map((m) => m[1])
const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  htmlEntities: true,
  textNodeName: '#text',
})
const textValue = (v: unknown) =>
  typeof v === 'object' && v !== null ? String((v as { '#text': unknown })['#text']) : String(v)
const feedTitleOf = (format: Format, body: string): string =>
  format === 'json'
    ? (JSON.parse(body) as { title: string }).title
    : textValue(format === 'rss' ? xml.parse(body).rss.channel.title : xml.parse(body).feed.title)

describe.each(content.people.map((p) => [p.id, p] as const))('%s', (id, person) => {
  it('has a page: name, role, quotes with source, date and place, entries, and its feeds', async () => {
    const d = await html(`/people/${id}`)
    expect(textOf(find(d, (e) => e.name === 'h1')[0]!)).toBe(person.name)
    expect(textOf(find(d, (e) => e.attribs.class === 'lead')[0]!)).toBe(person.role)
    const entries = involving(person)
    expect(Number(find(d, (e) => 'data-entries' in e.attribs)[0]!.attribs['data-entries'])).toBe(
      entries.length,
    )
    const listed = find(section(d, 'entries')!, (e) => e.name === 'h3').map(
      (h) => find(h, (e) => e.name === 'a')[0]!.attribs.href,
    )
    expect(listed).toEqual(entries.slice(0, 20).map((e) => `/entries/${e.id}`))

    const quotes = quotedIn(person)
      .slice(0, 20)
      .flatMap((e) => e.quotes.filter((q) => q.speaker === id).map((q) => ({ q, e })))
    const figures = section(d, 'quotes')
      ? find(section(d, 'quotes')!, (e) => e.name === 'figure')
      : []
    expect(figures).toHaveLength(quotes.length)
    figures.forEach((figure, i) => {
      const { q, e } = quotes[i]!
      expect(textOf(find(figure, (x) => x.name === 'blockquote')[0]!)).toBe(
        q.text.replace(/\s+/g, ' ').trim(),
      )
      const caption = textOf(find(figure, (x) => x.name === 'figcaption')[0]!)
      const source = e.sources.find((s) => s.slug === q.source)!
      expect(caption).toContain(source.label)
      if (q.where) expect(caption).toContain(q.where)
      if (q.said) expect(find(figure, (x) => x.name === 'time')[0]!.attribs.datetime).toBe(q.said)
      expect(find(figure, (x) => x.name === 'a').map((a) => a.attribs.href)).toEqual([
        `/sources/${q.source}`,
        `/entries/${e.id}`,
      ])
    })

    const alternates = find(d, (e) => e.name === 'link' && e.attribs.rel === 'alternate').map(
      (l) => [l.attribs.type, l.attribs.href, l.attribs.title],
    )
    expect(alternates).toEqual(
      FORMATS.map((f) => [
        MEDIA[f],
        `${SITE}/people/${id}/${FILES[f]}`,
        `${content.site.title}: ${person.name} (${LABELS[f]})`,
      ]),
    )
    expect(
      find(d, (e) => e.name === 'link' && e.attribs.rel === 'canonical')[0]!.attribs.href,
    ).toBe(`${SITE}/people/${id}`)
  })

  it('has feeds in every format: valid, agreeing with each other and with the content', async () => {
    const want = involving(person)
      .slice(0, 20)
      .map((e) => e.url)
    const titles = new Set<string>()
    for (const format of FORMATS) {
      const path = `/people/${id}/${FILES[format]}`
      const res = await get(path)
      expect(res.status, path).toBe(200)
      expect(res.headers.get('Content-Type')).toBe(CONTENT_TYPES[format])
      expect(res.headers.get('Cache-Tag')!.split(',')).toEqual(
        expect.arrayContaining([`scope:person:${id}`, `format:${format}`]),
      )
      const body = await res.text()
      expect(checkFeed(format, body, SITE + path), path).toEqual([])
      expect(itemIds(format, body), path).toEqual(want)
      titles.add(feedTitleOf(format, body))
    }
    expect([...titles]).toEqual([`${content.site.title}: ${person.name}`])
  })

  it('answers conditional requests on its page and feeds', async () => {
    const newest = (entries: readonly Entry[]) =>
      new Date(
        entries
          .map((e) => e.updated)
          .sort()
          .at(-1)!,
      ).toUTCString()
    // The page shows entries that involve or quote the person; the feed, its own items.
    for (const [path, shown] of [
      [`/people/${id}`, [...involving(person), ...quotedIn(person)]],
      [`/people/${id}/atom.xml`, involving(person).slice(0, 20)],
    ] as const) {
      const first = await get(path)
      const etag = first.headers.get('ETag')!
      const lastModified = first.headers.get('Last-Modified')!
      expect(lastModified).toBe(newest(shown))
      expect((await get(path, { 'If-None-Match': etag })).status).toBe(304)
      expect((await get(path, { 'If-Modified-Since': lastModified })).status).toBe(304)
      const head = await get(path, {}, 'HEAD')
      expect(head.status).toBe(200)
      expect(head.headers.get('ETag')).toBe(etag)
      expect(await head.text()).toBe('')
    }
  })
})

describe('person URLs', () => {
  it('/people/ines-marlowe/feed.json works', async () => {
    const res = await get('/people/ines-marlowe/feed.json')
    expect(res.status).toBe(200)
    const feed = (await res.json()) as { feed_url: string; items: unknown[] }
    expect(feed.feed_url).toBe(`${SITE}/people/ines-marlowe/feed.json`)
    expect(feed.items.length).toBeGreaterThan(0)
  })

  it.each([
    ['/people/Ines-Marlowe', '/people/ines-marlowe'],
    ['/people/INES-MARLOWE?utm_source=x', '/people/ines-marlowe?utm_source=x'],
    ['/people/Tomas-Reyl/rss.xml', '/people/tomas-reyl/rss.xml'],
    ['/people/tomas-reyl/rss.xml?limit=20', '/people/tomas-reyl/rss.xml'],
  ])('%s answers 301 to %s', async (from, to) => {
    const res = await get(from)
    expect(res.status).toBe(301)
    expect(res.headers.get('Location')).toBe(to)
  })

  it('an unknown person is a 404 listing the valid ids, as text and as JSON', async () => {
    const ids = content.people.map((p) => p.id)
    for (const path of ['/people/nobody', '/people/nobody/rss.xml']) {
      const res = await get(path)
      expect(res.status).toBe(404)
      expect(await res.text()).toContain(`Valid people: ${ids.join(', ')}.`)
    }
    const json = await get('/people/nobody/feed.json')
    expect(json.status).toBe(404)
    expect(((await json.json()) as { people: string[] }).people).toEqual(ids)
  })

  it('a bad filter on a person feed is a 400', async () => {
    expect((await get('/people/dana-okafor/rss.xml?limit=0')).status).toBe(400)
  })
})

describe('the new pages', () => {
  it.each(['/people', '/people/ines-marlowe', '/search', '/search?q=marlowe'])(
    "%s: HTML with the pages' CSP and validators",
    async (path) => {
      const res = await get(path)
      expect(res.status).toBe(200)
      expect(res.headers.get('Content-Type')).toBe('text/html; charset=utf-8')
      expect(res.headers.get('Content-Security-Policy')).toBe(pageCsp)
      expect(res.headers.get('ETag')).toMatch(/^"[\w-]{22}"$/)
      const body = await res.text()
      expect(body).not.toContain('request-host')
      expect(body).toMatch(/^<!doctype html><html lang="en">/)
    },
  )
})

describe('/people', () => {
  it('lists everyone with their role, entry count, page and feeds', async () => {
    const d = await html('/people')
    const items = find(d, (e) => e.name === 'li' && (e.attribs.id ?? '').startsWith('person-'))
    expect(items.map((li) => li.attribs.id)).toEqual(content.people.map((p) => `person-${p.id}`))
    items.forEach((li, i) => {
      const person = content.people[i]!
      const links = find(li, (e) => e.name === 'a').map((a) => a.attribs.href)
      expect(links).toEqual([
        `/people/${person.id}`,
        ...FORMATS.map((f) => `/people/${person.id}/subscribe#${f}`),
      ])
      expect(textOf(li)).toContain(person.role)
      expect(Number(find(li, (e) => 'data-entries' in e.attribs)[0]!.attribs['data-entries'])).toBe(
        involving(person).length,
      )
    })
  })
})

describe('/people.json', () => {
  it('lists every person with role, counts, the newest update, page and feed URLs, all absolute and working', async () => {
    const res = await get('/people.json')
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe('application/json; charset=utf-8')
    const body = await res.text()
    expect(body).not.toContain('request-host')
    const doc = JSON.parse(body) as {
      people: {
        id: string
        name: string
        role: string
        entries: number
        updated: string | null
        page: string
        feeds: Record<Format, string>
      }[]
    }
    expect(doc.people.map((p) => p.id)).toEqual(content.people.map((p) => p.id))
    for (const [i, p] of doc.people.entries()) {
      const person = content.people[i]!
      const entries = involving(person)
      expect(p).toEqual({
        id: person.id,
        name: person.name,
        role: person.role,
        entries: entries.length,
        updated:
          entries
            .map((e) => e.updated)
            .sort()
            .at(-1) ?? null,
        page: `${SITE}/people/${person.id}`,
        feeds: {
          rss: `${SITE}/people/${person.id}/rss.xml`,
          atom: `${SITE}/people/${person.id}/atom.xml`,
          json: `${SITE}/people/${person.id}/feed.json`,
        },
        // Fewer entries than a page: no archive pages yet, only the (empty) index by month.
        archives: {
          pages: Math.floor(entries.length / 50),
          pageSize: 50,
          index: `${SITE}/people/${person.id}/archive`,
          newest: null,
        },
      })
      for (const url of [p.page, ...Object.values(p.feeds)])
        expect((await get(url.slice(SITE.length))).status, url).toBe(200)
    }
  })
})

describe('people in OPML', () => {
  it('each format folder has an outline per person, titled as the feed is', async () => {
    const opml = xml.parse(await (await get('/opml.xml')).text())
    for (const folder of [opml.opml.body.outline].flat() as {
      '@text': string
      outline: Record<string, string>[]
    }[]) {
      const file = folder['@text'].startsWith('RSS') ? 'rss.xml' : 'atom.xml'
      for (const person of content.people) {
        const outline = folder.outline.find(
          (o) => o['@xmlUrl'] === `${SITE}/people/${person.id}/${file}`,
        )
        expect(outline, `${folder['@text']}: ${person.id}`).toBeDefined()
        expect(outline!['@htmlUrl']).toBe(`${SITE}/people/${person.id}`)
        expect(outline!['@text']).toContain(`${content.site.title}: ${person.name}`)
        expect(outline!['@description']).toBe(person.role)
      }
    }
  })
})

describe("a speaker who is not among the entry's people", () => {
  const fixture = compileContent(
    files([
      {
        id: 'quoted',
        front: {
          published: '2025-02-01',
          people: ['ana'],
          quotes: [
            {
              speaker: 'bo',
              text: 'Words of Bo.',
              document: 'doc-1.txt',
              said: '2025-01-31',
              where: 'a hall',
            },
          ],
        },
      },
      { id: 'named', front: { published: '2025-01-01', topics: ['beta'], people: ['bo'] } },
    ]),
  )
  const app = appFor(fixture)

  it('has the quote on their page, found through the speaker scope; their entries stay those that name them', async () => {
    const res = await app.request('https://news.test/people/bo')
    expect(res.status).toBe(200)
    const d = parseDocument(await res.text())
    const figures = find(section(d, 'quotes')!, (e) => e.name === 'figure')
    expect(figures.map((f) => textOf(find(f, (x) => x.name === 'blockquote')[0]!))).toEqual([
      'Words of Bo.',
    ])
    expect(textOf(find(figures[0]!, (x) => x.name === 'figcaption')[0]!)).toMatch(
      /^\(a hall, 31 January 2025\)\. Source: The Test Gazette\. In Title quoted\.$/,
    )
    expect(find(section(d, 'entries')!, (e) => e.name === 'h3').map(textOf)).toEqual([
      'Title named',
    ])
    expect(app.catalog.scopes['speaker:bo']).toEqual({
      entries: 1,
      updated: '2025-02-01T00:00:00Z',
    })
    // Ana, who is named but not quoted, has no quotes section.
    const ana = parseDocument(await (await app.request('https://news.test/people/ana')).text())
    expect(section(ana, 'quotes')).toBeUndefined()
  })
})
