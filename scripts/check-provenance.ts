/**
 * Checks content against the source documents it credits:
 * - every quote's text appears verbatim in its document (white space folded);
 * - no run of 8 words from a title, summary, body or date note appears in any
 *   document outside a quotation (entries are written in their own words);
 * - every document in content/sources.yaml exists.
 *
 * Usage: node scripts/check-provenance.ts [sourcesDir]
 * The documents are not part of the repository; the default folder is
 * SOURCES_DIR or ../shared/seeds. Without it, or when it holds none of the
 * documents content/sources.yaml names (another publication's content), the
 * check says so and passes; when it holds some, a missing one is a problem.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { compileContent, ContentError } from '../src/content/compile.ts'
import { readContent } from './lib/read-content.ts'

const dir = process.argv[2] ?? process.env.SOURCES_DIR ?? '../shared/seeds'
if (!existsSync(dir)) {
  console.log(`provenance: skipped, no source documents at ${dir}`)
  process.exit(0)
}

const read = readContent('content')
if (read.issues) throw new ContentError(read.issues)
const content = compileContent(read.files)
/** Entries name their sources by slug; the provenance list maps each slug to its document's file. */
const fileOf = new Map(content.sources.map((s) => [s.slug, s.file]))

const fold = (s: string) => s.replace(/\s+/g, ' ').trim()
/** Words for the copy check: lowercase, typographic quotes and dashes unified, punctuation dropped. */
const words = (s: string) =>
  s
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .replace(/[“”"]/g, ' ')
    .replace(/[^\p{L}\p{N}' ]+/gu, ' ')
    .split(/\s+/)
    .filter(Boolean)

// A publication whose documents are kept elsewhere (a fixture, another publisher's content) has nothing to check here.
if (!content.sources.some((source) => existsSync(join(dir, source.file)))) {
  console.log(
    `provenance: skipped, none of the ${content.sources.length} documents of content/sources.yaml is in ${dir}`,
  )
  process.exit(0)
}

const documents = new Map<string, string>()
const problems: string[] = []
for (const source of content.sources) {
  const path = join(dir, source.file)
  if (existsSync(path)) documents.set(source.file, readFileSync(path, 'utf8'))
  else problems.push(`content/sources.yaml: ${source.file}: no such document in ${dir}`)
}

const RUN = 8
const runs = new Set<string>()
for (const text of documents.values()) {
  const w = words(text)
  for (let i = 0; i + RUN <= w.length; i++) runs.add(w.slice(i, i + RUN).join(' '))
}

let quotes = 0
for (const entry of content.entries) {
  const file = `content/entries/${entry.id}.md`
  entry.quotes.forEach((q, i) => {
    quotes++
    const document = fileOf.get(q.source)!
    const doc = documents.get(document)
    if (doc !== undefined && !fold(doc).includes(fold(q.text)))
      problems.push(
        `${file}: quotes.${i}.text: not verbatim in ${document}: ${JSON.stringify(q.text.slice(0, 60))}`,
      )
  })
  // Quoted words may match a document; everything else must be the entry's own.
  const body = entry.html
    .replace(/<blockquote[\s\S]*?<\/blockquote>/g, ' | ')
    .replace(/<[^>]*>/g, ' ')
    .replace(
      /&(quot|#39|lt|gt|amp);/g,
      (_, e: string) => ({ quot: '"', '#39': "'", lt: '<', gt: '>', amp: '&' })[e]!,
    )
  const own = [entry.title, entry.summary, entry.date.basis ?? '', body]
    .join(' | ')
    .replace(/[“"][^”"]*[”"]/g, ' | ')
  for (const part of own.split('|')) {
    const w = words(part)
    for (let i = 0; i + RUN <= w.length; i++) {
      const run = w.slice(i, i + RUN).join(' ')
      if (runs.has(run)) {
        problems.push(`${file}: copies "${run}" from a source document`)
        break
      }
    }
  }
}

if (problems.length) {
  console.error(`provenance: ${problems.length} problem(s)\n  ${problems.join('\n  ')}`)
  process.exit(1)
}
console.log(
  `provenance: ${quotes} quotes verbatim in ${documents.size} documents; no ${RUN}-word run copied in ${content.entries.length} entries`,
)
