/**
 * `npm run deploy`: deploys a new version of the Worker's code. Content is
 * not part of the Worker (it lives in D1, see `npm run publish`), so a
 * deploy is only needed when src/ changes. It also publishes the content
 * first, because new code may need new migrations and rows (a new format's
 * items, say); it says so, and a publish that changes nothing costs one read.
 *
 * Workers Cache keys on the Worker version: after a deploy every cached
 * response is rebuilt on its next request.
 *
 * Usage: SITE_URL=https://feeds.example.org WEBSUB_PUBLISH_TOKEN=… npm run deploy
 */
import { execFileSync } from 'node:child_process'

const run = (command: string, ...args: string[]) => {
  console.log(`> ${command} ${args.join(' ')}`)
  execFileSync(command, args, {
    stdio: 'inherit',
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
  })
}

console.log('deploy: publishing content/ first (npm run publish), then deploying the code.')
run('node', 'scripts/publish.ts')
run('npx', 'wrangler', 'deploy', '--minify')
