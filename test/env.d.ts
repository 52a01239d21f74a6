/// <reference types="@cloudflare/vitest-plugin/types" />
// Bindings only the tests have (vitest.config.ts, miniflare.bindings).
declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import('cloudflare:test').D1Migration[]
  }
}
