/**
 * @module json
 * JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/).
 *
 * Each item carries a `_news` extension object with the entry's structured
 * data (documented in the README): the date as stated and whether it was
 * inferred, the people involved, verbatim quotes with their speakers and
 * sources, and the source documents (by slug, label and page URL, never by
 * file name) with the publications they credit, and the correction notes
 * (`corrections`: each `date` as written, `at` in RFC 3339 and `text`). The feed's `icon` and
 * `favicon` (section "Top-level") are the site's square images.
 */
import { contentHtml } from './corrections.ts'
import { utf8, type Serializer } from './model.ts'

export const json: Serializer = {
  /** JSON.stringify escapes U+2028 and U+2029 since ES2019 and turns lone surrogates into \u escapes, so the output is valid UTF-8 JSON. */
  item: (entry, context) =>
    JSON.stringify({
      id: entry.url,
      url: entry.url,
      title: entry.title,
      summary: entry.summary,
      content_html: contentHtml(entry),
      date_published: entry.published,
      date_modified: entry.updated,
      tags: entry.topics,
      language: entry.language,
      _news: {
        date: entry.date,
        people: entry.people,
        quotes: entry.quotes.map((q) => ({
          speaker: { id: q.speaker, name: q.speakerName },
          text: q.text,
          source: { slug: q.source, label: q.sourceLabel, url: context.sourceBase + q.source },
          ...(q.said && { said: q.said, saidInferred: q.saidInferred }),
          ...(q.where && { where: q.where }),
          ...(q.note && { note: q.note }),
        })),
        sources: entry.sources.map(({ slug, label, credits, ...about }) => ({
          slug,
          label,
          url: context.sourceBase + slug,
          ...about,
          credits,
        })),
        ...(entry.corrections && { corrections: entry.corrections }),
      },
    }),

  /** The document, with `author` kept for 1.0 readers. */
  document: (feed, items) => {
    const author = { name: feed.author.name, ...(feed.author.url && { url: feed.author.url }) }
    const head = JSON.stringify({
      version: 'https://jsonfeed.org/version/1.1',
      title: feed.title,
      home_page_url: feed.homeUrl,
      feed_url: feed.selfUrl,
      ...(feed.hub && { hubs: [{ type: 'WebSub', url: feed.hub }] }),
      // JSON Feed 1.1 `next_url`: the next older items, as RFC 5005's prev-archive.
      ...(feed.history?.prevArchive && { next_url: feed.history.prevArchive }),
      description: feed.description,
      language: feed.language,
      ...(feed.images.icon && { icon: feed.images.icon.url }),
      ...(feed.images.favicon && { favicon: feed.images.favicon.url }),
      authors: [author],
      author,
      // The entries this feed held that were withdrawn or deleted (Atom's RFC 6721 tombstones); `id` is the item id they had.
      ...(feed.deleted?.length && {
        _news: {
          deleted: feed.deleted.map((t) => ({
            id: t.atomId,
            url: t.url,
            when: t.when,
            ...(t.by && { by: t.by }),
            ...(t.comment && { comment: t.comment }),
          })),
        },
      }),
    })
    return utf8(
      `${head.slice(0, -1)},"items":[${items.length ? `\n${items.join(',\n')}\n` : ''}]}\n`,
    )
  },
}
