/**
 * @module rss
 * RSS 2.0 (https://www.rssboard.org/rss-specification) with the Atom
 * namespace for the self link, `content:encoded` for the full HTML and
 * `dc:creator` for names (RSS `<author>` must hold an e-mail address).
 * The channel `<image>` is the largest identity image within RSS's limits.
 */
import { cdata, escape, escapeText } from '../lib/xml.ts'
import { contentHtml } from './corrections.ts'
import {
  FH_NS,
  historyLinks,
  historyMarker,
  previewScript,
  previewStylesheet,
  utf8,
  type FeedHead,
  type FeedImage,
  type Serializer,
} from './model.ts'

/** RFC 822 date-time (RSS 2.0, section "Elements of <item>"), four-digit year: `Sat, 03 May 2025 00:00:00 GMT`. */
export function rfc822(rfc3339: string): string {
  return new Date(rfc3339).toUTCString()
}

/**
 * The HTML that reads as `text`, for RSS `<description>`, which RSS 2.0
 * defines as HTML ("entity-encoded HTML is allowed") and most readers render
 * as HTML. Only what HTML would otherwise read as markup is escaped: `<`,
 * `>`, and an `&` that could start a character reference (HTML, "character
 * reference state": `&` followed by an ASCII letter, digit or `#`).
 * Apostrophes, quotes and every other character stay themselves, so a
 * text-only reader shows the same words as an HTML one, except for those
 * three characters. The result is then escaped for XML like any text, never
 * wrapped in CDATA (inside CDATA nothing is decoded, so text-only readers
 * would show the HTML escapes).
 */
export function textAsHtml(text: string): string {
  return text
    .replace(/&(?=[#A-Za-z0-9])/g, '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
}

/** RSS 2.0, "<image> sub-element of <channel>": at most 144 pixels wide and 400 high. */
const RSS_IMAGE_MAX = { width: 144, height: 400 }

/** The channel image: the widest of the site's images that fits, or none. */
export function channelImage(feed: FeedHead): FeedImage | undefined {
  return [feed.images.favicon, feed.images.icon, feed.images.logo]
    .filter(
      (i): i is FeedImage =>
        i !== undefined && i.width <= RSS_IMAGE_MAX.width && i.height <= RSS_IMAGE_MAX.height,
    )
    .sort((a, b) => b.width - a.width)[0]
}

/**
 * `<image>`: its `title` and `link` must be the channel's own (RSS 2.0:
 * "in practice the image <title> and <link> should have the same value as
 * the channel's <title> and <link>"); width and height are given, since
 * readers otherwise assume 88×31.
 */
function imageXml(feed: FeedHead): string {
  const image = channelImage(feed)
  if (!image) return ''
  return (
    `<image><url>${escapeText(image.url)}</url><title>${escapeText(feed.title)}</title><link>${escape(feed.homeUrl)}</link>` +
    `<width>${image.width}</width><height>${image.height}</height></image>`
  )
}

export const rss: Serializer = {
  item: (entry, context) =>
    `<item><title>${escapeText(entry.title)}</title><link>${escape(entry.url)}</link>` +
    `<guid isPermaLink="true">${escape(entry.url)}</guid><pubDate>${rfc822(entry.published)}</pubDate>` +
    `<dc:creator>${escapeText(context.authorName)}</dc:creator>` +
    entry.topics
      .map((t) => `<category domain="${escape(context.topicScheme)}">${escapeText(t)}</category>`)
      .join('') +
    `<description>${escapeText(textAsHtml(entry.summary))}</description>` +
    `<content:encoded>${cdata(contentHtml(entry))}</content:encoded></item>\n`,

  document: (feed, items) =>
    utf8(
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
        previewStylesheet +
        `<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"${historyMarker(feed.history) ? ` xmlns:fh="${FH_NS}"` : ''}>\n` +
        `<channel><title>${escapeText(feed.title)}</title><link>${escape(feed.homeUrl)}</link>` +
        `<description>${escapeText(textAsHtml(feed.description))}</description>` +
        `<atom:link href="${escape(feed.selfUrl)}" rel="self" type="application/rss+xml" />` +
        (feed.hub ? `<atom:link href="${escape(feed.hub)}" rel="hub" />` : '') +
        // RFC 5005 appendix B: in RSS 2.0 the history links are atom:link elements.
        historyMarker(feed.history) +
        historyLinks(feed.history)
          .map(
            ([rel, href]) =>
              `<atom:link href="${escape(href)}" rel="${rel}" type="application/rss+xml" />`,
          )
          .join('') +
        `<language>${escape(feed.language)}</language>` +
        imageXml(feed) +
        (feed.rights ? `<copyright>${escapeText(feed.rights)}</copyright>` : '') +
        `<lastBuildDate>${rfc822(feed.updated)}</lastBuildDate><ttl>${feed.ttl}</ttl>` +
        previewScript +
        '\n' +
        items.join('') +
        '</channel></rss>\n',
    ),
}
