/**
 * Subscriber counts: the User-Agent table on real aggregator strings, the
 * record a counted poll leaves (after the response, one row per feed,
 * aggregator, feed id and day, no IP address or User-Agent), and
 * `/stats/subscribers.json`: its bearer token, its seven-day window, its
 * totals, and the query plans of its SQL.
 */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { beforeEach, describe, expect, it } from 'vitest'
import { createApp } from '../src/app.ts'
import { compileContent } from '../src/content/compile.ts'
import { statedCount } from '../src/subscribers/agents.ts'
import { recentCountsQuery, upsertStatement } from '../src/subscribers/counts.ts'
import { feedOfPath } from '../src/subscribers/middleware.ts'
import { BASIC, files, useContent } from './helpers.ts'

describe('the User-Agent table', () => {
  it.each([
    [
      'Feedly/1.0 (+http://www.feedly.com/fetcher.html; 16 subscribers; like FeedFetcher-Google)',
      { aggregator: 'Feedly', feedId: '', count: 16 },
    ],
    [
      'Feedly/1.0 (+https://feedly.com/poller.html; 1 subscriber; )',
      { aggregator: 'Feedly', feedId: '', count: 1 },
    ],
    [
      'Mozilla/5.0 (compatible; Feedly/1.0; +http://www.feedly.com/fetcher.html; 131 subscribers)',
      { aggregator: 'Feedly', feedId: '', count: 131 },
    ],
    [
      'Inoreader/1.0 (+http://www.inoreader.com/feed-fetcher; 26 subscribers; )',
      { aggregator: 'Inoreader', feedId: '', count: 26 },
    ],
    [
      'NewsBlur Feed Fetcher - 1,234 subscribers - https://www.newsblur.com/site/6167950/the-test-site ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/14.1 Safari/605.1.15")',
      { aggregator: 'NewsBlur', feedId: '6167950', count: 1234 },
    ],
    [
      'NewsBlur Feed Fetcher - 1 subscriber - https://www.newsblur.com/site/42/x (Mozilla/5.0)',
      { aggregator: 'NewsBlur', feedId: '42', count: 1 },
    ],
    [
      'Feedbin feed-id:1373711 - 45 subscribers',
      { aggregator: 'Feedbin', feedId: '1373711', count: 45 },
    ],
    ['Feedbin - 1 subscribers', { aggregator: 'Feedbin', feedId: '', count: 1 }],
    [
      'Mozilla/5.0 (compatible; theoldreader.com; 7 subscribers; feed-id=5f0e4b2a9c1d3e0012ab34cd)',
      { aggregator: 'The Old Reader', feedId: '5f0e4b2a9c1d3e0012ab34cd', count: 7 },
    ],
    [
      'Mozilla/5.0 (compatible; BazQux/2.4; +https://bazqux.com/fetcher; 3 subscribers)',
      { aggregator: 'BazQux', feedId: '', count: 3 },
    ],
    [
      'Mozilla/5.0 (compatible; Feedspot/1.0 (+https://www.feedspot.com/fs/fetcher; 12 subscribers; like FeedFetcher-Google))',
      { aggregator: 'Feedspot', feedId: '', count: 12 },
    ],
  ])('%s', (ua, expected) => {
    expect(statedCount(ua)).toEqual(expected)
  })

  it.each([
    [
      'an aggregator that states no count',
      'Feedspot/1.0 (+https://www.feedspot.com/fs/fetcher; like FeedFetcher-Google)',
    ],
    [
      'Feedly without a count',
      'Feedly/1.0 (+http://www.feedly.com/fetcher.html; like FeedFetcher-Google)',
    ],
    [
      'a reader not in the table',
      'Mozilla/5.0 (compatible; Miniflux/2.1.0; +https://miniflux.app)',
    ],
    ['a count from an unknown agent', 'Mozilla/5.0 (X11; Linux x86_64) 5000 subscribers'],
    ['a count past a billion', 'Feedbin feed-id:1 - 99999999999 subscribers'],
    ['no User-Agent', undefined],
    ['a User-Agent past 1 KiB', `Feedly/1.0 (${'x'.repeat(1100)}; 5 subscribers)`],
  ])('nothing for %s', (_, ua) => {
    expect(statedCount(ua)).toBeUndefined()
  })

  it('reads a feed path as its scope and format', () => {
    expect(feedOfPath('/atom.xml')).toEqual({ scope: 'site', format: 'atom' })
    expect(feedOfPath('/topics/trade-war/feed.json')).toEqual({
      scope: 'topic:trade-war',
      format: 'json',
    })
    expect(feedOfPath('/people/ana/rss.xml')).toEqual({ scope: 'person:ana', format: 'rss' })
    expect(feedOfPath('/sources/gazette/atom.xml')).toEqual({
      scope: 'source:gazette',
      format: 'atom',
    })
    for (const other of [
      '/',
      '/topics/alpha',
      '/archive/1/atom.xml',
      '/topics/alpha/archive/1/rss.xml',
      '/topics/alpha/feed.xml',
      '/stats/subscribers.json',
    ])
      expect(feedOfPath(other), other).toBeUndefined()
  })
})

const content = compileContent(files(BASIC))
const TOKEN = 'test-token-0123456789abcdef'
const DAY = 86_400_000
const FEEDLY = (n: number) =>
  `Feedly/1.0 (+http://www.feedly.com/fetcher.html; ${n} subscribers; like FeedFetcher-Google)`

async function harness() {
  const clock = { now: Date.UTC(2026, 11, 4, 12) }
  const app = createApp((await useContent(content)).catalog, {
    subscribers: { now: () => clock.now },
  })
  const bindings = { ...env, STATS_TOKEN: TOKEN }
  async function get(path: string, headers: Record<string, string> = {}, bound: object = bindings) {
    const ctx = createExecutionContext()
    const res = await app.fetch(new Request(`https://news.test${path}`, { headers }), bound, ctx)
    await waitOnExecutionContext(ctx)
    return res
  }
  const rows = async () =>
    (
      await env.DB.prepare('SELECT * FROM subscriber_counts ORDER BY day, feed, aggregator').all<
        Record<string, unknown>
      >()
    ).results
  const stats = async (token = TOKEN) =>
    get('/stats/subscribers.json', { Authorization: `Bearer ${token}` })
  return { app, clock, get, rows, stats }
}

beforeEach(async () => {
  await env.DB.prepare('DELETE FROM subscriber_counts').run()
})

describe('recording', () => {
  it('a counted poll leaves one row, with no IP address or User-Agent, after the response', async () => {
    const h = await harness()
    const res = await h.get('/topics/alpha/atom.xml', {
      'User-Agent': FEEDLY(16),
      'CF-Connecting-IP': '203.0.113.9',
    })
    expect(res.status).toBe(200)
    const rows = await h.rows()
    expect(rows).toEqual([
      {
        day: '2026-12-04',
        feed: '/topics/alpha/atom.xml',
        scope: 'topic:alpha',
        format: 'atom',
        aggregator: 'Feedly',
        feed_id: '',
        count: 16,
        seen_at: h.clock.now,
      },
    ])
    expect(JSON.stringify(rows)).not.toMatch(/203\.0\.113|fetcher\.html/)
  })

  it('keeps the latest count of the day, and skips rewriting an unchanged one', async () => {
    const h = await harness()
    await h.get('/rss.xml', { 'User-Agent': FEEDLY(10) })
    h.clock.now += 60_000
    const etag = (await h.get('/rss.xml', { 'User-Agent': FEEDLY(10) })).headers.get('ETag')!
    expect(h.app.subscriberWrites).toEqual({ writes: 1, skipped: 1 })
    h.clock.now += 60_000
    // A conditional poll (304) counts too.
    expect(
      (await h.get('/rss.xml', { 'User-Agent': FEEDLY(12), 'If-None-Match': etag })).status,
    ).toBe(304)
    expect((await h.rows()).map((r) => r.count)).toEqual([12])
    h.clock.now += DAY
    await h.get('/rss.xml', { 'User-Agent': FEEDLY(13) })
    expect((await h.rows()).map((r) => [r.day, r.count])).toEqual([
      ['2026-12-04', 12],
      ['2026-12-05', 13],
    ])
  })

  it('ignores redirects, errors, pages and polls that state nothing', async () => {
    const h = await harness()
    expect((await h.get('/topics/ALPHA/rss.xml', { 'User-Agent': FEEDLY(5) })).status).toBe(301)
    expect((await h.get('/topics/nope/rss.xml', { 'User-Agent': FEEDLY(5) })).status).toBe(404)
    expect((await h.get('/topics/alpha', { 'User-Agent': FEEDLY(5) })).status).toBe(200)
    expect(
      (
        await h.get('/rss.xml', {
          'User-Agent': 'Mozilla/5.0 (compatible; Miniflux/2.1.0; +https://miniflux.app)',
        })
      ).status,
    ).toBe(200)
    expect(await h.rows()).toEqual([])
  })

  it('writes through the primary key, and reads the window as a range of it', async () => {
    const plan = async ({ sql, params }: { sql: string; params: unknown[] }) =>
      (
        await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
          .bind(...params)
          .all<{ detail: string }>()
      ).results
        .map((r) => r.detail)
        .join('\n')
    expect(await plan(recentCountsQuery(Date.UTC(2026, 11, 4), 7))).toMatch(
      /SEARCH subscriber_counts USING PRIMARY KEY \(day>\?\)/,
    )
    expect(
      await plan(
        upsertStatement({
          feed: '/rss.xml',
          scope: 'site',
          format: 'rss',
          aggregator: 'Feedly',
          feedId: '',
          count: 1,
          at: 0,
        }),
      ),
    ).not.toMatch(/SCAN/)
  })
})

describe('/stats/subscribers.json', () => {
  it('answers 401 with a Bearer challenge without the right token, and while none is set; 400 for another scheme', async () => {
    const h = await harness()
    for (const res of [
      await h.get('/stats/subscribers.json'),
      await h.stats('wrong-token'),
      await h.get('/stats/subscribers.json', { Authorization: `Bearer ${TOKEN}` }, env),
    ]) {
      expect(res.status).toBe(401)
      expect(res.headers.get('WWW-Authenticate')).toMatch(/^Bearer /)
      expect(res.headers.get('Cache-Control')).toBe('no-store')
    }
    // Another scheme is a malformed request for this resource (RFC 6750 section 3.1: invalid_request, 400).
    const basic = await h.get('/stats/subscribers.json', { Authorization: 'Basic eDp5' })
    expect(basic.status).toBe(400)
    expect(basic.headers.get('WWW-Authenticate')).toMatch(/^Bearer error="invalid_request"/)
  })

  it('gives per scope and format the latest count of each aggregator and feed id over seven days, and the total', async () => {
    const h = await harness()
    const start = h.clock.now
    // Nine days ago: outside the window.
    h.clock.now = start - 9 * DAY
    await h.get('/atom.xml', {
      'User-Agent': 'Inoreader/1.0 (+http://www.inoreader.com/feed-fetcher; 500 subscribers; )',
    })
    h.clock.now = start - 2 * DAY
    await h.get('/atom.xml', { 'User-Agent': FEEDLY(40) })
    await h.get('/atom.xml', { 'User-Agent': 'Feedbin feed-id:77 - 3 subscribers' })
    await h.get('/atom.xml', { 'User-Agent': 'Feedbin feed-id:78 - 2 subscribers' })
    h.clock.now = start
    await h.get('/atom.xml', { 'User-Agent': FEEDLY(42) })
    await h.get('/topics/beta/rss.xml', {
      'User-Agent': 'Mozilla/5.0 (compatible; theoldreader.com; 7 subscribers; feed-id=abc)',
    })
    const res = await h.stats()
    expect(res.status).toBe(200)
    expect(res.headers.get('Cache-Control')).toBe('no-store')
    const body = await res.json<{
      days: number
      since: string
      total: number
      feeds: {
        scope: string
        format: string
        total: number
        counts: { aggregator: string; feedId: string; count: number; feed: string }[]
      }[]
    }>()
    expect(body.days).toBe(7)
    expect(body.since).toBe('2026-11-28')
    expect(body.total).toBe(42 + 3 + 2 + 7)
    expect(body.feeds.map((f) => [f.scope, f.format, f.total])).toEqual([
      ['site', 'atom', 47],
      ['topic:beta', 'rss', 7],
    ])
    expect(body.feeds[0]!.counts.map((c) => [c.aggregator, c.feedId, c.count])).toEqual([
      ['Feedbin', '77', 3],
      ['Feedbin', '78', 2],
      ['Feedly', '', 42],
    ])
    expect(body.feeds[1]!.counts[0]!.feed).toBe('https://news.test/topics/beta/rss.xml')
  })
})
