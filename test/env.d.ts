/// <reference types="@cloudflare/vitest-plugin/types" />
declare namespace Cloudflare {
  interface Env {
    /** The migrations, read by vitest.config.ts for test/setup.ts. */
    TEST_MIGRATIONS: import('cloudflare:test').D1Migration[]
  }
}
