/**
 * @module directory
 * Small helpers every page and discovery document shares: absolute feed
 * URLs built from the site URL (never the request's Host). Counts and
 * their plurals are the interface language's, in src/i18n.ts.
 */
import type { Catalog } from '../catalog.ts'
import { feedPath, type Format } from '../formats.ts'

/** Absolute URL of a feed; `base` is the scope's root-relative path (`''`, `/topics/x`), `query` canonical, without `?`. */
export function feedUrl(catalog: Catalog, base: string, format: Format, query = ''): string {
  return catalog.url + feedPath(base, format) + (query ? `?${query}` : '')
}
