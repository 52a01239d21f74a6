/**
 * The same feed through the `feed` npm package (v6) as published: a new
 * `Feed` per render (as a service would build it from its model), then
 * `rss2()`, `atom1()` or `json1()`. Takes our model (bench/feed-defects.ts
 * `OurFeed`: the head, the item context and the entries), so the two can be
 * compared on the same input.
 */
import { Feed as FeedPackage } from 'feed'
import type { OurFeed } from '../feed-defects.ts'

function build({ head, context, entries }: OurFeed): FeedPackage {
  const f = new FeedPackage({
    id: head.selfUrl,
    title: head.title,
    description: head.description,
    link: head.homeUrl,
    language: head.language,
    updated: new Date(head.updated),
    generator: false,
    feedLinks: { rss: head.selfUrl, atom: head.selfUrl, json: head.selfUrl },
    author: {
      name: head.author.name,
      ...(head.author.email && { email: head.author.email }),
      ...(head.author.url && { link: head.author.url }),
    },
    ...(head.rights && { copyright: head.rights }),
    ttl: head.ttl,
  })
  for (const e of entries)
    f.addItem({
      title: e.title,
      id: e.url,
      link: e.url,
      date: new Date(e.updated),
      published: new Date(e.published),
      description: e.summary,
      content: e.html,
      // term and scheme for Atom, name and domain for RSS and JSON tags.
      category: e.topics.map((t) => ({
        name: context.topicTitles.get(t) ?? t,
        term: t,
        domain: context.topicScheme,
        scheme: context.topicScheme,
      })),
    })
  return f
}

export const feedRss = (feed: OurFeed): string => build(feed).rss2()
export const feedAtom = (feed: OurFeed): string => build(feed).atom1()
export const feedJson = (feed: OurFeed): string => build(feed).json1()
