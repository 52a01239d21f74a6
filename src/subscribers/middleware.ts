/**
 * @module subscribers/middleware
 * Records the subscriber count a feed poll states in its User-Agent
 * (`subscribers/agents.ts`), after the response: the write is handed to
 * `waitUntil`, so the reader never waits for it. Only polls answered with
 * the feed itself count (200, or 304 for a conditional poll); redirects,
 * errors and other paths are ignored.
 *
 * A count reaches the Worker only with a poll that reaches it: Workers
 * Cache answers repeated polls itself for the feeds' cache lifetime
 * (`s-maxage`), per data centre, without running the Worker.
 */
import { createMiddleware } from 'hono/factory'
import { FORMAT_KEYS, FORMATS, type Format } from '../formats.ts'
import type { AppEnv } from '../routes/context.ts'
import { MEMBER_ROWS, scopeKey, type ScopeKind } from '../scopes.ts'
import { statedCount } from './agents.ts'
import type { Recorder } from './counts.ts'

/** Scope kinds by path segment, and formats by file name, from the scope and format tables. */
const KIND_BY_SEGMENT: ReadonlyMap<string, ScopeKind> = new Map(
  MEMBER_ROWS.map((row) => [row.segment!, row.kind]),
)
const FORMAT_BY_FILE: ReadonlyMap<string, Format> = new Map(
  FORMAT_KEYS.map((f) => [FORMATS[f].file, f]),
)
const FEED_PATH = /^(?:\/([a-z]+)\/([^/]+))?\/([^/]+)$/

/** The scope (store key) and format of a feed document's path, if it is one. */
export function feedOfPath(path: string): { scope: string; format: Format } | undefined {
  const m = FEED_PATH.exec(path)
  const format = m && FORMAT_BY_FILE.get(m[3]!)
  if (!m || !format) return undefined
  if (m[1] === undefined) return { scope: 'site', format }
  const kind = KIND_BY_SEGMENT.get(m[1])
  return kind && { scope: scopeKey(kind, m[2]!), format }
}

/** The middleware, over a recorder (one per app) and a clock. */
export function countSubscribers(recorder: Recorder, now: () => number = Date.now) {
  return createMiddleware<AppEnv>(async function countSubscribers(c, next) {
    await next()
    if (c.res.status !== 200 && c.res.status !== 304) return
    const feed = feedOfPath(c.req.path)
    if (!feed) return
    const stated = statedCount(c.req.header('User-Agent'))
    if (!stated) return
    const query = new URL(c.req.url).search
    const poll = { ...stated, ...feed, feed: c.req.path + query, at: now() }
    // A macrotask later, so that the response is on its way before the write starts (locally D1 is SQLite on the Worker's own thread).
    const job = new Promise((resolve) => setTimeout(resolve, 0))
      .then(() => recorder.record(c.env.DB, poll))
      .catch((error) => console.error('subscriber count not recorded', error))
    try {
      c.executionCtx.waitUntil(job)
    } catch {
      // No execution context (an app driven directly): the write still runs, unawaited.
    }
  })
}
