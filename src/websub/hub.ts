/**
 * @module websub/hub
 * The WebSub hub (https://www.w3.org/TR/websub/) for this site's feeds:
 * subscription requests (section 5.1), denials (5.2), verification of
 * intent (5.3), change detection and content distribution (7), signed with
 * the subscriber's secret (8).
 *
 * The hub knows feeds only as URLs (a WebSub "topic" is a feed URL here,
 * `feedUrl` in code; `hub.topic` on the wire): `feedUrls()` lists the ones it accepts,
 * and `feeds(url)` gets one the way a reader would (the app's own `fetch`,
 * so the memo and the renderers are reused). Outbound calls go through
 * `options.fetch`, which tests replace.
 */
import type { Hono } from 'hono'
import { checkCallback } from './callback.ts'
import { deliverBatch, type DeliverContext, type Delivery } from './deliver.ts'
import { DELIVERY, FETCH_TIMEOUT_MS, LIMITS, type Limits } from './policy.ts'
import { parseSubscriptionForm, readForm } from './request.ts'
import { accept, carryOut, withStore, type Intent, type SubscribeContext } from './subscribe.ts'
import type { Batch, Database, Producer, WaitUntil } from './platform.ts'
import * as store from './store.ts'
import { sameSecret } from '../lib/secret.ts'

export type { Delivery } from './deliver.ts'
export { DENIAL, type Intent } from './subscribe.ts'

/** The bindings the hub uses. */
export interface HubEnv {
  DB: Database
  WEBSUB_QUEUE: Producer<Delivery>
  /** "true" allows loopback callbacks (development and tests). */
  WEBSUB_ALLOW_LOOPBACK?: string
  /** Secret that authorizes `hub.mode=publish` (run change detection now); unset turns publish off. */
  WEBSUB_PUBLISH_TOKEN?: string
}

export interface HubOptions {
  /** Outbound fetch for verification, denial, delivery and publish pings. Default: the global `fetch`. */
  fetch?: (request: Request) => Promise<Response>
  /** Clock in milliseconds. Default `Date.now`. */
  now?: () => number
  /** Milliseconds an outbound call may take. Default {@link FETCH_TIMEOUT_MS}. */
  timeoutMs?: number
  /** Bounds on subscriptions. Default {@link LIMITS}. */
  limits?: Limits
  /** Concurrency and per-delivery timeout of content distribution. Default {@link DELIVERY}. */
  delivery?: { concurrency: number; timeoutMs: number }
}

export interface HubConfig {
  /** The `websub` site setting: `self`, `off` or an external hub URL. */
  setting: string
  /** The site's public origin. */
  siteUrl: string
  /** Absolute canonical URLs of the feeds the hub distributes (its WebSub topics). */
  feedUrls: () => readonly string[]
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

/**
 * The `Link` header value for WebSub discovery (section 4, RFC 8288): the
 * hub, when there is one, and the feed's own canonical URL.
 */
export function discoveryLinks(hub: string | undefined, self: string): string {
  return hub ? `<${hub}>; rel="hub", <${self}>; rel="self"` : `<${self}>; rel="self"`
}

/** Creates the hub over a site's feeds. */
export function createHub(config: HubConfig) {
  const { setting, siteUrl, feedUrls, feeds } = config
  const options = config.options ?? {}
  const now = options.now ?? Date.now
  const timeoutMs = options.timeoutMs ?? FETCH_TIMEOUT_MS
  /** The hub URL feeds advertise; undefined when off. */
  const hubUrl = setting === 'off' ? undefined : setting === 'self' ? `${siteUrl}/websub` : setting
  const builtIn = setting === 'self'
  const allowLoopback = (env: HubEnv) => String(env.WEBSUB_ALLOW_LOOPBACK) === 'true'
  const call = outboundCall(options.fetch ?? ((request: Request) => fetch(request)))
  const subscribing: SubscribeContext = {
    siteUrl,
    feedUrls,
    limits: options.limits ?? LIMITS,
    now,
    call: (url, init) => call(url, init, timeoutMs),
  }
  const delivering: DeliverContext<HubEnv> = {
    feeds,
    call,
    now,
    links: (feedUrl) => discoveryLinks(hubUrl, feedUrl),
    callable: (callback, env) => checkCallback(callback, { allowLoopback: allowLoopback(env) }).ok,
    delivery: options.delivery ?? DELIVERY,
  }

  const handlePost = postHandler(subscribing, allowLoopback, (env) => detect(env))

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
    const accepted = feedUrls()
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
          for (let i = 0; i < ids.length; i += 100)
            await env.WEBSUB_QUEUE.sendBatch(
              ids.slice(i, i + 100).map((id) => ({ body: { topic, id } })),
            )
          report.enqueued += ids.length
        } else {
          await call(
            hubUrl,
            {
              method: 'POST',
              headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
              body: new URLSearchParams({
                'hub.mode': 'publish',
                'hub.topic': topic,
                'hub.url': topic,
              }).toString(),
            },
            timeoutMs,
          ).then(
            (r) => r.body?.cancel(),
            (error) => console.error('websub: publish ping', error),
          )
        }
      }
      await store.setTopicValidator(env.DB, topic, etag, at)
    }
    if (report.expired || report.changed.length)
      console.log(
        `websub: ${report.expired} expired, ${report.changed.length} topics changed, ${report.enqueued} deliveries queued`,
      )
    return report
  }

  /** Mounts `POST /websub` (and a 405 for other methods) when the built-in hub is on; otherwise `/websub` stays a 404. */
  function routes(app: Hono<any>): void {
    if (!builtIn) return
    app.post('/websub', (c) => handlePost(c.req.raw, c.env as HubEnv, c.executionCtx))
    app.all('/websub', (c) =>
      c.text('405 The hub takes POST requests (WebSub section 5.1).\n', 405, {
        Allow: 'POST',
        'Cache-Control': 'no-store',
      }),
    )
  }

  /** The hub a feed with canonical `query` (maybe empty) advertises: none for filtered feeds, which it does not distribute. */
  function hubFor(query: string): string | undefined {
    return query ? undefined : hubUrl
  }

  return {
    hubUrl,
    builtIn,
    hubFor,
    routes,
    accept: (env: HubEnv, req: Parameters<typeof accept>[2]) => accept(subscribing, env.DB, req),
    carryOut: (env: HubEnv, intent: Intent) => carryOut(subscribing, env.DB, intent),
    handlePost,
    detect,
    deliver: (batch: Batch<Delivery>, env: HubEnv) => deliverBatch(delivering, batch, env),
  }
}

/**
 * Section 5.1: the answer to a POST to the hub. A subscription request is
 * decided at once (a store failure is the app's 503, with Retry-After and
 * no-store) and carried out after the 202; `hub.mode=publish` with
 * `Authorization: Bearer {WEBSUB_PUBLISH_TOKEN}` runs change detection now.
 */
function postHandler(
  subscribing: SubscribeContext,
  allowLoopback: (env: HubEnv) => boolean,
  detect: (env: HubEnv) => Promise<unknown>,
) {
  async function publish(request: Request, env: HubEnv, ctx: WaitUntil): Promise<Response> {
    if (!env.WEBSUB_PUBLISH_TOKEN)
      return plain(
        403,
        '403 Publishing is not enabled on this hub: set the WEBSUB_PUBLISH_TOKEN secret.\n',
      )
    const sent = (request.headers.get('Authorization') ?? '').replace(/^Bearer\s+/i, '')
    if (!(await sameSecret(sent, env.WEBSUB_PUBLISH_TOKEN)))
      return plain(401, '401 Bad or missing "Authorization: Bearer" token.\n')
    ctx.waitUntil(detect(env).catch((error) => console.error('websub: detection', error)))
    return plain(202, '202 Accepted: change detection runs now.\n')
  }
  return async function handlePost(
    request: Request,
    env: HubEnv,
    ctx: WaitUntil,
  ): Promise<Response> {
    const form = await readForm(request)
    if (form.get('hub.mode') === 'publish') return publish(request, env, ctx)
    const req = parseSubscriptionForm(form, { allowLoopback: allowLoopback(env) })
    const intent = await withStore(() => accept(subscribing, env.DB, req))
    if (intent)
      ctx.waitUntil(
        carryOut(subscribing, env.DB, intent).catch((error) =>
          console.error('websub: verification', error),
        ),
      )
    return plain(
      202,
      `202 Accepted: the hub will confirm the ${req.mode === 'subscribe' ? 'subscription' : 'unsubscription'} with a GET to hub.callback.\n`,
    )
  }
}

/** An outbound call with a timeout counted from the call, never following redirects (a redirect could lead anywhere). */
function outboundCall(outbound: (request: Request) => Promise<Response>) {
  return (url: string | URL, init: RequestInit = {}, timeoutMs: number): Promise<Response> =>
    outbound(
      new Request(url, {
        ...init,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
        headers: {
          'User-Agent': 'feed-service WebSub hub',
          ...(init.headers as Record<string, string>),
        },
      }),
    )
}

/** A plain-text answer of the hub, never cached. */
function plain(status: number, body: string): Response {
  return new Response(body, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
  })
}

export type Hub = ReturnType<typeof createHub>
