/**
 * The same feed through the `feed` npm package (v6) as published: a new
 * `Feed` per render (as a service would build it from its model), then
 * `rss2()`, `atom1()` or `json1()`.
 */
import { Feed as FeedPackage } from 'feed'
import type { Feed } from '../../src/feeds/model.ts'

function build(feed: Feed): FeedPackage {
  const f = new FeedPackage({
    id: feed.selfUrl,
    title: feed.title,
    description: feed.description,
    link: feed.homeUrl,
    language: feed.language,
    updated: new Date(feed.updated),
    generator: false,
    feedLinks: { rss: feed.selfUrl, atom: feed.selfUrl, json: feed.selfUrl },
    author: { name: feed.author.name, ...(feed.author.email && { email: feed.author.email }), ...(feed.author.url && { link: feed.author.url }) },
    ...(feed.rights && { copyright: feed.rights }),
    ttl: feed.ttl,
  })
  for (const e of feed.entries)
    f.addItem({
      title: e.title,
      id: e.url,
      link: e.url,
      date: new Date(e.updated),
      published: new Date(e.published),
      description: e.summary,
      content: e.html,
      // term and scheme for Atom, name and domain for RSS and JSON tags.
      category: e.topics.map((t) => ({ name: t, term: t, domain: feed.topicScheme, scheme: feed.topicScheme })),
    })
  return f
}

export const feedRss = (feed: Feed): string => build(feed).rss2()
export const feedAtom = (feed: Feed): string => build(feed).atom1()
export const feedJson = (feed: Feed): string => build(feed).json1()
