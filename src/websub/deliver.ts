/**
 * @module websub/deliver
 * Content distribution (WebSub section 7): the queue consumer POSTs a
 * feed's current body to each subscriber, with its Content-Type, the
 * discovery `Link`s and, with a secret, `X-Hub-Signature` (section 8).
 *
 * Deliveries to different callbacks never wait on each other: a batch runs
 * through a pool of at most `concurrency` deliveries at once, each bounded
 * by its own timeout, started when its turn comes (policy.ts `DELIVERY`).
 * A timeout, like any failure, retries that one message on the backoff
 * schedule; the rest of the batch goes on.
 */
import type { Batch, Database, Message } from './platform.ts'
import { backoffSeconds, MAX_ATTEMPTS } from './policy.ts'
import { hubSignature } from './signature.ts'
import * as store from './store.ts'

/** One queue message: deliver the current content of the feed at `topic` (the WebSub topic URL) to subscription `id`. */
export interface Delivery {
  topic: string
  id: number
}

type Content = { body: ArrayBuffer; type: string } | undefined

/** What the consumer needs of the hub. */
export interface DeliverContext<E> {
  /** Gets a feed as a reader would. */
  feeds: (url: string, env: E) => Promise<Response>
  /** An outbound call bounded by `timeoutMs` from now. */
  call: (url: string, init: RequestInit, timeoutMs: number) => Promise<Response>
  now: () => number
  /** The `Link` header a delivery of `feedUrl` carries. */
  links: (feedUrl: string) => string
  /** Whether the callback may still be called (the callback policy, which may have changed since it subscribed). */
  callable: (callback: string, env: E) => boolean
  delivery: { concurrency: number; timeoutMs: number }
}

/** Runs `work` over `items`, at most `limit` at a time, each starting as soon as a slot is free. */
export async function pool<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0
  const lane = async () => {
    while (next < items.length) await work(items[next++]!)
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane))
}

/** The queue consumer: delivers each message on its own, acknowledging or retrying it (2xx acks, 410 removes, else backoff). */
export async function deliverBatch<E extends { DB: Database }>(
  ctx: DeliverContext<E>,
  batch: Batch<Delivery>,
  env: E,
): Promise<void> {
  const at = ctx.now()
  const subs = await store.subscriptionsById(env.DB, [
    ...new Set(batch.messages.map((m) => m.body.id)),
  ])
  const bodies = new Map<string, Promise<Content>>()
  const content = (feedUrl: string) => {
    let job = bodies.get(feedUrl)
    if (!job) {
      job = ctx.feeds(feedUrl, env).then(async (res) =>
        res.ok
          ? {
              body: await res.arrayBuffer(),
              type: res.headers.get('Content-Type') ?? 'application/octet-stream',
            }
          : undefined,
      )
      bodies.set(feedUrl, job)
    }
    return job
  }
  const succeeded: number[] = []
  const failed: number[] = []
  await pool(batch.messages, ctx.delivery.concurrency, async (message) => {
    const { topic: feedUrl, id } = message.body
    const sub = subs.get(id)
    if (
      !sub ||
      sub.topic !== feedUrl ||
      sub.state !== 'active' ||
      (sub.expires_at ?? 0) <= at ||
      !ctx.callable(sub.callback, env)
    )
      return message.ack()
    const status = await post(ctx, sub, feedUrl, content)
    if (status >= 200 && status < 300) {
      succeeded.push(id)
      return message.ack()
    }
    if (status === 410) {
      await store.removeById(env.DB, id)
      return message.ack()
    }
    failed.push(id)
    settleFailure(message, feedUrl, id)
  })
  await Promise.all([
    store.recordSuccesses(env.DB, succeeded),
    store.recordFailures(env.DB, failed),
  ])
}

/** POSTs the content to one subscriber; the status, or 0 when the call failed or timed out. */
async function post<E>(
  ctx: DeliverContext<E>,
  sub: store.Subscription,
  feedUrl: string,
  content: (url: string) => Promise<Content>,
): Promise<number> {
  try {
    const feed = await content(feedUrl)
    if (!feed) return 0
    const headers: Record<string, string> = { 'Content-Type': feed.type, Link: ctx.links(feedUrl) }
    if (sub.secret) headers['X-Hub-Signature'] = await hubSignature(sub.secret, feed.body)
    const res = await ctx.call(
      sub.callback,
      { method: 'POST', headers, body: feed.body },
      ctx.delivery.timeoutMs,
    )
    await res.body?.cancel()
    return res.status
  } catch {
    return 0
  }
}

/** A failed attempt: retried with backoff, or given up after {@link MAX_ATTEMPTS}. */
function settleFailure(message: Message<Delivery>, feedUrl: string, id: number): void {
  if (message.attempts >= MAX_ATTEMPTS) {
    console.warn(
      `websub: gave up delivering ${feedUrl} to subscription ${id} after ${message.attempts} attempts`,
    )
    return message.ack()
  }
  message.retry({ delaySeconds: backoffSeconds(message.attempts) })
}
