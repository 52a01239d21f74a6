/**
 * @module types
 * The compiled content the Worker serves: what `scripts/build-content.ts`
 * writes to `src/generated/content.ts` after validation and sanitizing.
 * Every field is final: the Worker only filters and serializes.
 *
 * Source documents are known to readers by slug and label only. Their file
 * names stay in {@link Content.sources} for the provenance check; no
 * renderer may output them.
 */
import type { Person, Quote, Site, Topic } from '../schema.ts'
import type { DatePrecision } from './dates.ts'

export type { DatePrecision, Person, Site, Topic }

/** A source document, compiled. */
export interface Source {
  slug: string
  /** Readable name derived from what the document gives (headline, publication, author, date) or its description; plain text. */
  label: string
  /** The document's file name: provenance only, never shown. */
  file: string
  publication?: string
  author?: string
  headline?: string
  /** As written (a partial date). */
  date?: string
  dateInferred: boolean
  dateBasis?: string
  description?: string
}

/** A source document as an entry credits it. */
export interface EntrySource {
  slug: string
  label: string
  /** Publications the document credits for the facts the entry uses. */
  credits: string[]
  publication?: string
  author?: string
  headline?: string
  date?: string
}

/** A verbatim quote with its speaker's name and its source resolved. */
export interface EntryQuote extends Omit<Quote, 'document'> {
  speakerName: string
  /** Slug of the source document that prints the words. */
  source: string
  sourceLabel: string
}

/** A PNG the site serves at `/images/{name}`. */
export interface Image {
  /** File name, such as `icon.png`. */
  name: string
  width: number
  height: number
  /** The file's bytes, base64. */
  base64: string
}

/** A correction note, compiled. */
export interface Correction {
  /** As the content states it (a partial date). */
  date: string
  /** RFC 3339 UTC: the first instant of `date`. */
  at: string
  /** Plain text: what was wrong and what is right. */
  text: string
}

/** Why and when an entry was withdrawn. */
export interface Withdrawal {
  /** As the content states it (a partial date). */
  date: string
  /** RFC 3339 UTC: the first instant of `date`. */
  at: string
  reason?: string
  by?: string
}

export interface Entry {
  id: string
  title: string
  /** Plain text. */
  summary: string
  /** Sanitized HTML body with absolute links. */
  html: string
  /** The entry page, absolute. */
  url: string
  /** RFC 3339 UTC, `YYYY-MM-DDTHH:MM:SSZ`; partial dates start at their first instant. */
  published: string
  /** RFC 3339 UTC; equals `published` when the entry was never updated. */
  updated: string
  /** The date as the content states it, with its precision and provenance. */
  date: { text: string; precision: DatePrecision; inferred: boolean; basis?: string }
  /** The `updated` date as the content states it, when it gives one. */
  updatedText?: string
  /** Topic slugs. */
  topics: string[]
  people: Person[]
  sources: EntrySource[]
  quotes: EntryQuote[]
  /** BCP 47 language tag. */
  language: string
  /** Correction notes in the order written, absent when there are none; the latest date is never after `updated`. */
  corrections?: Correction[]
}

export interface Content {
  site: Site
  /** In file order. */
  topics: Topic[]
  people: Person[]
  sources: Source[]
  /** The site's identity images by role; each names one of {@link images}. */
  images: Image[]
  /** Newest first; ties broken by id, so the order is total and stable. Withdrawn entries are not among them. */
  entries: Entry[]
  /** Entries kept in `content/` but withdrawn, newest withdrawal first: they are served only as 410 pages and tombstones. */
  withdrawn: { entry: Entry; withdrawal: Withdrawal }[]
}
