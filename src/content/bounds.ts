/**
 * @module bounds
 * What one entry may make a feed carry, checked at build time so that no
 * served document can pass its stated size: each entry's item is rendered
 * in every format (the renderers the store uses) and measured.
 *
 * A feed document holds at most {@link FEED_BOUNDS}.maxItems items (the
 * largest `limit`, filters.ts `MAX_LIMIT`) or a whole archive page
 * (`archivePageSize`), whichever is more, plus its head. With every item
 * within {@link itemBudget} and the head within `headBytes` (the site's
 * fields, bounded by the schema's lengths), every document stays under
 * `documentBytes`, 4 MiB, a quarter of the isolate memo's default 16 MiB.
 */
import { atom } from '../feeds/atom.ts'
import { json } from '../feeds/json.ts'
import type { ItemContext, Serializer } from '../feeds/model.ts'
import { rss } from '../feeds/rss.ts'
import type { Entry, Site, Topic } from './types.ts'

export const FEED_BOUNDS = {
  /** The documented bound on any feed document. */
  documentBytes: 4 * 1024 * 1024,
  /** Reserved for a document's head: title, description, links, images, and the XML or JSON around the items. */
  headBytes: 64 * 1024,
  /** An item in any format, at most (less when archive pages hold more than `maxItems`). */
  itemBytes: 36 * 1024,
  /** The largest `limit` a feed takes (filters.ts `MAX_LIMIT`). */
  maxItems: 100,
} as const

const SERIALIZERS: [string, Serializer][] = [['RSS', rss], ['Atom', atom], ['JSON Feed', json]]

/** Bytes one item may take in a site whose archive pages hold `pageSize` entries. */
export function itemBudget(pageSize: number | undefined): number {
  const items = Math.max(FEED_BOUNDS.maxItems, pageSize ?? 0)
  return Math.min(FEED_BOUNDS.itemBytes, Math.floor((FEED_BOUNDS.documentBytes - FEED_BOUNDS.headBytes) / items))
}

/** The item context the store renders with (store/rows.ts), for a site. */
export function itemContext(site: Pick<Site, 'url' | 'publisher'>, topics: readonly Topic[]): ItemContext {
  return {
    authorName: site.publisher.name,
    topicScheme: `${site.url}/topics/`,
    topicTitles: new Map(topics.map((t) => [t.slug, t.title])),
    sourceBase: `${site.url}/sources/`,
  }
}

const encoder = new TextEncoder()

/** Each item of `entry` over the budget: its format and size in bytes. */
export function oversizedItems(entry: Entry, context: ItemContext, budget: number): { format: string; bytes: number }[] {
  return SERIALIZERS.flatMap(([format, serializer]) => {
    const bytes = encoder.encode(serializer.item(entry, context)).byteLength
    return bytes > budget ? [{ format, bytes }] : []
  })
}
