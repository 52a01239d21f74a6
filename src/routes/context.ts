/**
 * @module context
 * What every route module is given by the composition root (`src/app.ts`).
 */
import type { Context } from 'hono'
import type { Catalog } from '../catalog.ts'
import type { CachePolicy } from '../cache.ts'
import type { Represent } from '../representation.ts'
import {
  scopeNamed,
  siteScope,
  type Located,
  type ScopeKind,
  type ScopeKindRow,
} from '../scopes.ts'
import type { Store } from '../store/store.ts'

/** The Worker's bindings, as `wrangler types` generates them. */
export type AppEnv = { Bindings: Env }

export interface RouteContext {
  catalog: Catalog
  /** Serves the memoised representation of a canonical URL, rendering it on a miss. */
  represent: Represent
  /** The content store of this request's environment. */
  store: (c: Context<AppEnv>) => Store
  policy: CachePolicy
  /** The WebSub hub a feed with this canonical query advertises, if any. */
  hubFor: (query: string) => string | undefined
}

/** The scope a request's path names, for the scope table row the route was registered from. */
export function locator(
  catalog: Catalog,
  row: ScopeKindRow<ScopeKind>,
): (c: Context<AppEnv>) => Located {
  if (row.segment === undefined) return () => ({ scope: siteScope(catalog), spelled: true })
  return (c) => scopeNamed(catalog, row.kind, c.req.param(row.param) ?? '')
}
