/**
 * `npm run publish`: publishes content/ to the deployed service, with no
 * Worker deploy.
 *
 * 1. Validates and builds content/ (entries unchanged since the last build
 *    come from the build cache).
 * 2. Applies any new migrations to the remote D1 database.
 * 3. Loads the changed rows as a new content version and flips to it (the
 *    same load as `npm start` and the tests, src/store/load.ts, here through
 *    `wrangler d1 execute --remote`): readers get the old version until the
 *    flip, then the new one.
 * 4. Asks the Worker to follow the publish now (`POST /_publish`): it purges
 *    the changed Cache-Tags and runs WebSub change detection for the changed
 *    feeds. Without SITE_URL and WEBSUB_PUBLISH_TOKEN the per-minute cron
 *    does the same within a minute.
 *
 * Usage: SITE_URL=https://feeds.example.org WEBSUB_PUBLISH_TOKEN=… npm run publish
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadRows } from '../src/store/load.ts'
import { build, failure } from './lib/build.ts'
import { withRemoteTarget } from './lib/load-targets.ts'

const env = { ...process.env, WRANGLER_SEND_METRICS: 'false' }
const dir = process.env.CONTENT_DIR ?? 'content'

let step = 'build'
const work = mkdtempSync(join(tmpdir(), 'feed-publish-'))
try {
  const built = await build(dir, {
    siteUrl: process.env.SITE_URL || undefined,
    cacheFile: join('.cache', 'entry-hashes.json'),
  })
  console.log(
    `content: ${built.rows.hashes.length} entries valid, version ${built.rows.catalog.version}`,
  )
  step = 'migrations'
  execFileSync('npx', ['wrangler', 'd1', 'migrations', 'apply', 'DB', '--remote'], {
    stdio: 'inherit',
    env,
  })
  step = 'load'
  const report = await withRemoteTarget(join(work, 'load.sql'), (target) =>
    loadRows(target, built.rows),
  )
  console.log(
    `published version ${report.version}: ${report.written} entries written, ${report.deleted} deleted, ${report.unchanged} unchanged; ${report.purge.length} Cache-Tags to purge`,
  )
  step = 'follow-up'
  await followUp(built.content.site.url)
} catch (error) {
  console.error(
    step === 'build'
      ? failure(error)
      : `publish stopped at the ${step}; the previous version still serves: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
  )
  process.exitCode = 1
} finally {
  rmSync(work, { recursive: true, force: true })
}

/** Asks the Worker to purge and notify now; without a token the cron does it within a minute. */
async function followUp(site: string) {
  const token = process.env.WEBSUB_PUBLISH_TOKEN
  if (!token)
    return console.log(
      'WEBSUB_PUBLISH_TOKEN not set: the Worker purges the changed tags and notifies WebSub subscribers at its next cron (within a minute).',
    )
  const res = await fetch(`${site}/_publish`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(60_000),
  })
  if (!res.ok) throw new Error(`POST ${site}/_publish answered ${res.status}`)
  const report = (await res.json()) as { purged: string[]; topics: string[] }
  console.log(
    `purged ${report.purged.length} Cache-Tags; WebSub detection ran for ${report.topics.length} feeds`,
  )
}
