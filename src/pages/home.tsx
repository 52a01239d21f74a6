/**
 * @module home
 * `/`: what the site is, the latest entries first (the same ones the site
 * feed carries), then every topic with its entry count and feeds.
 */
import type { Catalog } from '../catalog.ts'
import { scopeKey, statsOf } from '../scopes.ts'
import { archivePath, pageCount } from '../history.ts'
import type { Card } from '../store/rows.ts'
import { FrontPager } from './archive.tsx'
import { EntryList } from './entry.tsx'
import { feedLinks, Layout, SubscribeLinks, toHtml } from './layout.tsx'
import { TopicList } from './topics.tsx'
import { capitalise, wordsFor } from '../i18n.ts'

export function renderHomePage(catalog: Catalog, latest: Card[]): string {
  const meta = catalog.site
  const words = wordsFor(meta.language)
  const total = catalog.scopes.site?.entries ?? 0
  // The latest entries are the subscription feed's; older ones are on the archive pages, newest page first.
  const pages = pageCount({ count: total, size: catalog.archivePageSize })
  const older = pages ? archivePath('', pages) : undefined
  return toHtml(
    <Layout
      site={meta}
      title={meta.title}
      description={meta.description}
      canonical={`${catalog.url}/`}
      feeds={feedLinks(catalog.url, meta.title)}
      prev={older}
      wide
    >
      <h1>{meta.title}</h1>
      <p class="lead">{meta.description}</p>
      <SubscribeLinks base="" name={meta.title} words={words} label={words.subscribeSite} />
      {/* News first; on a wide screen the topics stand beside it (the layout's .columns). */}
      <div class="columns">
        <section aria-labelledby="latest">
          <h2 id="latest">{words.latest}</h2>
          <EntryList entries={latest} catalog={catalog} words={words} />
          {latest.length < total && (
            <p class="muted">{words.home.newestOf(latest.length, total)}</p>
          )}
          <FrontPager words={words} base="" pages={pages} />
        </section>
        <section aria-labelledby="topics">
          <h2 id="topics">{words.scopes.topic.many}</h2>
          <p class="muted">
            {words.home.topicsIntro} {capitalise(words.forReaders)}{' '}
            <a href="/opml.xml">{words.allFeedsOpml}</a>; {words.forPrograms}{' '}
            <a href="/topics.json">topics.json</a>.
          </p>
          <TopicList catalog={catalog} level={3} words={words} />
        </section>
      </div>
    </Layout>,
  )
}
