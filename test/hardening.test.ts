/**
 * Request-side hardening: no request header reaches a response header or
 * body, one URL per resource (paths as well as queries), errors that say
 * what they vary on, a strict If-Modified-Since, HEAD identical to GET, and
 * a memo whose accounting covers what its entries retain. Each class is
 * driven through `app.request`, through the Worker's `fetch` (serving fixture A)
 * (`exports.default.fetch`, with redirects not followed), and, where the
 * runtime would normalise a URL before the Worker sees it, through a raw
 * request whose URL is exactly as a client might send it.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compileContent } from '../src/content/compile.ts'
import { parseHttpDate } from '../src/conditional.ts'
import { parseAccept, prefersJson, quality } from '../src/negotiation.ts'
import {
  ENTRY_OVERHEAD,
  makeRepresentation,
  retainedBytes,
  stringBytes,
  type Representation,
} from '../src/representation.ts'
import { ByteLru } from '../src/memo.ts'
import { canonicalPathOf, splitUrl } from '../src/middleware/canonical-path.ts'
import { withinScope } from '../src/filters.ts'
import content from './generated/content.ts'
import { appFor, BASIC, fetchWorker, files } from './helpers.ts'

const fixture = compileContent(files(BASIC))
const app = await appFor(fixture)
type App = typeof app

const FORGED = {
  Host: 'evil.example',
  'X-Forwarded-Host': 'evil.example',
  'X-Forwarded-Proto': 'https',
  'X-Forwarded-For': '203.0.113.9',
  Forwarded: 'for=203.0.113.9;host=evil.example;proto=https',
}

/** A request as a client may write it, bypassing the URL parser that `new Request` applies (dot segments stay). */
function rawRequest(url: string, method = 'GET', headers: Record<string, string> = {}): Request {
  return {
    url,
    method,
    headers: new Headers(headers),
    signal: new AbortController().signal,
  } as unknown as Request
}

/** Through the Worker (fixture A), the way workerd hands it a request; redirects are returned, not followed. */
const worker = (path: string, init: RequestInit = {}) =>
  fetchWorker(`http://127.0.0.1:8787${path}`, { redirect: 'manual', ...init })

/** Headers as a sorted list of pairs, for whole-set comparison. */
const headerList = (res: Response) =>
  [...res.headers].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))

describe('1. no request header reaches a response', () => {
  // Every kind of redirect the app can produce.
  const redirects: [string, string, string][] = [
    ['trailing slash on a feed', '/rss.xml/', '/rss.xml'],
    ['trailing slash on a page', '/entries/one/', '/entries/one'],
    ['trailing slash keeps the query', '/atom.xml/?topic=alpha', '/atom.xml?topic=alpha'],
    ['query canonicalization', '/rss.xml?limit=20', '/rss.xml'],
    ['topic case in a feed path', '/topics/ALPHA/rss.xml', '/topics/alpha/rss.xml'],
    ['topic page case', '/topics/Alpha?since=2025-01-01', '/topics/alpha?since=2025-01-01'],
    ['doubled slashes', '//rss.xml', '/rss.xml'],
    [
      'many slashes (no protocol-relative Location)',
      '///evil.example/rss.xml',
      '/evil.example/rss.xml',
    ],
    ['percent-encoded letters', '/%72ss.xml', '/rss.xml'],
    ['a scope repeated as a filter', '/topics/alpha/rss.xml?topic=alpha', '/topics/alpha/rss.xml'],
  ]
  it.each(redirects)(
    '%s: a relative Location whatever Host and X-Forwarded-* say (app.request)',
    async (_, from, to) => {
      for (const base of ['https://news.test', 'http://evil.example']) {
        const res = await app.request(`${base}${from}`, { headers: FORGED })
        expect(res.status, from).toBe(301)
        expect(res.headers.get('Location')).toBe(to)
        expect(res.headers.get('Location')).toMatch(/^\/(?!\/)/)
        // Only the path itself may name that host (as a path segment, never an authority).
        for (const [name, value] of res.headers)
          if (name !== 'location') expect(value).not.toContain('evil.example')
      }
    },
  )
  it('every kind of redirect is relative through the Worker too', async () => {
    const named: [string, string][] = [
      ['/rss.xml/', '/rss.xml'],
      ['/rss.xml?limit=20', '/rss.xml'],
      ['/topics/ROADS/atom.xml', '/topics/roads/atom.xml'],
      ['/topics/Roads', '/topics/roads'],
      ['//feed.json', '/feed.json'],
      ['/topics/%72oads/rss.xml', '/topics/roads/rss.xml'],
      ['/topics/roads/rss.xml?topic=roads', '/topics/roads/rss.xml'],
      ['/people/Tomas-Reyl', '/people/tomas-reyl'],
      ['/people/TOMAS-REYL/feed.json', '/people/tomas-reyl/feed.json'],
      ['/sources/Council-Minutes-March-2025', '/sources/council-minutes-march-2025'],
      [
        '/rss.xml?source=valley-gazette-budget-passes,council-minutes-march-2025',
        '/rss.xml?source=council-minutes-march-2025,valley-gazette-budget-passes',
      ],
      ['/rss.xml?q=Reyl', '/rss.xml?q=reyl'],
      ['/search?q=Reyl', '/search?q=reyl'],
      ['/topics/Roads/archive', '/topics/roads/archive'],
    ]
    for (const [from, to] of named) {
      const res = await worker(from, { headers: FORGED })
      expect(res.status, from).toBe(301)
      expect(res.headers.get('Location'), from).toBe(to)
    }
  })
})

describe('2. one URL per resource', () => {
  it.each([
    ['/topics/%72oads/rss.xml', '/topics/roads/rss.xml'],
    ['/%72ss.xml', '/rss.xml'],
    ['/topics/./roads/rss.xml', '/topics/roads/rss.xml'],
    ['/topics/%2e/roads/rss.xml', '/topics/roads/rss.xml'],
    ['/topics/%2e%2e/atom.xml', '/atom.xml'],
    ['/topics/x/../roads/feed.json', '/topics/roads/feed.json'],
    ['/../../rss.xml', '/rss.xml'],
    ['//rss.xml', '/rss.xml'],
    ['/rss.xml//', '/rss.xml'],
    ['/entries/%6Fne', '/entries/one'],
    ['/entries/%6fne', '/entries/one'],
    ['/%7E', '/~'],
    ['/%7e', '/~'],
    ['/', '/'],
    ['/rss.xml', '/rss.xml'],
  ])('canonicalPathOf(%s) is %s', (raw, canonical) => {
    expect(canonicalPathOf(raw)).toBe(canonical)
  })
  it.each([
    '/topics/alpha%2Frss.xml',
    '/topics/alpha%2frss.xml',
    '/a%00',
    '/a%20b',
    '/%E0%A4%A',
    '/%ZZ',
    '/topics/%3Cscript%3E',
    "/topics/it's",
  ])('canonicalPathOf(%s) names no resource', (raw) => expect(canonicalPathOf(raw)).toBeUndefined())
  it('splitUrl keeps the query exactly and drops a fragment', () => {
    expect(splitUrl('https://h//a/?b=%2C&c#d')).toEqual({ path: '//a/', suffix: '?b=%2C&c' })
    expect(splitUrl('https://h/a?')).toEqual({ path: '/a', suffix: '?' })
    expect(splitUrl('https://h')).toEqual({ path: '/', suffix: '' })
  })

  /** Every spelling answers 301 to the canonical path (keeping the query), or 404; only the canonical spelling is 200. */
  const spellings: [string, number, string?][] = [
    ['/topics/%61lpha/rss.xml', 301, '/topics/alpha/rss.xml'],
    ['/%72ss.xml?topic=beta', 301, '/rss.xml?topic=beta'],
    ['//rss.xml', 301, '/rss.xml'],
    ['/entries//one', 301, '/entries/one'],
    ['/topics/alpha%2Frss.xml', 404],
    ['/topics%2Falpha/rss.xml', 404],
    ['/entries/%6Fne', 301, '/entries/one'],
    ['/%7E', 301, '/~'],
    ['/~', 404],
    ['/rss%2Exml', 301, '/rss.xml'],
    ['/feed.json/', 301, '/feed.json'],
  ]
  it.each(spellings)('%s as sent (raw request) is %i', async (path, status, location) => {
    const res = await app.fetch(rawRequest(`https://news.test${path}`))
    expect(res.status).toBe(status)
    expect(res.headers.get('Location')).toBe(location ?? null)
  })
  it.each(spellings)(
    '%s through app.request is a 301 to the canonical path or a 404, never a second 200',
    async (path) => {
      const res = await app.request(`https://news.test${path}`)
      const seen = new URL(`https://news.test${path}`).pathname
      if (res.status === 200)
        expect(canonicalPathOf(seen), 'a 200 only at the canonical path').toBe(seen)
      else expect([301, 404]).toContain(res.status)
    },
  )
  it('the runtime resolves dot segments (also %2e) before the Worker sees the URL; doubled slashes and encodings it keeps', () => {
    expect(new Request('http://h/topics/%2e%2e/atom.xml').url).toBe('http://h/atom.xml')
    expect(new Request('http://h/topics/./alpha/rss.xml').url).toBe('http://h/topics/alpha/rss.xml')
    expect(new Request('http://h//rss.xml').url).toBe('http://h//rss.xml')
    expect(new Request('http://h/%72ss.xml').url).toBe('http://h/%72ss.xml')
  })
  it('through the Worker: encoded and doubled spellings redirect, encoded slashes are 404', async () => {
    for (const [path, status, location] of [
      ['/topics/%72oads/rss.xml', 301, '/topics/roads/rss.xml'],
      ['/%72ss.xml', 301, '/rss.xml'],
      ['//rss.xml', 301, '/rss.xml'],
      ['/topics/roads%2Frss.xml', 404, null],
      ['/topics/%2e%2e/atom.xml', 200, null], // arrives as /atom.xml: the canonical URL, one cache key
      ['/topics/./roads/rss.xml', 200, null],
    ] as const) {
      const res = await worker(path)
      expect(res.status, path).toBe(status)
      expect(res.headers.get('Location'), path).toBe(location)
      await res.arrayBuffer()
    }
  })

  describe('a topic or person feed and its own scope', () => {
    it.each([
      ['/topics/alpha/rss.xml?topic=alpha', '/topics/alpha/rss.xml'],
      ['/topics/alpha/atom.xml?topic=alpha,beta', '/topics/alpha/atom.xml'],
      ['/topics/alpha/feed.json?topic=ALPHA&person=ana', '/topics/alpha/feed.json?person=ana'],
      ['/topics/ALPHA/rss.xml?topic=alpha', '/topics/alpha/rss.xml'],
      ['/people/ana/rss.xml?person=ana', '/people/ana/rss.xml'],
      ['/people/ana/atom.xml?person=ana,bo&topic=beta', '/people/ana/atom.xml?topic=beta'],
    ])('%s repeats the scope: 301 to %s', async (from, to) => {
      const res = await app.request(`https://news.test${from}`)
      expect(res.status).toBe(301)
      expect(res.headers.get('Location')).toBe(to)
    })
    it('a topic or person list without the scope is kept: it narrows the feed', async () => {
      expect((await app.request('https://news.test/topics/alpha/rss.xml?topic=beta')).status).toBe(
        200,
      )
      expect((await app.request('https://news.test/people/ana/rss.xml?person=bo')).status).toBe(200)
    })
    it('excluding the scope would leave the feed empty: a 400 that says so', async () => {
      const res = await app.request('https://news.test/topics/alpha/rss.xml?exclude=alpha')
      expect(res.status).toBe(400)
      expect(await res.text()).toBe(
        '400 Bad value for "exclude": expected topics other than "alpha", the feed\'s own topic (excluding it leaves the feed empty).\n',
      )
    })
    it('withinScope is pure and leaves site feeds alone', () => {
      const f = { topic: ['alpha', 'beta'], exclude: [], person: [], source: [], limit: 20 }
      expect(withinScope(f, undefined)).toBe(f)
      expect(withinScope(f, { topic: 'alpha' })).toEqual({ ...f, topic: [] })
      expect(withinScope(f, { topic: 'gamma' })).toBe(f)
      expect(f.topic).toEqual(['alpha', 'beta'])
      expect(() => withinScope({ ...f, exclude: ['alpha'] }, { topic: 'alpha' })).toThrow(/exclude/)
      expect(withinScope({ ...f, person: ['ana', 'bo'] }, { person: 'ana' })).toEqual({
        ...f,
        person: [],
      })
      expect(withinScope({ ...f, person: ['bo'] }, { person: 'ana' })).toEqual({
        ...f,
        person: ['bo'],
      })
    })
  })
})

describe('3. negotiated errors carry Vary: Accept', () => {
  it.each([
    [undefined, false],
    ['application/json', true],
    ['application/problem+json', true],
    ['APPLICATION/JSON', true],
    ['Application/Problem+JSON; q=1', true],
    ['*/*', false],
    ['text/plain', false],
    ['text/*', false],
    ['application/*', true],
    ['application/json;q=0', false],
    ['application/json;q=0, */*', false],
    ['application/json;q=0.5, text/plain;q=0.4', true],
    ['application/json;q=0.4, text/plain;q=0.5', false],
    ['application/json, text/plain', false],
    ['text/plain;q=0, application/json;q=0.001', true],
    ['text/plain;q=0, */*;q=0.1', true],
    ['text/*;q=0.2, */*;q=0.9', true],
    ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', false],
    ['application/json;Q=0', false],
    ['application/json;q=2', false],
    ['application/json;q=0.0001', false],
    ['application/json;q=', false],
    ['application/json; charset="utf-8"', true],
    ['application/json; charset=latin1', false],
    ['text/plain; x="a,b;q=1"; q=0.1, application/json;q=0.5', true],
    ['application/json; charset="utf-8"; q=0.9, text/plain;q=0.8', true],
    ['*/json', false],
    ['json', false],
    ['', false],
    [',,, ;;', false],
    ['application/x-custom+json', false],
  ])('Accept %j prefers JSON: %s', (accept, json) => {
    expect(prefersJson(accept)).toBe(json)
  })
  it('parseAccept reads media ranges, parameters and weights, case-insensitively', () => {
    expect(parseAccept('Text/HTML;Level=1;q=0.7;ext=x, */*;q=0')).toEqual([
      { type: 'text', subtype: 'html', params: { level: '1' }, q: 0.7 },
      { type: '*', subtype: '*', params: {}, q: 0 },
    ])
    // RFC 9110 section 12.5.1's example: the most specific range wins.
    const ranges = parseAccept(
      'text/*;q=0.3, text/plain;q=0.7, text/plain;format=flowed, text/plain;format=fixed;q=0.4, */*;q=0.5',
    )
    expect(quality(ranges, 'text/plain', { format: 'flowed' })).toBe(1)
    expect(quality(ranges, 'text/plain')).toBe(0.7)
    expect(quality(ranges, 'text/html')).toBe(0.3)
    expect(quality(ranges, 'image/jpeg')).toBe(0.5)
    expect(quality(ranges, 'text/plain', { format: 'fixed' })).toBe(0.4)
  })
  it('errors on other paths vary on Accept; the two answers differ as the header does', async () => {
    for (const path of [
      '/rss.xml?limit=0',
      '/topics/nope/atom.xml',
      '/nope',
      '/rss.xml%2F',
      '/entries/nope',
    ]) {
      const text = await app.request(`https://news.test${path}`, {
        headers: { Accept: 'text/plain' },
      })
      const json = await app.request(`https://news.test${path}`, {
        headers: { Accept: 'application/json' },
      })
      expect(text.headers.get('Vary'), path).toBe('Accept')
      expect(json.headers.get('Vary'), path).toBe('Accept')
      expect(text.headers.get('Content-Type')).toBe('text/plain; charset=UTF-8')
      expect(json.headers.get('Content-Type')).toBe('application/problem+json; charset=utf-8')
    }
    const notAllowed = await app.request('https://news.test/rss.xml', { method: 'POST' })
    expect(notAllowed.headers.get('Vary')).toBe('Accept')
  })
  it('errors on .json paths are always problem+json and so carry no Vary', async () => {
    for (const accept of ['text/plain', 'application/json', '*/*', 'application/json;q=0']) {
      const res = await app.request('https://news.test/feed.json?limit=0', {
        headers: { Accept: accept },
      })
      expect(res.headers.get('Content-Type')).toBe('application/problem+json; charset=utf-8')
      expect(res.headers.get('Vary')).toBeNull()
    }
  })
  it('bodies that do not depend on Accept carry no Vary: feeds, pages, redirects, the topic form error page', async () => {
    for (const path of ['/rss.xml', '/entries/one', '/', '/rss.xml/', '/topics/alpha?since=bad']) {
      expect((await app.request(`https://news.test${path}`)).headers.get('Vary'), path).toBeNull()
    }
  })
})

describe('4. If-Modified-Since takes only an HTTP-date', () => {
  const when = Date.UTC(1994, 10, 6, 8, 49, 37)
  const now = Date.UTC(2025, 5, 1)
  it.each([
    ['Sun, 06 Nov 1994 08:49:37 GMT', when],
    ['Sunday, 06-Nov-94 08:49:37 GMT', when],
    ['Sun Nov  6 08:49:37 1994', when],
    ['Sun Nov 06 08:49:37 1994', when],
    ['Thu, 01 Jan 1970 00:00:00 GMT', 0],
    ['Sat, 29 Feb 2020 23:59:59 GMT', Date.UTC(2020, 1, 29, 23, 59, 59)],
    ['Wed, 31 Dec 2008 23:59:60 GMT', Date.UTC(2009, 0, 1)],
    ['Saturday, 01-Jan-00 00:00:00 GMT', Date.UTC(2000, 0, 1)],
    ['Monday, 01-Jan-74 00:00:00 GMT', Date.UTC(2074, 0, 1)],
    ['Sunday, 01-Jan-1995 00:00:00 GMT', undefined],
  ])('%j is %s', (value, time) => expect(parseHttpDate(value, now)).toBe(time))
  it('a two-digit year more than 50 years ahead is in the past century', () => {
    expect(parseHttpDate('Thursday, 01-Jan-76 00:00:00 GMT', now)).toBe(Date.UTC(1976, 0, 1))
  })
  it.each([
    '2030',
    '2025-04-01',
    '2025-04-01T00:00:00Z',
    '2025-04-01T00:00:00+00:00',
    'Tue, 01 Apr 2025 00:00:00 +0000',
    'Tue, 01 Apr 2025 00:00:00 UTC',
    'Tue, 01 Apr 2025 00:00:00 gmt',
    'tue, 01 Apr 2025 00:00:00 GMT',
    'Tue, 01 apr 2025 00:00:00 GMT',
    'TUE, 01 APR 2025 00:00:00 GMT',
    'Tuesday, 01 Apr 2025 00:00:00 GMT',
    'Tue, 1 Apr 2025 00:00:00 GMT',
    'Tue, 01 Apr 25 00:00:00 GMT',
    'Tue,  01 Apr 2025 00:00:00 GMT',
    ' Tue, 01 Apr 2025 00:00:00 GMT',
    'Tue, 01 Apr 2025 00:00:00 GMT ',
    'Tue, 01 Apr 2025 00:00 GMT',
    'Tue, 01 Apr 2025 24:00:00 GMT',
    'Tue, 01 Apr 2025 00:60:00 GMT',
    'Tue, 01 Apr 2025 00:00:61 GMT',
    'Fri, 31 Feb 2025 00:00:00 GMT',
    'Sat, 29 Feb 2025 00:00:00 GMT',
    'Mon, 01 Apr 2025 00:00:00 GMT',
    'Tue, 01 Apr 2025 00:00:00 GMT, Wed, 02 Apr 2025 00:00:00 GMT',
    'Tuesday, 01-Apr-2025 00:00:00 GMT',
    'Tue, 01-Apr-25 00:00:00 GMT',
    'Tue Apr 1 00:00:00 2025',
    'Tue Apr  1 00:00:00 2025 GMT',
    '1743465600',
    '0',
    '',
    'not a date',
    'Tue, 01 Apr 2025 00:00:00 GMT\u0000',
  ])('%j is not an HTTP-date', (value) => expect(parseHttpDate(value, now)).toBeUndefined())

  it('the middleware ignores what is not an HTTP-date and honours all three forms', async () => {
    const path = '/topics/alpha/rss.xml' // Last-Modified: Sun, 30 Mar 2025 00:00:00 GMT
    const status = async (since: string) => {
      const res = await app.request(`https://news.test${path}`, {
        headers: { 'If-Modified-Since': since },
      })
      await res.arrayBuffer()
      return res.status
    }
    for (const since of [
      '2030',
      '2030-01-01T00:00:00Z',
      'Tue, 01 Apr 2025 00:00:00 +0000',
      'tue, 01 Apr 2025 00:00:00 GMT',
      'Tue, 01 Apr 2025 00:00:00 GMT, x',
    ])
      expect(await status(since), since).toBe(200)
    for (const since of [
      'Tue, 01 Apr 2025 00:00:00 GMT',
      'Tuesday, 01-Apr-25 00:00:00 GMT',
      'Tue Apr  1 00:00:00 2025',
      'Sun, 30 Mar 2025 00:00:00 GMT',
    ])
      expect(await status(since), since).toBe(304)
    expect(await status('Sat, 29 Mar 2025 23:59:59 GMT')).toBe(200)
  })
})

describe('5. HEAD carries exactly the headers of GET', () => {
  const urls = [
    '/rss.xml',
    '/atom.xml',
    '/feed.json',
    '/topics/alpha/rss.xml',
    '/feed.json?topic=beta&limit=2',
    '/',
    '/entries/one',
    '/topics/alpha',
    '/topics/alpha?since=2025-01-01',
    '/topics.json',
    '/opml.xml',
    '/rss.xml/',
    '/rss.xml?limit=20',
    '/topics/ALPHA/rss.xml',
    '//rss.xml',
    '/nope',
    '/rss.xml?limit=0',
    '/feed.json?limit=0',
    '/topics/nope/rss.xml',
    '/entries/nope',
    '/topics/alpha?since=bad',
    '/a%2Fb',
  ]
  async function compare(
    send: (path: string, init: RequestInit) => Response | Promise<Response>,
    path: string,
    headers: Record<string, string> = {},
  ) {
    const get = await send(path, { headers })
    const body = new Uint8Array(await get.arrayBuffer())
    const head = await send(path, { method: 'HEAD', headers })
    expect(head.status, path).toBe(get.status)
    expect(new Uint8Array(await head.arrayBuffer()).byteLength, path).toBe(0)
    expect(headerList(head), path).toEqual(headerList(get))
    if (get.status === 304) expect(get.headers.get('Content-Length'), path).toBeNull()
    else expect(get.headers.get('Content-Length'), path).toBe(String(body.byteLength))
    return get
  }
  it.each(urls)('%s through app.request', async (path) => {
    const get = await compare((p, init) => app.request(`https://news.test${p}`, init), path)
    const etag = get.headers.get('ETag')
    if (etag)
      await compare((p, init) => app.request(`https://news.test${p}`, init), path, {
        'If-None-Match': etag,
      })
    const lastModified = get.headers.get('Last-Modified')
    if (lastModified)
      await compare((p, init) => app.request(`https://news.test${p}`, init), path, {
        'If-Modified-Since': lastModified,
      })
  })
  it('through the Worker, for feeds, pages, JSON, redirects, 304s and errors', async () => {
    const entry = content.entries[0]!.id
    const paths = [
      '/rss.xml',
      '/topics/roads/atom.xml',
      '/feed.json',
      '/',
      `/entries/${entry}`,
      '/topics/roads',
      '/topics.json',
      '/opml.xml',
      '/rss.xml/',
      '/rss.xml?limit=20',
      '//atom.xml',
      '/nope',
      '/rss.xml?limit=0',
      '/feed.json?limit=0',
      '/topics/roads?since=bad',
    ]
    for (const path of paths) {
      const get = await compare(worker, path)
      const etag = get.headers.get('ETag')
      if (etag) expect((await compare(worker, path, { 'If-None-Match': etag })).status).toBe(304)
    }
  })
})

describe('6. the memo counts what an entry retains', () => {
  it('strings count 1 byte a character when Latin-1, 2 otherwise, plus a header', () => {
    expect(stringBytes('')).toBe(16)
    expect(stringBytes('abcdefgh')).toBe(24)
    expect(stringBytes('é'.repeat(8))).toBe(24)
    expect(stringBytes('ā'.repeat(8))).toBe(32)
    expect(stringBytes('/topics/😀')).toBe(40) // 10 UTF-16 units, 2 bytes each, after the header, rounded up to 8
  })
  it('an entry counts its key, header strings, whole buffer and the per-entry overhead', async () => {
    const shared = new Uint8Array(new ArrayBuffer(4096), 0, 10)
    const fields = {
      body: shared,
      etag: '"e"',
      lastModified: 'Sun, 06 Nov 1994 08:49:37 GMT',
      type: 'text/plain',
      cacheTag: 'a,b',
    }
    expect(retainedBytes('/k', fields)).toBe(
      stringBytes('/k') +
        4096 +
        stringBytes('"e"') +
        stringBytes(fields.lastModified) +
        stringBytes('text/plain') +
        stringBytes('a,b') +
        ENTRY_OVERHEAD,
    )
    const rep = await makeRepresentation('/k', {
      body: 'hi',
      type: 'text/plain',
      updated: '2025-01-01T00:00:00Z',
      tags: ['a'],
    })
    expect(rep.size).toBe(retainedBytes('/k', rep))
    expect(rep.size).toBeGreaterThan(ENTRY_OVERHEAD + 2)
  })
  it('20,000 distinct small URLs stay within a 4 MiB bound, evicting the oldest', async () => {
    const bound = 4 * 2 ** 20
    const memo = new ByteLru<Representation>(bound)
    let bodyBytes = 0
    for (let i = 0; i < 20_000; i++) {
      const key = `/rss.xml?person=p${i}&limit=${(i % 100) + 1}`
      const rep = await makeRepresentation(key, {
        body: `<rss>${i}</rss>`,
        type: 'application/rss+xml; charset=utf-8',
        updated: '2025-05-03T00:00:00Z',
        tags: ['feed:site', 'format:rss'],
      })
      bodyBytes += rep.body.byteLength
      memo.set(key, rep)
      expect(memo.bytes).toBeLessThanOrEqual(bound)
    }
    expect(memo.count).toBeLessThan(20_000)
    expect(memo.count).toBeGreaterThan(1000)
    expect(memo.get('/rss.xml?person=p0&limit=1')).toBeUndefined()
    expect(memo.get('/rss.xml?person=p19999&limit=100')).toBeDefined()
    // Counting only bodies and keys would have kept every one of them.
    expect(bodyBytes + 20_000 * 40).toBeLessThan(bound)
    console.log(`memo at 4 MiB: ${memo.count} of 20000 entries, ${memo.bytes} bytes accounted`)
  })
  it('process.memoryUsage() in this workerd reports zeros, so the heap itself is measured in Node (test/node/memo-memory.test.ts)', () => {
    const usage = (
      globalThis as unknown as { process?: { memoryUsage?: () => Record<string, number> } }
    ).process?.memoryUsage?.()
    if (usage) expect(usage.heapUsed).toBe(0)
    expect((performance as { memory?: unknown }).memory).toBeUndefined()
  })
})

describe('property: random spellings of valid paths', () => {
  const canonical = [
    '/',
    '/rss.xml',
    '/atom.xml',
    '/feed.json',
    '/topics/alpha/rss.xml',
    '/topics/beta/feed.json',
    '/topics/alpha',
    '/entries/one',
    '/entries/three',
    '/topics.json',
    '/opml.xml',
  ]
  const hex = (code: number, upper: boolean) =>
    `%${code.toString(16).padStart(2, '0')[upper ? 'toUpperCase' : 'toLowerCase']()}`
  const segment = (s: string) =>
    fc
      .array(fc.tuple(fc.boolean(), fc.boolean()), { minLength: s.length, maxLength: s.length })
      .map((flags) =>
        [...s].map((ch, i) => (flags[i]![0] ? hex(ch.charCodeAt(0), flags[i]![1]) : ch)).join(''),
      )
  const spelled = fc.constantFrom(...canonical).chain((path) => {
    const parts = path.split('/').slice(1).filter(Boolean)
    return fc
      .tuple(
        fc.tuple(...parts.map(segment)),
        fc.array(fc.constantFrom('', '.', '%2e', '%2E', 'x/..', 'x/%2e%2e', 'alpha/../'), {
          minLength: parts.length + 1,
          maxLength: parts.length + 1,
        }),
        fc.boolean(),
        fc.option(fc.constantFrom('?limit=5', '?', '?topic=beta'), { nil: '' }),
      )
      .map(([segs, inserts, trailing, query]) => {
        let out = ''
        segs.forEach((s, i) => (out += `/${inserts[i]}${inserts[i] ? '/' : ''}${s}`))
        if (inserts[segs.length]) out += `/${inserts[segs.length]}`
        if (trailing || out === '') out += '/'
        return { path, raw: out, query }
      })
  })
  const isCanonicalTarget = (location: string | null, path: string) =>
    location !== null && location.split('?')[0] === path && !location.startsWith('//')

  it('a raw spelling is 301 to the canonical path (relative) or 404; a 200 only when spelled canonically', async () => {
    await fc.assert(
      fc.asyncProperty(spelled, async ({ path, raw, query }) => {
        const res = await app.fetch(rawRequest(`https://news.test${raw}${query}`))
        await res.arrayBuffer()
        if (raw === path) expect([200, 301]).toContain(res.status)
        else if (res.status === 301)
          expect(
            isCanonicalTarget(res.headers.get('Location'), path),
            `${raw} → ${res.headers.get('Location')}`,
          ).toBe(true)
        else expect(res.status, raw).toBe(404)
      }),
      { numRuns: 300 },
    )
  }, 30_000)
  it('through the runtime URL parser too', async () => {
    await fc.assert(
      fc.asyncProperty(spelled, async ({ path, raw, query }) => {
        const url = `https://news.test${raw}${query}`
        const seen = new URL(url).pathname
        const res = await app.request(url)
        await res.arrayBuffer()
        if (res.status === 200) expect(seen, raw).toBe(path)
        else if (res.status === 301 && seen !== path)
          expect(isCanonicalTarget(res.headers.get('Location'), path), raw).toBe(true)
        else expect([301, 404]).toContain(res.status)
      }),
      { numRuns: 300 },
    )
  }, 30_000)
})

describe('property: request headers never change a response', () => {
  const value = fc.oneof(
    fc.constantFrom(
      'evil.example',
      'https',
      'for=1.2.3.4;host=evil.example',
      'text/html',
      'application/json',
      '*/*',
      'en-US,en;q=0.5',
      'a=b; c=d',
      'https://evil.example',
      'null',
      'curl/8.0',
      'gzip, br',
    ),
    fc
      .string({
        unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
        maxLength: 40,
      })
      .map((s) => s.trim()),
  )
  const NAMES = [
    'Host',
    'X-Forwarded-Host',
    'X-Forwarded-Proto',
    'X-Forwarded-For',
    'X-Forwarded-Port',
    'Forwarded',
    'X-Real-IP',
    'CF-Connecting-IP',
    'Accept',
    'Accept-Language',
    'Accept-Encoding',
    'User-Agent',
    'Cookie',
    'Origin',
    'Referer',
    'X-Original-URL',
    'X-Rewrite-URL',
  ]
  const headers = (names: string[]) =>
    fc.dictionary(fc.constantFrom(...names), value, { maxKeys: names.length })
  const urls = [
    '/rss.xml',
    '/topics/alpha/atom.xml',
    '/feed.json?topic=beta',
    '/',
    '/entries/one',
    '/topics.json',
    '/opml.xml',
    '/rss.xml/',
    '/rss.xml?limit=20',
    '/topics/ALPHA',
    '//atom.xml',
    '/feed.json?limit=0',
  ]
  // Errors on other paths vary on Accept (and say so): the one documented exception.
  const errorUrls = ['/nope', '/rss.xml?limit=0', '/topics/nope/rss.xml']

  async function same(a: App, url: string, extra: Record<string, string>) {
    const plain = await a.request(`https://news.test${url}`)
    const forged = await a.request(`https://news.test${url}`, { headers: extra })
    expect(forged.status, url).toBe(plain.status)
    expect(headerList(forged), url).toEqual(headerList(plain))
    expect(await forged.text(), url).toBe(await plain.text())
  }
  it('on feeds, pages, JSON, redirects and .json errors', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...urls), headers(NAMES), (url, h) => same(app, url, h)),
      { numRuns: 300 },
    )
  }, 30_000)
  it('on negotiated errors, every header but Accept', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...errorUrls),
        headers(NAMES.filter((n) => n !== 'Accept')),
        (url, h) => same(app, url, h),
      ),
      { numRuns: 150 },
    )
  }, 30_000)
  it('the preflight answers a fixed list, echoing none of the request headers', async () => {
    const res = await app.request('https://news.test/rss.xml', {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://evil.example',
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'X-Evil, Cookie',
      },
    })
    expect(res.status).toBe(204)
    for (const [, v] of res.headers) expect(v).not.toMatch(/evil|cookie/i)
    expect(res.headers.get('Access-Control-Allow-Headers')).toBe(
      'If-None-Match,If-Modified-Since,If-Match,If-Unmodified-Since',
    )
  })
})
