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
import { DEFAULT_CACHE, type CachePolicy } from './cache.ts'
import { ifModifiedSince, RETAINED_304 } from './conditional.ts'
import {
  HttpError,
  MethodNotAllowed,
  NotFound,
  PreconditionFailed,
  StoreUnavailable,
} from './errors.ts'
import { bareUrl } from './middleware/bare-url.ts'
import { canonicalPath } from './middleware/canonical-path.ts'
import { contentLength } from './middleware/content-length.ts'
import { allowMethods } from './middleware/methods.ts'
import { feedCsp } from './middleware/feed-csp.ts'
import { pageCsp } from './middleware/page-csp.ts'
import { preconditions } from './middleware/preconditions.ts'
import { renderErrorPage, wantsHtmlError } from './pages/error.tsx'
import { feedCsp as FEED_CSP, pageCsp as PAGE_CSP } from './pages/layout.tsx'
import { archiveRoutes } from './routes/archives.ts'
import { browseRoutes } from './routes/browse.tsx'
import type { AppEnv } from './routes/context.ts'
import { discoveryRoutes } from './routes/discovery.ts'
import { feedRoutes } from './routes/feeds.ts'
import { imageRoutes } from './routes/images.ts'
import { monthRoutes } from './routes/months.tsx'
import { pageRoutes } from './routes/pages.tsx'
import { peopleRoutes } from './routes/people.tsx'
import { searchRoutes } from './routes/search.tsx'
import { sourceRoutes } from './routes/sources.tsx'
import { FORMAT_KEYS, FORMATS } from './formats.ts'
import { MEMBER_ROWS } from './scopes.ts'
import { negotiateError } from './negotiation.ts'
import { createRepresenter } from './representation.ts'
import { subscribeRoutes } from './routes/subscribe.tsx'
import { statsRoutes } from './routes/stats.ts'
import { Store } from './store/store.ts'
import { createRecorder, type RecorderOptions } from './subscribers/counts.ts'
import { countSubscribers } from './subscribers/middleware.ts'
import { createHub, type HubOptions } from './websub/hub.ts'
import { siteFeedUrls } from './websub/topics.ts'

const ALLOWED_METHODS = ['GET', 'HEAD', 'OPTIONS']

const FEED_FILES = Object.values(FORMATS)
  .map((f) => f.file.replace('.', '\\.'))
  .join('|')
const SEGMENTS = MEMBER_ROWS.map((row) => row.segment).join('|')
/**
 * The routes that read a query string: every scope's feeds (filters),
 * `/search` and the topic page (its feed builder). Every other route
 * answers a query with a 301 to its bare URL (middleware/bare-url.ts).
 */
const TAKES_QUERY = new RegExp(
  `^(?:/(?:${SEGMENTS})/[^/]+)?/(?:${FEED_FILES})$|^/search$|^/topics/[^/]+$`,
)

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
  const hubFeedUrls = siteFeedUrls(catalog)
  const websub = createHub({
    setting: catalog.site.websub ?? 'self',
    siteUrl: catalog.url,
    feedUrls: () => hubFeedUrls,
    feeds: (url, env) => Promise.resolve(app.fetch(new Request(url), env)),
    options: options.websub,
  })
  const routes = { catalog, represent, store, policy, hubFor: websub.hubFor }

  app.use(contentLength())
  const recorder = createRecorder(options.subscribers)
  app.use(countSubscribers(recorder, options.subscribers?.now))
  // `/websub` takes POST only when the built-in hub is on; otherwise it is no resource, and any method there is a 404.
  app.use(
    allowMethods((path) =>
      path !== '/websub'
        ? ALLOWED_METHODS
        : websub.builtIn
          ? ['POST']
          : [...ALLOWED_METHODS, 'POST'],
    ),
  )
  app.use(
    secureHeaders({
      crossOriginResourcePolicy: 'cross-origin',
      crossOriginOpenerPolicy: 'same-origin',
      strictTransportSecurity: 'max-age=31536000',
    }),
  )
  app.use(
    cors({
      origin: '*',
      allowMethods: ALLOWED_METHODS,
      allowHeaders: ['If-None-Match', 'If-Modified-Since', 'If-Match', 'If-Unmodified-Since'],
      exposeHeaders: ['ETag', 'Last-Modified', 'Link'],
      maxAge: 86_400,
    }),
  )
  app.use(canonicalPath())
  app.use(bareUrl((path) => TAKES_QUERY.test(path)))
  app.use(preconditions())
  app.use(etag({ retainedHeaders: RETAINED_304 }))
  app.use(ifModifiedSince())
  app.use(pageCsp(PAGE_CSP))
  app.use(feedCsp(FEED_CSP))

  monthRoutes(app, routes)
  subscribeRoutes(app, routes)
  feedRoutes(app, routes)
  archiveRoutes(app, routes)
  pageRoutes(app, routes)
  browseRoutes(app, routes)
  discoveryRoutes(app, routes)
  peopleRoutes(app, routes)
  searchRoutes(app, routes)
  sourceRoutes(app, routes)
  imageRoutes(app, routes)
  statsRoutes(app, routes, options.subscribers?.now)
  websub.routes(app)

  const page = (status: number, message: string) => renderErrorPage(catalog, status, message)
  const notFound = new NotFound(notFoundMessage())
  app.notFound((c) => errorResponse(c, page, notFound))
  app.onError((error, c) => errorResponse(c, page, error))

  return Object.assign(app, { catalog, stats, websub, subscriberWrites: recorder.stats })
}

/** What a 404 for an unknown path lists: the pages, and every scope kind's feeds and discovery document. */
function notFoundMessage(): string {
  const members = MEMBER_ROWS.map((row) => `/${row.segment}/{${row.noun}}`)
  const files = FORMAT_KEYS.map((f) => `/${FORMATS[f].file}`).join(', ')
  const lists = [...MEMBER_ROWS.map((row) => `/${row.plural}.json`), '/opml.xml'].join(', ')
  return `Not found. Pages: /, ${members.join(', ')}, /people, /sources, /entries/{id}, /search?q=words, /archive. Feeds: ${files}, and the same under ${members.map((m) => `${m}/`).join(', ')}; archives under {scope}/archive. Lists: ${lists}.`
}

/**
 * The one place errors become responses: an {@link HttpError} answers with
 * its status and message, as JSON for JSON clients, else plain text; a
 * store failure is a 503 with `Retry-After` (RFC 9110 section 10.2.3) that
 * no cache keeps, and so is a stored row that does not parse (the only
 * JSON a GET parses is the store's); anything else is logged and answered
 * with a bare 500. A browser asking for a page gets the error as a page
 * (`page`), see pages/error.tsx.
 */
function errorResponse(
  c: Context,
  page: (status: number, message: string) => string,
  error: Error,
): Response {
  if (error instanceof HttpError) {
    const headers: Record<string, string> = { 'Cache-Control': 'public, max-age=60' }
    if (error instanceof MethodNotAllowed) headers['Allow'] = error.allow.join(', ')
    if (error instanceof PreconditionFailed) {
      // Depends on the request's headers: no cache may answer another request with it.
      headers['Cache-Control'] = 'no-store'
      if (error.etag) headers['ETag'] = error.etag
    }
    if (error instanceof StoreUnavailable) {
      console.error('store unavailable', c.req.method, c.req.path, error.reason, error.cause ?? '')
      headers['Cache-Control'] = 'no-store'
      headers['Retry-After'] = String(error.retryAfter)
    }
    const format = negotiateError(c.req.path, c.req.header('Accept'))
    if (format.vary) headers['Vary'] = format.vary
    if (!format.json && wantsHtmlError(c.req.path, c.req.header('Accept'))) {
      headers['Content-Type'] = 'text/html; charset=utf-8'
      return c.body(page(error.status, error.message), error.status, headers)
    }
    if (format.json) {
      headers['Content-Type'] = 'application/problem+json; charset=utf-8'
      return c.json(
        { status: error.status, error: error.message, ...error.details },
        error.status,
        headers,
      )
    }
    return c.text(`${error.status} ${error.message}\n`, error.status, headers)
  }
  // A stored row that does not parse is damaged data, not a bug of the request: the store's 503.
  if (error instanceof SyntaxError)
    return errorResponse(
      c,
      page,
      new StoreUnavailable('a stored row does not parse', { cause: error }),
    )
  console.error('unhandled error', c.req.method, c.req.path, error)
  return c.text('500 Internal error.\n', 500, { 'Cache-Control': 'no-store' })
}
