/**
 * @module routes/stats
 * `GET /stats/subscribers.json`: the subscriber counts aggregators stated
 * over the last seven days, for the publisher only. It answers with
 * `Authorization: Bearer {STATS_TOKEN}` (a Worker secret: `wrangler secret
 * put STATS_TOKEN`; locally `.dev.vars`), compared in constant time by
 * Hono's `bearerAuth`; anything else is a 401 with `WWW-Authenticate:
 * Bearer` (RFC 6750 section 3), and so is every request while no token is
 * set.
 *
 * For each feed scope and format: the latest count each aggregator (and
 * each of its feed ids) stated in the window, and their sum. Counts are as
 * stated, never extrapolated; different aggregators count different
 * people, so the sum adds them.
 */
import type { Hono } from 'hono'
import { bearerAuth } from 'hono/bearer-auth'
import { HTTPException } from 'hono/http-exception'
import { timingSafeEqual } from 'hono/utils/buffer'
import { recentCountsQuery, type CountRow } from '../subscribers/counts.ts'
import type { AppEnv, RouteContext } from './context.ts'

/** Days the stats look back, today included. */
export const WINDOW_DAYS = 7

/** The secret, when the Worker has one (it is not in the generated `Env` unless `.dev.vars` names it). */
const tokenOf = (env: object) => (env as { STATS_TOKEN?: unknown }).STATS_TOKEN

/** One aggregator's latest stated count for one feed URL. */
export interface StatedCountView {
  feed: string
  aggregator: string
  feedId: string
  count: number
  /** RFC 3339: when the poll that stated it reached the Worker. */
  seen: string
}

/** The counts of one scope and format. */
export interface ScopeFormatView {
  scope: string
  format: string
  total: number
  counts: StatedCountView[]
}

/** The latest row of each (feed, aggregator, feed id), grouped by scope and format; rows come grouped, latest first. */
export function summarise(
  rows: readonly CountRow[],
  origin: string,
): { total: number; feeds: ScopeFormatView[] } {
  const groups = new Map<string, ScopeFormatView>()
  let previous = ''
  for (const r of rows) {
    const key = `${r.feed}\n${r.aggregator}\n${r.feed_id}`
    if (key === previous) continue
    previous = key
    const groupKey = `${r.scope}\n${r.format}`
    let group = groups.get(groupKey)
    if (!group)
      groups.set(groupKey, (group = { scope: r.scope, format: r.format, total: 0, counts: [] }))
    group.counts.push({
      feed: origin + r.feed,
      aggregator: r.aggregator,
      feedId: r.feed_id,
      count: r.count,
      seen: new Date(r.seen_at).toISOString(),
    })
    group.total += r.count
  }
  const feeds = [...groups.values()].sort(
    (a, b) =>
      b.total - a.total ||
      (a.scope < b.scope ? -1 : a.scope > b.scope ? 1 : a.format < b.format ? -1 : 1),
  )
  return { total: feeds.reduce((n, f) => n + f.total, 0), feeds }
}

export function statsRoutes(
  app: Hono<AppEnv>,
  { catalog }: Pick<RouteContext, 'catalog'>,
  now: () => number = Date.now,
): void {
  const auth = bearerAuth<AppEnv>({
    realm: 'stats',
    verifyToken: async (token, c) => {
      const secret = tokenOf(c.env)
      return (
        typeof secret === 'string' && secret.length > 0 && (await timingSafeEqual(secret, token))
      )
    },
  })

  app.get(
    '/stats/subscribers.json',
    async (c, next) => {
      try {
        return await auth(c, next)
      } catch (error) {
        // bearerAuth throws its 401 (or 400) as an HTTPException that carries the response.
        if (!(error instanceof HTTPException)) throw error
        const res = error.getResponse()
        res.headers.set('Cache-Control', 'no-store')
        return res
      }
    },
    async (c) => {
      const at = now()
      const { sql, params } = recentCountsQuery(at, WINDOW_DAYS)
      const rows = (
        await c.env.DB.prepare(sql)
          .bind(...params)
          .all<CountRow>()
      ).results
      const { total, feeds } = summarise(rows, catalog.url)
      return c.json(
        {
          days: WINDOW_DAYS,
          since: params[0],
          generated: new Date(at).toISOString(),
          total,
          feeds,
        },
        200,
        { 'Cache-Control': 'no-store' },
      )
    },
  )
}
