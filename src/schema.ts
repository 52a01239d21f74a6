/**
 * @module schema
 * The content model. These zod schemas are the single source of truth for
 * what a content file may say; every type the engine uses is inferred from
 * them. They are applied once, at build time, by `scripts/build-content.ts`;
 * the Worker imports only the types.
 */
import { z } from 'zod'

// A missing field reads "is required" rather than "expected string, received undefined".
z.config({ customError: (issue) => (issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : undefined) })

/** Lowercase ASCII words joined by single hyphens: `military-intervention`. */
export const slug = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lowercase ASCII words joined by hyphens')

/**
 * A date as precise as the source allows: `2025`, `2025-04`, `2025-05-03`,
 * or a full RFC 3339 date-time. The precision is read from the spelling.
 * YAML reads an unquoted year as a number, so numbers are accepted too.
 */
export const partialDate = z.preprocess(
  (v) => (typeof v === 'number' ? String(v) : v),
  z
    .string()
    .regex(
      /^\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01])(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?)?)?$/,
      'must be YYYY, YYYY-MM, YYYY-MM-DD or an RFC 3339 date-time',
    )
    .refine(isRealDate, 'is not a real date'),
)

/** True when the year, month and day of `s` name a day that exists (no 30 February). */
function isRealDate(s: string): boolean {
  const [y, m = 1, d = 1] = s.slice(0, 10).split('-').map(Number) as [number, number?, number?]
  const date = new Date(Date.UTC(y, m - 1, d))
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d && !Number.isNaN(Date.parse(s.length === 4 ? `${s}-01-01` : s))
}

const text = z.string().trim().min(1, 'must not be empty')

/** A verbatim quote. `speaker` is a person id from `content/people.yaml`. */
export const quoteSchema = z.strictObject({
  speaker: slug,
  text,
  /** The source document (file name from `content/sources.yaml`) that prints these words. */
  document: text,
  /** When the words were said, as the document dates them. */
  said: partialDate.optional(),
  /** True when `said` is worked out ("on Saturday" in a dated report) rather than stated. */
  saidInferred: z.boolean().default(false),
  /** Where they were said, as the document describes it. */
  where: text.optional(),
  /** For instance: "said in Spanish; the document prints a translation". */
  note: text.optional(),
})

/** What an entry draws on: a source document and the publications it credits. */
export const sourceRefSchema = z.strictObject({
  /** File name of a document listed in `content/sources.yaml`. */
  document: text,
  /** Publications the document itself credits for the facts this entry uses. */
  credits: z.array(text).default([]),
})

/** Front matter of one entry file, `content/entries/{id}.md`; the Markdown below it is the body. */
export const entrySchema = z
  .strictObject({
    /** Stable slug; it is the entry's URL and feed id, so it never changes. */
    id: slug,
    title: text.max(200),
    /** Plain text, one or two sentences. */
    summary: text.max(1000),
    published: partialDate,
    updated: partialDate.optional(),
    /** True when `published` is worked out rather than stated ("on Saturday" in a dated report). */
    dateInferred: z.boolean().default(false),
    /** How an inferred date was worked out; required when `dateInferred` is true. */
    dateBasis: text.optional(),
    topics: z.array(slug).min(1, 'must name at least one topic'),
    people: z.array(slug).default([]),
    sources: z.array(sourceRefSchema).min(1, 'must name at least one source document'),
    quotes: z.array(quoteSchema).default([]),
    /** BCP 47 tag; defaults to the site's language. */
    language: z.string().regex(/^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8})*$/, 'must be a BCP 47 tag such as en or es-MX').optional(),
  })
  .refine((e) => !e.dateInferred || e.dateBasis !== undefined, {
    path: ['dateBasis'],
    message: 'is required when dateInferred is true',
  })

export const topicSchema = z.strictObject({
  slug,
  title: text.max(100),
  /** One sentence. */
  description: text.max(300),
})

export const personSchema = z.strictObject({
  id: slug,
  name: text,
  /** Who the person is, as the source documents describe them. */
  role: text,
})

/** One source document in the provenance list, `content/sources.yaml`. */
export const sourceDocumentSchema = z.strictObject({
  /** The document's file name. */
  file: text,
  /** The publication the document names as its own, if it names one. */
  publication: text.optional(),
  /** The byline, if any. */
  author: text.optional(),
  /** The document's headline, if it has one. */
  headline: text.optional(),
  /** The date the document carries, if any. */
  date: partialDate.optional(),
})

export const siteSchema = z.strictObject({
  title: text,
  description: text,
  /** Public origin every absolute URL is built from; no trailing slash. The build's SITE_URL overrides it. */
  url: z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, '')),
  language: z.string().regex(/^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8})*$/, 'must be a BCP 47 tag'),
  publisher: z.strictObject({
    name: text,
    email: z.email().optional(),
    url: z.url().optional(),
  }),
  /** Optional copyright or licence line. */
  rights: text.optional(),
  /** Entries per archive page of every feed (RFC 5005 archives, `/archive/{n}`); 50 when absent. Never change it lightly: every archive URL moves. */
  archivePageSize: z.number().int('must be a whole number').min(10).max(500).optional(),
})

export type EntryInput = z.input<typeof entrySchema>
export type EntryData = z.infer<typeof entrySchema>
export type Quote = z.infer<typeof quoteSchema>
export type SourceRef = z.infer<typeof sourceRefSchema>
export type Topic = z.infer<typeof topicSchema>
export type Person = z.infer<typeof personSchema>
export type SourceDocument = z.infer<typeof sourceDocumentSchema>
export type Site = z.infer<typeof siteSchema>
