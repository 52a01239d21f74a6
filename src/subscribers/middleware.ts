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
import { FORMAT_BY_FILE } from '../http.ts'
import type { AppEnv } from '../routes/context.ts'
import { statedCount } from './agents.ts'
import type { Recorder } from './counts.ts'

const SCOPE_KINDS: Record<string, string> = { topics: 'topic', people: 'person', sources: 'source' }
const FEED_PATH = /^(?:\/(topics|people|sources)\/([a-z0-9]+(?:-[a-z0-9]+)*))?\/([a-z]+\.[a-z]+)$/

/** The scope (store key) and format of a feed document's path, if it is one. */
export function feedOfPath(path: string): { scope: string; format: string } | undefined {
  const m = FEED_PATH.exec(path)
  const format = m && FORMAT_BY_FILE.get(m[3]!)
  if (!m || !format) return undefined
  return { scope: m[1] ? `${SCOPE_KINDS[m[1]]}:${m[2]}` : 'site', format }
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
