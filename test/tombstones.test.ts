/**
 * Deleted entries (their file removed from content/) and the delivery of
 * tombstones: a load that ends an entry puts its tombstone in the new
 * version's catalog (src/store/tombstones.ts) and carries it forward for the
 * tombstone period; the deleted entry then answers 410 and is announced in
 * Atom and JSON Feed like a withdrawn one; an entry that comes back is live
 * again. A withdrawal reaches WebSub subscribers: change
 * detection sees the subscription document change and delivers the new
 * body, tombstone included.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { createApp } from '../src/app.ts'
import { compileContent } from '../src/content/compile.ts'
import { d1Target, loadRows } from '../src/store/load.ts'
import { catalogAt } from '../src/store/store.ts'
import type { Delivery } from '../src/websub/hub.ts'
import { worker } from '../src/websub/worker.ts'
import { files, rowsOf, SITE, useContent, type EntrySpec } from './helpers.ts'
import { checkFeed } from './validity.ts'

const ENTRIES: EntrySpec[] = [
  { id: 'kept', front: { published: '2025-03-12', topics: ['alpha'] } },
  {
    id: 'doomed',
    front: {
      published: '2025-03-01',
      topics: ['alpha', 'beta'],
      people: ['ana'],
      title: 'A doomed story',
    },
  },
]
const withDoomed = compileContent(files(ENTRIES))
// Without the doomed entry, topic beta has none: the topic list loses it too, as a publisher would have to.
const withoutDoomed = compileContent(
  files(ENTRIES.slice(0, 1), {
    topics: '- slug: alpha\n  title: Alpha\n  description: The first topic.\n',
  }),
)

/** Publishes `content` as the next version, and returns that version's catalog and an app over it. */
async function publish(content: ReturnType<typeof compileContent>) {
  const report = await loadRows(d1Target(env.DB), await rowsOf(content))
  const catalog = await catalogAt(env.DB, report.version)
  return { catalog, app: createApp(catalog) }
}

/** Starts the store afresh with `withDoomed` (the file's database holds the fixture publication, whose entries it would otherwise tombstone). */
async function startWithDoomed() {
  await env.DB.prepare("UPDATE meta SET value = 0 WHERE key = 'current'").run()
  await useContent(withDoomed)
}

describe('deleted entries', () => {
  it('are remembered by the load and served as 410 pages and tombstones', async () => {
    await startWithDoomed()
    const { catalog, app } = await publish(withoutDoomed)
    expect(catalog.tombstones).toEqual([
      {
        id: 'doomed',
        atomId: 'https://news.test/entries/doomed',
        url: 'https://news.test/entries/doomed',
        when: '2025-03-12T00:00:00Z',
        scopes: ['person:ana', 'site', 'source:test-gazette-report', 'topic:alpha', 'topic:beta'],
      },
    ])
    const get = (path: string) => app.request(`https://news.test${path}`, {}, env)
    expect((await get('/entries/doomed')).status).toBe(410)
    for (const base of ['', '/topics/alpha', '/people/ana']) {
      const atom = await (await get(`${base}/atom.xml`)).text()
      expect(atom, base).toContain(
        '<at:deleted-entry ref="https://news.test/entries/doomed" when="2025-03-12T00:00:00Z"></at:deleted-entry>',
      )
      expect(checkFeed('atom', atom, `https://news.test${base}/atom.xml`)).toEqual([])
      const json = await (await get(`${base}/feed.json`)).json<{ _news: unknown }>()
      expect(json._news).toEqual({
        deleted: [
          {
            id: 'https://news.test/entries/doomed',
            url: 'https://news.test/entries/doomed',
            when: '2025-03-12T00:00:00Z',
          },
        ],
      })
      expect(await (await get(`${base}/rss.xml`)).text()).not.toContain('doomed')
    }
    expect(await (await get('/search?q=doomed')).text()).not.toContain('entries/doomed')
  })

  it('are live again when their file comes back', async () => {
    await startWithDoomed()
    await publish(withoutDoomed)
    const { catalog, app } = await publish(withDoomed)
    expect(catalog.tombstones).toEqual([])
    expect((await app.request('https://news.test/entries/doomed', {}, env)).status).toBe(200)
  })

  it('are carried to later versions for the tombstone period, counted in content time', async () => {
    await startWithDoomed()
    await publish(withoutDoomed)
    const later = (published: string) =>
      compileContent(
        files([ENTRIES[0]!, { id: 'later', front: { published, topics: ['alpha'] } }], {
          topics: '- slug: alpha\n  title: Alpha\n  description: The first topic.\n',
        }),
      )
    // 2025-04-10 is 29 days after the deletion's date: still announced.
    expect((await publish(later('2025-04-10'))).catalog.tombstones.map((t) => t.id)).toEqual([
      'doomed',
    ])
    // 2025-04-12 is 31 days after it: gone from the catalog, and from the feeds.
    const { catalog, app } = await publish(later('2025-04-12'))
    expect(catalog.tombstones).toEqual([])
    expect(await (await app.request('https://news.test/atom.xml', {}, env)).text()).not.toContain(
      'deleted-entry',
    )
  })
})

describe('WebSub', () => {
  it('delivers the subscription document with the tombstone when an entry is withdrawn', async () => {
    const topic = 'https://news.test/topics/beta/atom.xml'
    const calls: { url: string; body: string }[] = []
    const sent: Delivery[] = []
    const now = Date.UTC(2026, 0, 1)
    const testEnv = {
      DB: env.DB,
      WEBSUB_QUEUE: {
        sendBatch: async (m: Iterable<{ body: Delivery }>) =>
          void [...m].forEach((x) => sent.push(x.body)),
      },
      WEBSUB_ALLOW_LOOPBACK: 'false',
    }
    const options = {
      websub: {
        fetch: async (r: Request) => (
          calls.push({ url: r.url, body: await r.text() }),
          new Response(null, { status: 204 })
        ),
        now: () => now,
      },
    }
    const before = createApp((await useContent(withDoomed)).catalog, options)
    await env.DB.prepare(
      "INSERT INTO websub_subscriptions (topic, callback, callback_host, lease_seconds, expires_at, state, created_at, verified_at) VALUES (?, 'https://sub.example/cb', 'sub.example', 864000, ?, 'active', ?, ?)",
    )
      .bind(topic, now + 864_000_000, now, now)
      .run()
    await before.websub.detect(testEnv as never)
    const withdrawn = compileContent(
      files(
        [
          ENTRIES[0]!,
          {
            ...ENTRIES[1]!,
            front: {
              ...ENTRIES[1]!.front,
              withdrawn: { date: '2025-03-12', reason: 'Withdrawn for review.' },
            },
          },
        ],
        { site: SITE },
      ),
    )
    const after = createApp((await useContent(withdrawn)).catalog, options)
    const report = await after.websub.detect(testEnv as never)
    expect(report.changed).toContain(topic)
    const batch = createMessageBatch<Delivery>(
      'websub-deliveries',
      sent
        .splice(0)
        .map((body, i) => ({ id: `m${i}`, timestamp: new Date(now), attempts: 1, body })),
    )
    await worker(after).queue(batch, testEnv as unknown as Env)
    await getQueueResult(batch, createExecutionContext())
    const delivered = calls.filter((c) => c.url === 'https://sub.example/cb')
    expect(delivered).toHaveLength(1)
    expect(delivered[0]!.body).toContain(
      '<at:deleted-entry ref="https://news.test/entries/doomed" when="2025-03-12T00:00:00Z"><at:comment type="text">Withdrawn for review.</at:comment></at:deleted-entry>',
    )
  })
})
