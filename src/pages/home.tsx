/**
 * @module home
 * `/`: what the site is, every topic with its entry count and feeds, and
 * the latest entries (the same ones the site feed carries).
 */
import type { Site } from '../app.ts'
import type { Directory } from './directory.ts'
import { plural } from './directory.ts'
import { EntrySummary } from './entry.tsx'
import { FeedAnchors, feedLinks, Layout, SubscribeLinks, toHtml } from './layout.tsx'

export function renderHomePage(site: Site, dir: Directory): string {
  const meta = site.content.site
  return toHtml(
    <Layout site={meta} title={meta.title} description={meta.description} canonical={`${site.url}/`} feeds={feedLinks(site.url, meta.title)}>
      <h1>{meta.title}</h1>
      <p class="lead">{meta.description}</p>
      <SubscribeLinks base="" name={meta.title} label="Subscribe to the whole site:" />
      <section aria-labelledby="topics">
        <h2 id="topics">Topics</h2>
        <p class="muted">
          Each topic has its own feeds. Every topic page can also build a filtered feed. For feed readers:{' '}
          <a href="/opml.xml">all feeds as OPML</a>; for programs: <a href="/topics.json">topics.json</a>.
        </p>
        <ul class="plain">
          {dir.topics.map(({ topic, entries }) => (
            <li id={`topic-${topic.slug}`}>
              <h3>
                <a href={`/topics/${topic.slug}`}>{topic.title}</a>
              </h3>
              <p>{topic.description}</p>
              <p class="meta">
                <span data-entries={entries.length}>{plural(entries.length, 'entry', 'entries')}</span> · Subscribe:{' '}
                <FeedAnchors base={`/topics/${topic.slug}`} name={topic.title} />
              </p>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="latest">
        <h2 id="latest">Latest entries</h2>
        <ol class="plain">
          {dir.latest.map((entry) => (
            <EntrySummary entry={entry} topics={site.topicBySlug} />
          ))}
        </ol>
        {dir.latest.length < site.content.entries.length && (
          <p class="muted">
            The newest {dir.latest.length} of {site.content.entries.length} entries; see the topics above for the rest.
          </p>
        )}
      </section>
    </Layout>,
  )
}
