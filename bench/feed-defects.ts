/**
 * Reproduces validity defects of the `feed` npm package (v6) that matter to
 * this service, each with the smallest input that shows it, and runs the
 * same input through our serializer. Well-formedness is checked by a strict
 * scan (XML 1.0: `]]>` outside CDATA, characters outside production [2]
 * Char) and, when installed, by `xmllint --noout`.
 *
 * Standalone: `node bench/feed-defects.ts`; also printed by `npm run bench`.
 */
import { execFileSync } from 'node:child_process'
import { Feed as FeedPackage } from 'feed'
import { atom } from '../src/feeds/atom.ts'
import { json } from '../src/feeds/json.ts'
import type { FeedHead, ItemContext, Serializer } from '../src/feeds/model.ts'
import { rss } from '../src/feeds/rss.ts'
import type { Entry } from '../src/content/types.ts'

/** A feed of our model: its head, the site-wide item context and its entries. */
export interface OurFeed {
  head: FeedHead
  context: ItemContext
  entries: Entry[]
}

/**
 * Our serializers as the service runs them: each item rendered once
 * (`serializer.item`, at build time), then the document joined from the
 * items (`serializer.document`, per request); read as text (throws on
 * invalid UTF-8).
 */
const decoder = new TextDecoder('utf-8', { fatal: true })
const asText = (serializer: Serializer) => (feed: OurFeed) =>
  decoder.decode(
    serializer.document(
      feed.head,
      feed.entries.map((e) => serializer.item(e, feed.context)),
    ),
  )
const oursRss = asText(rss)
const oursAtom = asText(atom)
const oursJson = asText(json)

export interface Defect {
  defect: string
  reproduces: boolean
  evidence: string
  ours: string
}

/** A strict subset of XML 1.0 well-formedness that catches what matters here; undefined = fine. */
export function xmlProblem(xml: string): string | undefined {
  const bad = /[\0-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/.exec(xml)
  if (bad)
    return `character U+${bad[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()} at offset ${bad.index} (not an XML 1.0 Char)`
  // Outside CDATA sections, character data may not contain "]]>" (section 2.4).
  const outside = xml.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '')
  const at = outside.indexOf(']]>')
  if (at !== -1)
    return `"]]>" outside a CDATA section: …${JSON.stringify(outside.slice(Math.max(0, at - 20), at + 10))}…`
  return undefined
}

let xmllint: boolean | undefined
/** xmllint's verdict, or undefined when it is not installed. */
export function xmllintProblem(xml: string): string | undefined | null {
  if (xmllint === false) return null
  try {
    execFileSync('xmllint', ['--noout', '-'], { input: xml, stdio: ['pipe', 'ignore', 'pipe'] })
    xmllint = true
    return undefined
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: Buffer }
    if (err.code === 'ENOENT') return ((xmllint = false), null)
    xmllint = true
    return (err.stderr?.toString() ?? 'not well-formed').split('\n')[0]!.replace(/^-:/, 'line ')
  }
}

function wellFormed(xml: string): { ok: boolean; why: string } {
  const scan = xmlProblem(xml)
  const lint = xmllintProblem(xml)
  const ok = scan === undefined && !lint
  return { ok, why: [scan, lint ? `xmllint: ${lint}` : ''].filter(Boolean).join('; ') }
}

const base = {
  title: 'Example',
  link: 'https://example.org/',
  id: 'https://example.org/feed',
  updated: new Date('2025-11-20T00:00:00Z'),
  generator: false as const,
}
const item = {
  title: 'A title',
  id: 'https://example.org/a',
  link: 'https://example.org/a',
  date: new Date('2025-11-20T00:00:00Z'),
}

function pkg(
  extra: Partial<Parameters<FeedPackage['addItem']>[0]>,
  options: Partial<ConstructorParameters<typeof FeedPackage>[0]> = {},
): FeedPackage {
  const f = new FeedPackage({ ...base, ...options })
  f.addItem({ ...item, ...extra })
  return f
}

/** An entry as the compiler emits it. */
export const SAMPLE_ENTRY: Entry = {
  id: 'a',
  title: 'A title',
  summary: 'A summary & more.',
  html: '<p>Body with <a href="https://example.org/b">a link</a>.</p>',
  url: 'https://example.org/entries/a',
  published: '2025-11-20T00:00:00Z',
  updated: '2025-11-20T00:00:00Z',
  date: { text: '2025-11-20', precision: 'day', inferred: false },
  topics: ['politics'],
  people: [{ id: 'jane-doe', name: 'Jane Doe', role: 'A minister.' }],
  sources: [{ slug: 'a-report', label: 'A report', credits: [] }],
  quotes: [],
  language: 'en',
}

/** Our model with one entry, `patch` applied. */
function ours(patch: Partial<Entry> = {}): OurFeed {
  const entry = { ...SAMPLE_ENTRY, ...patch }
  return {
    head: {
      title: 'Example',
      description: 'd',
      selfUrl: 'https://example.org/rss.xml',
      homeUrl: 'https://example.org/',
      language: 'en',
      updated: entry.updated,
      author: { name: 'Jane Doe' },
      ttl: 5,
      images: {},
    },
    context: {
      authorName: 'Jane Doe',
      topicScheme: 'https://example.org/topics/',
      topicTitles: new Map([['politics', 'Politics']]),
      sourceBase: 'https://example.org/sources/',
    },
    entries: [entry],
  }
}

export function feedDefects(): Defect[] {
  const out: Defect[] = []

  const rssAuthor = pkg({ author: [{ name: 'Jane Doe' }] }).rss2()
  const authorLine = /<author>[^<]*<\/author>/.exec(rssAuthor)?.[0]
  out.push({
    defect: 'RSS <author> with a name only (RSS 2.0: an e-mail address)',
    reproduces: authorLine === '<author>Jane Doe</author>',
    evidence: authorLine ?? '(no <author>)',
    ours:
      /<dc:creator>Jane Doe<\/dc:creator>/.test(oursRss(ours())) &&
      !/<author>/.test(oursRss(ours()))
        ? 'names go in <dc:creator>; no <author>'
        : 'CHECK',
  })

  const atomCat = pkg({ category: [{ name: 'politics' }] }).atom1()
  const catLine = /<category[^>]*>/.exec(atomCat)?.[0] ?? ''
  const ourCat = /<category[^>]*>/.exec(oursAtom(ours()))?.[0] ?? ''
  out.push({
    defect:
      'Atom <category> without term when only a name is given (RFC 4287 4.2.2: term is required)',
    reproduces: catLine !== '' && !/\bterm=/.test(catLine),
    evidence: catLine,
    ours: /\bterm="/.test(ourCat) ? `always term: ${ourCat.slice(0, 60)}…` : 'CHECK',
  })

  const twice = 'one ]]> two ]]> three'
  const cdataRss = wellFormed(pkg({ content: twice }).rss2())
  const cdataAtom = wellFormed(pkg({ content: twice }).atom1())
  const ourCdata = [
    wellFormed(oursRss(ours({ html: twice }))),
    wellFormed(oursAtom(ours({ html: twice }))),
  ]
  out.push({
    defect: 'A second "]]>" in content breaks the XML (only the first is split)',
    reproduces: !cdataRss.ok && !cdataAtom.ok,
    evidence: `RSS: ${cdataRss.ok ? 'well-formed' : cdataRss.why}; Atom: ${cdataAtom.ok ? 'well-formed' : cdataAtom.why}`,
    ours: ourCdata.every((w) => w.ok)
      ? 'RSS and Atom well-formed (every "]]>" split)'
      : ourCdata.map((w) => w.why).join('; '),
  })

  const ctl = wellFormed(pkg({ title: 'A \u0001 title', description: 'bell \u0007' }).rss2())
  const ctlAtom = wellFormed(pkg({ title: 'A \u0001 title' }).atom1())
  out.push({
    defect: 'Control characters pass into the XML',
    reproduces: !ctl.ok && !ctlAtom.ok,
    evidence: `RSS: ${ctl.ok ? 'well-formed' : ctl.why}; Atom: ${ctlAtom.ok ? 'well-formed' : ctlAtom.why}`,
    ours: 'stripped at build time (src/content/compile.ts and sanitize.ts call stripInvalidXml); serializers assume clean input',
  })

  let thrown = ''
  try {
    pkg({ id: 'entry-42' }).atom1()
  } catch (e) {
    thrown = `${(e as Error).name}: ${(e as Error).message}`
  }
  let rssThrown = ''
  try {
    pkg({ id: 'entry-42' }).rss2()
  } catch (e) {
    rssThrown = (e as Error).message
  }
  out.push({
    defect: 'A non-URL id throws in Atom',
    reproduces: thrown !== '',
    evidence: `atom1() with id "entry-42": ${thrown || 'no error'}; rss2(): ${rssThrown ? `throws ${rssThrown}` : 'no error'}`,
    ours: 'Atom <id> is the entry URL, absolute by construction',
  })

  const json = JSON.parse(
    pkg({}, { author: { name: 'Jane Doe' }, language: 'en' }).json1(),
  ) as Record<string, unknown>
  const ourJson = JSON.parse(oursJson(ours())) as Record<string, unknown>
  out.push({
    defect: 'JSON Feed 1.0 only (no 1.1 authors, language)',
    reproduces:
      json.version === 'https://jsonfeed.org/version/1' &&
      !('authors' in json) &&
      !('language' in json),
    evidence: `version ${String(json.version)}; keys: ${Object.keys(json).join(', ')}`,
    ours: `version ${String(ourJson.version)}; authors and author, language`,
  })
  return out
}

if (import.meta.main) {
  for (const d of feedDefects())
    console.log(
      `${d.reproduces ? 'REPRODUCES' : 'does not reproduce'}: ${d.defect}\n  feed 6.0.0: ${d.evidence}\n  ours: ${d.ours}`,
    )
}
