/**
 * @module websub/store
 * The hub's D1 tables (migrations/0002_websub.sql): subscriptions and the
 * validator last distributed per topic. Every query is here; times are
 * milliseconds since the epoch.
 */
import type { Database } from './platform.ts'
import { PENDING_TTL_MS } from './policy.ts'

export interface Subscription {
  id: number
  topic: string
  callback: string
  callback_host: string
  callback_domain: string
  secret: string | null
  lease_seconds: number
  expires_at: number | null
  state: 'pending' | 'active'
  created_at: number
  verified_at: number | null
  attempts: number
}

/** The subscription of `callback` to the feed at `feedUrl` (the WebSub topic, column `topic`), if any. */
export function findSubscription(
  db: Database,
  feedUrl: string,
  callback: string,
): Promise<Subscription | null> {
  return db
    .prepare('SELECT * FROM websub_subscriptions WHERE topic = ? AND callback = ?')
    .bind(feedUrl, callback)
    .first<Subscription>()
}

/** Subscriptions in total and under one registrable callback domain, pending ones included. */
export async function countSubscriptions(
  db: Database,
  domain: string,
): Promise<{ total: number; domain: number }> {
  const [total, own] = await Promise.all([
    db.prepare('SELECT COUNT(*) AS n FROM websub_subscriptions').first<{ n: number }>(),
    db
      .prepare('SELECT COUNT(*) AS n FROM websub_subscriptions WHERE callback_domain = ?')
      .bind(domain)
      .first<{ n: number }>(),
  ])
  return { total: total?.n ?? 0, domain: own?.n ?? 0 }
}

/** A subscription as a subscriber asked for it: the feed (`hub.topic`), where to deliver, and for how long. */
export interface SubscriptionRequest {
  feedUrl: string
  callback: string
  /** The callback's host, and its registrable domain (the per-domain cap). */
  host: string
  domain: string
  secret?: string | undefined
  leaseSeconds: number
}

/** Records a requested subscription awaiting verification; leaves an existing one alone. */
export async function insertPending(
  db: Database,
  s: SubscriptionRequest & { now: number },
): Promise<void> {
  await db
    .prepare(
      `INSERT INTO websub_subscriptions (topic, callback, callback_host, callback_domain, lease_seconds, state, created_at)
       VALUES (?, ?, ?, ?, ?, 'pending', ?) ON CONFLICT (topic, callback) DO NOTHING`,
    )
    .bind(s.feedUrl, s.callback, s.host, s.domain, s.leaseSeconds, s.now)
    .run()
}

/** Makes a verified subscription active with its (new) secret and lease (WebSub section 5.3: only now may it change). */
export async function activate(
  db: Database,
  s: SubscriptionRequest & { now: number },
): Promise<void> {
  const expires = s.now + s.leaseSeconds * 1000
  await db
    .prepare(
      `INSERT INTO websub_subscriptions (topic, callback, callback_host, callback_domain, secret, lease_seconds, expires_at, state, created_at, verified_at)
       VALUES (?1, ?2, ?3, ?8, ?4, ?5, ?6, 'active', ?7, ?7)
       ON CONFLICT (topic, callback) DO UPDATE SET secret = ?4, lease_seconds = ?5, expires_at = ?6, state = 'active', verified_at = ?7, attempts = 0, callback_domain = ?8`,
    )
    .bind(s.feedUrl, s.callback, s.host, s.secret ?? null, s.leaseSeconds, expires, s.now, s.domain)
    .run()
}

/** Drops a subscription that was never verified (an active one stays as it was). */
export async function removePending(
  db: Database,
  feedUrl: string,
  callback: string,
): Promise<void> {
  await db
    .prepare(
      "DELETE FROM websub_subscriptions WHERE topic = ? AND callback = ? AND state = 'pending'",
    )
    .bind(feedUrl, callback)
    .run()
}

/** Removes a subscription (a verified unsubscribe). */
export async function removeSubscription(
  db: Database,
  feedUrl: string,
  callback: string,
): Promise<void> {
  await db
    .prepare('DELETE FROM websub_subscriptions WHERE topic = ? AND callback = ?')
    .bind(feedUrl, callback)
    .run()
}

/** Removes a subscription by id (its callback answered 410 Gone). */
export async function removeById(db: Database, id: number): Promise<void> {
  await db.prepare('DELETE FROM websub_subscriptions WHERE id = ?').bind(id).run()
}

/** Ids of the subscriptions to `topic` that receive content at `now`. */
export async function activeIds(db: Database, topic: string, now: number): Promise<number[]> {
  const { results } = await db
    .prepare(
      "SELECT id FROM websub_subscriptions WHERE topic = ? AND state = 'active' AND expires_at > ? ORDER BY id",
    )
    .bind(topic, now)
    .all<{ id: number }>()
  return results.map((r) => r.id)
}

/** The subscriptions with these ids, in one query. */
export async function subscriptionsById(
  db: Database,
  ids: readonly number[],
): Promise<Map<number, Subscription>> {
  if (!ids.length) return new Map()
  const { results } = await db
    .prepare('SELECT * FROM websub_subscriptions WHERE id IN (SELECT value FROM json_each(?))')
    .bind(JSON.stringify(ids))
    .all<Subscription>()
  return new Map(results.map((s) => [s.id, s]))
}

/** Counts a failed delivery against each subscription. */
export async function recordFailures(db: Database, ids: readonly number[]): Promise<void> {
  if (!ids.length) return
  await db
    .prepare(
      'UPDATE websub_subscriptions SET attempts = attempts + 1 WHERE id IN (SELECT value FROM json_each(?))',
    )
    .bind(JSON.stringify(ids))
    .run()
}

/** Clears the failure count of subscriptions that just received content (writes only those that had failures). */
export async function recordSuccesses(db: Database, ids: readonly number[]): Promise<void> {
  if (!ids.length) return
  await db
    .prepare(
      'UPDATE websub_subscriptions SET attempts = 0 WHERE attempts > 0 AND id IN (SELECT value FROM json_each(?))',
    )
    .bind(JSON.stringify(ids))
    .run()
}

/** Deletes expired leases and verifications that never finished; returns how many rows went. */
export async function deleteExpired(db: Database, now: number): Promise<number> {
  const result = await db
    .prepare(
      "DELETE FROM websub_subscriptions WHERE (state = 'active' AND expires_at <= ?) OR (state = 'pending' AND created_at <= ?)",
    )
    .bind(now, now - PENDING_TTL_MS)
    .run()
  return result.meta.changes
}

/** The validator last distributed for every topic seen. */
export async function topicValidators(db: Database): Promise<Map<string, string>> {
  const { results } = await db
    .prepare('SELECT topic, etag FROM websub_topics')
    .all<{ topic: string; etag: string }>()
  return new Map(results.map((r) => [r.topic, r.etag]))
}

/** Stores the validator of the representation just distributed (or first seen). */
export async function setTopicValidator(
  db: Database,
  topic: string,
  etag: string,
  now: number,
): Promise<void> {
  await db
    .prepare(
      'INSERT INTO websub_topics (topic, etag, distributed_at) VALUES (?1, ?2, ?3) ON CONFLICT (topic) DO UPDATE SET etag = ?2, distributed_at = ?3',
    )
    .bind(topic, etag, now)
    .run()
}
