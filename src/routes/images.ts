/**
 * @module images
 * `/images/{name}`: the site's identity images (icon, favicon, logo), PNG
 * files compiled into the catalog. Each is served with its type, a strong
 * ETag (so a revalidation is a 304, RFC 9110 section 13.1.2) and a long
 * lifetime: an image changes only with a content deploy, and after a week a
 * cache revalidates by ETag rather than fetch it again.
 */
import type { Hono } from 'hono'
import { NotFound } from '../errors.ts'
import { entityTag } from '../representation.ts'
import type { AppEnv, RouteContext } from './context.ts'

/** A week fresh, then revalidated; stale copies may be served for a month while revalidating or if the Worker fails. */
const IMAGE_CACHE_CONTROL =
  'public, max-age=604800, stale-while-revalidate=2592000, stale-if-error=2592000'

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

/** Registers `/images/{name}` on `app`. Bytes are decoded and hashed once per isolate, on first request. */
export function imageRoutes(app: Hono<AppEnv>, { catalog }: RouteContext): void {
  const images = new Map(catalog.images.map((i) => [i.name, i]))
  const ready = new Map<string, Promise<{ body: Uint8Array<ArrayBuffer>; etag: string }>>()

  app.get('/images/:name', async (c) => {
    const name = c.req.param('name')
    const image = images.get(name)
    if (!image)
      throw new NotFound(`No such image. Images: ${[...images.keys()].join(', ') || 'none'}.`)
    let job = ready.get(name)
    if (!job) {
      const body = decode(image.base64)
      ready.set(name, (job = entityTag(body).then((etag) => ({ body, etag }))))
    }
    const { body, etag } = await job
    return c.body(body, 200, {
      'Content-Type': 'image/png',
      'Content-Length': String(body.byteLength),
      ETag: etag,
      'Cache-Control': IMAGE_CACHE_CONTROL,
      'CDN-Cache-Control': IMAGE_CACHE_CONTROL,
      'Cache-Tag': `images,image:${name}`,
    })
  })
}
