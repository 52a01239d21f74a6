/**
 * Every kind of the scope table (site, topic, person, source) gets the same
 * service from the table alone: feeds in every format that validate and
 * parse, RFC 5005 archives linked both ways, a discovery document, OPML
 * outlines and WebSub topics. Runs on a small fixture publication.
 */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { parseAtomFeed, parseJsonFeed, parseRssFeed } from 'feedsmith'
import { XMLParser } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import { createApp } from '../src/app.ts'
import { compileContent } from '../src/content/compile.ts'
import { FORMAT_KEYS, FORMATS, type Format } from '../src/formats.ts'
import { allScopes, SCOPE_ROWS } from '../src/scopes.ts'
import { siteFeedUrls } from '../src/websub/topics.ts'
import { appFor, files, SITE, useContent, type EntrySpec } from './helpers.ts'
import { checkFeed } from './validity.ts'

const ORIGIN = 'https://news.test'
const PAGE = 10

/** Twelve entries, each in topic alpha, about ana, drawing on the gazette; every third also on the note, every fourth also in beta, about bo. */
const ENTRIES: EntrySpec[] = Array.from({ length: 12 }, (_, i) => ({
  id: `e${i + 1}`,
  front: {
    published: `2025-03-${String(i + 1).padStart(2, '0')}`,
    topics: i % 4 === 0 ? ['alpha', 'beta'] : ['alpha'],
    people: i % 4 === 0 ? ['ana', 'bo'] : ['ana'],
    sources:
      i % 3 === 0
        ? [{ document: 'doc-1.txt' }, { document: 'doc-2.txt' }]
        : [{ document: 'doc-1.txt' }],
  },
}))
const fixture = compileContent(files(ENTRIES, { site: `${SITE}archivePageSize: ${PAGE}\n` }))
const app = appFor(fixture)
const get = (path: string) => app.request(ORIGIN + path)

/** One scope of each kind, with the entries it holds. */
const KINDS = [
  { kind: 'site', path: '', key: 'site', count: 12 },
  { kind: 'topic', path: '/topics/alpha', key: 'topic:alpha', count: 12 },
  { kind: 'person', path: '/people/ana', key: 'person:ana', count: 12 },
  {
    kind: 'source',
    path: '/sources/test-gazette-report',
    key: 'source:test-gazette-report',
    count: 12,
  },
  { kind: 'source', path: '/sources/undated-note', key: 'source:undated-note', count: 4 },
] as const

it('the fixture covers every row of the scope table', () => {
  expect(new Set(KINDS.map((k) => k.kind))).toEqual(new Set(SCOPE_ROWS.map((r) => r.kind)))
})

/** The ids of a feed document's items, read with the format's real parser. */
function itemIds(format: Format, body: string): string[] {
  if (format === 'json') return (parseJsonFeed(JSON.parse(body)).items ?? []).map((i) => i.id ?? '')
  if (format === 'rss') return (parseRssFeed(body).items ?? []).map((i) => i.guid?.value ?? '')
  return (parseAtomFeed(body).entries ?? []).map((e) => e.id ?? '')
}

/** The RFC 5005 link `rel` of an RSS or Atom document (JSON Feed: `next_url` stands for prev-archive). */
function historyLink(format: Format, body: string, rel: string): string | undefined {
  if (format === 'json')
    return rel === 'prev-archive' ? (JSON.parse(body) as { next_url?: string }).next_url : undefined
  const m = new RegExp(
    `<(?:atom:)?link[^>]*rel="${rel}"[^>]*href="([^"]+)"|<(?:atom:)?link[^>]*href="([^"]+)"[^>]*rel="${rel}"`,
  ).exec(body)
  return m?.[1] ?? m?.[2]
}

describe.each(KINDS)('$kind scope $path', ({ path, key, count }) => {
  it.each(FORMAT_KEYS)(
    '%s: the subscription feed validates, parses and links its archives',
    async (format) => {
      const file = FORMATS[format].file
      const res = await get(`${path}/${file}`)
      expect(res.status).toBe(200)
      expect(res.headers.get('Content-Type')).toBe(FORMATS[format].type)
      const body = await res.text()
      expect(checkFeed(format, body, `${ORIGIN}${path}/${file}`)).toEqual([])
      const ids = itemIds(format, body)
      const pages = Math.floor(count / PAGE)
      // Fewer than 20 entries past the archive pages: the subscription feed holds them all (RFC 5005 section 4 allows the overlap).
      expect(new Set(ids).size).toBe(count)
      expect(historyLink(format, body, 'prev-archive')).toBe(
        pages ? `${ORIGIN}${path}/archive/${pages}/${file}` : undefined,
      )
      const tags = res.headers.get('Cache-Tag')!.split(',')
      expect(tags).toContain(`format:${format}`)
      expect(tags.filter((t) => t.startsWith('scope:'))).toEqual([`scope:${key}`])
    },
  )

  it.each(FORMAT_KEYS)(
    '%s: archive pages validate, link back to the subscription feed, and hold each entry once',
    async (format) => {
      const file = FORMATS[format].file
      const pages = Math.floor(count / PAGE)
      const seen = new Set<string>()
      for (let n = 1; n <= pages; n++) {
        const archive = `${path}/archive/${n}/${file}`
        const res = await get(archive)
        expect(res.status, archive).toBe(200)
        expect(res.headers.get('Cache-Tag')!.split(',')).toContain(`archive:${key}:${n}`)
        const body = await res.text()
        expect(checkFeed(format, body, ORIGIN + archive)).toEqual([])
        const ids = itemIds(format, body)
        expect(ids).toHaveLength(PAGE)
        for (const id of ids) seen.add(id)
        if (format !== 'json')
          expect(historyLink(format, body, 'current')).toBe(`${ORIGIN}${path}/${file}`)
        expect(historyLink(format, body, 'prev-archive')).toBe(
          n > 1 ? `${ORIGIN}${path}/archive/${n - 1}/${file}` : undefined,
        )
        const page = await get(`${path}/archive/${n}`)
        expect(page.status).toBe(200)
        expect(await page.text()).toContain(`href="${path}/archive/${n}/${file}"`)
      }
      expect(seen.size).toBe(pages * PAGE)
      expect((await get(`${path}/archive`)).status).toBe(200)
      expect((await get(`${path}/archive/${pages + 1}/${file}`)).status).toBe(404)
    },
  )
})

describe('names in paths', () => {
  it('a source in capitals is a 301 to its slug; an unknown source is a 404 listing the valid ones', async () => {
    const moved = await get('/sources/Undated-Note/atom.xml')
    expect(moved.status).toBe(301)
    expect(moved.headers.get('Location')).toBe('/sources/undated-note/atom.xml')
    const unknown = await get('/sources/nope/rss.xml')
    expect(unknown.status).toBe(404)
    expect(await unknown.text()).toContain('Valid sources: test-gazette-report, undated-note.')
    expect((await get('/sources/undated-note/nope.xml')).status).toBe(404)
  })

  it("a source feed's own source filter is dropped by a 301, like a topic feed's own topic", async () => {
    const res = await get('/sources/undated-note/rss.xml?source=undated-note')
    expect(res.status).toBe(301)
    expect(res.headers.get('Location')).toBe('/sources/undated-note/rss.xml')
  })
})

describe('discovery', () => {
  it('/sources.json lists every source with its feeds and archives, each URL answering', async () => {
    const res = await get('/sources.json')
    expect(res.status).toBe(200)
    expect(res.headers.get('Cache-Tag')!.split(',')).toContain('catalog')
    const doc = (await res.json()) as {
      sources: {
        slug: string
        label: string
        entries: number
        feeds: Record<Format, string>
        archives: { pages: number; newest: Record<Format, string> | null }
      }[]
    }
    expect(doc.sources.map((s) => [s.slug, s.entries])).toEqual([
      ['test-gazette-report', 12],
      ['undated-note', 4],
    ])
    const gazette = doc.sources[0]!
    expect(gazette.label).toBeTruthy()
    expect(gazette.archives.pages).toBe(1)
    for (const format of FORMAT_KEYS) {
      expect(gazette.feeds[format]).toBe(
        `${ORIGIN}/sources/test-gazette-report/${FORMATS[format].file}`,
      )
      expect(gazette.archives.newest![format]).toBe(
        `${ORIGIN}/sources/test-gazette-report/archive/1/${FORMATS[format].file}`,
      )
      expect((await get(gazette.feeds[format].slice(ORIGIN.length))).status).toBe(200)
    }
    expect(doc.sources[1]!.archives.newest).toBeNull()
  })

  it('OPML has an RSS and an Atom outline for every scope of every kind', async () => {
    const body = await (await get('/opml.xml')).text()
    const opml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' }).parse(body)
    const urls = (
      [opml.opml.body.outline].flat() as { outline: Record<string, string>[] }[]
    ).flatMap((f) => [f.outline].flat().map((o) => o['@xmlUrl']))
    const expected = KINDS.flatMap(({ path }) =>
      ['rss.xml', 'atom.xml'].map((file) => `${ORIGIN}${path}/${file}`),
    )
    expect(urls).toEqual(expect.arrayContaining(expected))
    expect(urls).toHaveLength(2 * allScopes(app.catalog).length)
  })
})

describe('WebSub', () => {
  it('the hub distributes every scope feed in every format, sources included', async () => {
    await get('/rss.xml')
    const topics = siteFeedUrls(app.catalog)
    for (const { path } of KINDS)
      for (const format of FORMAT_KEYS)
        expect(topics).toContain(`${ORIGIN}${path}/${FORMATS[format].file}`)
    expect(topics).toHaveLength(allScopes(app.catalog).length * FORMAT_KEYS.length)
  })

  it('accepts a subscription to a source feed and verifies it', async () => {
    const calls: URL[] = []
    const fetch = async (request: Request) => {
      const url = new URL(request.url)
      calls.push(url)
      return new Response(url.searchParams.get('hub.challenge') ?? '')
    }
    const hubApp = createApp((await useContent(fixture)).catalog, {
      websub: { fetch, now: () => Date.UTC(2026, 0, 1) },
    })
    const topic = `${ORIGIN}/sources/undated-note/atom.xml`
    const form = new URLSearchParams({
      'hub.mode': 'subscribe',
      'hub.topic': topic,
      'hub.callback': 'https://subscriber.example/cb',
    })
    const ctx = createExecutionContext()
    const res = await hubApp.fetch(
      new Request(`${ORIGIN}/websub`, { method: 'POST', body: form }),
      { ...env, WEBSUB_ALLOW_LOOPBACK: 'false' },
      ctx,
    )
    await waitOnExecutionContext(ctx)
    expect(res.status).toBe(202)
    expect(calls).toHaveLength(1)
    expect(calls[0]!.searchParams.get('hub.mode')).toBe('subscribe')
    expect(calls[0]!.searchParams.get('hub.topic')).toBe(topic)
  })
})
