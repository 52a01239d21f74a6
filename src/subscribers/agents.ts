/**
 * @module subscribers/agents
 * Subscriber counts that aggregators state in the `User-Agent` of their
 * feed polls, one table row per aggregator: how to recognise it, and where
 * its feed id is, if it gives one. The count is read the same way for all
 * (`N subscribers`, `1 subscriber`, `1,234 subscribers`). Formats, as the
 * aggregators document or send them:
 *
 * - Feedly: `Feedly/1.0 (+http://www.feedly.com/fetcher.html; 16 subscribers; like FeedFetcher-Google)`
 * - Inoreader: `Inoreader/1.0 (+http://www.inoreader.com/feed-fetcher; 26 subscribers; )`
 * - NewsBlur: `NewsBlur Feed Fetcher - 3 subscribers - https://www.newsblur.com/site/1234/name (Mozilla/5.0 …)`
 * - Feedbin: `Feedbin feed-id:12345 - 45 subscribers` (its support page: "Feedbin - X subscribers")
 * - The Old Reader: `Mozilla/5.0 (compatible; theoldreader.com; 7 subscribers; feed-id=…)`
 * - BazQux: `Mozilla/5.0 (compatible; BazQux/2.4; +https://bazqux.com/fetcher; 3 subscribers)`
 * - Feedspot: `Feedspot/1.0 (+https://www.feedspot.com/fs/fetcher; like FeedFetcher-Google)` (a count when it gives one)
 *
 * Only the aggregator's name, the feed id and the count leave this module:
 * never the User-Agent itself.
 */

/** One aggregator: its name, how its User-Agent is recognised, and where its feed id is. */
export interface AgentRule {
  aggregator: string
  match: RegExp
  /** The feed id, in the first group. */
  feedId?: RegExp
}

/** The aggregators whose stated counts are recorded. The first rule that matches wins. */
export const AGENT_RULES: readonly AgentRule[] = [
  { aggregator: 'Feedly', match: /\bFeedly\/\d/, feedId: /\bfeed-id=([\w-]{1,64})/ },
  { aggregator: 'Inoreader', match: /\bInoreader\/\d/, feedId: /\bfeed-id=([\w-]{1,64})/ },
  {
    aggregator: 'NewsBlur',
    match: /\bNewsBlur Feed Fetcher\b/,
    feedId: /newsblur\.com\/site\/(\d{1,20})\b/,
  },
  { aggregator: 'Feedbin', match: /\bFeedbin\b/, feedId: /\bfeed-id:(\d{1,20})\b/ },
  {
    aggregator: 'The Old Reader',
    match: /\btheoldreader\.com\b/,
    feedId: /\bfeed-id=([\w-]{1,64})/,
  },
  { aggregator: 'BazQux', match: /\bBazQux\/\d/, feedId: /\bfeed-id=([\w-]{1,64})/ },
  { aggregator: 'Feedspot', match: /\bFeedspot\/\d/, feedId: /\bfeed-id=([\w-]{1,64})/ },
]

/** What a poll states: which aggregator, its id for the feed (empty when it gives none), and how many subscribers. */
export interface StatedCount {
  aggregator: string
  feedId: string
  count: number
}

/** `N subscribers`, with thousands separators allowed; a count over a billion is not believed. */
const COUNT = /(?:^|[\s(;,-])(\d{1,3}(?:,\d{3}){1,3}|\d{1,10}) subscribers?\b/i
const MAX_COUNT = 1_000_000_000
/** Longer User-Agents are not read: no aggregator sends one, and the patterns then never run on hostile input at length. */
const MAX_LENGTH = 1024

/** The count a User-Agent states, if it is one of {@link AGENT_RULES} and states one. */
export function statedCount(
  userAgent: string | undefined,
  rules: readonly AgentRule[] = AGENT_RULES,
): StatedCount | undefined {
  if (!userAgent || userAgent.length > MAX_LENGTH) return undefined
  const rule = rules.find((r) => r.match.test(userAgent))
  if (!rule) return undefined
  const stated = COUNT.exec(userAgent)
  if (!stated) return undefined
  const count = Number(stated[1]!.replaceAll(',', ''))
  if (!Number.isSafeInteger(count) || count > MAX_COUNT) return undefined
  return { aggregator: rule.aggregator, feedId: rule.feedId?.exec(userAgent)?.[1] ?? '', count }
}
