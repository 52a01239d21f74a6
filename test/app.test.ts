/**
 * Integration tests through the app's fetch: routes, errors, canonical
 * redirects, conditional requests, cache headers, the memo and CORS.
 */
import { describe, expect, it } from 'vitest'
import { appFor, fetchWorker } from './helpers.ts'
import { compileContent } from '../src/content/compile.ts'
import content from './generated/content.ts'
import { BASIC, files } from './helpers.ts'

const fixture = compileContent(files(BASIC))
const get = (
  app: ReturnType<typeof appFor>,
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
) => app.request(`https://news.test${path}`, { method, headers })

describe('routes', () => {
  const app = appFor(fixture)
  it.each([
    ['/rss.xml', 'application/xml; charset=utf-8'],
    ['/atom.xml', 'application/xml; charset=utf-8'],
    ['/feed.json', 'application/feed+json; charset=utf-8'],
    ['/topics/alpha/rss.xml', 'application/xml; charset=utf-8'],
    ['/topics/beta/atom.xml', 'application/xml; charset=utf-8'],
    ['/topics/alpha/feed.json', 'application/feed+json; charset=utf-8'],
    ['/entries/two', 'text/html; charset=utf-8'],
  ])('%s is 200 %s', async (path, type) => {
    const res = await get(app, path)
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe(type)
  })
  it('topic feeds hold only their topic, newest first', async () => {
    const feed = (await (await get(app, '/topics/alpha/feed.json')).json()) as {
      items: { id: string }[]
    }
    expect(feed.items.map((i) => i.id)).toEqual([
      'https://news.test/entries/three',
      'https://news.test/entries/one',
    ])
  })
  it('the Worker serves every topic in every format', async () => {
    for (const topic of content.topics) {
      for (const file of ['rss.xml', 'atom.xml', 'feed.json']) {
        const res = await fetchWorker(`http://127.0.0.1:8787/topics/${topic.slug}/${file}`)
        expect(res.status, `${topic.slug}/${file}`).toBe(200)
        await res.arrayBuffer()
      }
    }
  })
})

describe('inferred dates', () => {
  it('the JSON Feed extension and the entry page say when a date was inferred, for the entry and for a quote', async () => {
    const app = appFor(
      compileContent(
        files([
          {
            id: 'q',
            front: {
              topics: ['alpha', 'beta'],
              dateInferred: true,
              dateBasis: 'The report says "on Saturday".',
              quotes: [
                {
                  speaker: 'ana',
                  text: 'Words.',
                  document: 'doc-1.txt',
                  said: '2025-05-03',
                  saidInferred: true,
                },
              ],
            },
          },
        ]),
      ),
    )
    const item = (
      (await (await get(app, '/feed.json')).json()) as {
        items: { _news: Record<string, unknown> }[]
      }
    ).items[0]!
    expect(item._news.date).toEqual({
      text: '2025-05-03',
      precision: 'day',
      inferred: true,
      basis: 'The report says "on Saturday".',
    })
    expect(item._news.quotes).toEqual([
      {
        speaker: { id: 'ana', name: 'Ana Example' },
        text: 'Words.',
        source: {
          slug: 'test-gazette-report',
          label: 'The Test Gazette',
          url: 'https://news.test/sources/test-gazette-report',
        },
        said: '2025-05-03',
        saidInferred: true,
      },
    ])
    expect(item._news.sources).toEqual([
      {
        slug: 'test-gazette-report',
        label: 'The Test Gazette',
        url: 'https://news.test/sources/test-gazette-report',
        publication: 'The Test Gazette',
        credits: [],
      },
    ])
    const page = await (await get(app, '/entries/q')).text()
    expect(page).toContain('date inferred')
    expect(page).toMatch(/3 May 2025<\/time>\s*, date inferred/)
  })
})

describe('errors', () => {
  const app = appFor(fixture)
  it('an unknown topic is a 404 that lists the valid topics, as text or as JSON', async () => {
    const text = await get(app, '/topics/nope/rss.xml')
    expect(text.status).toBe(404)
    expect(text.headers.get('Content-Type')).toBe('text/plain; charset=UTF-8')
    expect(await text.text()).toBe('404 Unknown topic "nope". Valid topics: alpha, beta.\n')
    const json = await get(app, '/topics/nope/feed.json')
    expect(json.status).toBe(404)
    expect(json.headers.get('Content-Type')).toBe('application/problem+json; charset=utf-8')
    expect(await json.json()).toMatchObject({ status: 404, topics: ['alpha', 'beta'] })
    expect(await (await get(app, '/rss.xml?topic=nope')).text()).toContain(
      'Valid topics: alpha, beta.',
    )
  })
  it('a malformed parameter is a 400 naming it and its accepted form', async () => {
    const res = await get(app, '/rss.xml?limit=500')
    expect(res.status).toBe(400)
    expect(await res.text()).toBe(
      '400 Bad value for "limit": expected a whole number from 1 to 100.\n',
    )
    const json = await get(app, '/feed.json?since=2025-13-01')
    expect(await json.json()).toMatchObject({
      status: 400,
      parameter: 'since',
      accepted: 'a calendar date as YYYY-MM-DD',
    })
  })
  it('unknown paths, entries and topic files are 404s', async () => {
    for (const path of [
      '/nope',
      '/rss.xml.bak',
      '/topics/alpha/index.html',
      '/entries/nope',
      '/topics/alpha/rss.xml/extra',
    ]) {
      expect((await get(app, path)).status, path).toBe(404)
    }
  })
  it('other methods are 405 with Allow', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const res = await get(app, '/rss.xml', {}, method)
      expect(res.status).toBe(405)
      expect(res.headers.get('Allow')).toBe('GET, HEAD, OPTIONS')
    }
  })
  it('every response, errors included, has nosniff and no cookie', async () => {
    for (const path of ['/rss.xml', '/nope', '/rss.xml?limit=x', '/entries/one']) {
      const res = await get(app, path)
      expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff')
      expect(res.headers.get('Set-Cookie')).toBeNull()
    }
  })
})

describe('canonical URLs', () => {
  const app = appFor(fixture)
  it.each([
    ['parameter order', '/rss.xml?limit=5&topic=alpha', '/rss.xml?topic=alpha&limit=5'],
    ['list order', '/atom.xml?topic=beta,alpha', '/atom.xml?topic=alpha,beta'],
    ['case', '/feed.json?person=ANA', '/feed.json?person=ana'],
    ['duplicates in a list', '/rss.xml?exclude=beta,beta', '/rss.xml?exclude=beta'],
    ['spaces in a list', '/rss.xml?topic=alpha,%20beta', '/rss.xml?topic=alpha,beta'],
    ['a default spelled out', '/rss.xml?limit=20', '/rss.xml'],
    ['an empty value', '/rss.xml?topic=&since=2025-01-01', '/rss.xml?since=2025-01-01'],
    ['ignored parameters', '/rss.xml?utm_source=news&topic=alpha&fbclid=1', '/rss.xml?topic=alpha'],
    ['a bare question mark', '/rss.xml?', '/rss.xml'],
    ['percent-encoded commas', '/rss.xml?topic=alpha%2Cbeta', '/rss.xml?topic=alpha,beta'],
    ['topic case in the path', '/topics/ALPHA/rss.xml?limit=20', '/topics/alpha/rss.xml'],
    ['a trailing slash', '/entries/one/', '/entries/one'],
  ])('%s answers 301 to the canonical URL', async (_, from, to) => {
    const res = await get(app, from)
    expect(res.status).toBe(301)
    // Relative: a Location is never built from the request's Host.
    expect(res.headers.get('Location')).toBe(to)
  })
  it('the canonical URL is the feed self link and feed_url', async () => {
    const path = '/feed.json?topic=alpha,beta&limit=2'
    const res = await get(app, path)
    expect(res.status).toBe(200)
    expect(((await res.json()) as { feed_url: string }).feed_url).toBe(`https://news.test${path}`)
    expect(await (await get(app, '/rss.xml?topic=alpha')).text()).toContain(
      '<atom:link href="https://news.test/rss.xml?topic=alpha" rel="self"',
    )
    expect(await (await get(app, '/atom.xml?person=ana&limit=5')).text()).toContain(
      '<link rel="self" type="application/atom+xml" href="https://news.test/atom.xml?person=ana&amp;limit=5" />',
    )
  })
})

describe('conditional requests and cache headers', () => {
  const app = appFor(fixture)
  const path = '/topics/alpha/rss.xml'
  const first = async () => {
    const res = await get(app, path)
    return {
      res,
      body: await res.text(),
      etag: res.headers.get('ETag')!,
      lastModified: res.headers.get('Last-Modified')!,
    }
  }
  const expect304 = async (res: Response, etag: string, lastModified: string) => {
    expect(res.status).toBe(304)
    expect(await res.text()).toBe('')
    expect(res.headers.get('ETag')).toBe(etag)
    expect(res.headers.get('Last-Modified')).toBe(lastModified)
    expect(res.headers.get('Cache-Control')).toBe(
      'public, max-age=300, s-maxage=3600, stale-while-revalidate=86400, stale-if-error=604800',
    )
    expect(res.headers.get('CDN-Cache-Control')).toBe(
      'public, max-age=3600, stale-while-revalidate=86400, stale-if-error=604800',
    )
    expect(res.headers.get('Content-Length')).toBeNull()
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*')
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff')
  }

  it('sends a strong ETag, Last-Modified of the newest entry shown, Cache-Control, Cache-Tag and a matching <ttl>', async () => {
    const { res, body, etag, lastModified } = await first()
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{22}"$/)
    expect(lastModified).toBe('Sun, 30 Mar 2025 00:00:00 GMT')
    expect(res.headers.get('Cache-Control')).toBe(
      'public, max-age=300, s-maxage=3600, stale-while-revalidate=86400, stale-if-error=604800',
    )
    expect(res.headers.get('CDN-Cache-Control')).toBe(
      'public, max-age=3600, stale-while-revalidate=86400, stale-if-error=604800',
    )
    expect(body).toContain('<ttl>5</ttl>')
    expect(res.headers.get('Cache-Tag')).toBe('scope:topic:alpha,format:rss')
    expect(res.headers.get('Content-Length')).toBe(
      String(new TextEncoder().encode(body).byteLength),
    )
    const older = await get(app, '/rss.xml?until=2025-02-28')
    expect(older.headers.get('Last-Modified')).toBe('Thu, 20 Feb 2025 00:00:00 GMT')
    expect(older.headers.get('Cache-Tag')).toBe('scope:site,format:rss')
  })
  it('If-None-Match answers 304 for the tag, a list holding it, its weak form and *', async () => {
    const { etag, lastModified } = await first()
    for (const inm of [etag, `"other", ${etag}`, `W/${etag}`, '*'])
      await expect304(await get(app, path, { 'If-None-Match': inm }), etag, lastModified)
    expect((await get(app, path, { 'If-None-Match': '"other"' })).status).toBe(200)
  })
  it('If-Modified-Since answers 304 when nothing is newer, 200 otherwise', async () => {
    const { etag, lastModified } = await first()
    await expect304(await get(app, path, { 'If-Modified-Since': lastModified }), etag, lastModified)
    await expect304(
      await get(app, path, { 'If-Modified-Since': 'Tue, 01 Apr 2025 00:00:00 GMT' }),
      etag,
      lastModified,
    )
    expect(
      (await get(app, path, { 'If-Modified-Since': 'Sat, 29 Mar 2025 23:59:59 GMT' })).status,
    ).toBe(200)
    expect((await get(app, path, { 'If-Modified-Since': 'not a date' })).status).toBe(200)
  })
  it('If-None-Match takes precedence over If-Modified-Since (RFC 9110 section 13.2.2)', async () => {
    const { lastModified } = await first()
    expect(
      (await get(app, path, { 'If-None-Match': '"stale"', 'If-Modified-Since': lastModified }))
        .status,
    ).toBe(200)
  })
  it('HEAD answers GET headers without a body, and honours conditions', async () => {
    const { etag, res } = await first()
    const head = await get(app, path, {}, 'HEAD')
    expect(head.status).toBe(200)
    expect(await head.text()).toBe('')
    for (const name of [
      'Content-Type',
      'Content-Length',
      'ETag',
      'Last-Modified',
      'Cache-Control',
      'CDN-Cache-Control',
      'Cache-Tag',
    ])
      expect(head.headers.get(name), name).toBe(res.headers.get(name))
    expect((await get(app, path, { 'If-None-Match': etag }, 'HEAD')).status).toBe(304)
  })
  it('pages get validators too', async () => {
    const res = await get(app, '/entries/one')
    const etag = res.headers.get('ETag')!
    expect(res.headers.get('Last-Modified')).toBe('Fri, 10 Jan 2025 00:00:00 GMT')
    expect((await get(app, '/entries/one', { 'If-None-Match': etag })).status).toBe(304)
  })
})

describe('determinism and the memo', () => {
  it('two app instances give byte-identical bodies and the same validators', async () => {
    const [a, b] = [
      appFor(compileContent(files(BASIC))),
      appFor(compileContent(files([...BASIC].reverse()))),
    ]
    for (const path of [
      '/rss.xml',
      '/atom.xml',
      '/feed.json?topic=beta',
      '/topics/alpha/atom.xml',
      '/entries/three',
    ]) {
      const [ra, rb] = [await get(a, path), await get(b, path)]
      expect(await ra.text(), path).toBe(await rb.text())
      expect(ra.headers.get('ETag')).toBe(rb.headers.get('ETag'))
      expect(ra.headers.get('Last-Modified')).toBe(rb.headers.get('Last-Modified'))
    }
  })
  it('a repeat request, and a 304, reuse the memoised body without rendering', async () => {
    const app = appFor(fixture)
    const res = await get(app, '/atom.xml')
    const etag = res.headers.get('ETag')!
    expect(app.stats.renders).toBe(1)
    await get(app, '/atom.xml')
    await get(app, '/atom.xml', { 'If-None-Match': etag })
    await get(app, '/atom.xml', {}, 'HEAD')
    expect(app.stats).toEqual({ renders: 1, hits: 3 })
    await get(app, '/atom.xml?limit=2')
    await get(app, '/rss.xml')
    expect(app.stats.renders).toBe(3)
    // A redirect renders nothing; its target is already memoised.
    await get(app, '/atom.xml?limit=20')
    expect(app.stats.renders).toBe(3)
  })
  it('concurrent misses for one URL render once', async () => {
    const app = appFor(fixture)
    const bodies = await Promise.all(
      [1, 2, 3].map(async () => (await get(app, '/feed.json')).text()),
    )
    expect(new Set(bodies).size).toBe(1)
    expect(app.stats.renders).toBe(1)
  })
  it('the memo is bounded by bytes', async () => {
    const sizes = await Promise.all(
      ['/rss.xml', '/atom.xml'].map(
        async (p) => (await (await get(appFor(fixture), p)).arrayBuffer()).byteLength,
      ),
    )
    // Room for either body alone, not both.
    const app = appFor(fixture, { memoBytes: Math.max(...sizes) + 100 })
    await get(app, '/rss.xml')
    await get(app, '/atom.xml')
    await get(app, '/rss.xml')
    expect(app.stats.renders).toBe(3)
  })
  it('request headers never change a body: absolute URLs come from the site URL only', async () => {
    const app = appFor(fixture)
    const plain = await (await get(app, '/rss.xml')).text()
    const forged = await appFor(fixture).request('http://evil.test/rss.xml', {
      headers: {
        Host: 'evil.test',
        'X-Forwarded-Host': 'evil.test',
        'X-Forwarded-Proto': 'http',
        Forwarded: 'host=evil.test',
      },
    })
    const body = await forged.text()
    expect(body).toBe(plain)
    expect(body).not.toContain('evil.test')
    const redirect = await appFor(fixture).request('http://evil.test/rss.xml?limit=20', {
      headers: { Host: 'evil.test' },
    })
    expect(redirect.headers.get('Location')).toBe('/rss.xml')
  })
})

describe('CORS', () => {
  const app = appFor(fixture)
  it('feeds and JSON allow any origin and expose the validators', async () => {
    const res = await get(app, '/feed.json', { Origin: 'https://reader.test' })
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*')
    expect(res.headers.get('Access-Control-Expose-Headers')).toBe('ETag,Last-Modified,Link')
  })
  it('answers a preflight', async () => {
    const res = await get(
      app,
      '/rss.xml',
      {
        Origin: 'https://reader.test',
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'If-None-Match',
      },
      'OPTIONS',
    )
    expect(res.status).toBe(204)
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*')
    expect(res.headers.get('Access-Control-Allow-Methods')).toBe('GET,HEAD,OPTIONS')
    // A fixed list: the request's Access-Control-Request-Headers is never echoed.
    expect(res.headers.get('Access-Control-Allow-Headers')).toBe(
      'If-None-Match,If-Modified-Since,If-Match,If-Unmodified-Since',
    )
    expect(res.headers.get('Access-Control-Max-Age')).toBe('86400')
  })
})
