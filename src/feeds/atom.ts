/**
 * @module atom
 * Atom 1.0 (RFC 4287). Feed-level `author` covers every entry (section
 * 4.1.1); ids are the entries' permanent URLs; content is escaped HTML.
 * `icon` (section 4.2.5, a square image) and `logo` (section 4.2.8, 2:1)
 * name the site's identity images.
 */
import { cdata, escape, escapeAttribute, escapeText } from '../lib/xml.ts'
import { contentHtml } from './corrections.ts'
import type { Tombstone } from '../tombstones.ts'
import {
  FH_NS,
  historyLinks,
  historyMarker,
  previewScript,
  previewStylesheet,
  TOMBSTONES_NS,
  utf8,
  type Serializer,
} from './model.ts'

/**
 * RFC 6721 section 2.1: `ref` is the removed entry's `atom:id`, `when` the
 * time of removal; `at:by` is a Person construct and `at:comment` a Text
 * construct.
 */
function deletedEntry(t: Tombstone): string {
  return (
    `<at:deleted-entry ref="${escape(t.atomId)}" when="${t.when}">` +
    (t.by ? `<at:by><name>${escapeText(t.by)}</name></at:by>` : '') +
    (t.comment ? `<at:comment type="text">${escapeText(t.comment)}</at:comment>` : '') +
    '</at:deleted-entry>'
  )
}

export const atom: Serializer = {
  item: (entry, context) =>
    `<entry><id>${escape(entry.url)}</id><title type="text">${escapeText(entry.title)}</title>` +
    `<link rel="alternate" type="text/html" href="${escape(entry.url)}" />` +
    `<published>${entry.published}</published><updated>${entry.updated}</updated>` +
    entry.topics
      .map(
        (t) =>
          `<category term="${escapeAttribute(t)}" scheme="${escape(context.topicScheme)}" label="${escapeAttribute(context.topicTitles.get(t) ?? t)}" />`,
      )
      .join('') +
    `<summary type="text">${escapeText(entry.summary)}</summary>` +
    `<content type="html" xml:lang="${escape(entry.language)}">${cdata(contentHtml(entry))}</content></entry>\n`,

  document: (feed, items) => {
    const author = feed.author
    return utf8(
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
        previewStylesheet +
        `<feed xmlns="http://www.w3.org/2005/Atom"${historyMarker(feed.history) ? ` xmlns:fh="${FH_NS}"` : ''}${feed.deleted?.length ? ` xmlns:at="${TOMBSTONES_NS}"` : ''} xml:lang="${escape(feed.language)}">\n` +
        // An archive document is a part of the subscription document's feed, so it keeps that feed's id; its own URL is its self link.
        `<id>${escape(feed.history?.current ?? feed.selfUrl)}</id><title type="text">${escapeText(feed.title)}</title>` +
        `<subtitle type="text">${escapeText(feed.description)}</subtitle><updated>${feed.updated}</updated>` +
        `<author><name>${escapeText(author.name)}</name>` +
        (author.email ? `<email>${escape(author.email)}</email>` : '') +
        (author.url ? `<uri>${escape(author.url)}</uri>` : '') +
        '</author>' +
        `<link rel="self" type="application/atom+xml" href="${escape(feed.selfUrl)}" />` +
        (feed.hub ? `<link rel="hub" href="${escape(feed.hub)}" />` : '') +
        `<link rel="alternate" type="text/html" href="${escape(feed.homeUrl)}" />` +
        (feed.images.icon ? `<icon>${escapeText(feed.images.icon.url)}</icon>` : '') +
        (feed.images.logo ? `<logo>${escapeText(feed.images.logo.url)}</logo>` : '') +
        historyMarker(feed.history) +
        historyLinks(feed.history)
          .map(
            ([rel, href]) =>
              `<link rel="${rel}" type="application/atom+xml" href="${escape(href)}" />`,
          )
          .join('') +
        (feed.rights ? `<rights type="text">${escapeText(feed.rights)}</rights>` : '') +
        previewScript +
        (feed.deleted ?? []).map(deletedEntry).join('') +
        '\n' +
        items.join('') +
        '</feed>\n',
    )
  },
}
