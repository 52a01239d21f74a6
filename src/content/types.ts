/**
 * @module types
 * The compiled content the Worker serves: what `scripts/build-content.ts`
 * writes to `src/generated/content.ts` after validation and sanitizing.
 * Every field is final: the Worker only filters and serializes.
 */
import type { Person, Quote, Site, SourceDocument, Topic } from '../schema.ts'

export type { Person, Site, SourceDocument, Topic }

/** How precisely a date is known, read from how it was written. */
export type DatePrecision = 'year' | 'month' | 'day' | 'time'

/** A source document as an entry credits it: the provenance record plus the publications it credits. */
export interface EntrySource extends SourceDocument {
  credits: string[]
}

/** A verbatim quote with its speaker's display name resolved. */
export interface EntryQuote extends Quote {
  speakerName: string
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
  /** Topic slugs. */
  topics: string[]
  people: Person[]
  sources: EntrySource[]
  quotes: EntryQuote[]
  /** BCP 47 language tag. */
  language: string
}

export interface Content {
  site: Site
  /** In file order. */
  topics: Topic[]
  people: Person[]
  sources: SourceDocument[]
  /** Newest first; ties broken by id, so the order is total and stable. */
  entries: Entry[]
}
