/**
 * Runs before each test file, inside workerd: migrates the file's fresh D1
 * database and loads the bundled content into it, so the Worker under test
 * (`exports.default`) serves it.
 */
import { applyD1Migrations } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { useContent } from './helpers.ts'
import content from './generated/content.ts'

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS)
await useContent(content)
