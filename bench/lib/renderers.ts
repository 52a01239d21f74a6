/**
 * What the benchmark renders, shared by Node (bench/render.ts) and workerd
 * (bench/worker.ts): one feed model per call, serialized.
 *
 * Ours (src/feeds/*) returns the UTF-8 body as bytes, built from cached
 * per-entry byte fragments: "render" is build (`buildFeed`) + serialize to
 * bytes, which is everything a memo miss does before SHA-256 (src/http.ts,
 * `represent`, no longer encodes feeds).
 *
 * The floor and the `feed` package return strings. V8 builds `+=` results
 * as ropes (cons strings) and only copies them into one flat string when the
 * string is first read, so an unread result would look far cheaper than it
 * is; their renders read one character of the result, which flattens it as
 * `TextEncoder.encode` would. Their UTF-8 encode is measured apart
 * (`encode`), so "floor + encode" and "feed + encode" compare with our bytes.
 */
import { buildFeed, type Site } from '../../src/app.ts'
import type { Filters } from '../../src/filters.ts'
import { renderAtom } from '../../src/feeds/atom.ts'
import { renderJson } from '../../src/feeds/json.ts'
import type { Feed, Render } from '../../src/feeds/model.ts'
import { renderRss } from '../../src/feeds/rss.ts'
import { feedAtom, feedJson, feedRss } from './feedpkg.ts'
import { floorAtom, floorJson, floorRss } from './floor.ts'
import { FORMAT_NAMES, type FormatName } from './formats.ts'
import { freshCopies } from './synthetic.ts'

export { FORMAT_NAMES, type FormatName }

const PATH: Record<FormatName, string> = { rss: '/rss.xml', atom: '/atom.xml', json: '/feed.json' }

/** A comparison serializer: a string, which the service would still have to encode. */
export type RenderString = (feed: Feed) => string

export const OURS: Record<FormatName, Render> = { rss: renderRss, atom: renderAtom, json: renderJson }

/** `floor` = bench/lib/floor.ts; `feed` = the feed npm package. */
export type StringImpl = 'floor' | 'feed'
export const STRING_RENDER: Record<StringImpl, Record<FormatName, RenderString>> = {
  floor: { rss: floorRss, atom: floorAtom, json: floorJson },
  feed: { rss: feedRss, atom: feedAtom, json: feedJson },
}

/** Every entry of the site, newest first (the service caps `limit` at 100; the benchmark goes to 1,000). */
export function filtersFor(n: number): Filters {
  return { topic: [], exclude: [], person: [], limit: n }
}

/** The site's feed model, exactly as the routes build it (5-minute max-age, so a 5-minute ttl). */
export function model(site: Site, format: FormatName): Feed {
  return buildFeed(site, undefined, filtersFor(site.content.entries.length), PATH[format], 300)
}

/** Sink for what is read from each result, so no compiler can drop the read. */
export let sink = 0

/** Ours: build + render to UTF-8 bytes; returns the body. */
export function renderOurs(site: Site, format: FormatName): Uint8Array {
  const body = OURS[format](model(site, format))
  sink ^= body[body.byteLength >> 1] ?? 0
  return body
}

/** Floor or `feed`: build + render + flatten the string; returns the body. */
export function renderString(site: Site, format: FormatName, impl: StringImpl): string {
  const body = STRING_RENDER[impl][format](model(site, format))
  sink ^= body.charCodeAt(body.length >> 1) // flattens the rope
  return body
}

export const encoder = new TextEncoder()

/** The same site with fresh entry objects: every per-entry fragment cache misses on them. */
export function coldSite(site: Site): Site {
  return { ...site, content: { ...site.content, entries: freshCopies(site.content.entries) } }
}
