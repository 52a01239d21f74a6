/**
 * @module websub/hub
 * The WebSub hub (https://www.w3.org/TR/websub/) for this site's feeds:
 * subscription requests (section 5.1), denials (5.2), verification of
 * intent (5.3), change detection and content distribution (7), signed with
 * the subscriber's secret (8).
 *
 * The hub knows feeds only as URLs: `topics()` lists the ones it accepts,
 * and `feeds(url)` gets one the way a reader would (the app's own `fetch`,
 * so the memo and the renderers are reused). Outbound calls go through
 * `options.fetch`, which tests replace.
 */
import type { Hono } from 'hono'
import { checkCallback } from './callback.ts'
import { CHALLENGE_READ_BYTES, FETCH_TIMEOUT_MS, LIMITS, MAX_ATTEMPTS, backoffSeconds, leaseFor } from './policy.ts'
import { parseSubscriptionForm, readForm, type SubscriptionRequest } from './request.ts'
import { challenge, hubSignature } from './signature.ts'
import type { Batch, Database, Producer, WaitUntil } from './platform.ts'
import * as store from './store.ts'

/** The bindings the hub uses. */
export interface HubEnv {
  DB: Database
  WEBSUB_QUEUE: Producer<Delivery>
  /** "true" allows loopback callbacks (development and tests). */
  WEBSUB_ALLOW_LOOPBACK?: string
  /** Secret that authorizes `hub.mode=publish` (run change detection now); unset turns publish off. */
  WEBSUB_PUBLISH_TOKEN?: string
}

/** One queue message: deliver the current content of `topic` to subscription `id`. */
export interface Delivery {
  topic: string
  id: number
}

/** What a POST to the hub leads to, done after the 202. */
export type Intent =
  | { kind: 'verify'; mode: 'subscribe' | 'unsubscribe'; topic: string; callback: string; host: string; secret?: string | undefined; leaseSeconds: number }
  | { kind: 'deny'; topic: string; callback: string; reason: string }

export interface HubOptions {
  /** Outbound fetch for verification, denial, delivery and publish pings. Default: the global `fetch`. */
  fetch?: (request: Request) => Promise<Response>
  /** Clock in milliseconds. Default `Date.now`. */
  now?: () => number
  /** Milliseconds an outbound call may take. Default {@link FETCH_TIMEOUT_MS}. */
  timeoutMs?: number
  /** Bounds on subscriptions. Default {@link LIMITS}. */
  limits?: { perHost: number; total: number }
}

export interface HubConfig {
  /** The `websub` site setting: `self`, `off` or an external hub URL. */
  setting: string
  /** The site's public origin. */
  siteUrl: string
  /** Absolute canonical URLs of the feeds the hub distributes. */
  topics: () => readonly string[]
  /** Gets a feed as a reader would. */
  feeds: (url: string, env: HubEnv) => Promise<Response>
  options?: HubOptions | undefined
}

/** What one run of change detection did. */
export interface DetectionReport {
  expired: number
  changed: string[]
  enqueued: number
}

/** Why a filtered or unknown topic is refused (sent as `hub.reason`; fixed texts, nothing of the request). */
export const DENIAL = {
  filtered: 'Filtered feed URLs (with a query) are not distributed; subscribe to the unfiltered feed and filter locally.',
  unknown: 'This hub distributes only the feeds of this site: the site feed and each topic and person feed, in RSS, Atom or JSON Feed.',
  host: `Too many subscriptions for this callback host.`,
  total: 'The hub has too many subscriptions.',
} as const

/**
 * The `Link` header value for WebSub discovery (section 4, RFC 8288): the
 * hub, when there is one, and the feed's own canonical URL.
 */
export function discoveryLinks(hub: string | undefined, self: string): string {
  return hub ? `<${hub}>; rel="hub", <${self}>; rel="self"` : `<${self}>; rel="self"`
}

/** Reads at most `limit` bytes of a body as UTF-8 and drops the rest. */
async function readCapped(res: Response, limit: number): Promise<string> {
  if (!res.body) return ''
  const reader = res.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  while (size <= limit) {
    const { done, value } = await reader.read()
    if (done) break
    chunks.push(value)
    size += value.byteLength
  }
  await reader.cancel().catch(() => {})
  const all = new Uint8Array(size)
  let at = 0
  for (const c of chunks) all.set(c, (at += c.byteLength) - c.byteLength)
  return new TextDecoder().decode(all.subarray(0, limit + 1))
}

/** Creates the hub over a site's feeds. */
export function createHub(config: HubConfig) {
  const { setting, siteUrl, topics, feeds } = config
  const options = config.options ?? {}
  const outbound = options.fetch ?? ((request: Request) => fetch(request))
  const now = options.now ?? Date.now
  const timeoutMs = options.timeoutMs ?? FETCH_TIMEOUT_MS
  const limits = options.limits ?? LIMITS
  /** The hub URL feeds advertise; undefined when off. */
  const hubUrl = setting === 'off' ? undefined : setting === 'self' ? `${siteUrl}/websub` : setting
  const builtIn = setting === 'self'
  const allowLoopback = (env: HubEnv) => String(env.WEBSUB_ALLOW_LOOPBACK) === 'true'

  /** An outbound call with the timeout, never following redirects (a redirect could lead anywhere). */
  function call(url: string | URL, init: RequestInit = {}): Promise<Response> {
    return outbound(new Request(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs), headers: { 'User-Agent': 'feed-service WebSub hub', ...(init.headers as Record<string, string>) } }))
  }

  /** Section 5.2 and 5.1: decides what a request leads to, and records a new subscription as pending. */
  async function accept(env: HubEnv, req: SubscriptionRequest): Promise<Intent | undefined> {
    const callback = req.callback.href
    const base = { topic: req.topic, callback }
    if (req.mode === 'unsubscribe') {
      // Nothing to remove: no verification request goes out.
      const existing = await store.findSubscription(env.DB, req.topic, callback)
      return existing ? { kind: 'verify', mode: 'unsubscribe', ...base, host: req.host, leaseSeconds: existing.lease_seconds } : undefined
    }
    if (!topics().includes(req.topic)) {
      const filtered = req.topic.startsWith(`${siteUrl}/`) && new URL(req.topic).search !== ''
      return { kind: 'deny', ...base, reason: filtered ? DENIAL.filtered : DENIAL.unknown }
    }
    const leaseSeconds = leaseFor(req.leaseSeconds)
    const existing = await store.findSubscription(env.DB, req.topic, callback)
    if (!existing) {
      const count = await store.countSubscriptions(env.DB, req.host)
      if (count.total >= limits.total) return { kind: 'deny', ...base, reason: DENIAL.total }
      // Loopback callbacks exist only where they are allowed (development, tests, benchmarks): no per-host bound there.
      if (!req.loopback && count.host >= limits.perHost) return { kind: 'deny', ...base, reason: DENIAL.host }
      await store.insertPending(env.DB, { ...base, host: req.host, leaseSeconds, now: now() })
    }
    return { kind: 'verify', mode: 'subscribe', ...base, host: req.host, secret: req.secret, leaseSeconds }
  }

  /**
   * Carries out an intent after the 202. A denial is a GET with
   * `hub.mode=denied` (section 5.2). Verification (section 5.3) is a GET
   * with a fresh challenge; it succeeds only on a 2xx whose body is the
   * challenge exactly. Only then does a subscription start or change, or an
   * unsubscription take effect.
   */
  async function carryOut(env: HubEnv, intent: Intent): Promise<'denied' | 'verified' | 'failed'> {
    const url = new URL(intent.callback)
    if (intent.kind === 'deny') {
      url.searchParams.append('hub.mode', 'denied')
      url.searchParams.append('hub.topic', intent.topic)
      url.searchParams.append('hub.reason', intent.reason)
      await call(url).then((res) => res.body?.cancel(), () => {})
      return 'denied'
    }
    const token = challenge()
    url.searchParams.append('hub.mode', intent.mode)
    url.searchParams.append('hub.topic', intent.topic)
    url.searchParams.append('hub.challenge', token)
    if (intent.mode === 'subscribe') url.searchParams.append('hub.lease_seconds', String(intent.leaseSeconds))
    let verified = false
    try {
      const res = await call(url)
      const body = await readCapped(res, CHALLENGE_READ_BYTES)
      verified = res.status >= 200 && res.status < 300 && body === token
    } catch {
      verified = false
    }
    if (intent.mode === 'subscribe') {
      if (verified) await store.activate(env.DB, { ...intent, now: now() })
      else await store.removePending(env.DB, intent.topic, intent.callback)
    } else if (verified) await store.removeSubscription(env.DB, intent.topic, intent.callback)
    return verified ? 'verified' : 'failed'
  }

  /** Section 5.1: answers a POST to the hub. */
  async function handlePost(request: Request, env: HubEnv, ctx: WaitUntil): Promise<Response> {
    const form = await readForm(request)
    if (form.get('hub.mode') === 'publish') return publish(request, env, ctx)
    const req = parseSubscriptionForm(form, { allowLoopback: allowLoopback(env) })
    const intent = await accept(env, req)
    if (intent) ctx.waitUntil(carryOut(env, intent).catch((error) => console.error('websub: verification', error)))
    return new Response(`202 Accepted: the hub will confirm the ${req.mode === 'subscribe' ? 'subscription' : 'unsubscription'} with a GET to hub.callback.\n`, {
      status: 202,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
    })
  }

  /** `hub.mode=publish` with `Authorization: Bearer {WEBSUB_PUBLISH_TOKEN}`: runs change detection now (the deploy calls it). */
  async function publish(request: Request, env: HubEnv, ctx: WaitUntil): Promise<Response> {
    const text = (status: number, body: string) => new Response(body, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } })
    if (!env.WEBSUB_PUBLISH_TOKEN) return text(403, '403 Publishing is not enabled on this hub: set the WEBSUB_PUBLISH_TOKEN secret.\n')
    const sent = (request.headers.get('Authorization') ?? '').replace(/^Bearer\s+/i, '')
    if (!(await sameSecret(sent, env.WEBSUB_PUBLISH_TOKEN))) return text(401, '401 Bad or missing "Authorization: Bearer" token.\n')
    ctx.waitUntil(detect(env).catch((error) => console.error('websub: detection', error)))
    return text(202, '202 Accepted: change detection runs now.\n')
  }

  /**
   * Section 7: for each accepted topic (or each of `changed`, the feeds a
   * publish changed), compares the current ETag with the last distributed
   * one. A changed one gets one queue message per active subscriber (with
   * an external hub: a publish ping to it), then its new ETag is stored. A
   * topic a publish changed is distributed even when no ETag was stored
   * yet, so a subscription verified before any detection ran still gets
   * the first change; without `changed`, a topic seen for the first time
   * only has its ETag stored. Expired leases and stale pending
   * subscriptions are deleted first.
   */
  async function detect(env: HubEnv, changed?: readonly string[]): Promise<DetectionReport> {
    const at = now()
    const expired = await store.deleteExpired(env.DB, at)
    const report: DetectionReport = { expired, changed: [], enqueued: 0 }
    if (!hubUrl) return report
    const known = await store.topicValidators(env.DB)
    const accepted = topics()
    for (const topic of changed ? changed.filter((t) => accepted.includes(t)) : accepted) {
      const res = await feeds(topic, env)
      await res.body?.cancel()
      const etag = res.headers.get('ETag')
      if (res.status !== 200 || !etag) continue
      const last = known.get(topic)
      if (last === etag) continue
      if (last !== undefined || changed) {
        report.changed.push(topic)
        if (builtIn) {
          const ids = await store.activeIds(env.DB, topic, at)
          // sendBatch takes at most 100 messages.
          for (let i = 0; i < ids.length; i += 100) await env.WEBSUB_QUEUE.sendBatch(ids.slice(i, i + 100).map((id) => ({ body: { topic, id } })))
          report.enqueued += ids.length
        } else {
          await call(hubUrl, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ 'hub.mode': 'publish', 'hub.topic': topic, 'hub.url': topic }).toString() })
            .then((r) => r.body?.cancel(), (error) => console.error('websub: publish ping', error))
        }
      }
      await store.setTopicValidator(env.DB, topic, etag, at)
    }
    if (report.expired || report.changed.length) console.log(`websub: ${report.expired} expired, ${report.changed.length} topics changed, ${report.enqueued} deliveries queued`)
    return report
  }

  /**
   * The queue consumer (section 7): POSTs the topic's current body to each
   * subscriber, with its Content-Type, the discovery `Link`s and, with a
   * secret, `X-Hub-Signature` (section 8). Each message is acknowledged or
   * retried on its own, so one slow or failing subscriber delays no other:
   * 2xx acknowledges, 410 Gone removes the subscription, anything else
   * retries with exponential backoff until {@link MAX_ATTEMPTS}.
   */
  async function deliver(batch: Batch<Delivery>, env: HubEnv): Promise<void> {
    const at = now()
    const subs = await store.subscriptionsById(env.DB, [...new Set(batch.messages.map((m) => m.body.id))])
    const bodies = new Map<string, Promise<{ body: ArrayBuffer; type: string } | undefined>>()
    const feed = (topic: string) => {
      let job = bodies.get(topic)
      if (!job) {
        job = feeds(topic, env).then(async (res) => (res.ok ? { body: await res.arrayBuffer(), type: res.headers.get('Content-Type') ?? 'application/octet-stream' } : undefined))
        bodies.set(topic, job)
      }
      return job
    }
    const succeeded: number[] = []
    const failed: number[] = []
    await Promise.all(
      batch.messages.map(async (message) => {
        const { topic, id } = message.body
        const sub = subs.get(id)
        const check = sub && checkCallback(sub.callback, { allowLoopback: allowLoopback(env) })
        if (!sub || sub.topic !== topic || sub.state !== 'active' || (sub.expires_at ?? 0) <= at || !check?.ok) return message.ack()
        let status = 0
        try {
          const content = await feed(topic)
          if (content) {
            const headers: Record<string, string> = { 'Content-Type': content.type, Link: discoveryLinks(hubUrl, topic) }
            if (sub.secret) headers['X-Hub-Signature'] = await hubSignature(sub.secret, content.body)
            const res = await call(sub.callback, { method: 'POST', headers, body: content.body })
            status = res.status
            await res.body?.cancel()
          }
        } catch {
          status = 0
        }
        if (status >= 200 && status < 300) {
          succeeded.push(id)
          return message.ack()
        }
        if (status === 410) {
          await store.removeById(env.DB, id)
          return message.ack()
        }
        failed.push(id)
        if (message.attempts >= MAX_ATTEMPTS) {
          console.warn(`websub: gave up delivering ${topic} to subscription ${id} after ${message.attempts} attempts`)
          return message.ack()
        }
        message.retry({ delaySeconds: backoffSeconds(message.attempts) })
      }),
    )
    await Promise.all([store.recordSuccesses(env.DB, succeeded), store.recordFailures(env.DB, failed)])
  }

  /** Mounts `POST /websub` (and a 405 for other methods) when the built-in hub is on; otherwise `/websub` stays a 404. */
  function routes(app: Hono<any>): void {
    if (!builtIn) return
    app.post('/websub', (c) => handlePost(c.req.raw, c.env as HubEnv, c.executionCtx))
    app.all('/websub', (c) => c.text('405 The hub takes POST requests (WebSub section 5.1).\n', 405, { Allow: 'POST', 'Cache-Control': 'no-store' }))
  }

  /** The hub a feed with canonical `query` (maybe empty) advertises: none for filtered feeds, which it does not distribute. */
  function hubFor(query: string): string | undefined {
    return query ? undefined : hubUrl
  }

  return { hubUrl, builtIn, hubFor, routes, accept, carryOut, handlePost, detect, deliver }
}

export type Hub = ReturnType<typeof createHub>

/** Compares two secrets in constant time (their SHA-256 digests). */
async function sameSecret(a: string, b: string): Promise<boolean> {
  const enc = new TextEncoder()
  const [x, y] = await Promise.all([crypto.subtle.digest('SHA-256', enc.encode(a)), crypto.subtle.digest('SHA-256', enc.encode(b))])
  const [p, q] = [new Uint8Array(x), new Uint8Array(y)]
  let diff = 0
  for (let i = 0; i < p.length; i++) diff |= p[i]! ^ q[i]!
  return diff === 0
}


