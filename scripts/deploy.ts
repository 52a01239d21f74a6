/**
 * Publishes: validates the content, applies the migrations to the remote
 * D1 database, writes only the entries that changed (and removes deleted
 * ones), deploys the Worker built with the same catalog, and asks the
 * WebSub hub to distribute the feeds that changed. Each step
 * stops the deploy when it fails.
 *
 * Between the load and the deploy the store holds the new content version
 * while the old Worker still runs: its isolates keep answering from their
 * memo and Workers Cache, and answer a miss with a 503 rather than mix
 * versions (see src/store/store.ts). The deploy replaces every isolate and
 * starts an empty Workers Cache (it keys on the Worker version).
 *
 * Usage: npm run deploy   (SITE_URL=https://feeds.example.org npm run deploy)
 */
import { execFileSync } from 'node:child_process'

const run = (command: string, ...args: string[]) => {
  console.log(`> ${command} ${args.join(' ')}`)
  execFileSync(command, args, { stdio: 'inherit', env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } })
}

run('node', 'scripts/build-content.ts')
run('npx', 'wrangler', 'd1', 'migrations', 'apply', 'DB', '--remote')
run('node', 'scripts/build-content.ts', '--load', 'remote')
run('npx', 'wrangler', 'deploy', '--minify')
// Tell the WebSub hub to look for changed feeds now rather than at the next cron.
run('node', 'scripts/websub-publish.ts')
