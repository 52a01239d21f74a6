/**
 * Deterministic synthetic content for the scale benchmark, written as a real
 * content folder (site.yaml, topics.yaml, people.yaml, sources.yaml,
 * entries/*.md) so that the real build (`scripts/build-content.ts`)
 * validates, sanitizes and compiles it exactly as it does content/.
 *
 * Entries are shaped like the real ones: an ~80-character title, a
 * ~300-character summary, about 3.4 KB of Markdown in seven paragraphs with
 * links, emphasis and a little non-ASCII, 2–4 topics of 30, 2–3 people of a
 * fixed pool of 120, one or two sources of 40 and one quote. Entry i is
 * published i × 3 h before 2025-11-20T12:00:00Z (50,000 entries span about
 * 17 years); every fourth has a day-precision, inferred date.
 *
 * The same `n` and `seed` always give the same files, so figures compare
 * across runs and machines.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export const SITE_URL = 'https://news.example.org'
export const TOPIC_COUNT = 30
export const PEOPLE_COUNT = 120
export const SOURCE_COUNT = 40
/** Hours between consecutive entries. */
export const SPACING_HOURS = 3
/** The newest entry's publication instant. */
export const NEWEST = Date.UTC(2025, 10, 20, 12, 0, 0)

/** mulberry32: a tiny deterministic PRNG. */
function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const WORDS = (
  'government minister border security agreement president talks trade tariffs cooperation troops ' +
  'sovereignty report officials congress summit embassy statement policy election reform budget court ' +
  'ruling inquiry investigation region coalition parliament opposition vote decree treaty negotiations ' +
  'migration enforcement cartels shipment customs inspection operation military navy coast guard energy ' +
  'pipeline exports imports markets inflation currency bank growth forecast analysts regional governors ' +
  'mayor city council residents protest march rally press conference spokesperson interview'
).split(' ')
// A little non-ASCII, as in real Spanish and English news copy.
const ACCENTED = [
  'México',
  'Línea',
  'Sheinbaum’s',
  'año',
  'Querétaro',
  'café',
  'São Paulo',
  'Ajansı',
]

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)

/** Words from `r` until about `length` characters. */
function words(r: () => number, length: number): string {
  let s = ''
  while (s.length < length) s += (s ? ' ' : '') + (r() < 0.04 ? pick(r, ACCENTED) : pick(r, WORDS))
  return s
}

/** Topic `i`'s slug. */
export const topicSlug = (i: number) => `topic-${i}-${WORDS[i % WORDS.length]}`
/** Person `i`'s id. */
export const personId = (i: number) => `person-${i}-${WORDS[(i * 7) % WORDS.length]}`
const sourceFile = (i: number) =>
  `${String(i).padStart(3, '0')}_${((0x9e3779b1 * (i + 1)) >>> 0).toString(16).padStart(8, '0')}.txt`

/** Entry `i`'s id; 0 is the newest. */
export const entryId = (i: number) =>
  `entry-${String(i).padStart(5, '0')}-${WORDS[i % WORDS.length]}`

/** Entry `i`'s publication instant (RFC 3339, UTC). */
export const publishedAt = (i: number) =>
  new Date(NEWEST - i * SPACING_HOURS * 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z')

/** What the generator chose for entry `i` (for building URLs that hit real data). */
export function entryShape(
  i: number,
  seed = 1,
): { topics: string[]; people: string[]; sources: string[] } {
  const r = rng(seed * 1_000_003 + i)
  // Topics i mod 30 and (i + 15) mod 30 always: every topic has entries from 15 entries on.
  const topics = new Set([topicSlug(i % TOPIC_COUNT), topicSlug((i + 15) % TOPIC_COUNT)])
  const extra = Math.floor(r() * 3)
  while (topics.size < 2 + extra) topics.add(topicSlug(Math.floor(r() * TOPIC_COUNT)))
  const people = new Set<string>()
  const nPeople = 2 + Math.floor(r() * 2)
  while (people.size < nPeople) people.add(personId(Math.floor(r() * PEOPLE_COUNT)))
  const sources = new Set([sourceFile(Math.floor(r() * SOURCE_COUNT))])
  if (r() < 0.4) sources.add(sourceFile(Math.floor(r() * SOURCE_COUNT)))
  return { topics: [...topics], people: [...people], sources: [...sources] }
}

const yamlString = (s: string) => JSON.stringify(s)

/** Seven paragraphs, ~3.4 KB of Markdown, with links (one relative), emphasis and a quotation. */
function markdown(r: () => number, i: number): string {
  const paragraphs: string[] = []
  for (let p = 0; p < 7; p++) {
    const a = capital(words(r, 150 + Math.floor(r() * 60)))
    const b = words(r, 120 + Math.floor(r() * 50))
    const link = p === 3 ? `/entries/${entryId(i + 1)}` : `https://wire.example.com/${i}/${p}`
    paragraphs.push(
      `${a} [${words(r, 20)}](${link}) ${b}. According to *The ${capital(pick(r, WORDS))} Herald*, "${words(r, 40)}" & more.`,
    )
  }
  return paragraphs.join('\n\n')
}

/** The text of entry `i`'s file, `entries/{id}.md`. */
export function entryFile(i: number, seed = 1): string {
  const shape = entryShape(i, seed)
  const r = rng(seed * 7_777_777 + i)
  const time = publishedAt(i)
  const inferred = i % 4 === 0
  const published = inferred ? time.slice(0, 10) : time
  const title = capital(words(r, 76)) + (i % 3 === 0 ? " minister's" : '')
  const summary = capital(words(r, 290)) + (i % 7 === 0 ? ' R&D.' : '.')
  const speaker = shape.people[0]!
  const lines = [
    '---',
    `id: ${entryId(i)}`,
    `title: ${yamlString(title.slice(0, 190))}`,
    `summary: ${yamlString(summary.slice(0, 990))}`,
    `published: ${yamlString(published)}`,
    ...(i % 5 === 0
      ? [
          `updated: ${yamlString(new Date(Date.parse(time) + 1_800_000).toISOString().replace(/\.\d{3}Z$/, 'Z'))}`,
        ]
      : []),
    ...(inferred
      ? [
          'dateInferred: true',
          `dateBasis: ${yamlString(`The report dated ${time.slice(0, 10)} says "on Saturday".`)}`,
        ]
      : []),
    `topics: [${shape.topics.join(', ')}]`,
    `people: [${shape.people.join(', ')}]`,
    'sources:',
    ...shape.sources.flatMap((s, k) => [
      `  - document: ${s}`,
      `    credits: [${k === 0 && i % 2 === 0 ? 'Reuters, AP' : ''}]`,
    ]),
    'quotes:',
    `  - speaker: ${speaker}`,
    `    text: ${yamlString(capital(words(r, 120)))}`,
    `    document: ${shape.sources[0]}`,
    ...(i % 2 === 0 ? [`    said: ${yamlString(time.slice(0, 10))}`] : []),
    '---',
    markdown(r, i),
    '',
  ]
  return lines.join('\n')
}

/** Writes a content folder with `n` entries to `dir` (replacing it). */
export function writeContent(dir: string, n: number, seed = 1): void {
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(join(dir, 'entries'), { recursive: true })
  writeFileSync(
    join(dir, 'site.yaml'),
    [
      'title: The Example News Desk',
      'description: Structured news entries with sources, people and verbatim quotes.',
      `url: ${SITE_URL}`,
      'language: en',
      'publisher:',
      '  name: Example News Desk',
      '  email: desk@news.example.org',
      `  url: ${SITE_URL}/about`,
      'rights: CC BY 4.0',
      '',
    ].join('\n'),
  )
  const list = (items: string[][]) =>
    items
      .map((fields) => fields.map((f, k) => (k === 0 ? `- ${f}` : `  ${f}`)).join('\n'))
      .join('\n') + '\n'
  writeFileSync(
    join(dir, 'topics.yaml'),
    list(
      Array.from({ length: TOPIC_COUNT }, (_, i) => [
        `slug: ${topicSlug(i)}`,
        `title: ${yamlString(`${capital(WORDS[i % WORDS.length]!)} and ${WORDS[(i + 1) % WORDS.length]}`)}`,
        `description: ${yamlString(`Everything about ${WORDS[i % WORDS.length]} and ${WORDS[(i + 1) % WORDS.length]}, from the wires and our own reporting.`)}`,
      ]),
    ),
  )
  writeFileSync(
    join(dir, 'people.yaml'),
    list(
      Array.from({ length: PEOPLE_COUNT }, (_, i) => [
        `id: ${personId(i)}`,
        `name: ${yamlString(`${capital(WORDS[(i * 7) % WORDS.length]!)} ${capital(WORDS[(i * 11 + 3) % WORDS.length]!)}son ${i}`)}`,
        `role: ${yamlString(`A ${WORDS[(i * 5) % WORDS.length]} official quoted in the ${WORDS[(i * 13) % WORDS.length]} report.`)}`,
      ]),
    ),
  )
  writeFileSync(
    join(dir, 'sources.yaml'),
    list(
      Array.from({ length: SOURCE_COUNT }, (_, i) => [
        `file: ${sourceFile(i)}`,
        `slug: source-${i}`,
        `publication: ${yamlString(`The ${capital(WORDS[(i * 4) % WORDS.length]!)} Herald`)}`,
        `headline: ${yamlString(`${capital(WORDS[(i * 2) % WORDS.length]!)} ${WORDS[(i * 2 + 1) % WORDS.length]} ${WORDS[(i * 2 + 5) % WORDS.length]}`)}`,
        `date: "2025-${String((i % 12) + 1).padStart(2, '0')}-15"`,
      ]),
    ),
  )
  for (let i = 0; i < n; i++)
    writeFileSync(join(dir, 'entries', `${entryId(i)}.md`), entryFile(i, seed))
}
