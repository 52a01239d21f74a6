/**
 * Runs before each test file, inside workerd: migrates the file's fresh D1
 * database and loads fixture A (test/fixtures/millbrook, compiled by
 * `npm run content` into test/generated/content.ts) into it, so the Worker
 * under test (`exports.default`) serves it. No test depends on content/.
 */
import { applyD1Migrations } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import catalog from '../src/generated/catalog.ts'
import { useContent } from './helpers.ts'
import content from './generated/content.ts'

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS)
const rows = await useContent(content)
// wrangler's build step (run by `wrangler types`, `npm run build`, `npm start`) compiles content/ into the Worker instead.
if (catalog.version !== rows.catalog.version) throw new Error('The Worker under test holds another catalog than fixture A: run `npm run pretest` first.')
