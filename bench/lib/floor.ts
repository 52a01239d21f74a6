/**
 * The floor: the least work that still produces a usable feed. Plain
 * template literals, text fields wrapped in CDATA without any escaping
 * pass, no per-entry caching, no categories or extensions. Anything our
 * serializer costs above this is the price of escaping, structure and
 * metadata.
 */
import type { Feed } from '../../src/feeds/model.ts'

const cdata = (s: string) => `<![CDATA[${s.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`

export function floorRss(feed: Feed): string {
  let out = `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>${cdata(feed.title)}</title><link>${feed.homeUrl}</link><description>${cdata(feed.description)}</description>\n`
  for (const e of feed.entries)
    out += `<item><title>${cdata(e.title)}</title><link>${e.url}</link><guid>${e.url}</guid><pubDate>${e.published}</pubDate><description>${cdata(e.summary)}</description><content:encoded>${cdata(e.html)}</content:encoded></item>\n`
  return out + '</channel></rss>\n'
}

export function floorAtom(feed: Feed): string {
  let out = `<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><id>${feed.selfUrl}</id><title>${cdata(feed.title)}</title><updated>${feed.updated}</updated>\n`
  for (const e of feed.entries)
    out += `<entry><id>${e.url}</id><title>${cdata(e.title)}</title><link href="${e.url}"/><updated>${e.updated}</updated><summary>${cdata(e.summary)}</summary><content type="html">${cdata(e.html)}</content></entry>\n`
  return out + '</feed>\n'
}

export function floorJson(feed: Feed): string {
  return JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title: feed.title,
    items: feed.entries.map((e) => ({ id: e.url, url: e.url, title: e.title, summary: e.summary, content_html: e.html, date_published: e.published })),
  })
}
