/**
 * Sources: `/sources` and `/sources/{slug}` for every source document of
 * fixture A (what the document gives and does not give about itself,
 * the publications it is credited with, the entries that draw on it and the
 * quotes taken from it), the `source` filter on every feed in every format
 * (valid, agreeing with each other and with the content), caching and
 * errors. Documents are named by label; no page shows a file name.
 */
import { DomUtils, parseDocument } from 'htmlparser2'
import { describe, expect, it } from 'vitest'
import type { Source } from '../src/content/types.ts'
import { pageCsp } from '../src/pages/layout.tsx'
import content from './generated/content.ts'
import { fetchWorker } from './helpers.ts'
import { checkFeed } from './validity.ts'

const SITE = content.site.url
const ORIGIN = 'https://request-host.invalid'
const get = (path: string, headers: Record<string, string> = {}) =>
  fetchWorker(new Request(ORIGIN + path, { headers, redirect: 'manual' }))
type Doc = ReturnType<typeof parseDocument>
type Node = ReturnType<typeof DomUtils.findAll>[number]
const find = (d: Doc | Node, test: (e: Node) => boolean) => DomUtils.findAll(test, d.children)
const textOf = (e: Parameters<typeof DomUtils.textContent>[0]) =>
  DomUtils.textContent(e).replace(/\s+/g, ' ').trim()
const section = (d: Doc, id: string) =>
  find(d, (e) => e.name === 'section' && e.attribs['aria-labelledby'] === id)[0]

/** Independent of the code: the entries that name a source among theirs, newest first. */
const drawingOn = (source: Source) =>
  content.entries.filter((e) => e.sources.some((s) => s.slug === source.slug))
const files = content.sources.map((s) => s.file)

describe('/sources', () => {
  it('lists every source by label, with its entry count and a link to subscribe to its feeds', async () => {
    const res = await get('/sources')
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Security-Policy')).toBe(pageCsp)
    const body = await res.text()
    const d = parseDocument(body)
    const items = find(d, (e) => e.name === 'li' && (e.attribs.id ?? '').startsWith('source-'))
    expect(items.map((li) => textOf(find(li, (e) => e.name === 'h2')[0]!))).toEqual(
      content.sources.map((s) => s.label),
    )
    items.forEach((li, i) => {
      const source = content.sources[i]!
      expect(
        find(li, (e) => e.name === 'span' && e.attribs['data-entries'] !== undefined)[0]!.attribs[
          'data-entries'
        ],
      ).toBe(String(drawingOn(source).length))
      expect(find(li, (e) => e.name === 'a').map((a) => a.attribs.href)).toContain(
        `/sources/${source.slug}/subscribe#rss`,
      )
    })
    for (const file of files) expect(body).not.toContain(file)
  })
})

describe.each(content.sources.map((s) => [s.slug, s] as const))('/sources/%s', (slug, source) => {
  it('says what the document gives and what it does not, by label', async () => {
    const res = await get(`/sources/${slug}`)
    expect(res.status).toBe(200)
    const body = await res.text()
    for (const file of files) expect(body).not.toContain(file)
    const d = parseDocument(body)
    expect(textOf(find(d, (e) => e.name === 'h1')[0]!)).toBe(source.label)
    const facts = Object.fromEntries(
      find(d, (e) => e.name === 'dt').map((dt) => [
        textOf(dt),
        textOf(DomUtils.nextElementSibling(dt)!),
      ]),
    )
    expect(facts.Publication).toBe(source.publication ?? 'not given in the document')
    expect(facts.Headline).toBe(source.headline ?? 'not given in the document')
    expect(facts.Author).toBe(source.author ?? 'not given in the document')
    if (!source.date) expect(facts.Date).toBe('not given in the document')
    else if (source.dateInferred) expect(facts.Date).toContain(`(inferred: ${source.dateBasis})`)
    else expect(facts.Date).toContain('(stated in the document)')
    const credits = [
      ...new Set(
        drawingOn(source).flatMap((e) =>
          e.sources.filter((s) => s.slug === slug).flatMap((s) => s.credits),
        ),
      ),
    ].sort()
    for (const credit of credits) expect(facts.Credits).toContain(credit)
  })

  it('lists the entries that draw on it and every quote taken from it, each linked to its speaker', async () => {
    const d = parseDocument(await (await get(`/sources/${slug}`)).text())
    const entries = drawingOn(source)
    const listed = find(section(d, 'entries')!, (e) => e.name === 'h3').map(
      (h) => find(h, (e) => e.name === 'a')[0]!.attribs.href,
    )
    expect(listed).toEqual(entries.slice(0, 20).map((e) => `/entries/${e.id}`))
    const quotes = entries
      .slice(0, 20)
      .flatMap((e) => e.quotes.filter((q) => q.source === slug).map((q) => ({ q, e })))
    const figures = section(d, 'quotes')
      ? find(section(d, 'quotes')!, (e) => e.name === 'figure')
      : []
    expect(figures).toHaveLength(quotes.length)
    figures.forEach((figure, i) => {
      const { q, e } = quotes[i]!
      expect(textOf(find(figure, (x) => x.name === 'blockquote')[0]!)).toBe(
        q.text.replace(/\s+/g, ' ').trim(),
      )
      expect(find(figure, (x) => x.name === 'a').map((a) => a.attribs.href)).toEqual([
        `/people/${q.speaker}`,
        `/entries/${e.id}`,
      ])
    })
  })

  it('its filtered feeds are valid and hold the same entries in every format', async () => {
    const expected = drawingOn(source)
      .slice(0, 20)
      .map((e) => e.url)
    const ids: Record<string, string[]> = {}
    for (const [format, file] of [
      ['rss', 'rss.xml'],
      ['atom', 'atom.xml'],
      ['json', 'feed.json'],
    ] as const) {
      const path = `/${file}?source=${slug}`
      const res = await get(path)
      expect(res.status, path).toBe(200)
      const body = await res.text()
      expect(checkFeed(format, body, SITE + path), path).toEqual([])
      for (const f of files) expect(body).not.toContain(f)
      ids[format] =
        format === 'json'
          ? (JSON.parse(body) as { items: { id: string }[] }).items.map((i) => i.id)
          : [
              ...body.matchAll(
                format === 'rss'
                  ? /<guid isPermaLink="true">([^<]+)<\/guid>/g
                  : /<entry><id>([^<]+)<\/id>/g,
              ),
            ].map((m) => m[1]!)
    }
    expect(ids.rss).toEqual(expected)
    expect(ids.atom).toEqual(expected)
    expect(ids.json).toEqual(expected)
  })

  it('answers conditional requests with 304', async () => {
    const res = await get(`/sources/${slug}`)
    await res.arrayBuffer()
    expect(
      (await get(`/sources/${slug}`, { 'If-None-Match': res.headers.get('ETag')! })).status,
    ).toBe(304)
  })
})

describe('source spellings and errors', () => {
  const [a, b] = [...content.sources].map((s) => s.slug).sort() as [string, string]
  it('a source list out of order or in capitals is a 301 to the canonical URL', async () => {
    const res = await get(`/atom.xml?source=${b.toUpperCase()},${a}`)
    expect(res.status).toBe(301)
    expect(res.headers.get('Location')).toBe(`/atom.xml?source=${a},${b}`)
  })
  it('a source page in capitals is a 301; an unknown one is a 404 listing the valid slugs', async () => {
    const moved = await get(`/sources/${a.toUpperCase()}`)
    expect(moved.status).toBe(301)
    expect(moved.headers.get('Location')).toBe(`/sources/${a}`)
    const missing = await get('/sources/000_3e0912cb63b55afa.txt', { Accept: 'application/json' })
    expect(missing.status).toBe(404)
    expect(((await missing.json()) as { sources: string[] }).sources).toEqual(
      content.sources.map((s) => s.slug),
    )
  })
  it('an unknown source in the filter is a 404 listing the valid ones; a malformed one a 400', async () => {
    const unknown = await get('/rss.xml?source=nope')
    expect(unknown.status).toBe(404)
    expect(await unknown.text()).toContain(
      `Valid sources: ${content.sources.map((s) => s.slug).join(', ')}`,
    )
    expect((await get('/rss.xml?source=a_b')).status).toBe(400)
  })
  it('the source filter combines with every other filter', async () => {
    const source = content.sources.find((s) => drawingOn(s).length > 1)!
    const entry = drawingOn(source)[0]!
    const query = `topic=${entry.topics[0]}&person=${entry.people[0]!.id}&source=${source.slug}&since=${entry.published.slice(0, 10)}&until=${entry.published.slice(0, 10)}&limit=5`
    const res = await get(`/feed.json?${query}`)
    expect(res.status, query).toBe(200)
    const items = ((await res.json()) as { items: { id: string }[] }).items.map((i) => i.id)
    expect(items).toContain(entry.url)
  })
})

describe('content prose', () => {
  it('names no source by file name or number', () => {
    for (const entry of content.entries) {
      const text = [
        entry.title,
        entry.summary,
        entry.html,
        entry.date.basis ?? '',
        ...entry.quotes.flatMap((q) => [q.where ?? '', q.note ?? '']),
      ].join('\n')
      for (const file of files) {
        expect(text, entry.id).not.toContain(file)
        expect(text, entry.id).not.toContain(file.replace(/\.txt$/, ''))
      }
      expect(text, entry.id).not.toMatch(/\b(?:document|doc\.?) ?0\d\d\b/i)
    }
  })
})
