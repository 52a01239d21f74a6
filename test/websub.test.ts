/**
 * The WebSub hub inside workerd: discovery, subscription requests and their
 * 400s, verification of intent, denials, unsubscription, leases, change
 * detection and queued delivery (signed and unsigned, retried, given up,
 * 410), callback URL rules, bounds and the publish trigger. Outbound calls go
 * to an in-test subscriber through the hub's injectable `fetch`; the queue is
 * a recording fake whose messages are handed to the consumer as a batch.
 */
import {
  createExecutionContext,
  createMessageBatch,
  getQueueResult,
  waitOnExecutionContext,
} from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { beforeEach, describe, expect, it } from 'vitest'
import { compileContent } from '../src/content/compile.ts'
import { checkCallback, hostKind } from '../src/websub/callback.ts'
import { DENIAL, type Delivery } from '../src/websub/hub.ts'
import { LEASE, MAX_ATTEMPTS } from '../src/websub/policy.ts'
import { hmacSha256Hex } from '../src/websub/signature.ts'
import type { Subscription } from '../src/websub/store.ts'
import { worker } from '../src/websub/worker.ts'
import { createApp } from '../src/app.ts'
import { BASIC, files, SITE, useContent, type EntrySpec } from './helpers.ts'

const HUB = 'https://news.test/websub'
const TOPIC = 'https://news.test/rss.xml'
const CALLBACK = 'https://subscriber.example/cb?feed=1'
const START = Date.UTC(2026, 0, 1)

interface Call {
  method: string
  url: URL
  headers: Headers
  body: Uint8Array
}

type Behaviour = (call: Call, signal: AbortSignal) => Response | Promise<Response>

/** A subscriber that answers verification with the challenge and accepts content with 204. */
const echo: Behaviour = (call) =>
  call.method === 'GET'
    ? new Response(call.url.searchParams.get('hub.challenge') ?? '')
    : new Response(null, { status: 204 })

beforeEach(async () => {
  await env.DB.batch([
    env.DB.prepare('DELETE FROM websub_subscriptions'),
    env.DB.prepare('DELETE FROM websub_topics'),
  ])
})

async function harness(
  options: {
    entries?: EntrySpec[]
    site?: string
    behave?: Behaviour
    timeoutMs?: number
    limits?: { perDomain: number; total: number; fairShare: number; ceiling: number }
  } = {},
) {
  const clock = { now: START }
  const calls: Call[] = []
  const state = { behave: options.behave ?? echo }
  const fetch = async (request: Request) => {
    const call = {
      method: request.method,
      url: new URL(request.url),
      headers: request.headers,
      body: new Uint8Array(await request.arrayBuffer()),
    }
    calls.push(call)
    return state.behave(call, request.signal)
  }
  const sent: Delivery[] = []
  const queue = {
    sendBatch: async (messages: Iterable<{ body: Delivery }>) =>
      void [...messages].forEach((m) => sent.push(m.body)),
  }
  const testEnv = {
    DB: env.DB,
    WEBSUB_QUEUE: queue,
    WEBSUB_ALLOW_LOOPBACK: 'false',
    WEBSUB_PUBLISH_TOKEN: 'deploy-token',
  }
  // A new app over the new content in the same D1, as a deploy would make.
  const make = async (entries: EntrySpec[]) =>
    createApp(
      (await useContent(compileContent(files(entries, options.site ? { site: options.site } : {}))))
        .catalog,
      {
        websub: {
          fetch,
          now: () => clock.now,
          timeoutMs: options.timeoutMs ?? 10_000,
          limits: options.limits,
        },
      },
    )
  let app = await make(options.entries ?? BASIC)

  async function request(req: Request, bindings: object = testEnv) {
    const ctx = createExecutionContext()
    const res = await app.fetch(req, bindings, ctx)
    await waitOnExecutionContext(ctx)
    return res
  }
  return {
    clock,
    calls,
    sent,
    state,
    env: testEnv,
    get app() {
      return app
    },
    /** Replaces the content (a new app over the same D1), as a deploy would. */
    async change(entries: EntrySpec[]) {
      app = await make(entries)
    },
    request,
    post: (form: Record<string, string>) =>
      request(new Request(HUB, { method: 'POST', body: new URLSearchParams(form) })),
    subscribe: (extra: Record<string, string> = {}) =>
      request(
        new Request(HUB, {
          method: 'POST',
          body: new URLSearchParams({
            'hub.mode': 'subscribe',
            'hub.topic': TOPIC,
            'hub.callback': CALLBACK,
            ...extra,
          }),
        }),
      ),
    detect: () => app.websub.detect(testEnv),
    /** Hands every queued message to the consumer as one batch, each on attempt `attempts`. */
    async deliver(attempts = 1) {
      const batch = createMessageBatch<Delivery>(
        'websub-deliveries',
        sent.splice(0).map((body, i) => ({ id: `m${i}`, timestamp: clock.now, attempts, body })),
      )
      // getQueueResult does not report a retry's delay: record it on the way.
      const delays: Record<string, number | undefined> = {}
      for (const message of batch.messages) {
        const retry = message.retry.bind(message)
        Object.defineProperty(message, 'retry', {
          value: (o?: QueueRetryOptions) => ((delays[message.id] = o?.delaySeconds), retry(o)),
        })
      }
      const ctx = createExecutionContext()
      await worker(app).queue(batch, testEnv as unknown as Env)
      const result = await getQueueResult(batch, ctx)
      return {
        ...result,
        retryMessages: result.retryMessages.map((m) => ({ ...m, delaySeconds: delays[m.msgId] })),
      }
    },
    /** Re-queues the given messages (what the platform does on retry). */
    requeue(messages: Delivery[]) {
      sent.push(...messages)
    },
  }
}

const rows = async () =>
  (await env.DB.prepare('SELECT * FROM websub_subscriptions ORDER BY id').all<Subscription>())
    .results

describe('discovery (WebSub section 4)', () => {
  it('every unfiltered feed names the hub and itself, in the body and in Link', async () => {
    const h = await harness()
    const bodies = await Promise.all(
      ['/rss.xml', '/atom.xml', '/topics/alpha/feed.json'].map((p) =>
        h.request(new Request(`https://news.test${p}`)),
      ),
    )
    const [rss, atom, json] = await Promise.all(bodies.map((r) => r.text()))
    expect(rss).toContain(`<atom:link href="${HUB}" rel="hub" />`)
    expect(rss).toContain(`<atom:link href="${TOPIC}" rel="self"`)
    expect(atom).toContain(`<link rel="hub" href="${HUB}" />`)
    expect(JSON.parse(json!).hubs).toEqual([{ type: 'WebSub', url: HUB }])
    expect(bodies[0]!.headers.get('Link')).toBe(`<${HUB}>; rel="hub", <${TOPIC}>; rel="self"`)
    expect(bodies[2]!.headers.get('Link')).toBe(
      `<${HUB}>; rel="hub", <https://news.test/topics/alpha/feed.json>; rel="self"`,
    )
  })

  it('a filtered feed names only itself: the hub does not distribute it', async () => {
    const h = await harness()
    const res = await h.request(new Request('https://news.test/rss.xml?topic=alpha'))
    expect(res.headers.get('Link')).toBe('<https://news.test/rss.xml?topic=alpha>; rel="self"')
    expect(await res.text()).not.toContain('rel="hub"')
  })

  it('websub: off removes the links and the endpoint; an external hub is advertised instead of /websub', async () => {
    const off = await harness({ site: `${SITE}websub: off\n` })
    const res = await off.request(new Request(TOPIC))
    expect(res.headers.get('Link')).toBe(`<${TOPIC}>; rel="self"`)
    expect(await res.text()).not.toContain('rel="hub"')
    expect((await off.subscribe()).status).toBe(404)

    const external = await harness({ site: `${SITE}websub: https://hub.example/\n` })
    const feed = await external.request(new Request('https://news.test/feed.json'))
    expect(feed.headers.get('Link')).toBe(
      `<https://hub.example/>; rel="hub", <https://news.test/feed.json>; rel="self"`,
    )
    expect(JSON.parse(await feed.text()).hubs).toEqual([
      { type: 'WebSub', url: 'https://hub.example/' },
    ])
    expect((await external.subscribe()).status).toBe(404)
  })

  it('the site setting refuses anything but self, off or an http(s) URL', () => {
    expect(() =>
      compileContent(files(BASIC, { site: `${SITE}websub: ftp://hub.example/\n` })),
    ).toThrow(/site\.yaml: websub: /)
  })

  it('a feed request does no hub work: no outbound call, no query beyond the store read, none at all on a memo hit', async () => {
    const h = await harness()
    let batches = 0
    const counting = new Proxy(env.DB, {
      get: (target, key) =>
        key === 'batch'
          ? (statements: D1PreparedStatement[]) => (batches++, target.batch(statements))
          : (Reflect.get(target, key)?.bind?.(target) ?? Reflect.get(target, key)),
    })
    const untouchable = new Proxy(
      {},
      {
        get: () => {
          throw new Error('a feed request used D1')
        },
      },
    )
    for (const path of ['/rss.xml', '/topics/alpha/atom.xml', '/feed.json?topic=beta']) {
      const before = batches
      expect(
        (await h.request(new Request(`https://news.test${path}`), { ...h.env, DB: counting }))
          .status,
      ).toBe(200)
      expect(batches - before, path).toBe(1)
      expect(
        (await h.request(new Request(`https://news.test${path}`), { ...h.env, DB: untouchable }))
          .status,
      ).toBe(200)
    }
    expect(h.calls).toEqual([])
  })
})

describe('methods', () => {
  it('POST is allowed for /websub only; other methods there get 405 with Allow: POST', async () => {
    const h = await harness()
    expect((await h.request(new Request(TOPIC, { method: 'POST', body: 'x' }))).status).toBe(405)
    expect((await h.request(new Request(HUB, { method: 'PUT', body: 'x' }))).status).toBe(405)
    const get = await h.request(new Request(HUB))
    expect(get.status).toBe(405)
    expect(get.headers.get('Allow')).toBe('POST')
  })
})

describe('subscription requests that cannot be read: 400 naming the field (section 5.1.1)', () => {
  const base = { 'hub.mode': 'subscribe', 'hub.topic': TOPIC, 'hub.callback': CALLBACK }
  const cases: [string, Record<string, string>, string][] = [
    ['missing hub.mode', { 'hub.topic': TOPIC, 'hub.callback': CALLBACK }, '"hub.mode"'],
    ['unknown hub.mode', { ...base, 'hub.mode': 'subscrbe' }, '"hub.mode"'],
    ['missing hub.topic', { 'hub.mode': 'subscribe', 'hub.callback': CALLBACK }, '"hub.topic"'],
    ['relative hub.topic', { ...base, 'hub.topic': '/rss.xml' }, '"hub.topic"'],
    ['missing hub.callback', { 'hub.mode': 'subscribe', 'hub.topic': TOPIC }, '"hub.callback"'],
    ['private hub.callback', { ...base, 'hub.callback': 'http://10.0.0.7/cb' }, '"hub.callback"'],
    [
      'hub.lease_seconds not a number',
      { ...base, 'hub.lease_seconds': '1e6' },
      '"hub.lease_seconds"',
    ],
    ['hub.secret of 200 bytes', { ...base, 'hub.secret': 'é'.repeat(100) }, '"hub.secret"'],
  ]
  for (const [name, form, field] of cases) {
    it(name, async () => {
      const h = await harness()
      const res = await h.post(form)
      expect(res.status).toBe(400)
      expect(await res.text()).toContain(field)
      expect(h.calls).toEqual([])
    })
  }

  it('a repeated field, the wrong content type and an oversized body', async () => {
    const h = await harness()
    const repeated = await h.request(
      new Request(HUB, {
        method: 'POST',
        body: `hub.mode=subscribe&hub.mode=unsubscribe&hub.topic=${TOPIC}`,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      }),
    )
    expect(repeated.status).toBe(400)
    expect(await repeated.text()).toContain('Repeated "hub.mode"')
    const json = await h.request(
      new Request(HUB, {
        method: 'POST',
        body: JSON.stringify(base),
        headers: { 'Content-Type': 'application/json' },
      }),
    )
    expect(json.status).toBe(400)
    expect(await json.text()).toContain('"Content-Type"')
    const big = await h.post({ ...base, padding: 'x'.repeat(10_000) })
    expect(big.status).toBe(400)
  })

  it('a secret of 199 bytes is accepted', async () => {
    const h = await harness()
    expect((await h.subscribe({ 'hub.secret': 's'.repeat(199) })).status).toBe(202)
  })

  it('nothing the subscriber sent is reflected', async () => {
    const h = await harness()
    const res = await h.post({ ...base, 'hub.callback': 'javascript:<script>alert(1)</script>' })
    expect(res.status).toBe(400)
    expect(await res.text()).not.toContain('<script>')
  })
})

describe('verification of intent (section 5.3)', () => {
  it('subscribe: 202, then a GET with mode, topic, an unguessable challenge and the lease; active once echoed', async () => {
    const h = await harness()
    const res = await h.subscribe()
    expect(res.status).toBe(202)
    expect(h.calls).toHaveLength(1)
    const { method, url } = h.calls[0]!
    expect(method).toBe('GET')
    expect(url.origin + url.pathname).toBe('https://subscriber.example/cb')
    expect(url.searchParams.get('feed')).toBe('1')
    expect(url.searchParams.get('hub.mode')).toBe('subscribe')
    expect(url.searchParams.get('hub.topic')).toBe(TOPIC)
    expect(url.searchParams.get('hub.challenge')).toMatch(/^[0-9a-f]{64}$/)
    expect(url.searchParams.get('hub.lease_seconds')).toBe(String(LEASE.default))
    const [row] = await rows()
    expect(row).toMatchObject({
      topic: TOPIC,
      callback: CALLBACK,
      state: 'active',
      secret: null,
      expires_at: START + LEASE.default * 1000,
      verified_at: START,
    })
    await h.subscribe()
    expect(h.calls[1]!.url.searchParams.get('hub.challenge')).not.toBe(
      url.searchParams.get('hub.challenge'),
    )
  })

  it('a wrong echo, a non-2xx echo and a redirect leave no subscription', async () => {
    for (const behave of [
      () => new Response('not the challenge'),
      (call: Call) => new Response(call.url.searchParams.get('hub.challenge'), { status: 404 }),
      (call: Call) => new Response(`${call.url.searchParams.get('hub.challenge')}\n`),
      () => new Response(null, { status: 302, headers: { Location: 'http://127.0.0.1/' } }),
    ]) {
      const h = await harness({ behave })
      expect((await h.subscribe()).status).toBe(202)
      expect(await rows()).toEqual([])
    }
  })

  it('a callback that does not answer in time leaves no subscription', async () => {
    const h = await harness({
      timeoutMs: 20,
      behave: (_call, signal) =>
        new Promise((_resolve, reject) =>
          signal.addEventListener('abort', () => reject(signal.reason)),
        ),
    })
    expect((await h.subscribe()).status).toBe(202)
    expect(h.calls).toHaveLength(1)
    expect(await rows()).toEqual([])
  })

  it('the lease asked for is kept within 1 hour and 30 days', async () => {
    const h = await harness()
    await h.subscribe({ 'hub.lease_seconds': '60' })
    expect(h.calls[0]!.url.searchParams.get('hub.lease_seconds')).toBe(String(LEASE.min))
    await h.subscribe({ 'hub.lease_seconds': '999999999' })
    expect(h.calls[1]!.url.searchParams.get('hub.lease_seconds')).toBe(String(LEASE.max))
    expect((await rows())[0]!.lease_seconds).toBe(LEASE.max)
  })

  it('a renewal that fails verification leaves the active subscription as it was', async () => {
    const h = await harness()
    await h.subscribe({ 'hub.secret': 'first' })
    h.state.behave = () => new Response('no')
    await h.subscribe({ 'hub.secret': 'second' })
    expect(await rows()).toMatchObject([{ state: 'active', secret: 'first' }])
  })

  it('unsubscribe is verified the same way before the subscription goes', async () => {
    const h = await harness()
    await h.subscribe()
    h.state.behave = () => new Response('no')
    await h.post({ 'hub.mode': 'unsubscribe', 'hub.topic': TOPIC, 'hub.callback': CALLBACK })
    expect(h.calls[1]!.url.searchParams.get('hub.mode')).toBe('unsubscribe')
    expect(h.calls[1]!.url.searchParams.has('hub.lease_seconds')).toBe(false)
    expect(await rows()).toHaveLength(1)
    h.state.behave = echo
    expect(
      (await h.post({ 'hub.mode': 'unsubscribe', 'hub.topic': TOPIC, 'hub.callback': CALLBACK }))
        .status,
    ).toBe(202)
    expect(await rows()).toEqual([])
    // Nothing left to remove: no request goes out.
    await h.post({ 'hub.mode': 'unsubscribe', 'hub.topic': TOPIC, 'hub.callback': CALLBACK })
    expect(h.calls).toHaveLength(3)
  })
})

describe('denials (section 5.2)', () => {
  for (const [topic, reason] of [
    ['https://news.test/rss.xml?topic=alpha', DENIAL.filtered],
    ['https://news.test/topics/nope/rss.xml', DENIAL.unknown],
    ['https://elsewhere.example/rss.xml', DENIAL.unknown],
  ] as const) {
    it(`${topic} is denied with a reason`, async () => {
      const h = await harness()
      expect((await h.subscribe({ 'hub.topic': topic })).status).toBe(202)
      expect(h.calls).toHaveLength(1)
      const { searchParams } = h.calls[0]!.url
      expect(Object.fromEntries(searchParams)).toEqual({
        feed: '1',
        'hub.mode': 'denied',
        'hub.topic': topic,
        'hub.reason': reason,
      })
      expect(await rows()).toEqual([])
    })
  }

  it('every unfiltered feed in every format is accepted', async () => {
    const h = await harness()
    for (const path of [
      '/atom.xml',
      '/feed.json',
      '/topics/alpha/rss.xml',
      '/topics/beta/atom.xml',
      '/topics/beta/feed.json',
    ]) {
      await h.subscribe({ 'hub.topic': `https://news.test${path}` })
    }
    expect((await rows()).map((r) => r.state)).toEqual(Array(5).fill('active'))
  })

  it('bounds per callback host and in total', async () => {
    const h = await harness({ limits: { perDomain: 2, total: 3, fairShare: 0, ceiling: 3 } })
    await h.subscribe({ 'hub.topic': 'https://news.test/rss.xml' })
    await h.subscribe({ 'hub.topic': 'https://news.test/atom.xml' })
    await h.subscribe({ 'hub.topic': 'https://news.test/feed.json' })
    expect(h.calls[2]!.url.searchParams.get('hub.reason')).toBe(DENIAL.domain)
    // Renewing an existing subscription is not a new one.
    await h.subscribe({ 'hub.topic': 'https://news.test/rss.xml' })
    expect(h.calls[3]!.url.searchParams.get('hub.mode')).toBe('subscribe')
    await h.subscribe({ 'hub.callback': 'https://other.example/cb' })
    await h.subscribe({ 'hub.callback': 'https://third.example/cb' })
    expect(h.calls[5]!.url.searchParams.get('hub.reason')).toBe(DENIAL.total)
    expect(await rows()).toHaveLength(3)
  })
})

describe('leases', () => {
  it('an expired subscription receives nothing and is deleted by the cron', async () => {
    const h = await harness()
    await h.detect()
    await h.subscribe({ 'hub.lease_seconds': String(LEASE.min) })
    h.clock.now += LEASE.min * 1000
    await h.change([...BASIC, { id: 'four', front: { published: '2025-04-01' } }])
    const report = await h.detect()
    expect(report.expired).toBe(1)
    expect(report.changed).toContain(TOPIC)
    expect(h.sent).toEqual([])
    expect(await rows()).toEqual([])
  })

  it('a subscription whose verification never finished is dropped after an hour', async () => {
    const h = await harness()
    await env.DB.prepare(
      "INSERT INTO websub_subscriptions (topic, callback, callback_host, lease_seconds, state, created_at) VALUES (?, ?, 'x.example', 3600, 'pending', ?)",
    )
      .bind(TOPIC, 'https://x.example/', START)
      .run()
    await h.detect()
    expect(await rows()).toHaveLength(1)
    h.clock.now += 3_600_000
    expect((await h.detect()).expired).toBe(1)
  })
})

describe('distribution (sections 7 and 8)', () => {
  const NEW: EntrySpec[] = [
    ...BASIC,
    { id: 'four', front: { published: '2025-04-01', topics: ['beta'] } },
  ]

  it('a topic seen for the first time is stored, not delivered; an unchanged one is not delivered', async () => {
    const h = await harness()
    await h.subscribe()
    expect(await h.detect()).toMatchObject({ changed: [], enqueued: 0 })
    // The site, two topics, two people and two sources, in three formats.
    expect(
      (await env.DB.prepare('SELECT COUNT(*) AS n FROM websub_topics').first<{ n: number }>())!.n,
    ).toBe(21)
    expect(await h.detect()).toMatchObject({ changed: [], enqueued: 0 })
    await h.change(BASIC)
    expect(await h.detect()).toMatchObject({ changed: [], enqueued: 0 })
    expect(h.sent).toEqual([])
  })

  it('a change is delivered to each subscriber of the changed topics only, signed with its secret', async () => {
    const h = await harness()
    await h.detect()
    await h.subscribe({ 'hub.secret': 'sekrit' })
    await h.subscribe({ 'hub.callback': 'https://plain.example/hook' })
    await h.subscribe({
      'hub.topic': 'https://news.test/topics/alpha/atom.xml',
      'hub.callback': 'https://alpha.example/hook',
    })
    h.calls.length = 0
    await h.change(NEW)
    const report = await h.detect()
    expect(report.changed).not.toContain('https://news.test/topics/alpha/atom.xml')
    expect(report.enqueued).toBe(2)
    const result = await h.deliver()
    expect(result.explicitAcks.sort()).toEqual(['m0', 'm1'])
    expect(result.retryMessages).toEqual([])

    const feed = await h.request(new Request(TOPIC))
    const body = new Uint8Array(await feed.arrayBuffer())
    expect(h.calls).toHaveLength(2)
    for (const call of h.calls) {
      expect(call.method).toBe('POST')
      expect(call.body).toEqual(body)
      expect(call.headers.get('Content-Type')).toBe('application/xml; charset=utf-8')
      expect(call.headers.get('Link')).toBe(`<${HUB}>; rel="hub", <${TOPIC}>; rel="self"`)
    }
    const signed = h.calls.find((c) => c.url.hostname === 'subscriber.example')!
    expect(signed.headers.get('X-Hub-Signature')).toBe(
      `sha256=${await hmacSha256Hex('sekrit', body)}`,
    )
    expect(
      h.calls.find((c) => c.url.hostname === 'plain.example')!.headers.has('X-Hub-Signature'),
    ).toBe(false)
    // The new validator is stored: the next run delivers nothing.
    expect(await h.detect()).toMatchObject({ changed: [], enqueued: 0 })
  })

  it('the signature is that of the body under the secret (RFC 4231 test case 2)', async () => {
    expect(
      await hmacSha256Hex('Jefe', new TextEncoder().encode('what do ya want for nothing?')),
    ).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843')
  })

  it('a failing callback is retried with exponential backoff, then given up; one failure delays no other', async () => {
    const h = await harness()
    await h.detect()
    await h.subscribe({ 'hub.callback': 'https://down.example/hook' })
    await h.subscribe({ 'hub.callback': 'https://up.example/hook' })
    h.state.behave = (call) =>
      call.method === 'GET'
        ? echo(call, new AbortController().signal)
        : new Response('no', { status: call.url.hostname === 'down.example' ? 503 : 200 })
    await h.change(NEW)
    await h.detect()
    const queued = [...h.sent]
    const first = await h.deliver(1)
    expect(first.explicitAcks).toEqual(['m1'])
    expect(first.retryMessages).toEqual([{ msgId: 'm0', delaySeconds: 30 }])
    h.requeue([queued[0]!])
    expect((await h.deliver(3)).retryMessages).toEqual([{ msgId: 'm0', delaySeconds: 120 }])
    h.requeue([queued[0]!])
    const last = await h.deliver(MAX_ATTEMPTS)
    expect(last.explicitAcks).toEqual(['m0'])
    expect(last.retryMessages).toEqual([])
    expect((await rows()).map((r) => [r.callback, r.attempts])).toEqual([
      ['https://down.example/hook', 3],
      ['https://up.example/hook', 0],
    ])
    // The callback recovers: the next delivery succeeds and clears the count.
    h.state.behave = echo
    h.requeue([queued[0]!])
    expect((await h.deliver(1)).explicitAcks).toEqual(['m0'])
    expect((await rows())[0]!.attempts).toBe(0)
  })

  it('410 Gone removes the subscription; a message for a removed subscription is dropped', async () => {
    const h = await harness()
    await h.detect()
    await h.subscribe()
    h.state.behave = (call) =>
      call.method === 'GET'
        ? echo(call, new AbortController().signal)
        : new Response(null, { status: 410 })
    await h.change(NEW)
    await h.detect()
    const queued = [...h.sent]
    expect((await h.deliver()).explicitAcks).toEqual(['m0'])
    expect(await rows()).toEqual([])
    h.requeue(queued)
    const calls = h.calls.length
    expect((await h.deliver()).explicitAcks).toEqual(['m0'])
    expect(h.calls).toHaveLength(calls)
  })

  it('with an external hub, a change is a publish ping to it, not a delivery', async () => {
    const h = await harness({
      site: `${SITE}websub: https://hub.example/\n`,
      behave: () => new Response(null, { status: 204 }),
    })
    await h.detect()
    await h.change(NEW)
    await h.detect()
    expect(h.sent).toEqual([])
    const pings = h.calls.filter((c) => c.url.href === 'https://hub.example/')
    expect(
      pings
        .map((c) => new URLSearchParams(new TextDecoder().decode(c.body)).get('hub.topic'))
        .sort(),
    ).toEqual([
      'https://news.test/atom.xml',
      'https://news.test/feed.json',
      'https://news.test/rss.xml',
      'https://news.test/sources/test-gazette-report/atom.xml',
      'https://news.test/sources/test-gazette-report/feed.json',
      'https://news.test/sources/test-gazette-report/rss.xml',
      // A source no entry draws on: its empty RSS and Atom documents carry the site's newest time.
      'https://news.test/sources/undated-note/atom.xml',
      'https://news.test/sources/undated-note/rss.xml',
      'https://news.test/topics/beta/atom.xml',
      'https://news.test/topics/beta/feed.json',
      'https://news.test/topics/beta/rss.xml',
    ])
    expect(new URLSearchParams(new TextDecoder().decode(pings[0]!.body)).get('hub.mode')).toBe(
      'publish',
    )
  })
})

describe('publish trigger (the deploy)', () => {
  it('runs detection only with the right bearer token', async () => {
    const h = await harness()
    await h.detect()
    await h.subscribe()
    await h.change([...BASIC, { id: 'four', front: { published: '2025-04-01' } }])
    const publish = (token?: string) =>
      h.request(
        new Request(HUB, {
          method: 'POST',
          body: new URLSearchParams({ 'hub.mode': 'publish' }),
          headers: token ? { Authorization: `Bearer ${token}` } : {},
        }),
      )
    expect((await publish()).status).toBe(401)
    expect((await publish('wrong')).status).toBe(401)
    expect(h.sent).toEqual([])
    expect((await publish('deploy-token')).status).toBe(202)
    expect(h.sent).toHaveLength(1)
    delete (h.env as { WEBSUB_PUBLISH_TOKEN?: string }).WEBSUB_PUBLISH_TOKEN
    expect((await publish('deploy-token')).status).toBe(403)
  })
})

describe('callback URLs', () => {
  const strict = { allowLoopback: false }
  const accepted = [
    'https://example.com/cb',
    'http://sub.example.org:8080/hook?x=1',
    'https://93.184.216.34/cb',
    'https://[2606:4700::1111]/cb',
    'https://xn--bcher-kva.example/',
  ]
  const refused: [string, RegExp][] = [
    ['ftp://example.com/cb', /http or https/],
    ['not a url', /absolute URL/],
    ['https://user:pass@example.com/cb', /credentials/],
    ['https://example.com/cb#frag', /fragment/],
    ['http://localhost/cb', /loopback/],
    ['http://api.localhost/cb', /loopback/],
    ['http://127.0.0.1/cb', /loopback/],
    ['http://127.1/cb', /loopback/],
    ['http://2130706433/cb', /loopback/],
    ['http://0x7f000001/cb', /loopback/],
    ['http://0177.0.0.1/cb', /loopback/],
    ['http://[::1]/cb', /loopback/],
    ['http://[::ffff:127.0.0.1]/cb', /loopback/],
    ['http://[::ffff:10.1.2.3]/cb', /private/],
    ['http://[64:ff9b::a00:1]/cb', /private/],
    ['http://[2002:c0a8:101::1]/cb', /private/],
    ['http://0.0.0.0/cb', /reserved/],
    ['http://10.0.0.1/cb', /private/],
    ['http://172.16.5.4/cb', /private/],
    ['http://172.31.255.255/cb', /private/],
    ['http://192.168.1.1/cb', /private/],
    ['http://0xc0.0xa8.1.1/cb', /private/],
    ['http://3232235777/cb', /private/],
    ['http://100.64.0.1/cb', /private/],
    ['http://169.254.169.254/latest/meta-data', /link-local/],
    ['http://224.0.0.1/cb', /reserved/],
    ['http://255.255.255.255/cb', /reserved/],
    ['http://[fc00::1]/cb', /private/],
    ['http://[fd12:3456::1]/cb', /private/],
    ['http://[fe80::1]/cb', /link-local/],
    ['http://[ff02::1]/cb', /reserved/],
    ['http://[::]/cb', /reserved/],
    ['http://[2001:db8::1]/cb', /reserved/],
    ['http://intranet/cb', /local name/],
    ['http://printer.local/cb', /local name/],
    [`https://example.com/${'a'.repeat(2000)}`, /longer than/],
  ]
  for (const url of accepted)
    it(`accepts ${url}`, () => expect(checkCallback(url, strict).ok).toBe(true))
  for (const [url, reason] of refused) {
    it(`refuses ${url.slice(0, 60)}`, () => {
      const check = checkCallback(url, strict)
      expect(check.ok).toBe(false)
      if (!check.ok) expect(check.reason).toMatch(reason)
    })
  }
  it('allows loopback, and only loopback, when WEBSUB_ALLOW_LOOPBACK is on', () => {
    const dev = { allowLoopback: true }
    for (const url of ['http://127.0.0.1:9000/cb', 'http://localhost/cb', 'http://[::1]/cb'])
      expect(checkCallback(url, dev).ok).toBe(true)
    for (const url of ['http://10.0.0.1/cb', 'http://[fe80::1]/cb'])
      expect(checkCallback(url, dev).ok).toBe(false)
    expect(hostKind('172.32.0.1')).toBe('public')
    expect(hostKind('100.128.0.1')).toBe('public')
  })
})
