/**
 * @module app
 * The Hono application: routes, middleware and error mapping. Everything
 * derived from content is computed once in {@link createApp}; a request
 * only parses its URL, filters and (on a memo miss) serializes.
 */
import { Hono, type Context } from 'hono'
import { cors } from 'hono/cors'
import { etag } from 'hono/etag'
import { secureHeaders } from 'hono/secure-headers'
import { trimTrailingSlash } from 'hono/trailing-slash'
import type { Content, Entry, Topic } from './content/types.ts'
import { HttpError, NotFound, quote } from './errors.ts'
import { renderAtom } from './feeds/atom.ts'
import { renderJson } from './feeds/json.ts'
import type { Feed, Render } from './feeds/model.ts'
import { renderRss } from './feeds/rss.ts'
import { applyFilters, canonicalQuery, parseFilters, type Filters } from './filters.ts'
import {
  createRepresenter,
  DEFAULT_CACHE,
  feedPath,
  FORMAT_BY_FILE,
  FORMATS,
  ifModifiedSince,
  RETAINED_304,
  type CachePolicy,
  type Format,
} from './http.ts'
import { pageRoutes } from './pages/routes.tsx'
import { feedImages, imageRoutes } from './routes/images.ts'

const RENDER: Record<Format, Render> = { rss: renderRss, atom: renderAtom, json: renderJson }
const ALLOWED_METHODS = ['GET', 'HEAD', 'OPTIONS']

export interface AppOptions {
  /** Bytes of rendered bodies kept per isolate. Default 16 MiB. */
  memoBytes?: number
  cache?: CachePolicy
}

/** What every route may read: the content and the lookups derived from it once. */
export interface Site {
  content: Content
  url: string
  topicBySlug: ReadonlyMap<string, Topic>
  topicTitles: ReadonlyMap<string, string>
  entryById: ReadonlyMap<string, Entry>
  vocabulary: { topics: ReadonlySet<string>; people: ReadonlySet<string> }
  /** Newest `updated` across all entries: the fallback time for an empty feed. */
  updated: string
}

export function deriveSite(content: Content): Site {
  const topics = content.topics
  return {
    content,
    url: content.site.url,
    topicBySlug: new Map(topics.map((t) => [t.slug, t])),
    topicTitles: new Map(topics.map((t) => [t.slug, t.title])),
    entryById: new Map(content.entries.map((e) => [e.id, e])),
    vocabulary: { topics: new Set(topics.map((t) => t.slug)), people: new Set(content.people.map((p) => p.id)) },
    updated: newest(content.entries) ?? '1970-01-01T00:00:00Z',
  }
}

/** The newest `updated` among `entries` (RFC 3339 UTC strings compare as text). */
export function newest(entries: readonly Entry[]): string | undefined {
  let max: string | undefined
  for (const e of entries) if (max === undefined || e.updated > max) max = e.updated
  return max
}

/** The title a feed gives itself; pages repeat it in autodiscovery links and OPML. */
export function feedTitle(site: Site, topic: Topic | undefined): string {
  return topic ? `${site.content.site.title}: ${topic.title}` : site.content.site.title
}

/** Builds the format-independent model of one feed: pure, used by routes, tests and the benchmark. */
export function buildFeed(site: Site, scope: Topic | undefined, filters: Filters, selfPath: string, ttl: number): Feed {
  const { content, url } = site
  const entries = applyFilters(content.entries, filters, scope?.slug)
  return {
    title: feedTitle(site, scope),
    description: scope ? scope.description : content.site.description,
    selfUrl: url + selfPath,
    homeUrl: scope ? `${url}/topics/${scope.slug}` : `${url}/`,
    topicScheme: `${url}/topics/`,
    sourceBase: `${url}/sources/`,
    images: feedImages(content, url),
    language: content.site.language,
    updated: newest(entries) ?? site.updated,
    author: content.site.publisher,
    rights: content.site.rights,
    ttl: Math.max(1, Math.round(ttl / 60)),
    topicTitles: site.topicTitles,
    entries,
  }
}

/** What route modules get from {@link createApp}. */
export interface RouteContext {
  site: Site
  /** Serves the memoised representation of a canonical URL, rendering it on a miss. */
  represent: ReturnType<typeof createRepresenter>['represent']
}

/** Creates the Worker's Hono app for `content`. Each app has its own memo. */
export function createApp(content: Content, options: AppOptions = {}) {
  const site = deriveSite(content)
  const policy = options.cache ?? DEFAULT_CACHE
  const { represent, stats } = createRepresenter(options.memoBytes ?? 16 * 2 ** 20, policy)

  const app = new Hono({ strict: true })

  app.use(async function allowMethods(c, next) {
    if (!ALLOWED_METHODS.includes(c.req.method)) throw new HttpError(405, `Method ${c.req.method} not allowed; use GET or HEAD.`)
    await next()
  })
  app.use(
    secureHeaders({
      crossOriginResourcePolicy: 'cross-origin',
      crossOriginOpenerPolicy: 'same-origin',
      strictTransportSecurity: 'max-age=31536000',
    }),
  )
  app.use(cors({ origin: '*', allowMethods: ALLOWED_METHODS, exposeHeaders: ['ETag', 'Last-Modified'], maxAge: 86_400 }))
  app.use(trimTrailingSlash())
  app.use(etag({ retainedHeaders: RETAINED_304 }))
  app.use(ifModifiedSince())

  /**
   * Serves one feed: 301 to the canonical spelling when the path or query is
   * not in it, otherwise the memoised representation of the canonical URL.
   */
  async function feed(c: Context, slug: string | undefined, format: Format) {
    const scope = slug === undefined ? undefined : topicNamed(site, slug)
    const raw = rawQuery(c.req.url)
    const filters = parseFilters(raw ?? '', site.vocabulary)
    const query = canonicalQuery(filters)
    const path = feedPath(scope?.slug, format)
    const canonical = query ? `${path}?${query}` : path
    if (raw !== (query || undefined) || (scope && scope.slug !== slug)) return redirect(c, canonical)
    return represent(c, canonical, () => {
      const model = buildFeed(site, scope, filters, canonical, policy.maxAge)
      const topics = new Set([...(scope ? [scope.slug] : []), ...filters.topic, ...filters.exclude, ...model.entries.flatMap((e) => e.topics)])
      return {
        body: RENDER[format](model),
        type: FORMATS[format].type,
        updated: model.updated,
        tags: [`feed:${scope?.slug ?? 'site'}`, `format:${format}`, ...[...topics].sort().map((t) => `topic:${t}`)],
      }
    })
  }

  for (const format of Object.keys(FORMATS) as Format[]) {
    app.get(`/${FORMATS[format].file}`, (c) => feed(c, undefined, format))
  }
  app.get('/topics/:slug/:file', (c) => {
    const format = FORMAT_BY_FILE.get(c.req.param('file'))
    if (!format) throw new NotFound(`No such feed. Topic feeds are ${[...FORMAT_BY_FILE.keys()].join(', ')}.`)
    return feed(c, c.req.param('slug'), format)
  })

  pageRoutes(app, { site, represent })
  imageRoutes(app, { site })

  app.notFound((c) =>
    errorResponse(c, new NotFound('Not found. Pages: /, /topics/{topic}, /entries/{id}. Feeds: /rss.xml, /atom.xml, /feed.json, /topics/{topic}/{rss.xml|atom.xml|feed.json}. Lists: /topics.json, /opml.xml.')),
  )
  app.onError((error, c) => errorResponse(c, error))

  return Object.assign(app, { site, stats })
}

/**
 * The one place errors become responses: an {@link HttpError} answers with
 * its status and message, as JSON for JSON clients, else plain text;
 * anything else is logged and answered with a bare 500.
 */
function errorResponse(c: Context, error: Error): Response {
  if (error instanceof HttpError) {
    const headers: Record<string, string> = { 'Cache-Control': 'public, max-age=60' }
    if (error.status === 405) headers['Allow'] = ALLOWED_METHODS.join(', ')
    if (wantsJson(c)) {
      headers['Content-Type'] = 'application/problem+json; charset=utf-8'
      return c.json({ status: error.status, error: error.message, ...error.details }, error.status, headers)
    }
    return c.text(`${error.status} ${error.message}\n`, error.status, headers)
  }
  console.error('unhandled error', c.req.method, c.req.path, error)
  return c.text('500 Internal error.\n', 500, { 'Cache-Control': 'no-store' })
}

/**
 * The topic a path names, in any letter case (callers redirect to the
 * lowercase slug); an unknown one is a 404 listing the valid slugs.
 */
export function topicNamed(site: Site, slug: string): Topic {
  const topic = site.topicBySlug.get(slug) ?? site.topicBySlug.get(slug.toLowerCase())
  if (topic) return topic
  const valid = [...site.topicBySlug.keys()]
  throw new NotFound(`Unknown topic ${quote(slug)}. Valid topics: ${valid.join(', ')}.`, { topics: valid })
}

/**
 * The query exactly as the client sent it, without `?`; undefined when the
 * URL has no `?`. (`URL.search` cannot tell `/a?` from `/a`, and
 * re-encodes some characters.)
 */
export function rawQuery(url: string): string | undefined {
  const at = url.indexOf('?')
  if (at === -1) return undefined
  const hash = url.indexOf('#', at)
  return url.slice(at + 1, hash === -1 ? undefined : hash)
}

/** 301 to a path on this site; relative, so the request's Host is never echoed. */
export function redirect(c: Context, location: string) {
  return c.body(null, 301, { Location: location, 'Cache-Control': 'public, max-age=3600' })
}

/** Clients of JSON documents get JSON errors; everyone else plain text. */
function wantsJson(c: Context): boolean {
  return c.req.path.endsWith('.json') || /\bapplication\/(?:[\w.+-]*\+)?json\b/.test(c.req.header('Accept') ?? '')
}
