/**
 * @module compile
 * Turns the files of `content/` into the {@link Content} the Worker serves.
 *
 * Pure: it takes file texts and returns data, so the build script, the
 * tests and the benchmarks all run the same code. It validates everything
 * first and throws one {@link ContentError} that lists every problem with its
 * file, field path and reason; partial content is never returned.
 */
import { marked } from 'marked'
import { parseDocument } from 'yaml'
import { z } from 'zod'
import {
  entrySchema,
  personSchema,
  siteSchema,
  sourceDocumentSchema,
  topicSchema,
  type EntryData,
} from '../schema.ts'
import { stripInvalidXml } from '../lib/xml.ts'
import { sanitizeHtml } from './sanitize.ts'
import type { Content, DatePrecision, Entry } from './types.ts'

/** The raw files of a content folder, by their path relative to the repository. */
export interface ContentFiles {
  site: { file: string; text: string }
  topics: { file: string; text: string }
  people: { file: string; text: string }
  sources: { file: string; text: string }
  entries: { file: string; text: string }[]
}

/** One problem in one content file. */
export interface ContentIssue {
  file: string
  /** Dotted field path, such as `quotes.0.speaker`; empty for the whole file. */
  path: string
  message: string
}

/** Thrown when content does not validate; `issues` lists every problem found. */
export class ContentError extends Error {
  override name = 'ContentError'
  readonly issues: ContentIssue[]
  constructor(issues: ContentIssue[]) {
    super(
      `Invalid content (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n` +
        issues.map((i) => `  ${i.file}${i.path ? `: ${i.path}` : ''}: ${i.message}`).join('\n'),
    )
    this.issues = issues
  }
}

export interface CompileOptions {
  /** Overrides the site URL of `site.yaml` (the build's `SITE_URL`). */
  siteUrl?: string
}

/** Validates and compiles content; throws {@link ContentError} listing every problem. */
export function compileContent(files: ContentFiles, options: CompileOptions = {}): Content {
  const issues: ContentIssue[] = []
  const report = (file: string, path: PropertyKey[] | string, message: string) =>
    issues.push({ file, path: typeof path === 'string' ? path : path.map(String).join('.'), message })

  function parse<T extends z.ZodType>(file: string, value: unknown, schema: T, prefix: PropertyKey[] = []) {
    const result = schema.safeParse(value)
    if (result.success) return result.data as z.infer<T>
    for (const issue of result.error.issues) report(file, [...prefix, ...issue.path], issue.message)
    return undefined
  }

  /** Parses YAML; `firstLine` is the file line the text starts on, so errors point into the file. */
  function yaml(file: string, text: string, firstLine = 1): unknown {
    const doc = parseDocument(text, { prettyErrors: true })
    for (const error of doc.errors) {
      const at = error.linePos?.[0]
      report(file, at ? `line ${at.line + firstLine - 1}, column ${at.col}` : '', `YAML: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`)
    }
    return doc.errors.length ? undefined : doc.toJS()
  }

  function list<T extends z.ZodType>({ file, text }: { file: string; text: string }, schema: T) {
    const value = yaml(file, text)
    if (value === undefined) return []
    if (!Array.isArray(value)) {
      report(file, '', 'must be a YAML list')
      return []
    }
    return value.flatMap((item, i) => parse(file, item, schema, [i]) ?? [])
  }

  const site = plainStrings(parse(files.site.file, yaml(files.site.file, files.site.text), siteSchema))
  const topics = list(files.topics, topicSchema).map(plainStrings)
  const people = list(files.people, personSchema).map(plainStrings)
  const documents = list(files.sources, sourceDocumentSchema).map(plainStrings)

  for (const [file, items, key] of [
    [files.topics.file, topics, 'slug'],
    [files.people.file, people, 'id'],
    [files.sources.file, documents, 'file'],
  ] as const) {
    const seen = new Set<string>()
    items.forEach((item, i) => {
      const value = (item as Record<string, string>)[key]!
      if (seen.has(value)) report(file, [i, key], `duplicate ${key} "${value}"`)
      seen.add(value)
    })
  }

  const topicSlugs = new Set(topics.map((t) => t.slug))
  const personById = new Map(people.map((p) => [p.id, p]))
  const documentByFile = new Map(documents.map((d) => [d.file, d]))
  const oneOf = (set: Iterable<string>) => `(valid: ${[...set].join(', ') || 'none'})`

  const parsed: { file: string; data: EntryData; body: string }[] = []
  const ids = new Map<string, string>()
  for (const { file, text } of files.entries) {
    const match = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)([\s\S]*)$/.exec(text)
    if (!match) {
      report(file, '', 'must start with YAML front matter between two "---" lines')
      continue
    }
    const front = yaml(file, match[1]!, 2)
    if (front === undefined) continue
    const data = parse(file, front, entrySchema)
    if (!data) continue
    const expectedId = file.replace(/^.*\//, '').replace(/\.md$/, '')
    if (data.id !== expectedId) report(file, 'id', `"${data.id}" must match the file name "${expectedId}"`)
    const other = ids.get(data.id)
    if (other) report(file, 'id', `duplicate id "${data.id}" (also in ${other})`)
    ids.set(data.id, file)

    data.topics.forEach((t, i) => topicSlugs.has(t) || report(file, ['topics', i], `unknown topic "${t}" ${oneOf(topicSlugs)}`))
    data.people.forEach((p, i) => personById.has(p) || report(file, ['people', i], `unknown person "${p}" ${oneOf(personById.keys())}`))
    data.sources.forEach((s, i) => documentByFile.has(s.document) || report(file, ['sources', i, 'document'], `unknown source document "${s.document}" ${oneOf(documentByFile.keys())}`))
    const cited = new Set(data.sources.map((s) => s.document))
    data.quotes.forEach((q, i) => {
      if (!personById.has(q.speaker)) report(file, ['quotes', i, 'speaker'], `unknown person "${q.speaker}" ${oneOf(personById.keys())}`)
      if (!cited.has(q.document)) report(file, ['quotes', i, 'document'], `"${q.document}" is not among this entry's sources`)
    })
    if (body(match[2]!) === '') report(file, 'body', 'the Markdown body after the front matter is empty')
    parsed.push({ file, data, body: match[2]! })
  }
  if (files.entries.length === 0) report('content/entries', '', 'no entries found')

  const used = new Set(parsed.flatMap((p) => p.data.topics))
  topics.forEach((t, i) => used.has(t.slug) || report(files.topics.file, [i, 'slug'], `topic "${t.slug}" has no entries`))

  if (issues.length || !site) throw new ContentError(issues)

  const siteUrl = options.siteUrl !== undefined ? parse('SITE_URL', { ...site, url: options.siteUrl }, siteSchema)?.url : site.url
  if (siteUrl === undefined) throw new ContentError(issues)
  const resolvedSite = { ...site, url: siteUrl }

  const entries = parsed.map(({ data, body: markdown }): Entry => {
    const published = instant(data.published)
    return {
      id: data.id,
      title: plain(data.title),
      summary: plain(data.summary),
      html: sanitizeHtml(marked.parse(body(markdown), { async: false, gfm: true }), siteUrl),
      url: `${siteUrl}/entries/${data.id}`,
      published,
      updated: data.updated ? instant(data.updated) : published,
      date: {
        text: data.published,
        precision: precisionOf(data.published),
        inferred: data.dateInferred,
        ...(data.dateBasis && { basis: plain(data.dateBasis) }),
      },
      topics: [...new Set(data.topics)],
      people: [...new Set(data.people)].map((id) => personById.get(id)!),
      sources: data.sources.map((s) => ({ ...documentByFile.get(s.document)!, credits: s.credits.map(plain) })),
      quotes: data.quotes.map((q) => ({ ...q, text: plain(q.text), speakerName: personById.get(q.speaker)!.name })),
      language: data.language ?? site.language,
    }
  })
  entries.sort(newestFirst)
  return { site: resolvedSite, topics, people, sources: documents, entries: distinctInstants(entries) }
}

/** Newest first by publication time, then by id: a total order, so output never depends on file order. */
export function newestFirst(a: Entry, b: Entry): number {
  return a.published < b.published ? 1 : a.published > b.published ? -1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

function body(markdown: string): string {
  return stripInvalidXml(markdown).trim()
}

/** Plain-text fields: invalid characters and tag-like markup removed (these fields are not HTML), white space folded. */
function plain(s: string): string {
  return stripInvalidXml(s).replace(/<\/?[A-Za-z][^<>]*>/g, ' ').replace(/\s+/g, ' ').trim()
}

/** Every string of a parsed record through {@link plain}: site, topic, person and source texts reach the feeds too. */
function plainStrings<T>(value: T): T {
  if (typeof value === 'string') return plain(value) as T
  if (Array.isArray(value)) return value.map(plainStrings) as T
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainStrings(v)])) as T
  return value
}

/**
 * Gives every entry its own publication instant, and its own `updated`.
 * Dates known only to the day, month or year all start at 00:00:00Z, so
 * entries often tie; Atom readers tell entries apart by `updated` (the W3C
 * validator warns on duplicates). Walking from the oldest, a tie moves one
 * second after the entry before it, which keeps the order (newest first,
 * ties by id). The date as written, and its precision, stay in `date`.
 */
function distinctInstants(entries: Entry[]): Entry[] {
  let previous = -Infinity
  const spaced = entries.toReversed().map((entry) => {
    const time = Math.max(Date.parse(entry.published), previous + 1000)
    previous = time
    if (time === Date.parse(entry.published)) return entry
    const published = new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z')
    return { ...entry, published, updated: entry.updated === entry.published ? published : entry.updated }
  })
  const taken = new Set<string>()
  for (const [i, entry] of spaced.entries()) {
    let time = Date.parse(entry.updated)
    while (taken.has(new Date(time).toISOString())) time += 1000
    taken.add(new Date(time).toISOString())
    if (time !== Date.parse(entry.updated)) spaced[i] = { ...entry, updated: new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z') }
  }
  return spaced.reverse()
}

function precisionOf(date: string): DatePrecision {
  return date.length === 4 ? 'year' : date.length === 7 ? 'month' : date.length === 10 ? 'day' : 'time'
}

/** The first instant of a partial date, as RFC 3339 UTC without fractional seconds. */
export function instant(date: string): string {
  const full = date.length === 4 ? `${date}-01-01` : date.length === 7 ? `${date}-01` : date
  return new Date(full).toISOString().replace(/\.\d{3}Z$/, 'Z')
}
