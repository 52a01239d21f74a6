/**
 * Deterministic synthetic content for the benchmark: `Entry` objects shaped
 * like the compiled content (src/content/types.ts) with realistic sizes —
 * 80-character titles, 300-character summaries, ~3 KB sanitized HTML bodies,
 * three topics, two people, one or two sources and a quote each.
 *
 * The same `n` and `seed` always give the same content, so figures compare
 * across runs and machines.
 */
import type { Content, Entry, Person, Source, Topic } from '../../src/content/types.ts'

export const SITE_URL = 'https://news.example.org'

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
const ACCENTED = ['México', 'Línea', 'Sheinbaum’s', 'año', 'Querétaro', 'café', 'São Paulo', 'Ajansı']

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!
}

/** Words from `r` until exactly `length` characters (the last word is cut to fit). */
function text(r: () => number, length: number, special?: string): string {
  let s = ''
  for (let k = 0; s.length < length; k++) {
    const w = k === 2 && special ? special : r() < 0.04 ? pick(r, ACCENTED) : pick(r, WORDS)
    s += (s ? ' ' : '') + w
  }
  return s.slice(0, length).trimEnd().padEnd(length, '.')
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1)
}

export const TOPICS: Topic[] = Array.from({ length: 12 }, (_, i) => ({
  slug: `topic-${String.fromCharCode(97 + i)}-${WORDS[i * 3]}`,
  title: `${capital(WORDS[i * 3]!)} and ${WORDS[i * 3 + 1]}`,
  description: `Everything about ${WORDS[i * 3]} and ${WORDS[i * 3 + 1]}, from the wires and our own reporting.`,
}))

export const PEOPLE: Person[] = Array.from({ length: 20 }, (_, i) => ({
  id: `person-${i}`,
  name: `${capital(WORDS[(i * 7) % WORDS.length]!)} ${capital(WORDS[(i * 11 + 3) % WORDS.length]!)}son`,
  role: `A ${WORDS[(i * 5) % WORDS.length]} official quoted in the ${WORDS[(i * 13) % WORDS.length]} report.`,
}))

export const SOURCES: Source[] = Array.from({ length: 10 }, (_, i) => ({
  file: `${String(i).padStart(3, '0')}_${(0x9e3779b1 * (i + 1)).toString(16).slice(0, 16)}.txt`,
  publication: `The ${capital(WORDS[i * 4]!)} Herald`,
  headline: `${capital(WORDS[i * 2]!)} ${WORDS[i * 2 + 1]} ${WORDS[i * 2 + 5]}`,
  date: `2025-${String((i % 12) + 1).padStart(2, '0')}-15`,
  slug: `source-${i}`,
  label: `The ${capital(WORDS[i * 4]!)} Herald: ${capital(WORDS[i * 2]!)} ${WORDS[i * 2 + 1]} ${WORDS[i * 2 + 5]}`,
  dateInferred: false,
}))

/** A source as an entry credits it (no file name). */
const credit = ({ slug, label, publication, headline, date }: Source, credits: string[]) => ({ slug, label, publication, headline, date, credits })

/** A ~3 KB body: seven paragraphs with links, emphasis and escaped entities, as the sanitizer emits. */
function body(r: () => number, id: string): string {
  let html = ''
  for (let p = 0; p < 7; p++) {
    const sentence = capital(text(r, 165 + Math.floor(r() * 65)))
    const link = `${SITE_URL}/entries/${id}-related-${p}`
    const cut = 80 + Math.floor(r() * 60)
    html +=
      `<p>${sentence.slice(0, cut)} <a href="${link}" rel="noopener">${text(r, 24)}</a> ` +
      `${sentence.slice(cut)} According to <em>${pick(r, SOURCES).publication}</em>, &quot;${text(r, 40)}&quot; &amp; more.</p>\n`
  }
  return html
}

const BASE = Date.UTC(2025, 10, 20, 12, 0, 0)

/** One entry; `i` = 0 is the newest. */
export function makeEntry(i: number, seed = 1): Entry {
  const r = rng(seed * 1_000_003 + i)
  const id = `entry-${String(i).padStart(5, '0')}-${pick(r, WORDS)}`
  const time = new Date(BASE - i * 3_600_000 * 7).toISOString().replace(/\.\d{3}Z$/, 'Z')
  const updated = i % 5 === 0 ? new Date(BASE - i * 3_600_000 * 7 + 1_800_000).toISOString().replace(/\.\d{3}Z$/, 'Z') : time
  const topics = [...new Set([pick(r, TOPICS).slug, pick(r, TOPICS).slug, pick(r, TOPICS).slug, ...TOPICS.map((t) => t.slug)])].slice(0, 3)
  const people = [pick(r, PEOPLE), pick(r, PEOPLE)].filter((p, k, a) => a.findIndex((q) => q.id === p.id) === k)
  const source = pick(r, SOURCES)
  // Every third title has an apostrophe and every seventh summary an ampersand, so escaping does real work.
  const title = capital(text(r, 80, i % 3 === 0 ? "minister's" : undefined))
  const summary = capital(text(r, 300, i % 7 === 0 ? 'R&D' : undefined))
  return {
    id,
    title: title.length === 80 ? title : title.padEnd(80, '.'),
    summary,
    html: body(r, id),
    url: `${SITE_URL}/entries/${id}`,
    published: time,
    updated,
    date: { text: time.slice(0, 10), precision: 'day', inferred: i % 4 === 0, ...(i % 4 === 0 && { basis: `The report dated ${time.slice(0, 10)} says "on Saturday".` }) },
    topics,
    people,
    sources: [credit(source, i % 2 ? [] : ['Reuters', 'AP']), ...(i % 3 ? [] : [credit(SOURCES[(i + 1) % SOURCES.length]!, [])])],
    quotes: [{ speaker: people[0]!.id, speakerName: people[0]!.name, text: capital(text(r, 120)), source: source.slug, sourceLabel: source.label, saidInferred: false, ...(i % 2 === 0 && { said: time.slice(0, 10) }) }],
    language: 'en',
  }
}

/** Content with `n` synthetic entries, newest first. */
export function makeContent(n: number, seed = 1): Content {
  return {
    site: {
      title: 'The Example News Desk',
      description: 'Structured news entries with sources, people and verbatim quotes.',
      url: SITE_URL,
      language: 'en',
      publisher: { name: 'Example News Desk', email: 'desk@news.example.org', url: `${SITE_URL}/about` },
      rights: 'CC BY 4.0',
    },
    images: [],
    topics: TOPICS,
    people: PEOPLE,
    sources: SOURCES,
    entries: Array.from({ length: n }, (_, i) => makeEntry(i, seed)),
  }
}

/** Fresh entry objects with the same field values: empty per-entry fragment caches (keyed by object). */
export function freshCopies(entries: readonly Entry[]): Entry[] {
  return entries.map((e) => ({ ...e }))
}
