/**
 * Asks the deployed hub to run change detection now rather than at the next
 * minute's cron: `POST {SITE_URL}/websub` with `hub.mode=publish` and
 * `Authorization: Bearer {WEBSUB_PUBLISH_TOKEN}` (the Worker secret of the
 * same name). `npm run deploy` runs it after `wrangler deploy`; without
 * SITE_URL or WEBSUB_PUBLISH_TOKEN it says so and leaves detection to the cron.
 *
 * Usage: SITE_URL=https://feeds.example.org WEBSUB_PUBLISH_TOKEN=… node scripts/websub-publish.ts
 */
const site = process.env.SITE_URL
const token = process.env.WEBSUB_PUBLISH_TOKEN
if (!site || !token) {
  console.log(
    'websub: SITE_URL or WEBSUB_PUBLISH_TOKEN not set; the cron detects the change within a minute.',
  )
  process.exit(0)
}
const res = await fetch(`${site.replace(/\/+$/, '')}/websub`, {
  method: 'POST',
  headers: { Authorization: `Bearer ${token}` },
  body: new URLSearchParams({ 'hub.mode': 'publish' }),
  signal: AbortSignal.timeout(30_000),
})
console.log(`websub: publish answered ${res.status} ${(await res.text()).trim()}`)
process.exit(res.status === 202 ? 0 : 1)
export {}
