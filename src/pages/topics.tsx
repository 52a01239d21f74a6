/**
 * @module topics
 * `/topics`: every topic with its description, entry count and feeds (the
 * site navigation's "Topics"), and the list it shares with the home page.
 */
import type { Catalog } from '../catalog.ts'
import { plural } from './directory.ts'
import { FeedAnchors, Layout, toHtml } from './layout.tsx'

/** Every topic, with its page, description, entry count and subscribe links; headings at `level`. */
export function TopicList({ catalog, level }: { catalog: Catalog; level: 2 | 3 }) {
  return (
    <ul class="plain">
      {catalog.topics.map((topic) => {
        const entries = catalog.scopes[`topic:${topic.slug}`]?.entries ?? 0
        const heading = <a href={`/topics/${topic.slug}`}>{topic.title}</a>
        return (
          <li id={`topic-${topic.slug}`}>
            {level === 2 ? <h2>{heading}</h2> : <h3>{heading}</h3>}
            <p>{topic.description}</p>
            <p class="meta">
              <span data-entries={entries}>{plural(entries, 'entry', 'entries')}</span> · Subscribe:{' '}
              <FeedAnchors base={`/topics/${topic.slug}`} name={topic.title} />
            </p>
          </li>
        )
      })}
    </ul>
  )
}

export function renderTopicsIndex(catalog: Catalog): string {
  const meta = catalog.site
  return toHtml(
    <Layout
      site={meta}
      title={`Topics · ${meta.title}`}
      description={`Every topic of ${meta.title}, with its feeds.`}
      canonical={`${catalog.url}/topics`}
      feeds={[]}
    >
      <h1>Topics</h1>
      <p class="lead">
        Each topic has a page and its own feeds; every topic page can also build a filtered feed.
      </p>
      <p class="muted">
        For feed readers: <a href="/opml.xml">all feeds as OPML</a>; for programs:{' '}
        <a href="/topics.json">topics.json</a>.
      </p>
      <TopicList catalog={catalog} level={2} />
    </Layout>,
  )
}
