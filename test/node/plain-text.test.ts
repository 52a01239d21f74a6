/**
 * Plain text reads the same in every format and every parser: each plain
 * field of a small publication (titles, summaries, the site's description,
 * the publisher's name, topic labels), written with apostrophes,
 * ampersands, `<` and `>`, quotes, non-ASCII letters and emoji, is parsed
 * back from RSS, Atom and JSON Feed by @rowanmanning/feed-parser, feedsmith
 * and fast-xml-parser, and by Python's feedparser when it is installed
 * (Debian `python3-feedparser`; JSON Feed is not among its formats). A value
 * a parser marks as HTML (RSS `description` is HTML by definition) is read
 * as a browser would, to its text. Every reading must equal the source text.
 * And a text-only reader (the XML-decoded value shown as is, as rsstail
 * does) must show a summary free of `<`, `>` and `&` exactly: no `&#39;`.
 * Node's test runner: `node --test test/node/`.
 */
import { parseFeed as rowan } from '@rowanmanning/feed-parser'
import { XMLParser } from 'fast-xml-parser'
import { parseFeed as feedsmith } from 'feedsmith'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { compileContent, type ContentFiles } from '../../src/content/compile.ts'
import { atom } from '../../src/feeds/atom.ts'
import { json } from '../../src/feeds/json.ts'
import type { FeedHead, Serializer } from '../../src/feeds/model.ts'
import { rss } from '../../src/feeds/rss.ts'
import { htmlText, prepareRows } from '../../src/store/rows.ts'

/** The texts under test: what news copy really holds. Text that itself looks like markup is left to the docs (docs/newsroom.md). */
const T = {
  site: `Le Monde d'en bas & "Q&A" — 5 < 10 > 3`,
  description: `Sheinbaum's "no", AT&T's reply & R&D: turnout < 40% > 30%; café, São Paulo, Zürich 🦊`,
  publisher: `O'Brien & Søn «Nachrichten» 📰`,
  topic: `Trade & tariffs: "it's < 5%"`,
  title: `Sheinbaum's "no" to AT&T — 5 < 10 > 3 ‘curly’ “quotes” 🇲🇽`,
  summary: `It's R&D vs. Q&A: a < b & c > d, "quoted", naïve façade, 東京, emoji 🦊👍🏽.`,
  /** No `<`, `>` or `&`: what most copy is, and what a text-only reader must then show exactly. */
  quiet: `Sheinbaum's "no" — ‘curly’, São Paulo, 東京 🦊👍🏽.`,
}
const yamlString = (s: string) => JSON.stringify(s)

const files: ContentFiles = {
  site: {
    file: 'content/site.yaml',
    text: `title: ${yamlString(T.site)}\ndescription: ${yamlString(T.description)}\nurl: https://news.test\nlanguage: en\npublisher:\n  name: ${yamlString(T.publisher)}\n`,
  },
  topics: {
    file: 'content/topics.yaml',
    text: `- slug: trade\n  title: ${yamlString(T.topic)}\n  description: One topic.\n`,
  },
  people: { file: 'content/people.yaml', text: '[]\n' },
  sources: {
    file: 'content/sources.yaml',
    text: '- file: doc-1.txt\n  slug: gazette\n  publication: The Gazette\n',
  },
  entries: [
    {
      file: 'content/entries/one.md',
      text: `---\n${JSON.stringify({ id: 'one', title: T.title, summary: T.summary, published: '2025-05-03', topics: ['trade'], sources: [{ document: 'doc-1.txt' }] })}\n---\nBody.\n`,
    },
    {
      file: 'content/entries/two.md',
      text: `---\n${JSON.stringify({ id: 'two', title: T.quiet, summary: T.quiet, published: '2025-05-01', topics: ['trade'], sources: [{ document: 'doc-1.txt' }] })}\n---\nBody.\n`,
    },
  ],
}

const content = compileContent(files)
const prepared = await prepareRows(content)
const rows = await prepared.rows(0)
const quietRows = await prepared.rows(1)
const head: FeedHead = {
  title: content.site.title,
  description: content.site.description,
  selfUrl: 'https://news.test/feed',
  homeUrl: 'https://news.test/',
  language: 'en',
  updated: content.entries[0]!.updated,
  author: content.site.publisher,
  images: {},
  ttl: 5,
}
const documents: Record<'rss' | 'atom' | 'json', string> = Object.fromEntries(
  (
    [
      ['rss', rss],
      ['atom', atom],
      ['json', json],
    ] as [keyof typeof documents, Serializer][]
  ).map(([name, s]) => [
    name,
    new TextDecoder().decode(s.document(head, [rows.row.items[name], quietRows.row.items[name]])),
  ]),
) as never

/** What each parser reads, by field. */
interface Reading {
  feedTitle: string
  feedDescription: string
  title: string
  summary: string
  author?: string
  categoryLabel?: string
}

/** The text a reader shows of a value: HTML is read as HTML. */
const textOf = (value: string, html: boolean) => (html ? htmlText(value) : value)

const readers: Record<
  string,
  (format: keyof typeof documents, doc: string) => Reading | undefined
> = {
  rowan: (format, doc) => {
    if (format === 'json') return undefined
    const f = rowan(doc)
    const item = f.items[0]!
    return {
      feedTitle: f.title!,
      feedDescription: textOf(f.description!, format === 'rss'),
      title: item.title!,
      summary: textOf(item.description!, format === 'rss'),
      author: item.authors[0]?.name ?? f.authors[0]?.name ?? undefined,
      ...(format === 'atom' && { categoryLabel: item.categories[0]!.label! }),
    }
  },
  feedsmith: (format, doc) => {
    const parsed = feedsmith(doc) as { format: string; feed: any }
    const f = parsed.feed
    if (format === 'json') {
      const item = f.items[0]
      return {
        feedTitle: f.title,
        feedDescription: f.description,
        title: item.title,
        summary: item.summary,
        author: f.authors[0].name,
      }
    }
    if (format === 'rss') {
      const item = f.items[0]
      return {
        feedTitle: f.title,
        feedDescription: htmlText(f.description),
        title: item.title,
        summary: htmlText(item.description),
        author: item.dc.creators[0],
      }
    }
    const entry = f.entries[0]
    const value = (v: string | { value: string }) => (typeof v === 'string' ? v : v.value)
    return {
      feedTitle: value(f.title),
      feedDescription: value(f.subtitle),
      title: value(entry.title),
      summary: value(entry.summary),
      author: f.authors[0].name,
      categoryLabel: entry.categories[0].label,
    }
  },
  'fast-xml-parser': (format, doc) => {
    if (format === 'json') {
      const f = JSON.parse(doc)
      return {
        feedTitle: f.title,
        feedDescription: f.description,
        title: f.items[0].title,
        summary: f.items[0].summary,
        author: f.authors[0].name,
      }
    }
    const x = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '@',
      textNodeName: '#text',
      htmlEntities: true,
      processEntities: true,
    })
    const text = (v: any) => (typeof v === 'object' ? v['#text'] : v) as string
    if (format === 'rss') {
      const ch = x.parse(doc).rss.channel
      const item = ch.item[0]
      return {
        feedTitle: text(ch.title),
        feedDescription: htmlText(text(ch.description)),
        title: text(item.title),
        summary: htmlText(text(item.description)),
        author: text(item['dc:creator']),
      }
    }
    const f = x.parse(doc).feed
    const entry = f.entry[0]
    return {
      feedTitle: text(f.title),
      feedDescription: text(f.subtitle),
      title: text(entry.title),
      summary: text(entry.summary),
      author: text(f.author.name),
      categoryLabel: entry.category['@label'],
    }
  },
}

/** Python's feedparser over RSS and Atom, or undefined when it is not installed. */
function feedparser(): Record<'rss' | 'atom', Reading> | undefined {
  const script = `
import json, sys, feedparser
out = {}
for name in ('rss', 'atom'):
    d = feedparser.parse(open(sys.argv[1 if name == 'rss' else 2], 'rb').read())
    e = d.entries[0]
    det = lambda x: {'value': x.value, 'html': x.type == 'text/html'}
    out[name] = {'feedTitle': det(d.feed.title_detail), 'feedDescription': det(d.feed.subtitle_detail), 'title': det(e.title_detail), 'summary': det(e.summary_detail), 'author': d.feed.get('author') or e.get('author'), 'categoryLabel': e.tags[0].get('label')}
print(json.dumps(out))
`
  const probe = spawnSync('/usr/bin/python3', ['-c', 'import feedparser'])
  if (probe.status !== 0) return undefined
  const dir = mkdtempSync(join(tmpdir(), 'plain-text-'))
  const paths = [join(dir, 'rss.xml'), join(dir, 'atom.xml')]
  writeFileSync(paths[0]!, documents.rss)
  writeFileSync(paths[1]!, documents.atom)
  const run = spawnSync('/usr/bin/python3', ['-c', script, ...paths], { encoding: 'utf8' })
  rmSync(dir, { recursive: true, force: true })
  assert.equal(run.status, 0, run.stderr)
  const raw = JSON.parse(run.stdout) as Record<
    'rss' | 'atom',
    Record<string, { value: string; html: boolean } | string | null>
  >
  const read = (r: (typeof raw)['rss']): Reading => {
    const v = (k: string) => {
      const x = r[k] as { value: string; html: boolean }
      return textOf(x.value, x.html)
    }
    return {
      feedTitle: v('feedTitle'),
      feedDescription: v('feedDescription'),
      title: v('title'),
      summary: v('summary'),
      author: (r.author as string) ?? undefined,
      ...(r.categoryLabel ? { categoryLabel: r.categoryLabel as string } : {}),
    }
  }
  return { rss: read(raw.rss), atom: read(raw.atom) }
}

const expected: Reading = {
  feedTitle: T.site,
  feedDescription: T.description,
  title: T.title,
  summary: T.summary,
  author: T.publisher,
  categoryLabel: T.topic,
}

describe('plain text across formats and parsers', () => {
  for (const [name, read] of Object.entries(readers)) {
    for (const format of ['rss', 'atom', 'json'] as const) {
      it(`${name} reads every plain field of ${format} as written`, () => {
        const reading = read(format, documents[format])
        if (!reading) return
        for (const [field, value] of Object.entries(reading))
          if (value !== undefined)
            assert.equal(value, expected[field as keyof Reading], `${name} ${format} ${field}`)
        assert.ok(Object.keys(reading).length >= 5)
      })
    }
  }

  it('Python feedparser reads every plain field of RSS and Atom as written', (t) => {
    const readings = feedparser()
    if (!readings) return t.skip('python3-feedparser is not installed')
    for (const format of ['rss', 'atom'] as const) {
      for (const [field, value] of Object.entries(readings[format]))
        if (value !== undefined)
          assert.equal(value, expected[field as keyof Reading], `feedparser ${format} ${field}`)
    }
  })

  it('a text-only reader (the XML-decoded value, as rsstail prints it) shows a summary without < > & exactly', () => {
    const item = new XMLParser({ processEntities: true, htmlEntities: false }).parse(documents.rss)
      .rss.channel.item[1]
    assert.equal(item.title, T.quiet)
    assert.equal(item.description, T.quiet)
    assert.equal(rowan(documents.rss).items[1]!.description, T.quiet)
  })

  it('RSS writes plain text without CDATA, and HTML-escapes only what HTML would read as markup', () => {
    assert.doesNotMatch(
      documents.rss.replace(/<content:encoded>.*?<\/content:encoded>/gs, ''),
      /CDATA/,
    )
    assert.doesNotMatch(documents.rss, /&#39;|&#x26;#39;/)
    assert.match(
      documents.rss,
      /<description>It's R&#x26;amp;D vs\. Q&#x26;amp;A: a &#x26;lt; b &#x26; c &#x26;gt; d/,
    )
  })
})
