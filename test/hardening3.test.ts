/**
 * Hardening, third round: HTTP. Each class is tried through the Worker as
 * served (`exports.default.fetch`, the bundled publication; paths are found
 * from its own discovery documents, never named here), and the pure parts
 * on their own.
 */
import { describe, expect, it } from 'vitest'
import { readPage } from '../src/history.ts'
import {
  entityTags,
  ifMatchHolds,
  ifUnmodifiedSinceHolds,
  strongMatch,
} from '../src/middleware/preconditions.ts'
import { fetchWorker } from './helpers.ts'

const ORIGIN = 'http://127.0.0.1:8787'
const worker = (path: string, init: RequestInit = {}) =>
  fetchWorker(`${ORIGIN}${path}`, { redirect: 'manual', ...init })
const json = async <T>(path: string) => (await (await worker(path)).json()) as T

/** One path of each kind of resource the publication serves, found through its discovery documents. */
async function samplePaths() {
  const feed = await json<{ icon: string; items: { url: string }[] }>('/feed.json')
  const people = await json<{ people: { page: string; feeds: { rss: string } }[] }>('/people.json')
  const topics = await json<{ topics: { page: string }[] }>('/topics.json')
  const path = (url: string) => new URL(url).pathname
  return {
    entry: path(feed.items[0]!.url),
    person: path(people.people[0]!.page),
    personFeed: path(people.people[0]!.feeds.rss),
    topic: path(topics.topics[0]!.page),
    image: path(feed.icon),
  }
}

describe('12. every response with a body carries its length; HEAD equals GET', () => {
  it('HTML pages, documents, images and errors: Content-Length is the body length, and HEAD has the same headers', async () => {
    const s = await samplePaths()
    for (const path of [
      '/',
      '/people',
      '/sources',
      '/archive',
      '/search',
      '/search?q=the',
      s.entry,
      s.person,
      s.topic,
      s.image,
      '/rss.xml',
      '/topics.json',
      '/opml.xml',
      '/no-such-page',
    ]) {
      const get = await worker(path)
      const body = new Uint8Array(await get.arrayBuffer())
      expect(body.byteLength, path).toBeGreaterThan(0)
      expect(get.headers.get('Content-Length'), path).toBe(String(body.byteLength))
      const head = await worker(path, { method: 'HEAD' })
      expect([...head.headers].sort(), path).toEqual([...get.headers].sort())
    }
  })
})

describe('13. one rule for query strings', () => {
  it('routes that read no query answer 301 to the bare URL, whatever the query', async () => {
    const s = await samplePaths()
    for (const path of [
      '/',
      '/people',
      '/sources',
      '/archive',
      '/topics.json',
      '/people.json',
      '/opml.xml',
      s.image,
      s.entry,
      s.person,
    ]) {
      for (const query of ['?utm_source=x', '?', '?a=1&b=2']) {
        const res = await worker(`${path}${query}`)
        expect(res.status, `${path}${query}`).toBe(301)
        expect(res.headers.get('Location'), `${path}${query}`).toBe(path)
        expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*')
        expect(res.headers.get('ETag')).toBeNull()
      }
      expect((await worker(path)).status, path).toBe(200)
    }
  })
  it('routes that read a query keep it: feeds, search, the topic page', async () => {
    const s = await samplePaths()
    expect((await worker('/rss.xml?limit=5')).status).toBe(200)
    expect((await worker(`${s.personFeed}?limit=5`)).status).toBe(200)
    expect((await worker('/search?q=the')).status).toBe(200)
    expect((await worker(`${s.topic}?nope=1`)).status).not.toBe(301)
  })
  it('a URL that names nothing stays a 404 with a query, not a redirect to one', async () => {
    expect((await worker('/no-such-page?utm_source=x')).status).toBe(404)
    expect((await worker('/entries/no-such-entry?utm_source=x')).status).toBe(404)
  })
})

describe('14. page numbers', () => {
  it.each(['1234567890', '99999999999999999999', '0012345678901'])(
    '%s is a 404 past the last page, with a finite message',
    (raw) => {
      expect(() => readPage(raw, 3, '/archive')).toThrow(expect.objectContaining({ status: 404 }))
    },
  )
  it.each([
    ['0000000001', 1],
    ['00000000000000000000002', 2],
    ['01', 1],
  ])('%s is page %i spelled non-canonically', (raw, page) => {
    expect(readPage(raw, 3, '/archive')).toEqual({ page, canonical: false })
  })
  it.each(['0', '0000000000', 'x', '-1', '1.5', ''])('%s is a 400', (raw) => {
    expect(() => readPage(raw, 3, '/archive')).toThrow(expect.objectContaining({ status: 400 }))
  })
  it('through the Worker: ten digits is a 404; ten-digit zero-padded 1 redirects like shorter ones', async () => {
    expect((await worker('/archive/1234567890')).status).toBe(404)
    expect((await worker('/archive/99999999999')).status).toBe(404)
    const padded = await worker('/archive/0000000001')
    const short = await worker('/archive/01')
    expect(padded.status).toBe(short.status)
    expect(padded.headers.get('Location')).toBe(short.headers.get('Location'))
  })
})

describe('15. If-Match and If-Unmodified-Since (RFC 9110 sections 13.1.1, 13.1.4, 13.2.2)', () => {
  it('entity-tag lists parse; strong comparison refuses weak tags', () => {
    expect(entityTags('"a", W/"b" ,"c"')).toEqual(['"a"', 'W/"b"', '"c"'])
    expect(entityTags('*')).toEqual(['*'])
    expect(entityTags('a')).toBeUndefined()
    expect(strongMatch('"a"', '"a"')).toBe(true)
    expect(strongMatch('W/"a"', '"a"')).toBe(false)
    expect(ifMatchHolds('W/"a"', '"a"')).toBe(false)
    expect(ifMatchHolds('"x", "a"', '"a"')).toBe(true)
    expect(ifUnmodifiedSinceHolds('not a date', 'Thu, 01 Jan 1970 00:00:00 GMT')).toBe(true)
  })
  it('through the Worker: a false If-Match or If-Unmodified-Since is 412; a true one is 200; If-Match wins over If-None-Match', async () => {
    for (const path of ['/rss.xml', '/', '/topics.json']) {
      const ok = await worker(path)
      await ok.arrayBuffer()
      const etag = ok.headers.get('ETag')!
      const modified = ok.headers.get('Last-Modified')!
      const status = async (headers: Record<string, string>) => {
        const res = await worker(path, { headers })
        await res.arrayBuffer()
        return res
      }
      expect((await status({ 'If-Match': '"nope"' })).status, path).toBe(412)
      expect((await status({ 'If-Match': `W/${etag}` })).status, `${path} weak`).toBe(412)
      expect(
        (await status({ 'If-Unmodified-Since': 'Thu, 01 Jan 1970 00:00:00 GMT' })).status,
        path,
      ).toBe(412)
      expect((await status({ 'If-Match': etag })).status, path).toBe(200)
      expect((await status({ 'If-Match': '*' })).status, path).toBe(200)
      expect((await status({ 'If-Unmodified-Since': modified })).status, path).toBe(200)
      // Step 1 decides before step 2: a true If-Match ignores If-Unmodified-Since.
      expect(
        (await status({ 'If-Match': etag, 'If-Unmodified-Since': 'Thu, 01 Jan 1970 00:00:00 GMT' }))
          .status,
        path,
      ).toBe(200)
      // Steps 1-2 before 3: a false If-Match beats a matching If-None-Match (which alone would be 304).
      const failed = await status({ 'If-Match': '"nope"', 'If-None-Match': etag })
      expect(failed.status, path).toBe(412)
      expect(failed.headers.get('Cache-Control')).toBe('no-store')
      expect((await status({ 'If-Match': etag, 'If-None-Match': etag })).status, path).toBe(304)
    }
  })
  it('preconditions are ignored where the answer would not be a 2xx', async () => {
    expect((await worker('/no-such-page', { headers: { 'If-Match': '"nope"' } })).status).toBe(404)
  })
})

describe('16. Allow lists what the target resource allows', () => {
  it('PUT, DELETE and GET /websub are 405 with Allow: POST; PUT elsewhere lists GET, HEAD, OPTIONS', async () => {
    for (const method of ['PUT', 'DELETE', 'PATCH', 'GET']) {
      const res = await worker('/websub', { method })
      expect(res.status, method).toBe(405)
      expect(res.headers.get('Allow'), method).toBe('POST')
    }
    const res = await worker('/rss.xml', { method: 'PUT' })
    expect(res.status).toBe(405)
    expect(res.headers.get('Allow')).toBe('GET, HEAD, OPTIONS')
  })
})

describe('17. dot segments are resolved before the Worker runs (a platform property)', () => {
  it('the URL parser resolves ., .. and %2e; the Worker answers the resolved path directly, with no redirect', async () => {
    for (const [sent, arrives] of [
      ['/x/./y/../../rss.xml', '/rss.xml'],
      ['/a/%2e%2e/atom.xml', '/atom.xml'],
      ['/%2E/feed.json', '/feed.json'],
    ] as const) {
      expect(new URL(`${ORIGIN}${sent}`).pathname).toBe(arrives)
      const res = await worker(sent)
      expect(res.status, sent).toBe(200)
      expect(res.headers.get('Location')).toBeNull()
      await res.arrayBuffer()
    }
  })
})
