/**
 * @module render/feed-head
 * What a feed document says besides its items, for any scope and format:
 * its head (title, description, URLs, images, time to live), its place in
 * RFC 5005 history, and its time. Pure: routes pass what they read from
 * the store and serialize the result.
 */
import type { Catalog } from '../catalog.ts'
import type { FeedHead, FeedHistory } from '../feeds/model.ts'
import { archivePath, isComplete, pageCount, type Paging } from '../history.ts'
import { FORMATS, feedPath, type Format } from '../formats.ts'
import { wordsFor } from '../i18n.ts'
import { feedTitle, scopeDescription, statsOf, type Scope } from '../scopes.ts'

const imagesOf = new WeakMap<Catalog, FeedHead['images']>()

/** The images as feeds name them: absolute URLs with their sizes, by role; worked out once per catalog. */
function feedImages(catalog: Catalog): FeedHead['images'] {
  let out = imagesOf.get(catalog)
  if (out) return out
  imagesOf.set(catalog, (out = {}))
  for (const [role, name] of Object.entries(catalog.site.images ?? {}) as [
    keyof FeedHead['images'],
    string | undefined,
  ][]) {
    const image = catalog.images.find((i) => i.name === name)
    if (image)
      out[role] = {
        url: `${catalog.url}/images/${image.name}`,
        width: image.width,
        height: image.height,
      }
  }
  return out
}

/** The head of a scope's feed whose canonical path is `selfPath`. */
export function feedHead(
  catalog: Catalog,
  scope: Scope,
  selfPath: string,
  updated: string,
  ttlSeconds: number,
  links: Pick<FeedHead, 'hub' | 'history' | 'deleted'> = {},
): FeedHead {
  const site = catalog.site
  return {
    title: feedTitle(catalog, scope),
    description: scopeDescription(scope, wordsFor(site.language)),
    selfUrl: catalog.url + selfPath,
    homeUrl: `${catalog.url}${scope.path || '/'}`,
    language: site.language,
    updated,
    author: site.publisher,
    rights: site.rights,
    ttl: Math.max(1, Math.round(ttlSeconds / 60)),
    images: feedImages(catalog),
    ...links,
  }
}

/** A feed document of `format`: `head` and the stored items of `rows`, serialized, with the format's Content-Type. */
export function feedDocument(
  format: Format,
  head: FeedHead,
  rows: readonly { item: string }[],
): { body: Uint8Array<ArrayBuffer>; type: string } {
  return {
    body: FORMATS[format].serializer.document(
      head,
      rows.map((r) => r.item),
    ),
    type: FORMATS[format].type,
  }
}

/** The newest `updated` among rows (RFC 3339 UTC strings compare as text). */
export function newest(rows: readonly { updated: string }[]): string | undefined {
  let max: string | undefined
  for (const r of rows) if (max === undefined || r.updated > max) max = r.updated
  return max
}

/** A scope's archive layout: its entry count and the site's page size. */
export function pagingOf(catalog: Catalog, scope: Scope): Paging {
  return { count: statsOf(catalog, scope.key).entries, size: catalog.archivePageSize }
}

/** The subscription document's place in history: complete, or linked to the newest archive page. */
export function subscriptionHistory(catalog: Catalog, scope: Scope, format: Format): FeedHistory {
  const paging = pagingOf(catalog, scope)
  if (isComplete(paging)) return { complete: true }
  return { prevArchive: catalog.url + archivePath(scope.path, pageCount(paging), format) }
}

/** Archive document `page` of `pages`: its subscription document and its older and newer neighbours (RFC 5005 section 4). */
export function archiveHistory(
  catalog: Catalog,
  scope: Scope,
  format: Format,
  page: number,
  pages: number,
): FeedHistory {
  return {
    archive: true,
    current: catalog.url + feedPath(scope.path, format),
    prevArchive: page > 1 ? catalog.url + archivePath(scope.path, page - 1, format) : undefined,
    nextArchive: page < pages ? catalog.url + archivePath(scope.path, page + 1, format) : undefined,
  }
}
