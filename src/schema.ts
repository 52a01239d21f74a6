/**
 * @module schema
 * The content model. These zod schemas are the single source of truth for
 * what a content file may say; every type the engine uses is inferred from
 * them. They are applied once, at build time, by `scripts/build-content.ts`;
 * the Worker imports only the types.
 *
 * Every string field is one of a few kinds, each registered in
 * {@link kinds}: free text goes through {@link plainText} (one cleaning
 * function, `cleanText`), and everything else is a checked format (slug,
 * URL, e-mail, date, language tag, file name). A test walks the schemas and
 * fails on any string field of no kind, so a new field cannot skip cleaning.
 */
import { z } from 'zod'
import { parsePartialDate } from './content/dates.ts'
import { cleanText } from './lib/xml.ts'

// A missing field reads "is required" rather than "expected string, received undefined".
z.config({
  customError: (issue) =>
    issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : undefined,
})

/** The kind of every string schema; see the module comment. */
export const kinds = z.registry<{
  kind: 'plain' | 'slug' | 'url' | 'origin' | 'email' | 'date' | 'language' | 'file'
}>()

/** Lowercase ASCII words joined by single hyphens: `military-intervention`. */
export const slug = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lowercase ASCII words joined by hyphens')
  .register(kinds, { kind: 'slug' })

/**
 * Plain text of at most `max` characters after cleaning (`cleanText`:
 * invalid XML characters and lone surrogates removed, white space folded,
 * trimmed). It stays text: every output escapes it.
 */
export function plainText(max = 2000) {
  return z
    .string()
    .transform(cleanText)
    .pipe(z.string().min(1, 'must not be empty').max(max, `must be at most ${max} characters`))
    .register(kinds, { kind: 'plain' })
}

/**
 * A date as precise as the source allows: `2025`, `2025-04`, `2025-05-03`,
 * or a full RFC 3339 date-time. The precision is read from the spelling.
 * YAML reads an unquoted year as a number, so numbers are accepted too.
 */
export const partialDate = z
  .preprocess(
    (v) => (typeof v === 'number' ? String(v) : v),
    z.string().superRefine((s, ctx) => {
      const parsed = parsePartialDate(s)
      if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed })
    }),
  )
  .register(kinds, { kind: 'date' })

/** BCP 47 language tag, such as `en` or `es-MX`. */
const language = z
  .string()
  .regex(/^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8})*$/, 'must be a BCP 47 tag such as en or es-MX')
  .register(kinds, { kind: 'language' })

/** A file name without folders: `001_0b82f05f8ba7f11c.txt`. */
const fileName = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/,
    'must be a file name (letters, digits, ".", "_" and "-"; no folders)',
  )
  .register(kinds, { kind: 'file' })

/** A PNG file in the content folder: `icon.png`. */
const pngFile = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9._-]{0,99}\.png$/,
    'must name a PNG file in the content folder, such as icon.png (lowercase, no folders)',
  )
  .register(kinds, { kind: 'file' })

/** Host names as the URL parser leaves them (lowercase, IDNs in punycode), or a bracketed IPv6 address. */
const HOST =
  /^(?:(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]*[a-z0-9])?|\[[0-9a-f:.]+\])$/

/** Parses an http or https URL with an ordinary host and no credentials; a reason otherwise. */
function httpUrlOf(s: string): URL | string {
  let url: URL
  try {
    url = new URL(s)
  } catch {
    return 'must be an absolute http or https URL'
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http or https URL'
  if (url.username || url.password) return 'must not carry a user name or password'
  if (!HOST.test(url.hostname)) return 'must have an ordinary host name'
  return url
}

/** An http or https link, normalised by the URL parser (so no markup survives in it). */
export const httpUrl = z
  .string()
  .transform((s, ctx) => {
    const url = httpUrlOf(s.trim())
    if (typeof url !== 'string') return url.href
    ctx.addIssue({ code: 'custom', message: url })
    return z.NEVER
  })
  .register(kinds, { kind: 'url' })

/**
 * The site's public origin, `https://feeds.example.org`: scheme, host and
 * port only. Every absolute URL is this plus a path, so a path, query or
 * fragment here would break them all.
 */
export const siteOrigin = z
  .string()
  .transform((s, ctx) => {
    const url = httpUrlOf(s.trim())
    const bare =
      typeof url !== 'string' &&
      url.pathname === '/' &&
      !/[?#]/.test(s) &&
      !/^[^:]+:\/\/[^/]*\/./.test(s.trim())
    if (typeof url !== 'string' && bare) return url.origin
    ctx.addIssue({
      code: 'custom',
      message:
        typeof url === 'string'
          ? url
          : 'must be a bare origin such as https://feeds.example.org (no path, query or fragment)',
    })
    return z.NEVER
  })
  .register(kinds, { kind: 'origin' })

const email = z.email('must be an e-mail address').register(kinds, { kind: 'email' })

/** A verbatim quote. `speaker` is a person id from `content/people.yaml`. */
export const quoteSchema = z.strictObject({
  speaker: slug,
  text: plainText(5000),
  /** The source document (file name from `content/sources.yaml`) that prints these words. */
  document: fileName,
  /** When the words were said, as the document dates them. */
  said: partialDate.optional(),
  /** True when `said` is worked out ("on Saturday" in a dated report) rather than stated. */
  saidInferred: z.boolean().default(false),
  /** Where they were said, as the document describes it. */
  where: plainText(300).optional(),
  /** For instance: "said in Spanish; the document prints a translation". */
  note: plainText(1000).optional(),
})

/** What an entry draws on: a source document and the publications it credits. */
export const sourceRefSchema = z.strictObject({
  /** File name of a document listed in `content/sources.yaml`. */
  document: fileName,
  /** Publications the document itself credits for the facts this entry uses. */
  credits: z.array(plainText(200)).default([]),
})

/** The instant a partial date starts at, or undefined when it does not parse (its own issue says why). */
const startOf = (date: string | undefined) => {
  const parsed = date === undefined ? undefined : parsePartialDate(date)
  return typeof parsed === 'object' ? parsed.time : undefined
}

/**
 * A correction note: when the entry was corrected and what was wrong and
 * what is right, in the publisher's words. Notes are kept in the order
 * written and never removed; the latest date advances the entry's `updated`.
 */
export const correctionSchema = z.strictObject({
  date: partialDate,
  /** What was wrong and what is right: "An earlier version gave the date of the vote as 3 May; it was 4 May." */
  text: plainText(1000),
})

/**
 * The entry is withdrawn: it stays in `content/` for the record, leaves
 * every feed, list and search, its page answers 410 Gone with `reason`, and
 * Atom and JSON Feed subscription documents carry a tombstone for it for
 * `site.tombstoneDays` days.
 */
export const withdrawalSchema = z.strictObject({
  date: partialDate,
  /** Why, for readers: shown on the 410 page and as the tombstone's comment. */
  reason: plainText(1000).optional(),
  /** Who withdrew it (a desk or a name): the tombstone's `at:by`. */
  by: plainText(200).optional(),
})

/** Front matter of one entry file, `content/entries/{id}.md`; the Markdown below it is the body. */
export const entrySchema = z
  .strictObject({
    /** Stable slug; it is the entry's URL and feed id, so it never changes. */
    id: slug,
    title: plainText(200),
    /** Plain text, one or two sentences. */
    summary: plainText(1000),
    published: partialDate,
    updated: partialDate.optional(),
    /** True when `published` is worked out rather than stated ("on Saturday" in a dated report). */
    dateInferred: z.boolean().default(false),
    /** How an inferred date was worked out; required when `dateInferred` is true. */
    dateBasis: plainText(1000).optional(),
    topics: z.array(slug).min(1, 'must name at least one topic'),
    people: z.array(slug).default([]),
    sources: z.array(sourceRefSchema).min(1, 'must name at least one source document'),
    quotes: z.array(quoteSchema).default([]),
    /** BCP 47 tag; defaults to the site's language. */
    language: language.optional(),
    /** Dated correction notes, oldest first. */
    corrections: z.array(correctionSchema).default([]),
    withdrawn: withdrawalSchema.optional(),
  })
  .refine((e) => !e.dateInferred || e.dateBasis !== undefined, {
    path: ['dateBasis'],
    message: 'is required when dateInferred is true',
  })
  .refine(
    (e) => {
      const [published, updated] = [startOf(e.published), startOf(e.updated)]
      return published === undefined || updated === undefined || updated >= published
    },
    { path: ['updated'], message: 'is earlier than published' },
  )
  .superRefine((e, ctx) => {
    const published = startOf(e.published)
    if (published === undefined) return
    e.corrections.forEach((c, i) => {
      const at = startOf(c.date)
      if (at !== undefined && at < published)
        ctx.addIssue({
          code: 'custom',
          path: ['corrections', i, 'date'],
          message: 'is earlier than published',
        })
    })
    const withdrawn = startOf(e.withdrawn?.date)
    if (withdrawn !== undefined && withdrawn < published)
      ctx.addIssue({
        code: 'custom',
        path: ['withdrawn', 'date'],
        message: 'is earlier than published',
      })
  })

export const topicSchema = z.strictObject({
  slug,
  title: plainText(100),
  /** One sentence. */
  description: plainText(300),
})

export const personSchema = z.strictObject({
  id: slug,
  name: plainText(200),
  /** Who the person is, as the source documents describe them. */
  role: plainText(1000),
})

/** One source document in the provenance list, `content/sources.yaml`. */
export const sourceDocumentSchema = z
  .strictObject({
    /** The document's file name: for authoring and the provenance check only; readers never see it. */
    file: fileName,
    /** Readable and unique: the document's URL, `/sources/{slug}`, and how feeds refer to it. */
    slug,
    /** The publication the document names as its own, if it names one. */
    publication: plainText(200).optional(),
    /** The byline, if any. */
    author: plainText(200).optional(),
    /** The document's headline, if it has one. */
    headline: plainText(300).optional(),
    /** The date the document carries, or one worked out from it (then `dateInferred` and `dateBasis`). */
    date: partialDate.optional(),
    dateInferred: z.boolean().default(false),
    dateBasis: plainText(1000).optional(),
    /** The publisher's short, neutral description of a document that says little about itself: "an undated explainer on the dispute". */
    description: plainText(300).optional(),
  })
  .refine((s) => !s.dateInferred || s.dateBasis !== undefined, {
    path: ['dateBasis'],
    message: 'is required when dateInferred is true',
  })
  .refine((s) => !s.dateInferred || s.date !== undefined, {
    path: ['date'],
    message: 'is required when dateInferred is true',
  })
  .refine(
    (s) => s.publication !== undefined || s.headline !== undefined || s.description !== undefined,
    {
      path: ['description'],
      message: 'is required when the document gives neither publication nor headline',
    },
  )

export const siteSchema = z.strictObject({
  title: plainText(200),
  description: plainText(1000),
  /** Public origin every absolute URL is built from, such as `https://feeds.example.org`. The build's SITE_URL overrides it. */
  url: siteOrigin,
  language,
  publisher: z.strictObject({
    name: plainText(200),
    email: email.optional(),
    url: httpUrl.optional(),
  }),
  /** Optional copyright or licence line. */
  rights: plainText(1000).optional(),
  /**
   * PNG files in the content folder that identify the site: `icon` square
   * (512×512 advised; JSON Feed `icon`, Atom `icon`), `favicon` square (64×64;
   * pages, JSON Feed `favicon`, RSS `image`), `logo` wider than tall (2:1; Atom `logo`).
   */
  images: z
    .strictObject({
      icon: pngFile.optional(),
      favicon: pngFile.optional(),
      logo: pngFile.optional(),
    })
    .optional(),
  /**
   * WebSub hub the feeds advertise: `self` (the built-in hub at `{url}/websub`),
   * the http(s) URL of an external hub, or `off` (no hub links, no `/websub`).
   * Default `self`.
   */
  websub: z
    .union([z.enum(['self', 'off']), httpUrl], {
      error: 'must be self, off or an http(s) URL of a hub',
    })
    .optional(),
  /** Entries per archive page of every feed (RFC 5005 archives, `/archive/{n}`); 50 when absent. Never change it lightly: every archive URL moves. */
  archivePageSize: z.number().int('must be a whole number').min(10).max(500).optional(),
  /**
   * Days a withdrawn or deleted entry's tombstone stays in the Atom and JSON
   * Feed subscription documents of the feeds that held it, counted from the
   * withdrawal to the newest date in the content (never from the clock); 30
   * when absent.
   */
  tombstoneDays: z.number().int('must be a whole number').min(1).max(3650).optional(),
})

export type EntryInput = z.input<typeof entrySchema>
export type EntryData = z.infer<typeof entrySchema>
export type Quote = z.infer<typeof quoteSchema>
export type Withdrawal = z.infer<typeof withdrawalSchema>
export type SourceRef = z.infer<typeof sourceRefSchema>
export type Topic = z.infer<typeof topicSchema>
export type Person = z.infer<typeof personSchema>
export type SourceDocument = z.infer<typeof sourceDocumentSchema>
export type Site = z.infer<typeof siteSchema>
