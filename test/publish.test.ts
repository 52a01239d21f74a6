/**
 * Publishing without a deploy: a load writes a new content version beside
 * the current one and flips to it in one statement; a reader during the
 * load sees one whole version; an isolate picks up the new version at its
 * next request; a failed load leaves the previous version serving; only
 * changed rows are written; WebSub follows publishes.
 */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it, vi } from 'vitest'
import { compileContent } from '../src/content/compile.ts'
import { d1Target, loadRows, type LoadTarget, type Statement } from '../src/store/load.ts'
import { prepareRows } from '../src/store/rows.ts'
import { versionedWorker, type VersionedOptions } from '../src/versions.ts'
import { BASIC, files, useContent, type EntrySpec } from './helpers.ts'

const contentOf = (entries: EntrySpec[], topics?: string) =>
  compileContent(files(entries, topics ? { topics } : {}))

async function get(
  worker: ReturnType<typeof versionedWorker>,
  path: string,
  bindings: object = env,
): Promise<Response> {
  const ctx = createExecutionContext()
  const res = await worker.fetch(new Request(`https://news.test${path}`), bindings as Env, ctx)
  await waitOnExecutionContext(ctx)
  return res
}

/** What a new isolate answers for each path. */
async function bodies(paths: string[]): Promise<string[]> {
  const worker = versionedWorker()
  return Promise.all(
    paths.map(
      async (p) => `${(await get(worker, p)).status} ${await (await get(worker, p)).text()}`,
    ),
  )
}

const PATHS = ['/feed.json', '/topics/alpha/atom.xml', '/', '/archive']
const ADDED: EntrySpec = { id: 'four', front: { published: '2025-04-15', topics: ['alpha'] } }

/** A target that runs each statement alone and calls `between` after each. */
function pausing(between: (done: Statement) => Promise<void>, failAfter = Infinity): LoadTarget {
  const base = d1Target(env.DB)
  let n = 0
  return {
    query: base.query,
    async run(statements) {
      for (const s of statements) {
        if (++n > failAfter) throw new Error('D1_ERROR: network connection lost')
        await base.run([s])
        await between(s)
      }
    },
  }
}

describe('a publish', () => {
  it('is seen whole or not at all by a reader during the load', async () => {
    await useContent(contentOf(BASIC))
    const before = await bodies(PATHS)
    const next = await prepareRows(contentOf([...BASIC, ADDED]))
    const seen: { sql: string; bodies: string[] }[] = []
    await loadRows(
      pausing(async (s) => void seen.push({ sql: s.sql, bodies: await bodies(PATHS) })),
      next,
    )
    const after = await bodies(PATHS)
    expect(after).not.toEqual(before)
    expect(after.every((b) => b.startsWith('200 '))).toBe(true)
    // Every state but the last (after the flip) serves the old version whole.
    expect(seen.length).toBeGreaterThan(10)
    for (const state of seen.slice(0, -1)) expect(state.bodies, state.sql).toEqual(before)
    expect(seen.at(-1)!.sql).toMatch(/^UPDATE meta SET value/)
    expect(seen.at(-1)!.bodies).toEqual(after)
  })

  it('reaches a running isolate at its next request, with no 503 and no old memoised body', async () => {
    await useContent(contentOf(BASIC))
    const worker = versionedWorker()
    const old = await (await get(worker, '/rss.xml')).text()
    expect(old).not.toContain('Title four')
    await useContent(contentOf([...BASIC, ADDED]))
    const res = await get(worker, '/rss.xml')
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('Title four')
  })

  it('that fails part way leaves the previous version serving, and the next load clears what it wrote', async () => {
    await useContent(contentOf(BASIC))
    const before = await bodies(PATHS)
    const next = await prepareRows(contentOf([...BASIC, ADDED]))
    await expect(
      loadRows(
        pausing(async () => {}, 12),
        next,
      ),
    ).rejects.toThrow('D1_ERROR')
    expect(await bodies(PATHS)).toEqual(before)
    const report = await loadRows(d1Target(env.DB), next)
    expect(report.written).toBe(1)
    expect((await bodies(['/rss.xml']))[0]).toContain('Title four')
    const current = "(SELECT value FROM meta WHERE key = 'current')"
    const stray = await env.DB.prepare(
      `SELECT count(*) AS n FROM entries WHERE since > ${current} OR (until > ${current} AND until < 9007199254740991)`,
    ).first<{ n: number }>()
    expect(stray?.n).toBe(0)
  })

  it('writes only changed rows: a backdated entry moves the positions of later entries, not their rows', async () => {
    const three = contentOf(BASIC)
    await useContent(three)
    const written: Statement[] = []
    const base = d1Target(env.DB)
    const recording: LoadTarget = {
      query: base.query,
      run: async (s) => (written.push(...s), base.run(s)),
    }
    const backdated: EntrySpec = {
      id: 'zero',
      front: { published: '2024-12-01', topics: ['alpha'] },
    }
    const report = await loadRows(recording, await prepareRows(contentOf([...BASIC, backdated])))
    expect(report).toMatchObject({ written: 1, deleted: 0, unchanged: 3 })
    expect(
      written.filter((s) => s.sql.startsWith('INSERT INTO entries')).map((s) => s.params[2]),
    ).toEqual(['zero'])
    // Each later entry's memberships move (site and alpha positions shift by one); only the new entry gets item rows.
    expect(
      written.filter((s) => s.sql.startsWith('UPDATE memberships SET until = ? WHERE ts = ?'))
        .length,
    ).toBe(3)
    expect(
      new Set(written.filter((s) => s.sql.startsWith('INSERT INTO items')).map((s) => s.params[0]))
        .size,
    ).toBe(1)
    const again = await loadRows(recording, await prepareRows(contentOf([...BASIC, backdated])))
    expect(again).toMatchObject({ written: 0, purge: [] })
  })

  it('stores one item row per format, so a format is rows, not a column', async () => {
    await useContent(contentOf(BASIC))
    const formats = await env.DB.prepare(
      "SELECT DISTINCT format FROM items WHERE entry IN (SELECT key FROM entries WHERE id = 'one') ORDER BY format",
    ).all<{ format: string }>()
    expect(formats.results.map((r) => r.format)).toEqual(['atom', 'json', 'rss'])
  })
})

describe('WebSub follows publishes', () => {
  const TOPIC = 'https://news.test/atom.xml'
  const CALLBACK = 'https://subscriber.example/cb'

  function hubEnv() {
    const sent: { topic: string; id: number }[] = []
    const queue = {
      sendBatch: async (messages: Iterable<{ body: { topic: string; id: number } }>) =>
        void [...messages].forEach((m) => sent.push(m.body)),
    }
    return {
      sent,
      bindings: {
        ...env,
        WEBSUB_QUEUE: queue,
        WEBSUB_ALLOW_LOOPBACK: 'false',
        WEBSUB_PUBLISH_TOKEN: 'publish-token',
      },
    }
  }
  const options: VersionedOptions = {
    // The subscriber echoes each challenge.
    websub: {
      fetch: async (req) =>
        new Response(new URL(req.url).searchParams.get('hub.challenge') ?? 'ok'),
    },
    purger: () => undefined,
  }

  it('a subscription verified before any detection ran receives the first change after it', async () => {
    await env.DB.batch([
      env.DB.prepare('DELETE FROM websub_subscriptions'),
      env.DB.prepare('DELETE FROM websub_topics'),
    ])
    await useContent(contentOf(BASIC))
    await env.DB.prepare(
      "UPDATE meta SET value = (SELECT value FROM meta WHERE key = 'current') WHERE key = 'detected'",
    ).run()
    const { sent, bindings } = hubEnv()
    const worker = versionedWorker(options)
    const ctx = createExecutionContext()
    const subscribed = await worker.fetch(
      new Request('https://news.test/websub', {
        method: 'POST',
        body: new URLSearchParams({
          'hub.mode': 'subscribe',
          'hub.topic': TOPIC,
          'hub.callback': CALLBACK,
        }),
      }),
      bindings as unknown as Env,
      ctx,
    )
    await waitOnExecutionContext(ctx)
    expect(subscribed.status).toBe(202)
    expect(
      (await env.DB.prepare('SELECT state FROM websub_subscriptions').first<{ state: string }>())
        ?.state,
    ).toBe('active')

    // The cron does nothing while the version stays the same.
    expect(
      await worker.followPublish(bindings as unknown as Env, createExecutionContext()),
    ).toMatchObject({ topics: [], purged: [] })
    expect(
      await env.DB.prepare('SELECT count(*) AS n FROM websub_topics').first<{ n: number }>(),
    ).toEqual({ n: 0 })

    await useContent(contentOf([...BASIC, ADDED]))
    const report = await worker.followPublish(bindings as unknown as Env, createExecutionContext())
    expect(report.topics).toContain(TOPIC)
    expect(report.topics).toContain('https://news.test/topics/alpha/rss.xml')
    expect(report.topics).not.toContain('https://news.test/topics/beta/rss.xml')
    expect(sent).toEqual([{ topic: TOPIC, id: expect.any(Number) }])
    expect(
      await worker.followPublish(bindings as unknown as Env, createExecutionContext()),
    ).toMatchObject({ topics: [] })
  })

  it('POST /_publish needs the publish token, then purges the changed tags', async () => {
    await useContent(contentOf(BASIC))
    await env.DB.prepare(
      "UPDATE meta SET value = (SELECT value FROM meta WHERE key = 'current') WHERE key = 'detected'",
    ).run()
    const purged: string[][] = []
    const worker = versionedWorker({
      ...options,
      purger: () => ({ purge: async (tags) => void purged.push(tags) }),
    })
    const { bindings } = hubEnv()
    const post = (token: string) =>
      worker.fetch(
        new Request('https://news.test/_publish', {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}` },
        }),
        bindings as unknown as Env,
        createExecutionContext(),
      )
    expect((await post('wrong')).status).toBe(401)
    await useContent(contentOf([...BASIC, ADDED]))
    const res = await post('publish-token')
    expect(res.status).toBe(200)
    expect(purged.flat()).toContain('scope:topic:alpha')
    expect(purged.flat()).not.toContain('scope:topic:beta')
  })
})

describe('before anything is published', () => {
  it('the Worker answers 503 with Retry-After, and says what to run', async () => {
    await env.DB.prepare("UPDATE meta SET value = 0 WHERE key = 'current'").run()
    const log = vi.spyOn(console, 'error').mockImplementation(() => {})
    const res = await get(versionedWorker(), '/rss.xml')
    expect(res.status).toBe(503)
    expect(res.headers.get('Retry-After')).toBeTruthy()
    expect(await res.text()).toContain('npm start')
    log.mockRestore()
  })
})
