/**
 * @module directory
 * Small helpers every page and discovery document shares: absolute feed
 * URLs built from the site URL (never the request's Host), and counts.
 */
import type { Catalog } from '../catalog.ts'
import { feedPath, type Format } from '../formats.ts'

/** Absolute URL of a feed; `base` is the scope's root-relative path (`''`, `/topics/x`), `query` canonical, without `?`. */
export function feedUrl(catalog: Catalog, base: string, format: Format, query = ''): string {
  return catalog.url + feedPath(base, format) + (query ? `?${query}` : '')
}

export function plural(n: number, one: string, many: string): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`
}
