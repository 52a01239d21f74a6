/**
 * Deleted entries (their file removed from content/) and the delivery of
 * tombstones: the store remembers what a load deletes
 * (`recordDeletions`, migration 0005), the records read back merge with the
 * withdrawals into the catalog, and the deleted entry then answers 410 and
 * is announced in Atom and JSON Feed like a withdrawn one; an entry that
 * comes back is live again. A withdrawal reaches WebSub subscribers: change
 * detection sees the subscription document change and delivers the new
 * body, tombstone included.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { createApp } from '../src/app.ts'
import { compileContent } from '../src/content/compile.ts'
import { d1Target, loadRows } from '../src/store/load.ts'
import { recordDeletions, tombstoneOfRow, tombstonesQuery, type TombstoneRow } from '../src/store/tombstones.ts'
import { mergeTombstones } from '../src/tombstones.ts'
import type { Delivery } from '../src/websub/hub.ts'
import { worker } from '../src/websub/worker.ts'
import { files, rowsOf, SITE, useContent, type EntrySpec } from './helpers.ts'
import { checkFeed } from './validity.ts'

const ENTRIES: EntrySpec[] = [
  { id: 'kept', front: { published: '2025-03-12', topics: ['alpha'] } },
  { id: 'doomed', front: { published: '2025-03-01', topics: ['alpha', 'beta'], people: ['ana'], title: 'A doomed story' } },
]
const withDoomed = compileContent(files(ENTRIES))
// Without the doomed entry, topic beta has none: the topic list loses it too, as a publisher would have to.
const withoutDoomed = compileContent(files(ENTRIES.slice(0, 1), { topics: '- slug: alpha\n  title: Alpha\n  description: The first topic.\n' }))

/** Loads `content` after recording what the load deletes, and returns an app whose catalog carries the stored tombstones. */
async function publish(content: ReturnType<typeof compileContent>) {
  const prepared = await rowsOf(content)
  const target = d1Target(env.DB)
  const recorded = await recordDeletions(target, prepared)
  await loadRows(target, prepared)
  const since = new Date(Date.parse(prepared.catalog.scopes.site!.updated!) - 30 * 86_400_000).toISOString().replace('.000Z', 'Z')
  const q = tombstonesQuery(since)
  const rows = (await env.DB.prepare(q.sql).bind(...q.params).all<TombstoneRow>()).results
  const catalog = { ...prepared.catalog, tombstones: mergeTombstones([prepared.catalog.tombstones, rows.map(tombstoneOfRow)]) }
  return { recorded, rows, app: createApp(catalog) }
}

describe('deleted entries', () => {
  it('are remembered by the load and served as 410 pages and tombstones', async () => {
    await useContent(withDoomed)
    const { recorded, rows, app } = await publish(withoutDoomed)
    expect(recorded).toBe(1)
    expect(rows.map(tombstoneOfRow)).toEqual([
      { id: 'doomed', atomId: 'https://news.test/entries/doomed', url: 'https://news.test/entries/doomed', when: '2025-03-12T00:00:00Z', scopes: ['person:ana', 'site', 'source:test-gazette-report', 'topic:alpha', 'topic:beta'] },
    ])
    const get = (path: string) => app.request(`https://news.test${path}`, {}, env)
    expect((await get('/entries/doomed')).status).toBe(410)
    for (const base of ['', '/topics/alpha', '/people/ana']) {
      const atom = await (await get(`${base}/atom.xml`)).text()
      expect(atom, base).toContain('<at:deleted-entry ref="https://news.test/entries/doomed" when="2025-03-12T00:00:00Z"></at:deleted-entry>')
      expect(checkFeed('atom', atom, `https://news.test${base}/atom.xml`)).toEqual([])
      const json = await (await get(`${base}/feed.json`)).json<{ _news: unknown }>()
      expect(json._news).toEqual({ deleted: [{ id: 'https://news.test/entries/doomed', url: 'https://news.test/entries/doomed', when: '2025-03-12T00:00:00Z' }] })
      expect(await (await get(`${base}/rss.xml`)).text()).not.toContain('doomed')
    }
    expect(await (await get('/search?q=doomed')).text()).not.toContain('entries/doomed')
  })

  it('are live again when their file comes back', async () => {
    await useContent(withDoomed)
    await publish(withoutDoomed)
    const { recorded, rows, app } = await publish(withDoomed)
    expect(recorded).toBe(0)
    expect(rows).toEqual([])
    expect((await app.request('https://news.test/entries/doomed', {}, env)).status).toBe(200)
  })

  it('are read through the index on their date', async () => {
    const q = tombstonesQuery('2025-01-01T00:00:00Z')
    const plan = (await env.DB.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).bind(...q.params).all<{ detail: string }>()).results.map((r) => r.detail)
    expect(plan.join('\n')).toMatch(/SEARCH t USING INDEX tombstones_by_at \(at>\?\)/)
    expect(plan.join('\n')).toMatch(/SEARCH e USING COVERING INDEX/)
    expect(plan.join('\n')).not.toMatch(/SCAN t\b/)
  })
})

describe('WebSub', () => {
  it('delivers the subscription document with the tombstone when an entry is withdrawn', async () => {
    const topic = 'https://news.test/topics/beta/atom.xml'
    const calls: { url: string; body: string }[] = []
    const sent: Delivery[] = []
    const now = Date.UTC(2026, 0, 1)
    const testEnv = { DB: env.DB, WEBSUB_QUEUE: { sendBatch: async (m: Iterable<{ body: Delivery }>) => void [...m].forEach((x) => sent.push(x.body)) }, WEBSUB_ALLOW_LOOPBACK: 'false' }
    const options = { websub: { fetch: async (r: Request) => (calls.push({ url: r.url, body: await r.text() }), new Response(null, { status: 204 })), now: () => now } }
    const before = createApp((await useContent(withDoomed)).catalog, options)
    await env.DB.prepare("INSERT INTO websub_subscriptions (topic, callback, callback_host, lease_seconds, expires_at, state, created_at, verified_at) VALUES (?, 'https://sub.example/cb', 'sub.example', 864000, ?, 'active', ?, ?)")
      .bind(topic, now + 864_000_000, now, now)
      .run()
    await before.websub.detect(testEnv as never)
    const withdrawn = compileContent(files([ENTRIES[0]!, { ...ENTRIES[1]!, front: { ...ENTRIES[1]!.front, withdrawn: { date: '2025-03-12', reason: 'Withdrawn for review.' } } }], { site: SITE }))
    const after = createApp((await useContent(withdrawn)).catalog, options)
    const report = await after.websub.detect(testEnv as never)
    expect(report.changed).toContain(topic)
    const batch = createMessageBatch<Delivery>('websub-deliveries', sent.splice(0).map((body, i) => ({ id: `m${i}`, timestamp: new Date(now), attempts: 1, body })))
    await worker(after).queue(batch, testEnv as unknown as Env)
    await getQueueResult(batch, createExecutionContext())
    const delivered = calls.filter((c) => c.url === 'https://sub.example/cb')
    expect(delivered).toHaveLength(1)
    expect(delivered[0]!.body).toContain('<at:deleted-entry ref="https://news.test/entries/doomed" when="2025-03-12T00:00:00Z"><at:comment type="text">Withdrawn for review.</at:comment></at:deleted-entry>')
  })
})
