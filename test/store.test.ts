/**
 * The D1 store: every request-path query uses an index (checked with
 * EXPLAIN QUERY PLAN), loads write only what changed, a repeat request does
 * no query, and a failing store is a 503 that never becomes a 500, a
 * partial feed or a 404.
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it, vi } from 'vitest'
import { compileContent } from '../src/content/compile.ts'
import { parseFilters } from '../src/filters.ts'
import { FORMATS, type Format } from '../src/formats.ts'
import type { Statement } from '../src/store/load.ts'
import {
  atVersion,
  cardsQuery,
  countQuery,
  entryQuery,
  feedQuery,
  monthsQuery,
  allMonthsQuery,
  rangeQuery,
} from '../src/store/queries.ts'
import { Store } from '../src/store/store.ts'
import content from './generated/content.ts'
import { appFor, BASIC, files, useContent, type EntrySpec } from './helpers.ts'

/** The lines of a statement's query plan. */
async function plan(statement: Statement): Promise<string[]> {
  const { sql, params } = atVersion(statement, '0123456789abcdef')
  const rows = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
    .bind(...params)
    .all<{ detail: string }>()
  return rows.results.map((r) => r.detail)
}

/** A full scan of a table (not of a bounded subquery, not of the FTS index). */
const FULL_SCAN =
  /^SCAN (?:entries|memberships|months|items|e|m|x|i|o)\b(?! USING (?:COVERING )?INDEX)/

describe('query plans', () => {
  const vocabulary = {
    topics: new Set(content.topics.map((t) => t.slug)),
    people: new Set(content.people.map((p) => p.id)),
    sources: new Set(content.sources.map((s) => s.slug)),
  }
  const sizes = (scope: string) =>
    scope === 'site' ? content.entries.length : scope.startsWith('topic:') ? 5 : 3
  const queries = [
    '',
    'topic=roads',
    'topic=roads,budget',
    'exclude=roads',
    'person=dana-okafor',
    'person=dana-okafor,tomas-reyl',
    'since=2025-05-01',
    'until=2025-06-30',
    'source=council-minutes-march-2025',
    'source=council-minutes-march-2025,valley-gazette-budget-passes&person=dana-okafor',
    'since=2025-01-01&until=2025-06-30',
    'topic=water-supply&exclude=roads&person=dana-okafor&since=2025-01-01&until=2025-12-31&limit=100',
  ]
  const scopes = ['site', 'topic:roads', 'person:ines-marlowe', 'source:council-minutes-march-2025']
  const cases = scopes.flatMap((scope) => queries.map((q) => [scope, q] as const))

  it.each(cases)('feed %s ?%s uses indexes only', async (scope, q) => {
    for (const format of Object.keys(FORMATS) as Format[]) {
      const lines = await plan(feedQuery(scope, parseFilters(q, vocabulary), format, sizes))
      expect(
        lines.filter((l) => FULL_SCAN.test(l)),
        lines.join('\n'),
      ).toEqual([])
      expect(lines.join('\n')).toMatch(/SEARCH m USING PRIMARY KEY \(scope=\?/)
    }
  })
  it.each(cases)('count %s ?%s uses indexes only', async (scope, q) => {
    const lines = await plan(countQuery(scope, parseFilters(q, vocabulary), sizes, 1001))
    expect(
      lines.filter((l) => FULL_SCAN.test(l)),
      lines.join('\n'),
    ).toEqual([])
  })
  it('archive ranges, cards, an entry and months use indexes only', async () => {
    const statements = [
      rangeQuery('site', 1, 50, 'rss'),
      rangeQuery('topic:roads', 51, 100, 'card'),
      cardsQuery('site', 20),
      entryQuery('x'),
      monthsQuery('site'),
      allMonthsQuery(),
    ]
    for (const s of statements) {
      const lines = await plan(s)
      expect(
        lines.filter((l) => FULL_SCAN.test(l)),
        `${s.sql}\n${lines.join('\n')}`,
      ).toEqual([])
    }
    expect((await plan(rangeQuery('site', 1, 50, 'rss'))).join('\n')).toMatch(
      /USING (?:COVERING )?INDEX memberships_by_pos/,
    )
  })
  it('the slowest feed shape walks the smallest required scope', () => {
    const q = feedQuery(
      'site',
      parseFilters('topic=roads&person=tomas-reyl', vocabulary),
      'atom',
      (s) => (s === 'person:tomas-reyl' ? 1 : 100),
    )
    expect(q.params[0]).toBe('person:tomas-reyl')
  })
})

const spec = (id: string, day: string, extra: EntrySpec['front'] = {}): EntrySpec => ({
  id,
  front: { published: day, ...extra },
})

describe('loading', () => {
  it('a load brings the database to exactly the new content', async () => {
    const first = compileContent(
      files([spec('a', '2025-01-01'), spec('b', '2025-02-01', { topics: ['beta'] })]),
    )
    const second = compileContent(
      files([spec('b', '2025-02-01'), spec('c', '2025-03-01', { topics: ['beta'] })]),
    )
    await useContent(first)
    await useContent(second)
    // Rows of the current version (the one before stays until the next load).
    const now =
      "since <= (SELECT value FROM meta WHERE key = 'current') AND until > (SELECT value FROM meta WHERE key = 'current')"
    const ids = await env.DB.prepare(`SELECT id FROM entries WHERE ${now} ORDER BY ts`).all<{
      id: string
    }>()
    expect(ids.results.map((r) => r.id)).toEqual(['b', 'c'])
    const scopes = await env.DB.prepare(
      `SELECT scope, count(*) AS n FROM memberships WHERE ${now} GROUP BY scope ORDER BY scope`,
    ).all<{ scope: string; n: number }>()
    expect(scopes.results).toEqual([
      { scope: 'site', n: 2 },
      { scope: 'source:test-gazette-report', n: 2 },
      { scope: 'topic:alpha', n: 1 },
      { scope: 'topic:beta', n: 1 },
    ])
    const positions = await env.DB.prepare(
      `SELECT pos FROM memberships WHERE scope = 'site' AND ${now} ORDER BY ts`,
    ).all<{ pos: number }>()
    expect(positions.results.map((r) => r.pos)).toEqual([1, 2])
    const text = await env.DB.prepare(
      `SELECT count(*) AS n FROM entry_text WHERE rowid IN (SELECT key FROM entries WHERE ${now})`,
    ).first<{ n: number }>()
    expect(text?.n).toBe(2)
  })

  it('stores items and whole entries deflated, and reads them back as the texts prepared', async () => {
    const small = compileContent(
      files([spec('a', '2025-01-01'), spec('b', '2025-02-01', { topics: ['beta'] })]),
    )
    const rows = await useContent(small)
    const types = await env.DB.prepare(
      "SELECT DISTINCT typeof(i.body) AS items, typeof(e.doc) AS doc, typeof(e.card) AS card FROM items AS i JOIN entries AS e ON e.key = i.entry WHERE e.until > (SELECT value FROM meta WHERE key = 'current')",
    ).all()
    expect(types.results).toEqual([{ items: 'blob', doc: 'blob', card: 'text' }])
    const store = new Store(env.DB, rows.catalog.version)
    const expected = await rows.rows(0)
    const [item] = await store.all<{ item: string }>(
      feedQuery(
        'site',
        parseFilters('', { topics: new Set(), people: new Set(), sources: new Set() }),
        'atom',
        () => 2,
        1,
      ),
    )
    expect(item!.item).toBe(expected.row.items.atom)
    expect((await store.first<{ doc: string }>(entryQuery(expected.row.id)))!.doc).toBe(
      expected.row.doc,
    )
  })
})

/** A D1 binding that counts batches and can be made to fail. */
function countingDb(fail: () => boolean) {
  let batches = 0
  const db = new Proxy(env.DB, {
    get(target, key) {
      if (key === 'batch') {
        return async (statements: D1PreparedStatement[]) => {
          batches++
          if (fail()) throw new Error('D1_ERROR: network connection lost')
          return target.batch(statements)
        }
      }
      const value = Reflect.get(target, key)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
  return { db, batches: () => batches }
}

describe('the read path', () => {
  it('a repeat request does no query at all; neither does a 304', async () => {
    const { db, batches } = countingDb(() => false)
    const app = appFor(compileContent(files(BASIC)), {}, { DB: db })
    for (const path of [
      '/rss.xml',
      '/topics/alpha/atom.xml',
      '/feed.json?person=ana',
      '/',
      '/entries/two',
      '/topics/beta',
    ]) {
      const first = await app.request(`https://news.test${path}`)
      expect(first.status, path).toBe(200)
      const seen = batches()
      const again = await app.request(`https://news.test${path}`)
      expect(await again.text()).toBe(await first.text())
      const conditional = await app.request(`https://news.test${path}`, {
        headers: { 'If-None-Match': first.headers.get('ETag')! },
      })
      expect(conditional.status).toBe(304)
      expect(batches(), path).toBe(seen)
    }
  })
})

describe('when the store fails', () => {
  it('a feed or page not yet rendered is a short 503 with Retry-After that no cache keeps', async () => {
    const { db } = countingDb(() => true)
    const log = vi.spyOn(console, 'error').mockImplementation(() => {})
    const app = appFor(compileContent(files(BASIC)), {}, { DB: db })
    for (const path of [
      '/rss.xml',
      '/topics/alpha/feed.json',
      '/atom.xml?person=ana',
      '/',
      '/entries/one',
      '/topics/alpha',
      '/entries/missing',
    ]) {
      const res = await app.request(`https://news.test${path}`)
      expect(res.status, path).toBe(503)
      expect(res.headers.get('Retry-After')).toBe('30')
      expect(res.headers.get('Cache-Control')).toBe('no-store')
      expect(await res.text()).not.toContain('D1_ERROR')
    }
    expect(log).toHaveBeenCalled()
    log.mockRestore()
  })
  it('what the isolate already rendered is still served', async () => {
    let failing = false
    const { db } = countingDb(() => failing)
    const app = appFor(compileContent(files(BASIC)), {}, { DB: db })
    const before = await (await app.request('https://news.test/rss.xml')).text()
    failing = true
    const log = vi.spyOn(console, 'error').mockImplementation(() => {})
    const res = await app.request('https://news.test/rss.xml')
    expect(res.status).toBe(200)
    expect(await res.text()).toBe(before)
    log.mockRestore()
  })
})
