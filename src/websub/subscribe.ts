/**
 * @module websub/subscribe
 * Subscription requests (WebSub section 5.1), denials (5.2) and
 * verification of intent (5.3): what a POST to the hub leads to, and its
 * carrying out after the `202 Accepted`.
 */
import { HttpError, StoreUnavailable } from '../errors.ts'
import { registrableDomain } from './domain.ts'
import type { Database } from './platform.ts'
import { CHALLENGE_READ_BYTES, leaseFor, type Limits } from './policy.ts'
import type { SubscriptionRequest } from './request.ts'
import { challenge } from './signature.ts'
import * as store from './store.ts'

/** What a POST to the hub leads to, done after the 202. `feedUrl` is the WebSub topic (`hub.topic`). */
export type Intent =
  | ({ kind: 'verify'; mode: 'subscribe' | 'unsubscribe' } & store.SubscriptionRequest)
  | { kind: 'deny'; feedUrl: string; callback: string; reason: string }

/** Why a request is refused (sent as `hub.reason`; fixed texts, nothing of the request). */
export const DENIAL = {
  filtered:
    'Filtered feed URLs (with a query) are not distributed; subscribe to the unfiltered feed and filter locally.',
  unknown:
    'This hub distributes only the feeds of this site: the site feed and each topic and person feed, in RSS, Atom or JSON Feed.',
  domain: `Too many subscriptions for this callback's domain.`,
  total: 'The hub has too many subscriptions.',
} as const

/** What deciding on a request needs. */
export interface SubscribeContext {
  siteUrl: string
  /** Absolute canonical URLs of the feeds the hub distributes. */
  feedUrls: () => readonly string[]
  limits: Limits
  now: () => number
  /** An outbound call with the hub's timeout, never following redirects. */
  call: (url: string | URL, init?: RequestInit) => Promise<Response>
}

/**
 * Runs hub work on the store; any failure that is not already an HTTP
 * answer becomes {@link StoreUnavailable}: the same `503` with
 * `Retry-After` and `no-store` that the feeds give.
 */
export async function withStore<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (error instanceof HttpError) throw error
    throw new StoreUnavailable('the WebSub store did not answer', { cause: error })
  }
}

/** Whether a new subscription from `domain` fits the bounds (policy.ts `Limits`); the denial reason if not. */
export function admits(
  count: { total: number; domain: number },
  limits: Limits,
  loopback: boolean,
): string | undefined {
  if (count.total >= limits.ceiling) return DENIAL.total
  // Loopback callbacks exist only where they are allowed (development, tests, benchmarks): no per-domain bound there.
  if (loopback) return count.total >= limits.total ? DENIAL.total : undefined
  if (count.domain >= limits.perDomain) return DENIAL.domain
  if (count.total >= limits.total && count.domain >= limits.fairShare) return DENIAL.total
  return undefined
}

/** Sections 5.2 and 5.1: decides what a request leads to, and records a new subscription as pending. */
export async function accept(
  ctx: SubscribeContext,
  db: Database,
  req: SubscriptionRequest,
): Promise<Intent | undefined> {
  const callback = req.callback.href
  const base = { feedUrl: req.feedUrl, callback }
  const domain = registrableDomain(req.host)
  if (req.mode === 'unsubscribe') {
    // Nothing to remove: no verification request goes out.
    const existing = await store.findSubscription(db, req.feedUrl, callback)
    return existing
      ? {
          kind: 'verify',
          mode: 'unsubscribe',
          ...base,
          host: req.host,
          domain,
          leaseSeconds: existing.lease_seconds,
        }
      : undefined
  }
  if (!ctx.feedUrls().includes(req.feedUrl)) {
    const filtered = req.feedUrl.startsWith(`${ctx.siteUrl}/`) && new URL(req.feedUrl).search !== ''
    return { kind: 'deny', ...base, reason: filtered ? DENIAL.filtered : DENIAL.unknown }
  }
  const leaseSeconds = leaseFor(req.leaseSeconds)
  const existing = await store.findSubscription(db, req.feedUrl, callback)
  if (!existing) {
    const refused = admits(await store.countSubscriptions(db, domain), ctx.limits, req.loopback)
    if (refused) return { kind: 'deny', ...base, reason: refused }
    await store.insertPending(db, { ...base, host: req.host, domain, leaseSeconds, now: ctx.now() })
  }
  return {
    kind: 'verify',
    mode: 'subscribe',
    ...base,
    host: req.host,
    domain,
    secret: req.secret,
    leaseSeconds,
  }
}

/**
 * Carries out an intent after the 202. A denial is a GET with
 * `hub.mode=denied` (section 5.2). Verification (section 5.3) is a GET
 * with a fresh challenge; it succeeds only on a 2xx whose body is the
 * challenge exactly. Only then does a subscription start or change, or an
 * unsubscription take effect.
 */
export async function carryOut(
  ctx: SubscribeContext,
  db: Database,
  intent: Intent,
): Promise<'denied' | 'verified' | 'failed'> {
  const url = new URL(intent.callback)
  if (intent.kind === 'deny') {
    url.searchParams.append('hub.mode', 'denied')
    url.searchParams.append('hub.topic', intent.feedUrl)
    url.searchParams.append('hub.reason', intent.reason)
    await ctx.call(url).then(
      (res) => res.body?.cancel(),
      () => {},
    )
    return 'denied'
  }
  const token = challenge()
  url.searchParams.append('hub.mode', intent.mode)
  url.searchParams.append('hub.topic', intent.feedUrl)
  url.searchParams.append('hub.challenge', token)
  if (intent.mode === 'subscribe')
    url.searchParams.append('hub.lease_seconds', String(intent.leaseSeconds))
  let verified = false
  try {
    const res = await ctx.call(url)
    const body = await readCapped(res, CHALLENGE_READ_BYTES)
    verified = res.status >= 200 && res.status < 300 && body === token
  } catch {
    verified = false
  }
  if (intent.mode === 'subscribe') {
    if (verified) await store.activate(db, { ...intent, now: ctx.now() })
    else await store.removePending(db, intent.feedUrl, intent.callback)
  } else if (verified) await store.removeSubscription(db, intent.feedUrl, intent.callback)
  return verified ? 'verified' : 'failed'
}

/** Reads at most `limit` bytes of a response body as UTF-8 and drops the rest. */
export async function readCapped(res: Response, limit: number): Promise<string> {
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
