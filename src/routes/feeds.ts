/**
 * @module feeds
 * The feed routes, one set per row of the scope table:
 * `/{rss.xml,atom.xml,feed.json}` for the whole site and the same under
 * `/topics/{slug}/`, `/people/{id}/` and `/sources/{slug}/`. A feed URL not
 * spelled canonically (path or query) is a 301 to its canonical spelling;
 * otherwise the route answers the memoised representation of that URL,
 * which on a miss is one store query and a join of the stored items.
 */
import type { Context, Hono } from 'hono'
import {
  canonicalQuery,
  DEFAULT_LIMIT,
  filterScopeKeys,
  ownFilter,
  parseFilters,
  withinScope,
} from '../filters.ts'
import { FEED_FILE_PATTERN, feedPath, FORMAT_KEYS, formatNamed, type Format } from '../formats.ts'
import { subscriptionLength } from '../history.ts'
import { rawQuery, redirect } from '../redirect.ts'
import {
  feedDocument,
  feedHead,
  newest,
  pagingOf,
  subscriptionHistory,
} from '../render/feed-head.ts'
import {
  MEMBER_ROWS,
  routePattern,
  scopeNamed,
  scopeTag,
  siteScope,
  sizesOf,
  statsOf,
  vocabularyOf,
  type Located,
} from '../scopes.ts'
import { feedQuery, type ItemRow } from '../store/queries.ts'
import { formatTag } from '../tags.ts'
import { tombstonesOf } from '../tombstones.ts'
import { discoveryLinks } from '../websub/hub.ts'
import type { AppEnv, RouteContext } from './context.ts'

/** Registers every scope kind's feeds on `app`. */
export function feedRoutes(
  app: Hono<AppEnv>,
  { catalog, represent, store, policy, hubFor }: RouteContext,
): void {
  const sizes = sizesOf(catalog)
  const vocabulary = vocabularyOf(catalog)

  async function feed(c: Context<AppEnv>, { scope, spelled }: Located, format: Format) {
    const raw = rawQuery(c.req.url)
    const filters = withinScope(parseFilters(raw ?? '', vocabulary), ownFilter(scope))
    const query = canonicalQuery(filters)
    const path = feedPath(scope.path, format)
    const canonical = query ? `${path}?${query}` : path
    if (raw !== (query || undefined) || !spelled) return redirect(c, canonical)
    const hub = hubFor(query)
    // WebSub discovery (section 4) in the header too, so a subscriber need not parse the feed.
    c.header('Link', discoveryLinks(hub, catalog.url + canonical))
    // The subscription document (no query) holds every entry no archive page holds (RFC 5005 sections 2 and 4).
    const history = query ? undefined : subscriptionHistory(catalog, scope, format)
    const limit = query
      ? filters.limit
      : subscriptionLength(pagingOf(catalog, scope), DEFAULT_LIMIT)
    // Withdrawn and deleted entries, on the subscription document only; a withdrawal is a change of the feed, so it advances `updated`.
    const deleted = query
      ? []
      : tombstonesOf(catalog.tombstones, scope.key, catalog.contentTime, catalog.tombstoneDays)
    return represent(c, canonical, async () => {
      const rows = await store(c).all<ItemRow>(feedQuery(scope.key, filters, format, sizes, limit))
      const updated =
        newest([...rows, ...deleted.map((t) => ({ updated: t.when }))]) ??
        statsOf(catalog, scope.key).updated ??
        catalog.updated
      const head = feedHead(catalog, scope, canonical, updated, policy.maxAge, {
        hub,
        history,
        deleted,
      })
      const keys = [...new Set([scope.key, ...filterScopeKeys(filters)])].sort()
      return {
        ...feedDocument(format, head, rows),
        updated,
        tags: [...keys.map(scopeTag), formatTag(format)],
      }
    })
  }

  for (const format of FORMAT_KEYS)
    app.get(feedPath('', format), (c) =>
      feed(c, { scope: siteScope(catalog), spelled: true }, format),
    )
  for (const row of MEMBER_ROWS) {
    app.get(`${routePattern(row)}/:file{${FEED_FILE_PATTERN}}`, (c) => {
      const format = formatNamed(c.req.param('file'))
      return feed(c, scopeNamed(catalog, row.kind, c.req.param(row.param) ?? ''), format)
    })
  }
}
