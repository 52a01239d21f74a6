/**
 * Archived and complete feeds (RFC 5005) and the paged HTML that follows
 * them: walking `prev-archive` (and JSON Feed `next_url`) from every
 * subscription feed gives back every entry of the feed exactly once, in
 * order, the same in the three formats; every archive document is valid
 * and parses; full pages keep their bytes when entries are published and
 * change only where an edited entry sits; bad page numbers are refused
 * clearly; every archive query is an index range.
 */
import { parseFeed as rowanParse } from '@rowanmanning/feed-parser'
import { env } from 'cloudflare:workers'
import { parseAtomFeed, parseJsonFeed, parseRssFeed } from 'feedsmith'
import { describe, expect, it } from 'vitest'
import { compileContent } from '../src/content/compile.ts'
import type { Content, Entry } from '../src/content/types.ts'
import type { Statement } from '../src/store/load.ts'
import { cardsQuery, feedQuery, monthsQuery, rangeQuery } from '../src/store/queries.ts'
import content from './generated/content.ts'
import { appFor, files, type EntrySpec } from './helpers.ts'
import { checkFeed, parseXml, type XmlElement } from './validity.ts'

type Format = 'rss' | 'atom' | 'json'
const FORMATS: Format[] = ['rss', 'atom', 'json']
const FILE: Record<Format, string> = { rss: 'rss.xml', atom: 'atom.xml', json: 'feed.json' }
const ATOM = 'http://www.w3.org/2005/Atom'
const FH = 'http://purl.org/syndication/history/1.0'
type App = ReturnType<typeof appFor>

/** What a feed document says about its history and its items, read with the validity module's XML parser. */
interface Doc {
  ids: string[]
  links: Record<string, string>
  complete: boolean
  archive: boolean
}

const kids = (el: XmlElement, ns: string, local: string) =>
  el.children.filter(
    (c): c is XmlElement => c.type === 'element' && c.ns === ns && c.local === local,
  )
const textOf = (el: XmlElement) =>
  el.children.map((c) => (c.type === 'text' ? c.text : '')).join('')

function readDoc(format: Format, body: string): Doc {
  if (format === 'json') {
    const f = JSON.parse(body) as { next_url?: string; items: { id: string }[] }
    return {
      ids: f.items.map((i) => i.id),
      links: f.next_url ? { 'prev-archive': f.next_url } : {},
      complete: false,
      archive: false,
    }
  }
  const root = parseXml(body).root!
  const parent = format === 'rss' ? kids(root, '', 'channel')[0]! : root
  const links: Record<string, string> = {}
  for (const l of kids(parent, ATOM, 'link')) {
    const rel = l.attributes.find((a) => a.name === 'rel')?.value ?? 'alternate'
    links[rel] = l.attributes.find((a) => a.name === 'href')!.value
  }
  const ids =
    format === 'rss'
      ? kids(parent, '', 'item').map((i) => textOf(kids(i, '', 'guid')[0]!))
      : kids(root, ATOM, 'entry').map((e) => textOf(kids(e, ATOM, 'id')[0]!))
  return {
    ids,
    links,
    complete: kids(parent, FH, 'complete').length > 0,
    archive: kids(parent, FH, 'archive').length > 0,
  }
}

/** The real parsers of test/formats.test.ts read the same number of items. */
function parsesWithRealParsers(format: Format, body: string, items: number) {
  const f = (
    format === 'rss'
      ? parseRssFeed(body)
      : format === 'atom'
        ? parseAtomFeed(body)
        : parseJsonFeed(JSON.parse(body))
  ) as { items?: unknown[]; entries?: unknown[] }
  expect((f.items ?? f.entries ?? []).length).toBe(items)
  if (format !== 'json') expect(rowanParse(body).items.length).toBe(items)
}

/** Root-relative path of an absolute URL of the test site. */
const local = (url: string, site: string) => {
  expect(url.startsWith(site)).toBe(true)
  return url.slice(site.length)
}

/**
 * Walks a scope's feed from its subscription document through every
 * archive document, checking each one, and returns the entry ids it
 * reconstructs (newest first, each once) and the archive paths visited.
 */
async function walk(
  app: App,
  site: string,
  base: string,
  format: Format,
  size: number,
  count: number,
) {
  const subscription = `${base}/${FILE[format]}`
  const res = await app.request(subscription)
  expect(res.status).toBe(200)
  const body = await res.text()
  expect(checkFeed(format, body, site + subscription)).toEqual([])
  const first = readDoc(format, body)
  const pages = Math.floor(count / size)
  expect(first.ids.length).toBe(count < size ? count : Math.min(count, Math.max(20, count % size)))
  expect(first.archive).toBe(false)
  if (format !== 'json') expect(first.complete).toBe(count < size)
  expect(first.links['next-archive'] ?? first.links['current']).toBeUndefined()
  if (pages === 0) expect(first.links['prev-archive']).toBeUndefined()
  else expect(first.links['prev-archive']).toBe(`${site}${base}/archive/${pages}/${FILE[format]}`)

  const seen: string[] = [...first.ids]
  const visited: string[] = []
  let next = first.links['prev-archive']
  for (let k = pages; next; k--) {
    const path = local(next, site)
    expect(path).toBe(`${base}/archive/${k}/${FILE[format]}`)
    visited.push(path)
    const r = await app.request(path)
    expect(r.status, path).toBe(200)
    const text = await r.text()
    expect(checkFeed(format, text, site + path), path).toEqual([])
    parsesWithRealParsers(format, text, size)
    const doc = readDoc(format, text)
    expect(doc.ids.length).toBe(size)
    if (format !== 'json') {
      expect(doc.archive).toBe(true)
      expect(doc.complete).toBe(false)
      expect(doc.links['self']).toBe(site + path)
      expect(doc.links['current']).toBe(site + subscription)
      expect(doc.links['next-archive']).toBe(
        k < pages ? `${site}${base}/archive/${k + 1}/${FILE[format]}` : undefined,
      )
    }
    for (const id of doc.ids) if (!seen.includes(id)) seen.push(id)
    next = doc.links['prev-archive']
    if (k === 1) expect(next).toBeUndefined()
  }
  expect(visited.length).toBe(pages)
  return { ids: seen, visited }
}

/** Entry URLs of a scope, newest first, from the compiled content (not from the service). */
function expectedIds(c: Content, base: string): string[] {
  const inScope = (e: Entry) =>
    base === ''
      ? true
      : base.startsWith('/topics/')
        ? e.topics.includes(base.slice(8))
        : e.people.some((p) => p.id === base.slice(8))
  return c.entries.filter(inScope).map((e) => e.url)
}

function scopesOf(c: Content): string[] {
  return [
    '',
    ...c.topics.map((t) => `/topics/${t.slug}`),
    ...c.people.map((p) => `/people/${p.id}`),
  ]
}

function withPageSize(c: Content, size: number): Content {
  return { ...c, site: { ...c.site, archivePageSize: size } }
}

/** `n` small entries a day apart from 2020-01-01, over two topics and two people. */
function synthetic(
  n: number,
  extra: EntrySpec[] = [],
  edit?: (spec: EntrySpec, i: number) => EntrySpec,
): EntrySpec[] {
  const specs = Array.from({ length: n }, (_, i): EntrySpec => {
    const day = new Date(Date.UTC(2020, 0, 1) + i * 86_400_000).toISOString().slice(0, 10)
    const topics = [...(i % 2 === 0 ? ['alpha'] : []), ...(i % 3 === 0 ? ['beta'] : [])]
    const spec: EntrySpec = {
      id: `e${i}`,
      front: {
        published: day,
        topics: topics.length ? topics : ['alpha'],
        people: i % 5 === 0 ? ['ana'] : i % 7 === 0 ? ['bo'] : [],
      },
    }
    return edit ? edit(spec, i) : spec
  })
  return [...specs, ...extra]
}

async function reconstructsEverything(c: Content, size: number) {
  const app = appFor(c)
  for (const base of scopesOf(c)) {
    const expected = expectedIds(c, base)
    const walks = []
    for (const format of FORMATS)
      walks.push((await walk(app, c.site.url, base, format, size, expected.length)).ids)
    for (const ids of walks) expect(ids).toEqual(expected)
  }
}

describe('reconstructing every feed from its archives', () => {
  it('fixture A, 50 a page: every feed is complete and has no archives', async () => {
    await reconstructsEverything(content, 50)
    const app = appFor(content)
    const res = await app.request('/archive/1/rss.xml')
    expect(res.status).toBe(404)
    expect(await res.text()).toContain('no archive pages yet')
  })
  it('fixture A, 10 a page (the site feed has an archive page)', async () => {
    expect(content.entries.length).toBeGreaterThanOrEqual(10)
    await reconstructsEverything(withPageSize(content, 10), 10)
  })
  const big = compileContent(files(synthetic(1037)))
  it('1,037 synthetic entries, 50 a page (a 37-entry subscription feed)', async () => {
    await reconstructsEverything(big, 50)
  }, 60_000)
  it('1,037 synthetic entries, 10 a page (103 pages; the subscription feed overlaps the newest)', async () => {
    const c = withPageSize(big, 10)
    const app = appFor(c)
    for (const format of FORMATS)
      expect((await walk(app, c.site.url, '', format, 10, 1037)).ids).toEqual(expectedIds(c, ''))
    const beta = expectedIds(c, '/topics/beta')
    expect((await walk(app, c.site.url, '/topics/beta', 'atom', 10, beta.length)).ids).toEqual(beta)
  }, 60_000)
  it('filtered feeds keep their limit and carry no history', async () => {
    const app = appFor(withPageSize(big, 10))
    const body = await (await app.request('/rss.xml?limit=5')).text()
    expect(body).not.toContain('fh:')
    expect(body).not.toContain('archive')
    expect(readDoc('rss', body).ids.length).toBe(5)
    expect(
      JSON.parse(await (await app.request('/feed.json?topic=beta')).text()).next_url,
    ).toBeUndefined()
  })
})

describe('archive pages are stable', () => {
  const size = 10
  const base = synthetic(100)
  const make = (specs: EntrySpec[]) => withPageSize(compileContent(files(specs)), size)
  const tagsOf = async (app: App, scopes: string[], pages: (s: string) => number) => {
    const out = new Map<string, { etag: string; body: string }>()
    for (const s of scopes) {
      for (let k = 1; k <= pages(s); k++) {
        for (const format of FORMATS) {
          const path = `${s}/archive/${k}/${FILE[format]}`
          const r = await app.request(path)
          expect(r.status, path).toBe(200)
          out.set(path, { etag: r.headers.get('ETag')!, body: await r.text() })
        }
      }
    }
    return out
  }
  const original = make(base)
  const scopes = scopesOf(original)
  const pagesOf = (c: Content) => (s: string) => Math.floor(expectedIds(c, s).length / size)

  it('publishing a newer entry leaves every full page byte-identical', async () => {
    const before = await tagsOf(appFor(original), scopes, pagesOf(original))
    const published = make(
      synthetic(100, [
        {
          id: 'fresh',
          front: { published: '2030-01-01', topics: ['alpha', 'beta'], people: ['ana', 'bo'] },
        },
      ]),
    )
    const after = await tagsOf(appFor(published), scopes, pagesOf(original))
    expect([...after]).toEqual([...before])
  })
  it('when a page fills, only the newest old page changes, by its next-archive link', async () => {
    const before = await tagsOf(appFor(original), [''], pagesOf(original))
    const extra = Array.from({ length: 10 }, (_, i): EntrySpec => ({
      id: `later${i}`,
      front: { published: `2031-01-${String(i + 1).padStart(2, '0')}` },
    }))
    const app = appFor(make(synthetic(100, extra)))
    const after = await tagsOf(app, [''], pagesOf(original))
    for (const [path, b] of before) {
      const a = after.get(path)!
      // JSON Feed links only to older items (next_url), so its newest old page keeps its bytes too.
      if (!path.startsWith('/archive/10/') || path.endsWith('.json'))
        expect(a.etag, path).toBe(b.etag)
      else {
        expect(a.etag).not.toBe(b.etag)
        const unlinked = a.body.replace(
          /<(?:atom:)?link href="[^"]*" rel="next-archive"[^>]*\/>|<link rel="next-archive"[^>]*\/>/,
          '',
        )
        expect(unlinked).toBe(b.body)
      }
    }
    const old = await app.request('/archive/10/atom.xml')
    expect(old.headers.get('Cache-Control')).toBe(
      'public, max-age=86400, s-maxage=31536000, stale-while-revalidate=86400, stale-if-error=604800',
    )
    const newest = await app.request('/archive/11/atom.xml')
    expect(newest.headers.get('Cache-Control')).toContain('s-maxage=3600')
    expect(old.headers.get('Cache-Tag')).toBe('archive:site:10,format:atom')
  })
  it('editing an old entry changes exactly the pages that hold it', async () => {
    const victim = 30 // in the site, alpha, beta and ana's feeds
    const edited = make(
      synthetic(100, [], (spec, i) =>
        i === victim ? { ...spec, body: 'A corrected body.' } : spec,
      ),
    )
    const before = await tagsOf(appFor(original), scopes, pagesOf(original))
    const after = await tagsOf(appFor(edited), scopes, pagesOf(original))
    const url = original.entries.find((e) => e.id === `e${victim}`)!.url
    let changed = 0
    for (const [path, b] of before) {
      const scope = path.slice(0, path.indexOf('/archive/'))
      const oldestFirst = expectedIds(original, scope).toReversed()
      const pos = oldestFirst.indexOf(url) + 1
      const page = Number(path.split('/archive/')[1]!.split('/')[0])
      const holds = pos > 0 && Math.ceil(pos / size) === page
      expect(after.get(path)!.etag !== b.etag, path).toBe(holds)
      if (holds) changed++
    }
    expect(changed).toBe(4 * 3) // four scopes, three formats
  })
})

describe('archive URLs', () => {
  const c = withPageSize(compileContent(files(synthetic(100))), 10)
  const app = appFor(c)
  it.each([
    ['/archive/0/rss.xml', 400, 'whole number from 1 to 10'],
    ['/archive/-1/rss.xml', 400, 'whole number'],
    ['/archive/x/atom.xml', 400, 'whole number'],
    ['/archive/1.5', 400, 'whole number'],
    ['/archive/0', 400, 'whole number'],
    ['/archive/11/rss.xml', 404, 'are 10 pages'],
    ['/archive/99999999999/rss.xml', 404, 'are 10 pages'],
    ['/topics/beta/archive/4/rss.xml', 404, 'are 3 pages'],
    ['/archive/1/nope.xml', 404, 'Archive feeds are'],
    ['/topics/nope/archive/1/rss.xml', 404, 'Unknown topic'],
  ])('%s is a %i', async (path, status, message) => {
    const res = await app.request(path)
    expect(res.status).toBe(status)
    expect(await res.text()).toContain(message)
  })
  it('answers JSON errors for JSON Feed archives', async () => {
    const res = await app.request('/archive/12/feed.json')
    expect(res.status).toBe(404)
    expect(res.headers.get('Content-Type')).toBe('application/problem+json; charset=utf-8')
    expect(((await res.json()) as { pages: number }).pages).toBe(10)
  })
  it.each([
    ['/archive/01/rss.xml', '/archive/1/rss.xml'],
    ['/archive/007', '/archive/7'],
    ['/archive/3/atom.xml?limit=5', '/archive/3/atom.xml'],
    ['/archive/3?', '/archive/3'],
    ['/archive?x=1', '/archive'],
    ['/topics/BETA/archive/02/feed.json', '/topics/beta/archive/2/feed.json'],
    ['/people/Ana/archive', '/people/ana/archive'],
  ])('%s is a 301 to %s', async (from, to) => {
    const res = await app.request(from)
    expect(res.status).toBe(301)
    expect(res.headers.get('Location')).toBe(to)
  })
})

describe('paged HTML', () => {
  const c = withPageSize(compileContent(files(synthetic(1037))), 50)
  const app = appFor(c)
  const idsOn = (html: string) => [...html.matchAll(/<h3 id="e-([^"]+)"/g)].map((m) => m[1]!)
  it('the front page and the archive pages show every entry once, newest first', async () => {
    const home = await (await app.request('/')).text()
    expect(home).toContain('<link rel="prev" href="/archive/20"/>')
    const seen = idsOn(home)
    expect(seen.length).toBe(37)
    for (let k = 20; k >= 1; k--) {
      const res = await app.request(`/archive/${k}`)
      expect(res.status).toBe(200)
      expect(res.headers.get('Content-Security-Policy')).toContain("default-src 'none'")
      const html = await res.text()
      if (k > 1) expect(html).toContain(`<link rel="prev" href="/archive/${k - 1}"/>`)
      else expect(html).not.toContain('rel="prev"')
      expect(html).toContain(`<link rel="next" href="${k < 20 ? `/archive/${k + 1}` : '/'}"/>`)
      const ids = idsOn(html)
      expect(ids.length).toBe(50)
      seen.push(...ids)
    }
    expect(seen).toEqual(c.entries.map((e) => e.id))
  }, 30_000)
  it('the index lists every month with its count and the pages holding it', async () => {
    const html = await (await app.request('/archive')).text()
    const months = [
      ...html.matchAll(
        /<li data-month="(\d{4}-\d{2})"><strong><a href="\/archive\/\d{4}\/\d{2}">[^<]+<\/a><\/strong>: <span data-entries="(\d+)">/g,
      ),
    ]
    const byMonth = new Map<string, number>()
    for (const e of c.entries)
      byMonth.set(e.published.slice(0, 7), (byMonth.get(e.published.slice(0, 7)) ?? 0) + 1)
    expect(months.map((m) => [m[1], Number(m[2])])).toEqual(
      [...byMonth].sort((a, b) => (a[0] < b[0] ? 1 : -1)),
    )
    // January 2020 is entries 1 to 31: page 1.
    expect(html).toMatch(/data-month="2020-01">.*?<a href="\/archive\/1">page 1<\/a><\/li>/)
    const topic = await (await app.request('/topics/beta/archive')).text()
    expect(topic).toContain('href="/topics/beta/archive/1"')
  })
  it('topic pages link to their older entries', async () => {
    const beta = expectedIds(c, '/topics/beta').length
    const pages = Math.floor(beta / 50)
    const html = await (await app.request('/topics/beta')).text()
    expect(html).toContain(`<link rel="prev" href="/topics/beta/archive/${pages}"/>`)
    expect(html).toContain('href="/topics/beta/archive"')
  })
  it('a person page and its HTML archive pages show every entry of the person once, newest first', async () => {
    // Ana is in every fifth entry: 208 entries. At 31 a page, 6 full pages and 22 more: more than the 20 a feed carries by default.
    const small = appFor(withPageSize(c, 31))
    const expected = expectedIds(c, '/people/ana').map((u) => u.replace(/^.*\//, ''))
    const pages = Math.floor(expected.length / 31)
    expect(expected.length % 31).toBeGreaterThan(20)
    const html = await (await small.request('/people/ana')).text()
    expect(html).toContain(`<link rel="prev" href="/people/ana/archive/${pages}"/>`)
    const seen = idsOn(html)
    expect(seen.length).toBe(expected.length % 31)
    for (let k = pages; k >= 1; k--)
      seen.push(...idsOn(await (await small.request(`/people/ana/archive/${k}`)).text()))
    expect([...new Set(seen)]).toEqual(expected)
  })
  it('topics.json says where each topic\u2019s archives start', async () => {
    const doc = (await (await app.request('/topics.json')).json()) as {
      topics: {
        slug: string
        entries: number
        archives: {
          pages: number
          pageSize: number
          index: string
          newest: Record<Format, string> | null
        }
      }[]
    }
    for (const t of doc.topics) {
      expect(t.archives.pages).toBe(Math.floor(t.entries / 50))
      expect(t.archives.pageSize).toBe(50)
      expect(t.archives.index).toBe(`https://news.test/topics/${t.slug}/archive`)
      expect(t.archives.newest?.atom).toBe(
        `https://news.test/topics/${t.slug}/archive/${t.archives.pages}/atom.xml`,
      )
      expect((await app.request(local(t.archives.newest!.json, 'https://news.test'))).status).toBe(
        200,
      )
    }
  })
})

describe('query plans of the archive queries', () => {
  const FULL_SCAN = /^SCAN (?:entries|memberships|months|e|m|x)\b(?! USING (?:COVERING )?INDEX)/
  const plan = async ({ sql, params }: Statement) =>
    (
      await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .bind(...params)
        .all<{ detail: string }>()
    ).results.map((r) => r.detail)
  it.each([
    ['an archive feed page', rangeQuery('site', 951, 1000, 'atom')],
    ['an archive HTML page', rangeQuery('topic:beta', 1, 50, 'card')],
    ['the month index', monthsQuery('person:ana')],
    ['a front page', cardsQuery('site', 37)],
    [
      'a subscription feed',
      feedQuery(
        'site',
        { topic: [], exclude: [], person: [], source: [], limit: 20 },
        'json',
        () => 1037,
        49,
      ),
    ],
  ])('%s is an index range', async (_, statement) => {
    await appFor(compileContent(files(synthetic(20)))).request('/') // any loaded database has the schema
    const lines = await plan(statement)
    expect(
      lines.filter((l) => FULL_SCAN.test(l) || /^SCAN (?!picked|\(subquery)/.test(l)),
      lines.join('\n'),
    ).toEqual([])
    expect(lines.join('\n')).toMatch(/SEARCH/)
  })
})

describe('the RFC 5005 checks of test/validity.ts', () => {
  const rss = (extra: string, ns = ' xmlns:fh="http://purl.org/syndication/history/1.0"') =>
    `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"${ns}><channel><title>T</title><link>https://x.test/</link><description>D</description>` +
    `<atom:link href="https://x.test/rss.xml" rel="self" type="application/rss+xml" />${extra}</channel></rss>\n`
  const codes = (body: string) =>
    checkFeed('rss', body, 'https://x.test/rss.xml').map((p) => p.split(':')[0])
  it.each([
    [
      '<fh:complete/><atom:link href="https://x.test/a/1.xml" rel="prev-archive" />',
      'error CompleteWithArchiveLinks',
    ],
    ['<fh:complete/><fh:archive/>', 'error CompleteArchive'],
    ['<fh:archive/>', 'warning MissingCurrent'],
    [
      '<atom:link href="https://x.test/a/2.xml" rel="next-archive" />',
      'warning NextArchiveNotArchive',
    ],
    [
      '<fh:archive/><atom:link href="https://x.test/rss.xml" rel="current" /><atom:link href="https://x.test/rss.xml" rel="prev-archive" />',
      'error ArchiveLinkToSelf',
    ],
    [
      '<fh:archive>yes</fh:archive><atom:link href="https://x.test/c.xml" rel="current" />',
      'error NotBlank',
    ],
    ['<fh:paged/>', 'error UndefinedElement'],
  ])('%s is reported', (extra, code) => {
    expect(codes(rss(extra))).toContain(code)
  })
  it('accepts a subscription document linking to its newest archive', () => {
    expect(
      codes(rss('<atom:link href="https://x.test/a/3.xml" rel="prev-archive" />', '')),
    ).toEqual([])
  })
})
