/**
 * Hardening, third round: the WebSub hub under abuse and faults. A body
 * capped while it is read, binary secrets, deliveries that do not wait on
 * each other, a bound per registrable domain with a fair share, and store
 * failures answered as the feeds answer them. Over a small fixture
 * publication (test/helpers.ts).
 */
import {
  createExecutionContext,
  createMessageBatch,
  getQueueResult,
  waitOnExecutionContext,
} from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { beforeEach, describe, expect, it } from 'vitest'
import { createApp } from '../src/app.ts'
import { compileContent } from '../src/content/compile.ts'
import { registrableDomain } from '../src/websub/domain.ts'
import { DENIAL, type Delivery } from '../src/websub/hub.ts'
import { backoffSeconds, type Limits } from '../src/websub/policy.ts'
import { MAX_BODY_BYTES } from '../src/websub/request.ts'
import { hmacSha256Hex } from '../src/websub/signature.ts'
import { appFor, BASIC, files, useContent } from './helpers.ts'

const HUB = 'https://news.test/websub'
const FEED = 'https://news.test/rss.xml'
const content = compileContent(files(BASIC))

beforeEach(async () => {
  await env.DB.prepare('DELETE FROM websub_subscriptions').run()
})

interface Seen {
  url: URL
  method: string
  headers: Headers
  body: Uint8Array
  started: number
  ended?: number
  aborted?: number
}

/** An app over the fixture with a fake outbound fetch that answers verification with the challenge, unless `slow` names the callback host. */
async function hub(
  options: {
    limits?: Limits
    delivery?: { concurrency: number; timeoutMs: number }
    slow?: string
  } = {},
) {
  const seen: Seen[] = []
  let inFlight = 0
  let maxInFlight = 0
  const fetch = async (request: Request): Promise<Response> => {
    const call: Seen = {
      url: new URL(request.url),
      method: request.method,
      headers: request.headers,
      body: new Uint8Array(await request.arrayBuffer()),
      started: performance.now(),
    }
    seen.push(call)
    inFlight++
    maxInFlight = Math.max(maxInFlight, inFlight)
    try {
      if (call.url.hostname === options.slow && request.method === 'POST') {
        // A callback that never answers: only the hub's timeout ends the call.
        await new Promise((_, reject) =>
          request.signal.addEventListener(
            'abort',
            () => ((call.aborted = performance.now()), reject(request.signal.reason)),
          ),
        )
      }
      return request.method === 'GET'
        ? new Response(call.url.searchParams.get('hub.challenge') ?? '')
        : new Response(null, { status: 204 })
    } finally {
      inFlight--
      call.ended = performance.now()
    }
  }
  const queue = { sendBatch: async () => {} }
  const bindings = { DB: env.DB, WEBSUB_QUEUE: queue, WEBSUB_ALLOW_LOOPBACK: 'false' }
  const app = createApp((await useContent(content)).catalog, {
    websub: {
      fetch,
      timeoutMs: 10_000,
      ...(options.limits && { limits: options.limits }),
      ...(options.delivery && { delivery: options.delivery }),
    },
  })
  async function request(req: Request, with_: object = bindings) {
    const ctx = createExecutionContext()
    const res = await app.fetch(req, with_, ctx)
    await waitOnExecutionContext(ctx)
    return res
  }
  const form = (fields: Record<string, string>) =>
    new Request(HUB, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    })
  const subscribe = (callback: string, extra: Record<string, string> = {}) =>
    request(
      form({ 'hub.mode': 'subscribe', 'hub.topic': FEED, 'hub.callback': callback, ...extra }),
    )
  return {
    app,
    seen,
    bindings,
    request,
    subscribe,
    get maxInFlight() {
      return maxInFlight
    },
  }
}

const rows = async () =>
  (
    await env.DB.prepare('SELECT * FROM websub_subscriptions ORDER BY id').all<{
      id: number
      callback: string
      state: string
      secret: string | null
      callback_domain: string
    }>()
  ).results

describe('1. the body cap holds while the body is read, whatever the framing', () => {
  /** A body of `total` bytes in 64 KiB chunks that counts what the reader pulled. */
  function counting(total: number) {
    const pulled = { bytes: 0 }
    const chunk = new Uint8Array(65_536).fill(0x61)
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled.bytes >= total) return controller.close()
        pulled.bytes += chunk.byteLength
        controller.enqueue(chunk)
      },
    })
    return { stream, pulled }
  }
  it('a 96 MiB body without Content-Length (chunked) is refused after reading at most one chunk past the limit', async () => {
    const h = await hub()
    const { stream, pulled } = counting(96 * 2 ** 20)
    const res = await h.request(
      new Request(HUB, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: stream,
        duplex: 'half',
      } as RequestInit),
    )
    expect(res.status).toBe(400)
    expect(await res.text()).toContain(`at most ${MAX_BODY_BYTES} bytes`)
    expect(pulled.bytes).toBeLessThanOrEqual(MAX_BODY_BYTES + 2 * 65_536)
  })
  it('a body longer than its Content-Length says is cut off at the limit too', async () => {
    const h = await hub()
    const { stream, pulled } = counting(4 * 2 ** 20)
    const req = new Request(HUB, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': '100' },
      body: stream,
      duplex: 'half',
    } as RequestInit)
    expect((await h.request(req)).status).toBe(400)
    expect(pulled.bytes).toBeLessThanOrEqual(MAX_BODY_BYTES + 2 * 65_536)
  })
  it('a Content-Length over the limit is refused before reading', async () => {
    const h = await hub()
    const { stream, pulled } = counting(2 ** 20)
    const req = new Request(HUB, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        'Content-Length': String(2 ** 20),
      },
      body: stream,
      duplex: 'half',
    } as RequestInit)
    expect((await h.request(req)).status).toBe(400)
    expect(pulled.bytes).toBeLessThanOrEqual(65_536)
  })
})

describe('2. a binary hub.secret is refused, naming the field; a UTF-8 one signs with its exact bytes', () => {
  it.each(['%FF%FE%80%81abc', '%C3', 'abc%ED%A0%80'])(
    'hub.secret=%s is a 400 naming hub.secret, and nothing is stored',
    async (raw) => {
      const h = await hub()
      const body = `hub.mode=subscribe&hub.topic=${encodeURIComponent(FEED)}&hub.callback=${encodeURIComponent('https://sub.example/cb')}&hub.secret=${raw}`
      const res = await h.request(
        new Request(HUB, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body,
        }),
      )
      expect(res.status).toBe(400)
      expect(await res.text()).toContain('"hub.secret"')
      expect(await rows()).toEqual([])
    },
  )
  it('a percent-encoded UTF-8 secret is kept exactly, and deliveries are signed with its bytes', async () => {
    const h = await hub()
    const body = `hub.mode=subscribe&hub.topic=${encodeURIComponent(FEED)}&hub.callback=${encodeURIComponent('https://sub.example/cb')}&hub.secret=s%C3%A9cret+%E2%9C%93`
    expect(
      (
        await h.request(
          new Request(HUB, {
            method: 'POST',
            headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
            body,
          }),
        )
      ).status,
    ).toBe(202)
    const [row] = await rows()
    expect(row!.secret).toBe('sécret ✓')
    const batch = createMessageBatch<Delivery>('websub-deliveries', [
      { id: 'm', timestamp: new Date(), attempts: 1, body: { topic: FEED, id: row!.id } },
    ])
    await h.app.websub.deliver(batch, h.bindings as never)
    const post = h.seen.find((s) => s.method === 'POST')!
    expect(post.headers.get('X-Hub-Signature')).toBe(
      `sha256=${await hmacSha256Hex('sécret ✓', post.body)}`,
    )
  })
})

describe('3. deliveries to different callbacks never wait on each other', () => {
  it('a callback that never answers holds one slot for its own timeout; the others are delivered meanwhile, and it is retried on the backoff schedule', async () => {
    const timeoutMs = 200
    const h = await hub({ delivery: { concurrency: 2, timeoutMs }, slow: 'slow.example' })
    for (const host of ['slow.example', 'a.example', 'b.example', 'c.example', 'd.example'])
      expect((await h.subscribe(`https://${host}/cb`)).status).toBe(202)
    const subs = await rows()
    expect(subs.map((s) => s.state)).toEqual(Array(5).fill('active'))
    const batch = createMessageBatch<Delivery>(
      'websub-deliveries',
      subs.map((s, i) => ({
        id: `m${i}`,
        timestamp: new Date(),
        attempts: 3,
        body: { topic: FEED, id: s.id },
      })),
    )
    const delays: Record<string, number | undefined> = {}
    for (const message of batch.messages) {
      const retry = message.retry.bind(message)
      Object.defineProperty(message, 'retry', {
        value: (o?: QueueRetryOptions) => ((delays[message.id] = o?.delaySeconds), retry(o)),
      })
    }
    const ctx = createExecutionContext()
    const started = performance.now()
    await h.app.websub.deliver(batch, h.bindings as never)
    const elapsed = performance.now() - started
    const result = await getQueueResult(batch, ctx)
    const posts = h.seen.filter((s) => s.method === 'POST')
    const slow = posts.find((p) => p.url.hostname === 'slow.example')!
    const fast = posts.filter((p) => p !== slow)
    expect(fast).toHaveLength(4)
    // Every other delivery ended before the slow one's timeout fired.
    for (const f of fast) expect(f.ended!).toBeLessThan(slow.aborted!)
    // The timeout counts from the slow delivery's own start.
    expect(slow.aborted! - slow.started).toBeGreaterThanOrEqual(timeoutMs - 5)
    expect(elapsed).toBeLessThan(timeoutMs * 3)
    expect(h.maxInFlight).toBeLessThanOrEqual(2)
    expect(result.explicitAcks.sort()).toEqual(['m1', 'm2', 'm3', 'm4'])
    expect(result.retryMessages.map((m) => m.msgId)).toEqual(['m0'])
    expect(delays['m0']).toBe(backoffSeconds(3))
  })
})

describe('4. the bound is per registrable domain, with a fair share', () => {
  it.each([
    ['a.b.evil.example', 'evil.example'],
    ['evil.example', 'evil.example'],
    ['x.example.co.uk', 'example.co.uk'],
    ['alice.github.io', 'alice.github.io'],
    ['deep.alice.github.io', 'alice.github.io'],
    ['203.0.113.7', '203.0.113.7'],
    ['[2001:db8::1]', '[2001:db8::1]'],
    ['www.example.com.', 'example.com'],
    ['a.b.example.com.au', 'example.com.au'],
    ['x.y.myapp.workers.dev', 'myapp.workers.dev'],
    ['example.co', 'example.co'],
    ['news.example.co', 'example.co'],
  ])('registrableDomain(%s) is %s', (host, domain) => expect(registrableDomain(host)).toBe(domain))

  it('many host names under one domain share its bound; honest subscribers still get in when the hub is full', async () => {
    const limits: Limits = { perDomain: 3, total: 6, fairShare: 1, ceiling: 8 }
    const h = await hub({ limits })
    for (let i = 0; i < 5; i++) await h.subscribe(`https://n${i}.evil.example/cb`)
    const denials = () =>
      h.seen
        .filter((s) => s.url.searchParams.get('hub.mode') === 'denied')
        .map((s) => s.url.searchParams.get('hub.reason'))
    expect(denials()).toEqual([DENIAL.domain, DENIAL.domain])
    // A second abusive domain fills the hub to its total.
    for (let i = 0; i < 3; i++) await h.subscribe(`https://n${i}.evil2.example/cb`)
    expect((await rows()).length).toBe(6)
    // Past the total, a domain that already holds its fair share is refused…
    await h.subscribe('https://n9.evil2.example/other')
    expect(denials().at(-1)).toBe(DENIAL.domain)
    await h.subscribe('https://more.evil3.example/cb')
    await h.subscribe('https://again.evil3.example/cb')
    expect(denials().at(-1)).toBe(DENIAL.total)
    // …but an honest subscriber still gets its share.
    await h.subscribe('https://reader.honest.example/cb')
    const honest = (await rows()).find((r) => r.callback === 'https://reader.honest.example/cb')
    expect(honest?.state).toBe('active')
    expect(honest?.callback_domain).toBe('honest.example')
  })

  it('the count by domain uses its index (no full scan)', async () => {
    const { results } = await env.DB.prepare(
      'EXPLAIN QUERY PLAN SELECT COUNT(*) AS n FROM websub_subscriptions WHERE callback_domain = ?',
    )
      .bind('x')
      .all<{ detail: string }>()
    expect(results.map((r) => r.detail).join('\n')).toMatch(
      /USING COVERING INDEX websub_subscriptions_by_domain/,
    )
  })
})

describe('5. store failures are 503 with Retry-After and no-store, never 500', () => {
  it('POST /websub when D1 fails', async () => {
    const h = await hub()
    const failing = {
      prepare: () => {
        throw new Error('D1_ERROR: database is locked')
      },
    }
    const req = new Request(HUB, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        'hub.mode': 'subscribe',
        'hub.topic': FEED,
        'hub.callback': 'https://sub.example/cb',
      }).toString(),
    })
    const res = await h.request(req, { ...h.bindings, DB: failing })
    expect(res.status).toBe(503)
    expect(res.headers.get('Retry-After')).toBe('30')
    expect(res.headers.get('Cache-Control')).toBe('no-store')
  })
  it('an entry page whose stored row does not parse', async () => {
    const app = appFor(content)
    expect((await app.request('https://news.test/entries/two')).status).toBe(200)
    const { doc } = (await env.DB.prepare('SELECT doc FROM entries WHERE id = ?')
      .bind('one')
      .first<{ doc: string }>())!
    await env.DB.prepare('UPDATE entries SET doc = ? WHERE id = ?')
      .bind('{"id": "one", "title": ', 'one')
      .run()
    try {
      const res = await app.request('https://news.test/entries/one')
      expect(res.status).toBe(503)
      expect(res.headers.get('Retry-After')).toBe('30')
      expect(res.headers.get('Cache-Control')).toBe('no-store')
    } finally {
      await env.DB.prepare('UPDATE entries SET doc = ? WHERE id = ?').bind(doc, 'one').run()
    }
  })
})
