/**
 * @module app
 * The composition root: the Hono application made of the middleware, the
 * route groups and the one error mapping. Nothing is defined here that
 * another module imports back.
 */
import { Hono, type Context } from 'hono'
import { cors } from 'hono/cors'
import { etag } from 'hono/etag'
import { secureHeaders } from 'hono/secure-headers'
import { openCatalog, type CatalogData } from './catalog.ts'
import { errorFormat, HttpError, NotFound, StoreUnavailable } from './errors.ts'
import { createRepresenter, DEFAULT_CACHE, ifModifiedSince, RETAINED_304, type CachePolicy } from './http.ts'
import { canonicalPath } from './middleware/canonical-path.ts'
import { contentLength } from './middleware/content-length.ts'
import { pageCsp } from './middleware/page-csp.ts'
import { pageCsp as PAGE_CSP } from './pages/layout.tsx'
import { archiveRoutes } from './routes/archives.ts'
import type { AppEnv } from './routes/context.ts'
import { discoveryRoutes } from './routes/discovery.ts'
import { feedRoutes } from './routes/feeds.ts'
import { imageRoutes } from './routes/images.ts'
import { pageRoutes } from './routes/pages.tsx'
import { peopleRoutes } from './routes/people.tsx'
import { searchRoutes } from './routes/search.tsx'
import { sourceRoutes } from './routes/sources.tsx'
import { statsRoutes } from './routes/stats.ts'
import { Store } from './store/store.ts'
import { createRecorder, type RecorderOptions } from './subscribers/counts.ts'
import { countSubscribers } from './subscribers/middleware.ts'
import { createHub, type HubOptions } from './websub/hub.ts'
import { siteFeedUrls } from './websub/topics.ts'

const ALLOWED_METHODS = ['GET', 'HEAD', 'OPTIONS']

export interface AppOptions {
  /** Bytes of rendered bodies kept per isolate. Default 16 MiB. */
  memoBytes?: number
  cache?: CachePolicy
  /** The WebSub hub's outbound fetch, clock and bounds (tests replace them). */
  websub?: HubOptions
  /** Subscriber counting: the clock, and how long an isolate skips rewriting an unchanged count. */
  subscribers?: RecorderOptions & { now?: () => number }
}

/** Creates the Worker's Hono app over a catalog; entries come from the `DB` binding. Each app has its own memo. */
export function createApp(data: CatalogData, options: AppOptions = {}) {
  const catalog = openCatalog(data)
  const policy = options.cache ?? DEFAULT_CACHE
  const { represent, stats } = createRepresenter(options.memoBytes ?? 16 * 2 ** 20, policy)
  const stores = new WeakMap<D1Database, Store>()
  const store = (c: Context<AppEnv>) => {
    let s = stores.get(c.env.DB)
    if (!s) stores.set(c.env.DB, (s = new Store(c.env.DB, catalog.version)))
    return s
  }
  const app = new Hono<AppEnv>({ strict: true })
  const topicUrls = siteFeedUrls(catalog)
  const websub = createHub({
    setting: catalog.site.websub ?? 'self',
    siteUrl: catalog.url,
    topics: () => topicUrls,
    feeds: (url, env) => Promise.resolve(app.fetch(new Request(url), env)),
    options: options.websub,
  })
  const routes = { catalog, represent, store, policy, hubFor: websub.hubFor }

  app.use(contentLength())
  const recorder = createRecorder(options.subscribers)
  app.use(countSubscribers(recorder, options.subscribers?.now))
  app.use(async function allowMethods(c, next) {
    if (!ALLOWED_METHODS.includes(c.req.method) && !(c.req.method === 'POST' && c.req.path === '/websub')) throw new HttpError(405, `Method ${c.req.method} not allowed; use GET or HEAD.`)
    await next()
  })
  app.use(
    secureHeaders({
      crossOriginResourcePolicy: 'cross-origin',
      crossOriginOpenerPolicy: 'same-origin',
      strictTransportSecurity: 'max-age=31536000',
    }),
  )
  app.use(cors({ origin: '*', allowMethods: ALLOWED_METHODS, allowHeaders: ['If-None-Match', 'If-Modified-Since'], exposeHeaders: ['ETag', 'Last-Modified', 'Link'], maxAge: 86_400 }))
  app.use(canonicalPath())
  app.use(etag({ retainedHeaders: RETAINED_304 }))
  app.use(ifModifiedSince())
  app.use(pageCsp(PAGE_CSP))

  archiveRoutes(app, routes) // before feedRoutes: `/topics/{slug}/archive` is not a feed file
  feedRoutes(app, routes)
  pageRoutes(app, routes)
  discoveryRoutes(app, routes)
  peopleRoutes(app, routes)
  searchRoutes(app, routes)
  sourceRoutes(app, routes)
  imageRoutes(app, routes)
  statsRoutes(app, routes, options.subscribers?.now)
  websub.routes(app)

  app.notFound((c) =>
    errorResponse(c, new NotFound('Not found. Pages: /, /topics/{topic}, /people, /people/{id}, /sources, /sources/{source}, /entries/{id}, /search?q=words, /archive. Feeds: /rss.xml, /atom.xml, /feed.json, and the same under /topics/{topic}/ and /people/{id}/. Lists: /topics.json, /people.json, /opml.xml.')),
  )
  app.onError((error, c) => errorResponse(c, error))

  return Object.assign(app, { catalog, stats, websub, subscriberWrites: recorder.stats })
}

/**
 * The one place errors become responses: an {@link HttpError} answers with
 * its status and message, as JSON for JSON clients, else plain text; a
 * store failure is a 503 with `Retry-After` (RFC 9110 section 10.2.3) that
 * no cache keeps; anything else is logged and answered with a bare 500.
 */
function errorResponse(c: Context, error: Error): Response {
  if (error instanceof HttpError) {
    const headers: Record<string, string> = { 'Cache-Control': 'public, max-age=60' }
    if (error.status === 405) headers['Allow'] = ALLOWED_METHODS.join(', ')
    if (error instanceof StoreUnavailable) {
      console.error('store unavailable', c.req.method, c.req.path, error.reason, error.cause ?? '')
      headers['Cache-Control'] = 'no-store'
      headers['Retry-After'] = String(error.retryAfter)
    }
    const format = errorFormat(c.req.path, c.req.header('Accept'))
    if (format.vary) headers['Vary'] = format.vary
    if (format.json) {
      headers['Content-Type'] = 'application/problem+json; charset=utf-8'
      return c.json({ status: error.status, error: error.message, ...error.details }, error.status, headers)
    }
    return c.text(`${error.status} ${error.message}\n`, error.status, headers)
  }
  console.error('unhandled error', c.req.method, c.req.path, error)
  return c.text('500 Internal error.\n', 500, { 'Cache-Control': 'no-store' })
}
