/**
 * @module topics
 * `/topics`: every topic with its description, entry count and feeds (the
 * site navigation's "Topics"), and the list it shares with the home page.
 */
import type { Catalog } from '../catalog.ts'
import { capitalise, wordsFor, type Words } from '../i18n.ts'
import { FeedAnchors, Layout, toHtml } from './layout.tsx'

/** Every topic, with its page, description, entry count and subscribe links; headings at `level`. */
export function TopicList({
  catalog,
  level,
  words,
}: {
  catalog: Catalog
  level: 2 | 3
  words: Words
}) {
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
              <span data-entries={entries}>{words.entries(entries)}</span> · {words.subscribe}{' '}
              <FeedAnchors base={`/topics/${topic.slug}`} name={topic.title} words={words} />
            </p>
          </li>
        )
      })}
    </ul>
  )
}

export function renderTopicsIndex(catalog: Catalog): string {
  const meta = catalog.site
  const words = wordsFor(meta.language)
  const heading = words.scopes.topic.many
  return toHtml(
    <Layout
      site={meta}
      title={`${heading} · ${meta.title}`}
      description={words.topicsIndex.description(meta.title)}
      canonical={`${catalog.url}/topics`}
      feeds={[]}
    >
      <h1>{heading}</h1>
      <p class="lead">{words.topicsIndex.lead}</p>
      <p class="muted">
        {capitalise(words.forReaders)} <a href="/opml.xml">{words.allFeedsOpml}</a>;{' '}
        {words.forPrograms} <a href="/topics.json">topics.json</a>.
      </p>
      <TopicList catalog={catalog} level={2} words={words} />
    </Layout>,
  )
}
