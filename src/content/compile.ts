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
  type Person,
  type Site,
  type SourceDocument,
  type Topic,
} from '../schema.ts'
import { stripInvalidXml } from '../lib/xml.ts'
import { FEED_BOUNDS, itemBudget, itemContext, oversizedItems } from './bounds.ts'
import { displayPartial, formatInstant, MAX_INSTANT, normaliseDate, parsePartialDate, type DatePrecision } from './dates.ts'
import { capitalise, wordsFor, type Words } from '../i18n.ts'
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
  siteUrl?: string | undefined
  /** Entries compiled by earlier runs under the same settings, lists and site URL; see {@link EntryCache}. */
  cache?: EntryCache | undefined
}

/**
 * Compiled entries kept across runs. The caller keys it so that an entry it
 * returns was compiled from this same file text under the same settings,
 * lists (topics, people, sources) and site URL: such an entry is reused
 * without parsing its YAML or Markdown or sanitizing its HTML, having
 * passed every check of its own file then. The checks across entries
 * (duplicate ids, topics without entries, distinct instants) still run
 * over every entry.
 */
export interface EntryCache {
  /** The entry compiled from `text` in `file`; undefined when unknown. */
  get(file: string, text: string): Entry | undefined
  /** Records an entry compiled from `text` in `file` that passed its checks. */
  set(file: string, text: string, entry: Entry): void
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

/** How many topics, people, sources and quotes one entry may name: each becomes markup in every item of every feed. */
export const ENTRY_CAPS = { topics: 20, people: 30, sources: 30, quotes: 50 } as const

/** Reports problems of one run; every step adds to it and none stops at the first. */
interface Reporter {
  issues: ContentIssue[]
  report(file: string, path: PropertyKey[] | string, message: string): void
  /** Validates `value` against `schema`; its issues are reported under `file` and `prefix`. */
  parse<T extends z.ZodType>(file: string, value: unknown, schema: T, prefix?: PropertyKey[]): z.infer<T> | undefined
}

function reporter(): Reporter {
  const issues: ContentIssue[] = []
  const report = (file: string, path: PropertyKey[] | string, message: string) =>
    issues.push({ file, path: typeof path === 'string' ? path : path.map(String).join('.'), message })
  function parse<T extends z.ZodType>(file: string, value: unknown, schema: T, prefix: PropertyKey[] = []) {
    const result = schema.safeParse(value)
    if (result.success) return result.data as z.infer<T>
    for (const issue of result.error.issues) report(file, [...prefix, ...issue.path], issue.message)
    return undefined
  }
  return { issues, report, parse }
}

/** Parses YAML; `firstLine` is the file line the text starts on, so errors point into the file. Undefined when it cannot be read. */
function readYaml(r: Reporter, file: string, text: string, firstLine = 1): unknown {
  const lines = new LineCounter()
  const at = (offset: number) => {
    const { line, col } = lines.linePos(offset)
    return `line ${line + firstLine - 1}, column ${col}`
  }
  let doc: Document.Parsed
  try {
    doc = parseDocument(text, { prettyErrors: true, lineCounter: lines, uniqueKeys: true })
  } catch (error) {
    r.report(file, '', `YAML: could not be parsed (${errorText(error)})`)
    return undefined
  }
  for (const error of doc.errors) {
    const pos = error.linePos?.[0]
    r.report(file, pos ? `line ${pos.line + firstLine - 1}, column ${pos.col}` : '', `YAML: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`)
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
    if (unresolved) r.report(file, at(unresolved[0]), `YAML: alias *${unresolved[1]} refers to no anchor before it`)
    else if (first) r.report(file, at(first[0]), `YAML: aliases expand to too much data (more than ${LIMITS.yamlAliases} aliases); write the values out`)
    else r.report(file, '', `YAML: could not be read (${errorText(error)})`)
    return undefined
  }
}

/**
 * The valid items of a YAML list, and every `key` the list names, valid
 * item or not, so that one bad item does not make every reference to it
 * unknown; `named` is undefined when the file could not be read at all
 * (then references to it are not checked: its own issue says enough).
 */
function readList<T extends z.ZodType>(r: Reporter, { file, text }: ContentFile, schema: T, key: string): { items: z.infer<T>[]; named: Set<string> | undefined } {
  const value = readYaml(r, file, text)
  if (value === undefined) return { items: [], named: undefined }
  if (!Array.isArray(value)) {
    r.report(file, '', 'must be a YAML list')
    return { items: [], named: undefined }
  }
  const named = new Set(value.flatMap((item) => (typeof item?.[key] === 'string' ? [item[key] as string] : [])))
  return { items: value.flatMap((item, i) => r.parse(file, item, schema, [i]) ?? []), named }
}

/** The settings and lists, read and checked, with what each list names. */
function readSettings(r: Reporter, files: ContentFiles) {
  const settings = [files.site, files.topics, files.people, files.sources].map((f) => ({ file: f.file, text: withoutBom(f.text) }))
  for (const { file, text } of settings) if (utf8Length(text) > LIMITS.yamlBytes) r.report(file, '', `is larger than the limit of ${LIMITS.yamlBytes / 1024} KiB`)
  const [siteFile, topicsFile, peopleFile, sourcesFile] = settings as [ContentFile, ContentFile, ContentFile, ContentFile]
  const siteValue = readYaml(r, siteFile.file, siteFile.text)
  const site = siteValue === undefined ? undefined : r.parse(siteFile.file, siteValue, siteSchema)
  const { items: topics, named: topicSlugs } = readList(r, topicsFile, topicSchema, 'slug')
  const { items: people, named: personIds } = readList(r, peopleFile, personSchema, 'id')
  const { items: documents, named: documentFiles } = readList(r, sourcesFile, sourceDocumentSchema, 'file')
  for (const [file, items, key] of [
    [topicsFile.file, topics, 'slug'],
    [peopleFile.file, people, 'id'],
    [sourcesFile.file, documents, 'file'],
    [sourcesFile.file, documents, 'slug'],
  ] as const) {
    const seen = new Set<string>()
    items.forEach((item, i) => {
      const value = (item as Record<string, string>)[key]!
      if (seen.has(value)) r.report(file, [i, key], `duplicate ${key} "${value}"`)
      seen.add(value)
    })
  }
  return { siteFile, siteValue, site, topicsFile, topics, people, documents, topicSlugs, personIds, documentFiles }
}

/** What entries may refer to: the names each list holds (undefined when the list could not be read). */
interface Names {
  topicSlugs: Set<string> | undefined
  personIds: Set<string> | undefined
  documentFiles: Set<string> | undefined
}

const strings = (v: unknown): (string | undefined)[] => (Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : undefined)) : [])
const field = (v: unknown, key: string): unknown => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined)

/**
 * Checks what an entry's front matter refers to, and the per-entry caps,
 * on the front matter as written: an entry whose other fields are invalid
 * still has its unknown topics, people and sources reported in the same run.
 */
function checkReferences(r: Reporter, file: string, front: unknown, names: Names): void {
  const oneOf = (set: Iterable<string>) => `(valid: ${[...set].join(', ') || 'none'})`
  const known = (named: Set<string> | undefined, value: string) => named === undefined || named.has(value)
  const topics = strings(field(front, 'topics'))
  const people = strings(field(front, 'people'))
  const sources = Array.isArray(field(front, 'sources')) ? (field(front, 'sources') as unknown[]) : []
  const quotes = Array.isArray(field(front, 'quotes')) ? (field(front, 'quotes') as unknown[]) : []
  for (const [key, list] of [['topics', topics], ['people', people], ['sources', sources], ['quotes', quotes]] as const) {
    if (list.length > ENTRY_CAPS[key]) r.report(file, key, `names ${list.length} ${key}; an entry may name at most ${ENTRY_CAPS[key]} (each becomes markup in every feed item)`)
  }
  topics.forEach((t, i) => t === undefined || known(names.topicSlugs, t) || r.report(file, ['topics', i], `unknown topic "${t}" ${oneOf(names.topicSlugs!)}`))
  people.forEach((p, i) => p === undefined || known(names.personIds, p) || r.report(file, ['people', i], `unknown person "${p}" ${oneOf(names.personIds!)}`))
  const cited = new Set<unknown>()
  sources.forEach((s, i) => {
    const doc = field(s, 'document')
    cited.add(doc)
    if (typeof doc === 'string' && !known(names.documentFiles, doc)) r.report(file, ['sources', i, 'document'], `unknown source document "${doc}" ${oneOf(names.documentFiles!)}`)
  })
  quotes.forEach((q, i) => {
    const speaker = field(q, 'speaker')
    const doc = field(q, 'document')
    if (typeof speaker === 'string' && !known(names.personIds, speaker)) r.report(file, ['quotes', i, 'speaker'], `unknown person "${speaker}" ${oneOf(names.personIds!)}`)
    if (typeof doc === 'string' && !cited.has(doc)) r.report(file, ['quotes', i, 'document'], `"${doc}" is not among this entry's sources`)
  })
}

/** An entry file that passed its own checks, ready to render. */
interface ParsedEntry {
  file: string
  /** The file's text as read, the key of {@link EntryCache}. */
  text: string
  data: EntryData
  body: string
}

/**
 * Reads and checks every entry file; returns the valid ones, those the
 * cache already holds compiled (`reused`), and every topic named (valid or
 * not).
 */
function readEntries(r: Reporter, entries: ContentFile[], names: Names, cache: EntryCache | undefined) {
  const parsed: ParsedEntry[] = []
  const reused: { file: string; entry: Entry }[] = []
  const used = new Set<string>()
  const ids = new Map<string, string>()
  const claim = (file: string, id: string) => {
    const other = ids.get(id)
    if (other) r.report(file, 'id', `duplicate id "${id}" (also in ${other})`)
    ids.set(id, file)
  }
  for (const { file, text: raw } of entries) {
    const known = cache?.get(file, raw)
    if (known) {
      for (const t of known.topics) used.add(t)
      claim(file, known.id)
      reused.push({ file, entry: known })
      continue
    }
    const text = withoutBom(raw)
    if (utf8Length(text) > LIMITS.entryBytes) {
      r.report(file, '', `is larger than the limit of ${LIMITS.entryBytes / 1024} KiB for an entry`)
      continue
    }
    const match = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)([\s\S]*)$/.exec(text)
    if (!match) {
      r.report(file, '', 'must start with YAML front matter between two "---" lines')
      continue
    }
    const before = r.issues.length
    const front = readYaml(r, file, match[1]!, 2)
    if (front === undefined) continue
    // Topics an invalid entry names still count as used, so one bad field does not also report its topics empty.
    for (const t of strings(field(front, 'topics'))) if (t !== undefined) used.add(t)
    const data = r.parse(file, front, entrySchema)
    checkReferences(r, file, front, names)
    if (body(match[2]!) === '') r.report(file, 'body', 'the Markdown body after the front matter is empty')
    if (!data) continue
    const expectedId = file.replace(/^.*\//, '').replace(/\.md$/, '')
    if (data.id !== expectedId) r.report(file, 'id', `"${data.id}" must match the file name "${expectedId}"`)
    claim(file, data.id)
    if (r.issues.length === before) parsed.push({ file, text: raw, data, body: match[2]! })
  }
  if (entries.length === 0) r.report('content/entries', '', 'no entries found')
  return { parsed, reused, used }
}

/** What rendering an entry needs of the rest of the content. */
interface RenderContext {
  site: Pick<Site, 'url' | 'language' | 'publisher' | 'archivePageSize'>
  topics: Topic[]
  personById: Map<string, Person>
  sourceByFile: Map<string, Source>
}

/** Compiles one valid entry; undefined when its body cannot be rendered (reported). */
function compileEntry(r: Reporter, { file, data, body: markdown }: ParsedEntry, ctx: RenderContext): Entry | undefined {
  const url = `${ctx.site.url}/entries/${data.id}`
  let html: string
  try {
    html = sanitizeHtml(marked.parse(body(markdown), { async: false, gfm: true }), url)
  } catch (error) {
    r.report(file, 'body', `could not be rendered (${errorText(error)})`)
    return undefined
  }
  const published = firstInstant(data.published)
  const updatedText = data.updated && normaliseDate(data.updated)
  const corrections = data.corrections.map((c) => ({ date: normaliseDate(c.date), at: firstInstant(c.date), text: c.text }))
  const stated = data.updated ? firstInstant(data.updated) : published
  return {
    id: data.id,
    title: data.title,
    summary: data.summary,
    html,
    url,
    published,
    // A correction is an update: the latest one advances `updated`.
    updated: corrections.reduce((max, c) => (c.at > max ? c.at : max), stated),
    date: {
      text: normaliseDate(data.published),
      precision: precisionOf(data.published),
      inferred: data.dateInferred,
      ...(data.dateBasis && { basis: data.dateBasis }),
    },
    ...(updatedText && { updatedText }),
    topics: [...new Set(data.topics)],
    people: [...new Set(data.people)].map((id) => ctx.personById.get(id)!),
    sources: data.sources.map((s) => entrySource(ctx.sourceByFile.get(s.document)!, s.credits)),
    quotes: data.quotes.map(({ document, ...q }) => {
      const source = ctx.sourceByFile.get(document)!
      return { ...q, ...(q.said && { said: normaliseDate(q.said) }), speakerName: ctx.personById.get(q.speaker)!.name, source: source.slug, sourceLabel: source.label }
    }),
    language: data.language ?? ctx.site.language,
    ...(corrections.length > 0 && { corrections }),
  }
}

/**
 * Renders the valid entries and checks what each may reach: its compiled
 * size and its item in every format. Those that pass go to `fileOf` and to
 * `cache`; withdrawn ones are returned apart (and never cached, so a
 * withdrawal is always read from its file).
 */
function renderEntries(r: Reporter, parsed: ParsedEntry[], ctx: RenderContext, fileOf: Map<Entry, string>, cache: EntryCache | undefined): Content['withdrawn'] {
  const withdrawn: Content['withdrawn'] = []
  const items = itemContext(ctx.site, ctx.topics)
  const budget = itemBudget(ctx.site.archivePageSize)
  for (const one of parsed) {
    const { file, data } = one
    // An entry whose references lead to items with problems of their own is not rendered: those issues are reported already.
    if (!data.people.every((id) => ctx.personById.has(id)) || !data.quotes.every((q) => ctx.personById.has(q.speaker)) || !data.sources.every((s) => ctx.sourceByFile.has(s.document))) continue
    const entry = compileEntry(r, one, ctx)
    if (!entry) continue
    const before = r.issues.length
    const size = utf8Length(JSON.stringify(entry))
    if (size > LIMITS.renderedBytes) {
      r.report(file, 'body', `renders to ${Math.ceil(size / 1024)} KiB, over the limit of ${LIMITS.renderedBytes / 1024} KiB for one entry (body, quotes and texts together); split it or shorten it`)
    }
    for (const { format, bytes } of oversizedItems(entry, items, budget)) {
      r.report(file, '', `renders to a ${format} item of ${Math.ceil(bytes / 1024)} KiB, over the limit of ${Math.floor(budget / 1024)} KiB per item that keeps every feed document under ${FEED_BOUNDS.documentBytes / 2 ** 20} MiB; shorten the body, the quotes or the topics it names`)
    }
    if (data.withdrawn) {
      const { date, reason, by } = data.withdrawn
      withdrawn.push({ entry, withdrawal: { date: normaliseDate(date), at: firstInstant(date), ...(reason && { reason }), ...(by && { by }) } })
      continue
    }
    fileOf.set(entry, file)
    if (r.issues.length === before) cache?.set(file, one.text, entry)
  }
  // Newest withdrawal first, then by id: a total order.
  return withdrawn.sort((a, b) => (a.withdrawal.at < b.withdrawal.at ? 1 : a.withdrawal.at > b.withdrawal.at ? -1 : a.entry.id < b.entry.id ? -1 : 1))
}

/** The site images to check: the roles `site.yaml` names, read from its raw value when it is otherwise invalid. */
function imageRoles(site: Site | undefined, siteValue: unknown): Partial<Record<keyof typeof IMAGE_SHAPES, string>> | undefined {
  if (site) return site.images ?? {}
  const raw = field(siteValue, 'images')
  if (raw === null || typeof raw !== 'object') return undefined
  return Object.fromEntries(Object.entries(raw).filter(([role, name]) => role in IMAGE_SHAPES && typeof name === 'string'))
}

/** A stand-in for an invalid `site.yaml`, so that entries are still rendered and measured in the same run. */
const PLACEHOLDER_SITE = { url: 'https://site.invalid', language: 'en', publisher: { name: 'Publisher' } } as const

/** Validates and compiles content; throws {@link ContentError} listing every problem. */
export function compileContent(files: ContentFiles, options: CompileOptions = {}): Content {
  const r = reporter()
  const s = readSettings(r, files)
  const roles = imageRoles(s.site, s.siteValue)
  const images = roles ? compileImages(s.siteFile.file, roles, files.images ?? [], r.report) : checkAllImages(files.images ?? [], r.report)
  const personById = new Map(s.people.map((p) => [p.id, p]))
  const words = wordsFor(s.site?.language ?? PLACEHOLDER_SITE.language)
  const sources = s.documents.map((doc) => compileSource(doc, words))
  const sourceByFile = new Map(sources.map((source) => [source.file, source]))
  const { parsed, reused, used } = readEntries(r, files.entries, s, options.cache)
  s.topics.forEach((t, i) => used.has(t.slug) || r.report(s.topicsFile.file, [i, 'slug'], `topic "${t.slug}" has no entries`))

  const siteUrl = !s.site ? undefined : options.siteUrl !== undefined ? r.parse('SITE_URL', { ...s.site, url: options.siteUrl }, siteSchema)?.url : s.site.url
  // Entries that are themselves valid are rendered even when other files have problems, so size limits are reported in the same run.
  const site = s.site && siteUrl !== undefined ? { ...s.site, url: siteUrl } : undefined
  const fileOf = new Map(reused.map(({ file, entry }) => [entry, file]))
  const withdrawn = renderEntries(r, parsed, { site: site ?? { ...PLACEHOLDER_SITE, archivePageSize: s.site?.archivePageSize }, topics: s.topics, personById, sourceByFile }, fileOf, options.cache)
  const entries = [...fileOf.keys()].sort(newestFirst)
  const spaced = distinctInstants(entries)
  for (const entry of spaced.overflow) {
    r.report(fileOf.get(entry)!, 'published', `shares its date with so many entries that giving each its own second would pass ${formatInstant(MAX_INSTANT)}`)
  }
  if (r.issues.length || !site) throw new ContentError(r.issues)
  return { site, topics: s.topics, people: s.people, sources, images, entries: spaced.entries, withdrawn }
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
export function sourceLabel(doc: Pick<SourceDocument, 'publication' | 'headline' | 'author' | 'date' | 'dateInferred' | 'description'>, words: Words): string {
  const main = doc.headline ?? doc.description
  let label = doc.publication ? (main ? `${doc.publication}: ${main}` : doc.publication) : capitalise(main ?? words.sourceLabel.unnamed)
  if (doc.author) label += words.sourceLabel.by(doc.author)
  if (doc.date) label += ` (${doc.dateInferred ? words.sourceLabel.about : ''}${displayPartial(doc.date, words.dates)})`
  return label
}

/** A source with its normalised date and its label, in the site's interface language. */
function compileSource(doc: SourceDocument, words: Words): Source {
  const date = doc.date && normaliseDate(doc.date)
  return { ...doc, ...(date && { date }), label: sourceLabel({ ...doc, ...(date && { date }) }, words) }
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

/** When `site.yaml` cannot say which images it uses, every PNG of the content folder is still checked. */
function checkAllImages(available: NonNullable<ContentFiles['images']>, report: (file: string, path: PropertyKey[], message: string) => void): Image[] {
  for (const found of available) {
    if (found.bytes.byteLength > LIMITS.imageBytes) report(found.file, [], `is larger than the limit of ${LIMITS.imageBytes / 1024} KiB for an image`)
    else {
      const size = pngSize(found.bytes)
      if (typeof size === 'string') report(found.file, [], size)
    }
  }
  return []
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
