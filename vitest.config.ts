import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin'
import { defineConfig } from 'vitest/config'

// Every test file gets its own Miniflare, with a fresh D1 database that test/setup.ts migrates and fills.
const migrations = await readD1Migrations('./migrations')

export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: './wrangler.toml' },
      miniflare: { bindings: { TEST_MIGRATIONS: migrations, WEBSUB_ALLOW_LOOPBACK: 'true' } },
    }),
  ],
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    exclude: ['test/browser/**', 'test/node/**'],
    setupFiles: ['./test/setup.ts'],
  },
})
