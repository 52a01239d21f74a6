/**
 * Vitest setup, run inside workerd before each test file: applies the D1
 * migrations in `migrations/` to the `DB` binding.
 */
import { applyD1Migrations } from 'cloudflare:test'
import { env } from 'cloudflare:workers'

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS)
