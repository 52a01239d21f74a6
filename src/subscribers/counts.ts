/**
 * @module subscribers/counts
 * Stated subscriber counts in the store (`subscriber_counts`, migration
 * 0005): the write a feed poll causes, and the read of the stats.
 *
 * A poll that states a count costs one upsert, made after the response
 * (`waitUntil`), and an isolate skips it when it wrote the same count for
 * the same feed, aggregator and feed id within the hour: aggregators poll a
 * feed every few minutes, so most polls cost no write at all. The row keeps
 * the latest count of the day.
 */
import type { Statement } from '../store/load.ts'
import type { StatedCount } from './agents.ts'

/** One poll's stated count, for one feed document. */
export interface Poll extends StatedCount {
  /** Path and query as polled. */
  feed: string
  /** Store key of the feed's scope. */
  scope: string
  format: string
  /** Milliseconds since the Unix epoch. */
  at: number
}

/** `YYYY-MM-DD` (UTC) of a time in milliseconds. */
export const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10)

/** The upsert of one poll: the day's row keeps the count of the latest poll. */
export function upsertStatement(p: Poll): Statement {
  return {
    sql:
      'INSERT INTO subscriber_counts (day, feed, scope, format, aggregator, feed_id, count, seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ' +
      'ON CONFLICT (day, feed, aggregator, feed_id) DO UPDATE SET count = excluded.count, seen_at = excluded.seen_at WHERE excluded.seen_at >= subscriber_counts.seen_at',
    params: [dayOf(p.at), p.feed, p.scope, p.format, p.aggregator, p.feedId, p.count, p.at],
  }
}

/** Rows of the last `days` days up to `now`, grouped by feed, aggregator and feed id, latest first within each group. */
export function recentCountsQuery(now: number, days: number): Statement {
  return {
    sql: 'SELECT day, feed, scope, format, aggregator, feed_id, count, seen_at FROM subscriber_counts WHERE day >= ? ORDER BY feed, aggregator, feed_id, seen_at DESC',
    params: [dayOf(now - (days - 1) * 86_400_000)],
  }
}

export interface CountRow {
  day: string
  feed: string
  scope: string
  format: string
  aggregator: string
  feed_id: string
  count: number
  seen_at: number
}

export interface RecorderOptions {
  /** How long an isolate remembers a written count, so that it does not write it again. Default one hour. */
  repeatMs?: number
  /** Most remembered keys; the oldest are forgotten first. Default 10,000. */
  maxKeys?: number
}

/** Writes polls' counts, skipping repeats this isolate wrote recently. */
export function createRecorder({ repeatMs = 3_600_000, maxKeys = 10_000 }: RecorderOptions = {}) {
  const written = new Map<string, { count: number; at: number }>()
  const stats = { writes: 0, skipped: 0 }
  async function record(db: D1Database, poll: Poll): Promise<void> {
    const key = `${dayOf(poll.at)}\n${poll.feed}\n${poll.aggregator}\n${poll.feedId}`
    const last = written.get(key)
    if (last && last.count === poll.count && poll.at - last.at < repeatMs) {
      stats.skipped++
      return
    }
    const { sql, params } = upsertStatement(poll)
    await db
      .prepare(sql)
      .bind(...params)
      .run()
    stats.writes++
    written.delete(key)
    written.set(key, { count: poll.count, at: poll.at })
    if (written.size > maxKeys) written.delete(written.keys().next().value!)
  }
  return { record, stats }
}

export type Recorder = ReturnType<typeof createRecorder>
