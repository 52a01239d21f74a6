/**
 * Runs before each test file, inside workerd: migrates the file's fresh D1
 * database and loads fixture A (test/fixtures/millbrook, compiled by
 * `npm run content` into test/generated/content.ts) into it, so the Worker
 * under test (`exports.default`) serves it. No test depends on content/.
 */
import { applyD1Migrations } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { useContent } from './helpers.ts'
import content from './generated/content.ts'

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS)
await useContent(content)
