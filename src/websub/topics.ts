/**
 * @module websub/topics
 * The topic URLs the hub distributes: every unfiltered subscription feed.
 * Filtered URLs are not topics: their set is unbounded, and each would need
 * its own change detection.
 */
import type { Site } from '../app.ts'
import { feedPath, FORMATS, type Format } from '../http.ts'

/** Absolute canonical URLs of the site feed and each topic feed, in every format. */
export function siteFeedUrls(site: Site): string[] {
  const formats = Object.keys(FORMATS) as Format[]
  return [undefined, ...site.content.topics.map((t) => t.slug)].flatMap((slug) => formats.map((f) => site.url + feedPath(slug, f)))
}
