/**
 * @module versions
 * The Worker over versioned content. Each request first reads which content
 * version is current (one indexed read of a one-row table, in a D1 session
 * so a replica may answer), then goes to the app of that version: its
 * catalog is read once per isolate and version, and its memo holds only
 * that version's bodies. A publish therefore reaches every isolate at its
 * next request, with no deploy, and no isolate answers from the memo of a
 * version that is no longer current. Every store read of a request is
 * bound to the version the request started with, so a document never
 * mixes two versions.
 *
 * After a publish, `followPublish` purges the Cache-Tags the new versions
 * changed and runs WebSub change detection for the feeds among them; the
 * cron calls it every minute (it does nothing while the version stays the
 * same) and `POST /_publish` calls it at once.
 */
import { createApp, type AppOptions } from './app.ts'
import { scopeFeedUrls } from './websub/topics.ts'
import type { HubEnv } from './websub/hub.ts'
import { deleteExpired } from './websub/store.ts'
import { catalogAt, currentVersion, type Reader } from './store/store.ts'
import { CATALOG_TAG, EVERYTHING, purge, type Purger } from './tags.ts'
import { sameSecret } from './lib/secret.ts'

type App = ReturnType<typeof createApp>

/** What a publish follow-up did. */
export interface FollowReport {
  /** Versions followed: none when the content is unchanged since the last run. */
  from: number
  to: number
  purged: string[]
  /** Feed URLs whose change detection ran. */
  topics: string[]
}

/** A database's current version row ids, for the follow-up of publishes. */
const DETECTED = "SELECT value FROM meta WHERE key = 'detected'"

export interface VersionedOptions extends AppOptions {
  /** Purges Cache-Tags; default: Workers Cache (`ctx.cache.purge`), when the runtime has it. */
  purger?: (ctx: ExecutionContext) => Purger | undefined
}

/** Workers Cache purge by tag, where the runtime provides it (not in Miniflare). */
function workersCache(ctx: ExecutionContext): Purger | undefined {
  const cache = (
    ctx as unknown as { cache?: { purge(options: { tags: string[] }): Promise<unknown> } }
  ).cache
  return cache ? { purge: async (tags) => void (await cache.purge({ tags })) } : undefined
}

/** The Worker's handlers over the content version D1 holds. */
export function versionedWorker(options: VersionedOptions = {}) {
  let latest: { hash: string; app: App } | undefined
  let making: { id: number; app: Promise<App> } | undefined

  /** The app of version `head`, made from its catalog on first use; older apps (and their memos) are dropped. */
  async function appAt(db: Reader, head: { id: number; hash: string }): Promise<App> {
    if (latest?.hash === head.hash) return latest.app
    if (making?.id !== head.id) {
      const app = catalogAt(db, head.id).then((data) => createApp(data, options))
      making = { id: head.id, app }
      app.then(
        (a) => (latest = { hash: head.hash, app: a }),
        () => (making = undefined),
      )
    }
    return making.app
  }

  /** The app of the current version, and the session the request reads through. */
  async function current(env: Env): Promise<{ app: App; db: Reader; id: number } | undefined> {
    const db = env.DB.withSession('first-unconstrained')
    const head = await currentVersion(db)
    return head && { app: await appAt(db, head), db, id: head.id }
  }

  async function fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    let now: Awaited<ReturnType<typeof current>>
    try {
      now = await current(env)
    } catch (error) {
      // The store does not answer: the last app still serves what its memo holds, and 503s the rest.
      if (latest) return latest.app.fetch(request, env, ctx)
      console.error('store unavailable', request.method, new URL(request.url).pathname, error)
      return unavailable('503 The content store does not answer; try again shortly.\n')
    }
    if (!now)
      return unavailable(
        '503 No content has been published yet: run `npm start` or `npm run publish`.\n',
      )
    if (request.method === 'POST' && new URL(request.url).pathname === '/_publish')
      return publishHook(request, env, ctx)
    return now.app.fetch(request, { ...env, DB: now.db as D1Database }, ctx)
  }

  /** `POST /_publish` with `Authorization: Bearer {WEBSUB_PUBLISH_TOKEN}`: follows the publish now (the publish command calls it). */
  async function publishHook(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const token = (env as unknown as HubEnv).WEBSUB_PUBLISH_TOKEN
    const sent = (request.headers.get('Authorization') ?? '').replace(/^Bearer\s+/i, '')
    if (!token || !(await sameSecret(sent, token)))
      return new Response('401 Bad or missing "Authorization: Bearer" token.\n', {
        status: 401,
        headers: { 'Cache-Control': 'no-store' },
      })
    const report = await followPublish(env, ctx)
    return Response.json(report, { headers: { 'Cache-Control': 'no-store' } })
  }

  /**
   * Purges what the versions published since the last run changed, then
   * runs WebSub change detection for the feeds among them, then records the
   * current version as followed. Does nothing while the version is the same.
   */
  async function followPublish(env: Env, ctx: ExecutionContext): Promise<FollowReport> {
    const db = env.DB
    const now = await current(env)
    const from = (await db.prepare(DETECTED).first<{ value: number }>())?.value ?? 0
    if (!now || now.id === from) return { from, to: from, purged: [], topics: [] }
    // Version 1 creates the content: nothing was cached or subscribed before it, so it changes nothing to purge or deliver.
    const after = Math.max(from, 1)
    const rows = (
      await db
        .prepare('SELECT id, changed FROM versions WHERE id > ? AND id <= ? ORDER BY id')
        .bind(after, now.id)
        .all<{ id: number; changed: string }>()
    ).results
    const complete = rows.length === now.id - after
    const tags = complete
      ? [...new Set(rows.flatMap((r) => JSON.parse(r.changed) as string[]))].sort()
      : [...EVERYTHING, CATALOG_TAG]
    const purger = (options.purger ?? workersCache)(ctx)
    if (purger) await purge(purger, tags)
    const everything = tags.some((t) => t.startsWith('format:'))
    const scopes = new Set(
      tags.filter((t) => t.startsWith('scope:')).map((t) => t.slice('scope:'.length)),
    )
    const topics = scopeFeedUrls(now.app.catalog).flatMap(({ url, key }) =>
      everything || scopes.has(key) ? [url] : [],
    )
    await now.app.websub.detect(env as unknown as HubEnv, topics)
    await db.prepare("UPDATE meta SET value = ? WHERE key = 'detected'").bind(now.id).run()
    return { from, to: now.id, purged: tags, topics }
  }

  return {
    fetch,
    followPublish,
    /** Every minute: follows a publish the publish command could not announce; otherwise only expires leases (no feed is rendered). */
    async scheduled(_controller: ScheduledController, env: Env, ctx: ExecutionContext) {
      const report = await followPublish(env, ctx)
      if (report.to === report.from) await deleteExpired(env.DB, Date.now())
    },
    async queue(
      batch: MessageBatch<{ topic: string; id: number }>,
      env: Env,
      ctx: ExecutionContext,
    ) {
      const now = await current(env)
      if (now) await now.app.websub.deliver(batch, env as unknown as HubEnv)
      else batch.retryAll()
      void ctx
    },
  }
}

function unavailable(text: string): Response {
  return new Response(text, {
    status: 503,
    headers: {
      'Content-Type': 'text/plain; charset=utf-8',
      'Cache-Control': 'no-store',
      'Retry-After': '5',
    },
  })
}
