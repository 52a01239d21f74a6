/**
 * @module compile
 * Turns the files of `content/` into the {@link Content} the Worker serves.
 *
 * Pure: it takes file texts and returns data, so the build script, the
 * tests and the benchmarks all run the same code. It validates everything
 * first and throws one {@link ContentError} that lists every problem with its
 * file, field path and reason; partial content is never returned. No input
 * makes it throw anything else: an exception while reading one file becomes
 * an issue of that file.
 */
import { marked } from 'marked'
import { LineCounter, parseDocument, visit, type Document } from 'yaml'
import { z } from 'zod'
import {
  entrySchema,
  personSchema,
  siteSchema,
  sourceDocumentSchema,
  topicSchema,
  type EntryData,
  type SourceDocument,
} from '../schema.ts'
import { stripInvalidXml } from '../lib/xml.ts'
import { displayPartial, formatInstant, MAX_INSTANT, parsePartialDate, type DatePrecision } from './dates.ts'
import { pngSize } from './png.ts'
import { sanitizeHtml } from './sanitize.ts'
import type { Content, Entry, Image, Source } from './types.ts'

export { instant } from './dates.ts'

/** A text file of a content folder, by its path relative to the repository. */
export interface ContentFile {
  file: string
  text: string
}

/** The raw files of a content folder. */
export interface ContentFiles {
  site: ContentFile
  topics: ContentFile
  people: ContentFile
  sources: ContentFile
  entries: ContentFile[]
  /** PNG files at the top of the content folder; `site.yaml` names the ones it uses. */
  images?: { file: string; bytes: Uint8Array }[]
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

/**
 * Size limits, checked at build time. A feed holds at most 100 entries (the
 * largest `limit`); with each entry's compiled form at most
 * {@link MAX_RENDERED_BYTES}, and the rest of an item bounded by the field
 * lengths of the schema, the largest feed stays under 4 MiB, a quarter of
 * the isolate memo's default 16 MiB.
 */
export const LIMITS = {
  /** An entry file: front matter and Markdown. */
  entryBytes: 256 * 1024,
  /** An entry as compiled (its HTML, texts, quotes, sources, as JSON in UTF-8): what every feed item is built from. */
  renderedBytes: 32 * 1024,
  /** A YAML settings or list file. */
  yamlBytes: 1024 * 1024,
  /** An identity image. */
  imageBytes: 100 * 1024,
  /** Aliases a YAML file may expand (the `yaml` package's `maxAliasCount`); more is refused as an alias bomb. */
  yamlAliases: 100,
} as const

const encoder = new TextEncoder()
const utf8Length = (s: string) => encoder.encode(s).byteLength

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
    const lines = new LineCounter()
    const at = (offset: number) => {
      const { line, col } = lines.linePos(offset)
      return `line ${line + firstLine - 1}, column ${col}`
    }
    let doc: Document.Parsed
    try {
      doc = parseDocument(text, { prettyErrors: true, lineCounter: lines, uniqueKeys: true })
    } catch (error) {
      report(file, '', `YAML: could not be parsed (${errorText(error)})`)
      return undefined
    }
    for (const error of doc.errors) {
      const pos = error.linePos?.[0]
      report(file, pos ? `line ${pos.line + firstLine - 1}, column ${pos.col}` : '', `YAML: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`)
    }
    if (doc.errors.length) return undefined
    try {
      return doc.toJS({ maxAliasCount: LIMITS.yamlAliases })
    } catch (error) {
      // An alias to no anchor, or an alias bomb: point at the alias at fault, else at the first.
      let unresolved: [number, string] | undefined
      let first: [number, string] | undefined
      visit(doc, {
        Alias(_, node) {
          const offset = node.range?.[0] ?? 0
          first ??= [offset, node.source]
          if (!unresolved && node.resolve(doc) === undefined) unresolved = [offset, node.source]
        },
      })
      if (unresolved) report(file, at(unresolved[0]), `YAML: alias *${unresolved[1]} refers to no anchor before it`)
      else if (first) report(file, at(first[0]), `YAML: aliases expand to too much data (more than ${LIMITS.yamlAliases} aliases); write the values out`)
      else report(file, '', `YAML: could not be read (${errorText(error)})`)
      return undefined
    }
  }

  /**
   * The valid items of a YAML list, and every `key` the list names, valid
   * item or not, so that one bad item does not make every reference to it
   * unknown; `named` is undefined when the file could not be read at all
   * (then references to it are not checked: its own issue says enough).
   */
  function list<T extends z.ZodType>({ file, text }: ContentFile, schema: T, key: string): { items: z.infer<T>[]; named: Set<string> | undefined } {
    const value = yaml(file, text)
    if (value === undefined) return { items: [], named: undefined }
    if (!Array.isArray(value)) {
      report(file, '', 'must be a YAML list')
      return { items: [], named: undefined }
    }
    const named = new Set(value.flatMap((item) => (typeof item?.[key] === 'string' ? [item[key] as string] : [])))
    return { items: value.flatMap((item, i) => parse(file, item, schema, [i]) ?? []), named }
  }

  const settings = [files.site, files.topics, files.people, files.sources].map((f) => ({ file: f.file, text: withoutBom(f.text) }))
  for (const { file, text } of settings) if (utf8Length(text) > LIMITS.yamlBytes) report(file, '', `is larger than the limit of ${LIMITS.yamlBytes / 1024} KiB`)
  const [siteFile, topicsFile, peopleFile, sourcesFile] = settings as [ContentFile, ContentFile, ContentFile, ContentFile]

  const site = parse(siteFile.file, yaml(siteFile.file, siteFile.text), siteSchema)
  const { items: topics, named: topicSlugs } = list(topicsFile, topicSchema, 'slug')
  const { items: people, named: personIds } = list(peopleFile, personSchema, 'id')
  const { items: documents, named: documentFiles } = list(sourcesFile, sourceDocumentSchema, 'file')

  for (const [file, items, key] of [
    [topicsFile.file, topics, 'slug'],
    [peopleFile.file, people, 'id'],
    [sourcesFile.file, documents, 'file'],
    [sourcesFile.file, documents, 'slug'],
  ] as const) {
    const seen = new Set<string>()
    items.forEach((item, i) => {
      const value = (item as Record<string, string>)[key]!
      if (seen.has(value)) report(file, [i, key], `duplicate ${key} "${value}"`)
      seen.add(value)
    })
  }

  const images = site ? compileImages(siteFile.file, site.images ?? {}, files.images ?? [], report) : []

  const personById = new Map(people.map((p) => [p.id, p]))
  const sources = documents.map(compileSource)
  const sourceByFile = new Map(sources.map((s) => [s.file, s]))
  const oneOf = (set: Iterable<string>) => `(valid: ${[...set].join(', ') || 'none'})`
  /** Whether `value` is one of `named`; true when the list could not be read, so its references are not reported too. */
  const known = (named: Set<string> | undefined, value: string) => named === undefined || named.has(value)

  const parsed: { file: string; data: EntryData; body: string }[] = []
  const used = new Set<string>()
  const ids = new Map<string, string>()
  for (const { file, text: raw } of files.entries) {
    const text = withoutBom(raw)
    if (utf8Length(text) > LIMITS.entryBytes) {
      report(file, '', `is larger than the limit of ${LIMITS.entryBytes / 1024} KiB for an entry`)
      continue
    }
    const match = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)([\s\S]*)$/.exec(text)
    if (!match) {
      report(file, '', 'must start with YAML front matter between two "---" lines')
      continue
    }
    const before = issues.length
    const front = yaml(file, match[1]!, 2)
    if (front === undefined) continue
    // Topics an invalid entry names still count as used, so one bad field does not also report its topics empty.
    const named = (front as { topics?: unknown } | null)?.topics
    if (Array.isArray(named)) for (const t of named) if (typeof t === 'string') used.add(t)
    const data = parse(file, front, entrySchema)
    if (!data) continue
    const expectedId = file.replace(/^.*\//, '').replace(/\.md$/, '')
    if (data.id !== expectedId) report(file, 'id', `"${data.id}" must match the file name "${expectedId}"`)
    const other = ids.get(data.id)
    if (other) report(file, 'id', `duplicate id "${data.id}" (also in ${other})`)
    ids.set(data.id, file)

    data.topics.forEach((t, i) => known(topicSlugs, t) || report(file, ['topics', i], `unknown topic "${t}" ${oneOf(topicSlugs!)}`))
    data.people.forEach((p, i) => known(personIds, p) || report(file, ['people', i], `unknown person "${p}" ${oneOf(personIds!)}`))
    data.sources.forEach((s, i) => known(documentFiles, s.document) || report(file, ['sources', i, 'document'], `unknown source document "${s.document}" ${oneOf(documentFiles!)}`))
    const cited = new Set(data.sources.map((s) => s.document))
    data.quotes.forEach((q, i) => {
      if (!known(personIds, q.speaker)) report(file, ['quotes', i, 'speaker'], `unknown person "${q.speaker}" ${oneOf(personIds!)}`)
      if (!cited.has(q.document)) report(file, ['quotes', i, 'document'], `"${q.document}" is not among this entry's sources`)
    })
    if (body(match[2]!) === '') report(file, 'body', 'the Markdown body after the front matter is empty')
    if (issues.length === before) parsed.push({ file, data, body: match[2]! })
  }
  if (files.entries.length === 0) report('content/entries', '', 'no entries found')

  topics.forEach((t, i) => used.has(t.slug) || report(topicsFile.file, [i, 'slug'], `topic "${t.slug}" has no entries`))

  // Entries that are themselves valid are rendered even when other files have problems, so size limits are reported in the same run.
  if (!site) throw new ContentError(issues)
  const siteUrl = options.siteUrl !== undefined ? parse('SITE_URL', { ...site, url: options.siteUrl }, siteSchema)?.url : site.url
  if (siteUrl === undefined) throw new ContentError(issues)
  const resolvedSite = { ...site, url: siteUrl }

  const fileOf = new Map<Entry, string>()
  const withdrawn: Content['withdrawn'] = []
  const compiled = parsed.flatMap(({ file, data, body: markdown }): Entry[] => {
    // An entry whose references lead to items with problems of their own is not rendered: those issues are reported already.
    if (!data.people.every((id) => personById.has(id)) || !data.quotes.every((q) => personById.has(q.speaker)) || !data.sources.every((s) => sourceByFile.has(s.document))) return []
    const url = `${siteUrl}/entries/${data.id}`
    let html: string
    try {
      html = sanitizeHtml(marked.parse(body(markdown), { async: false, gfm: true }), url)
    } catch (error) {
      report(file, 'body', `could not be rendered (${errorText(error)})`)
      return []
    }
    const published = firstInstant(data.published)
    const corrections = data.corrections.map((c) => ({ date: c.date, at: firstInstant(c.date), text: c.text }))
    const stated = data.updated ? firstInstant(data.updated) : published
    const entry: Entry = {
      id: data.id,
      title: data.title,
      summary: data.summary,
      html,
      url,
      published,
      // A correction is an update: the latest one advances `updated`.
      updated: corrections.reduce((max, c) => (c.at > max ? c.at : max), stated),
      date: {
        text: data.published,
        precision: precisionOf(data.published),
        inferred: data.dateInferred,
        ...(data.dateBasis && { basis: data.dateBasis }),
      },
      ...(data.updated && { updatedText: data.updated }),
      topics: [...new Set(data.topics)],
      people: [...new Set(data.people)].map((id) => personById.get(id)!),
      sources: data.sources.map((s) => entrySource(sourceByFile.get(s.document)!, s.credits)),
      quotes: data.quotes.map(({ document, ...q }) => {
        const source = sourceByFile.get(document)!
        return { ...q, speakerName: personById.get(q.speaker)!.name, source: source.slug, sourceLabel: source.label }
      }),
      language: data.language ?? site.language,
      ...(corrections.length > 0 && { corrections }),
    }
    const size = utf8Length(JSON.stringify(entry))
    if (size > LIMITS.renderedBytes) {
      report(file, 'body', `renders to ${Math.ceil(size / 1024)} KiB, over the limit of ${LIMITS.renderedBytes / 1024} KiB for one entry (body, quotes and texts together); split it or shorten it`)
    }
    fileOf.set(entry, file)
    if (data.withdrawn) {
      const { date, reason, by } = data.withdrawn
      withdrawn.push({ entry, withdrawal: { date, at: firstInstant(date), ...(reason && { reason }), ...(by && { by }) } })
      return []
    }
    return [entry]
  })
  const entries = compiled.sort(newestFirst)
  withdrawn.sort((a, b) => (a.withdrawal.at < b.withdrawal.at ? 1 : a.withdrawal.at > b.withdrawal.at ? -1 : a.entry.id < b.entry.id ? -1 : 1))
  const spaced = distinctInstants(entries)
  for (const entry of spaced.overflow) {
    report(fileOf.get(entry)!, 'published', `shares its date with so many entries that giving each its own second would pass ${formatInstant(MAX_INSTANT)}`)
  }
  if (issues.length) throw new ContentError(issues)
  return { site: resolvedSite, topics, people, sources, images, entries: spaced.entries, withdrawn }
}

/** Newest first by publication time, then by id: a total order, so output never depends on file order. */
export function newestFirst(a: Entry, b: Entry): number {
  return a.published < b.published ? 1 : a.published > b.published ? -1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

/** A leading byte-order mark is not content: YAML and the front-matter fence must see the first real character. */
function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
}

function errorText(error: unknown): string {
  return stripInvalidXml(error instanceof Error ? `${error.name}: ${error.message}` : String(error)).split('\n')[0]!.slice(0, 200)
}

function body(markdown: string): string {
  return stripInvalidXml(markdown).trim()
}

/**
 * The name readers see for a source document, from what it gives about
 * itself: `CRBC News: Sheinbaum Firmly Rejects…`, `Mexico Says No…, by
 * Parriva (20 November 2025)`, or the publisher's description when it gives
 * no headline. Deterministic and plain text; never the file name.
 */
export function sourceLabel(doc: Pick<SourceDocument, 'publication' | 'headline' | 'author' | 'date' | 'dateInferred' | 'description'>): string {
  const main = doc.headline ?? doc.description
  let label = doc.publication ? (main ? `${doc.publication}: ${main}` : doc.publication) : capitalise(main ?? 'An unnamed document')
  if (doc.author) label += `, by ${doc.author}`
  if (doc.date) label += ` (${doc.dateInferred ? 'about ' : ''}${displayPartial(doc.date)})`
  return label
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)

function compileSource(doc: SourceDocument): Source {
  return { ...doc, label: sourceLabel(doc) }
}

/** A source as an entry credits it: what readers may see of it, and the credits. */
function entrySource(source: Source, credits: string[]): Entry['sources'][number] {
  const { slug, label, publication, author, headline, date } = source
  return { slug, label, credits, ...(publication && { publication }), ...(author && { author }), ...(headline && { headline }), ...(date && { date }) }
}

/** Which shape each image role must have. */
const IMAGE_SHAPES = {
  icon: { check: (w: number, h: number) => w === h, shape: 'square' },
  favicon: { check: (w: number, h: number) => w === h, shape: 'square' },
  logo: { check: (w: number, h: number) => w > h, shape: 'wider than tall' },
} as const

/** Checks each image `site.yaml` names: present, a real PNG, small, and of its role's shape. */
function compileImages(
  siteFile: string,
  roles: Partial<Record<keyof typeof IMAGE_SHAPES, string>>,
  available: NonNullable<ContentFiles['images']>,
  report: (file: string, path: PropertyKey[], message: string) => void,
): Image[] {
  const byName = new Map(available.map((i) => [i.file.replace(/^.*\//, ''), i]))
  const out = new Map<string, Image>()
  for (const [role, name] of Object.entries(roles) as [keyof typeof IMAGE_SHAPES, string][]) {
    const path = ['images', role]
    const found = byName.get(name)
    if (!found) {
      report(siteFile, path, `no PNG file "${name}" in the content folder`)
      continue
    }
    if (found.bytes.byteLength > LIMITS.imageBytes) {
      report(found.file, [], `is larger than the limit of ${LIMITS.imageBytes / 1024} KiB for an image`)
      continue
    }
    const size = pngSize(found.bytes)
    if (typeof size === 'string') {
      report(found.file, [], size)
      continue
    }
    if (!IMAGE_SHAPES[role].check(size.width, size.height)) {
      report(siteFile, path, `"${name}" is ${size.width}×${size.height}; the ${role} must be ${IMAGE_SHAPES[role].shape}`)
      continue
    }
    out.set(name, { name, width: size.width, height: size.height, base64: base64(found.bytes) })
  }
  return [...out.values()]
}

function base64(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary)
}

/**
 * Gives every entry its own publication instant, and its own `updated`, in
 * O(n log n). Dates known only to the day, month or year all start at
 * 00:00:00Z, so entries often tie; Atom readers tell entries apart by
 * `updated` (the W3C validator warns on duplicates).
 *
 * Walking from the oldest, a tied publication moves one second after the
 * entry before it, which keeps the order (newest first, ties by id); an
 * entry never updated keeps `updated` equal to it. Then the entries that
 * were updated take, in order of their `updated`, the first free second at
 * or after it (and never before their publication), stepping over the
 * seconds already held. Entries pushed past 9999-12-31T23:59:59Z are
 * returned in `overflow`. The date as written, and its precision, stay in
 * `date`.
 */
export function distinctInstants(entries: Entry[]): { entries: Entry[]; overflow: Entry[] } {
  const oldestFirst = entries.toReversed()
  const published: number[] = []
  let previous = -Infinity
  for (const entry of oldestFirst) {
    previous = Math.max(Date.parse(entry.published), previous + 1000)
    published.push(previous)
  }
  const updated = published.slice()
  // Seconds held by entries never updated: their publication instants, distinct and ascending.
  const held = oldestFirst.flatMap((e, i) => (e.updated === e.published ? [published[i]!] : []))
  const revised = oldestFirst
    .flatMap((e, i) => (e.updated === e.published ? [] : [{ i, at: Math.max(Date.parse(e.updated), published[i]!) }]))
    .sort((a, b) => a.at - b.at || a.i - b.i)
  let last = -Infinity
  let h = 0
  for (const { i, at } of revised) {
    let time = Math.max(at, last + 1000)
    while (h < held.length && held[h]! < time) h++
    while (h < held.length && held[h] === time) {
      time += 1000
      h++
    }
    updated[i] = last = time
  }
  const overflow: Entry[] = []
  const spaced = oldestFirst.map((entry, i) => {
    const [p, u] = [published[i]!, updated[i]!]
    if (p > MAX_INSTANT || u > MAX_INSTANT) {
      overflow.push(entry)
      return entry
    }
    if (p === Date.parse(entry.published) && u === Date.parse(entry.updated)) return entry
    return { ...entry, published: formatInstant(p), updated: formatInstant(u) }
  })
  return { entries: spaced.reverse(), overflow }
}

function precisionOf(date: string): DatePrecision {
  const parsed = parsePartialDate(date)
  return typeof parsed === 'string' ? 'day' : parsed.precision
}

/** The first instant of a date the schema accepted. */
function firstInstant(date: string): string {
  const parsed = parsePartialDate(date)
  if (typeof parsed === 'string') throw new Error(`unreachable: ${date} passed the schema`)
  return formatInstant(parsed.time)
}
