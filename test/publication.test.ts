/**
 * What holds for ANY valid publication, checked on the bundled content/ (the
 * smoke test: `npm run content` has just built and validated it) and on both
 * fixture publications (test/fixtures/millbrook and test/fixtures/valbrune):
 * the compiler's guarantees on its output, and a service that serves all of
 * it (every entry in the site feed and its archives, every topic, person and
 * source with valid feeds holding its own entries, every entry page, the
 * discovery documents). Nothing here names a person, topic, quote or count.
 */
import { describe, expect, it } from 'vitest'
import type { Content, Entry } from '../src/content/types.ts'
import bundled from './generated/bundled.ts'
import millbrook from './generated/content.ts'
import valbrune from './generated/valbrune.ts'
import { appFor } from './helpers.ts'
import { checkFeed, parseXml, type XmlElement } from './validity.ts'

const ATOM = 'http://www.w3.org/2005/Atom'
const FILES = { rss: 'rss.xml', atom: 'atom.xml', json: 'feed.json' } as const
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/

const children = (el: XmlElement, local: string) =>
  el.children.filter(
    (c): c is XmlElement => c.type === 'element' && c.ns === ATOM && c.local === local,
  )
const text = (el: XmlElement) => el.children.map((c) => (c.type === 'text' ? c.text : '')).join('')

/** The entry ids of an Atom document and the URL of its previous archive, if any. */
function readAtom(body: string): { ids: string[]; prev: string | undefined } {
  const root = parseXml(body).root!
  const prev = children(root, 'link').find((l) =>
    l.attributes.some((a) => a.name === 'rel' && a.value === 'prev-archive'),
  )
  return {
    ids: children(root, 'entry').map((e) => text(children(e, 'id')[0]!)),
    prev: prev?.attributes.find((a) => a.name === 'href')?.value,
  }
}

describe.each([
  ['content/ (the bundled publication)', bundled],
  ['fixture A (test/fixtures/millbrook)', millbrook],
  ['fixture B (test/fixtures/valbrune)', valbrune],
] as [string, Content][])('%s', (_, content) => {
  const site = content.site.url
  const app = appFor(content)
  const get = async (path: string) => {
    const res = await app.request(site + path)
    expect(res.status, path).toBe(200)
    return res.text()
  }
  /** Every entry id of a scope's Atom feed, from the subscription document back through every archive, each document valid. */
  async function walk(base: string): Promise<string[]> {
    const ids: string[] = []
    let path: string | undefined = `${base}/atom.xml`
    for (let pages = 0; path !== undefined; pages++) {
      expect(pages, `${base}: more archive pages than entries`).toBeLessThanOrEqual(
        content.entries.length,
      )
      const body = await get(path)
      expect(checkFeed('atom', body, site + path), path).toEqual([])
      const doc = readAtom(body)
      for (const id of doc.ids) if (!ids.includes(id)) ids.push(id)
      path = doc.prev === undefined ? undefined : doc.prev.slice(site.length)
    }
    return ids
  }
  const urlsOf = (entries: Entry[]) => entries.map((e) => e.url).sort()
  const scopes = [
    ...content.topics.map(
      (t) =>
        [`/topics/${t.slug}`, content.entries.filter((e) => e.topics.includes(t.slug))] as const,
    ),
    ...content.people.map(
      (p) =>
        [
          `/people/${p.id}`,
          content.entries.filter((e) => e.people.some((q) => q.id === p.id)),
        ] as const,
    ),
  ]

  it('compiles to unique URL-safe ids and topics that each have an entry', () => {
    expect(content.entries.length).toBeGreaterThan(0)
    const ids = content.entries.map((e) => e.id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const id of ids) expect(id).toMatch(SLUG)
    for (const t of content.topics) {
      expect(t.slug).toMatch(SLUG)
      expect(
        content.entries.some((e) => e.topics.includes(t.slug)),
        t.slug,
      ).toBe(true)
    }
  })
  it('refers only to topics, people and sources that exist, and explains every inferred date', () => {
    const [topics, people, sources] = [
      new Set(content.topics.map((t) => t.slug)),
      new Set(content.people.map((p) => p.id)),
      new Set(content.sources.map((s) => s.slug)),
    ]
    for (const e of content.entries) {
      for (const t of e.topics) expect(topics.has(t), `${e.id}: ${t}`).toBe(true)
      for (const p of e.people) expect(people.has(p.id), `${e.id}: ${p.id}`).toBe(true)
      for (const s of e.sources) expect(sources.has(s.slug), `${e.id}: ${s.slug}`).toBe(true)
      for (const q of e.quotes) {
        expect(people.has(q.speaker), `${e.id}: ${q.speaker}`).toBe(true)
        expect(q.speakerName.length).toBeGreaterThan(0)
        expect(
          e.sources.some((s) => s.slug === q.source),
          `${e.id}: ${q.source}`,
        ).toBe(true)
        expect(q.sourceLabel).toBe(content.sources.find((s) => s.slug === q.source)!.label)
      }
      if (e.date.inferred) expect(e.date.basis, e.id).toBeTruthy()
    }
  })
  it('has every entry in the site feed and its archives', async () => {
    expect((await walk('')).sort()).toEqual(urlsOf(content.entries))
  })
  it('gives every topic and person valid feeds in every format, holding exactly its entries', async () => {
    for (const [base, entries] of scopes) {
      expect((await walk(base)).sort(), base).toEqual(urlsOf(entries))
      for (const format of ['rss', 'json'] as const)
        expect(
          checkFeed(
            format,
            await get(`${base}/${FILES[format]}`),
            `${site}${base}/${FILES[format]}`,
          ),
          base,
        ).toEqual([])
    }
  })
  it('gives every source a valid filtered feed of its newest entries', async () => {
    for (const source of content.sources) {
      const path = `/feed.json?source=${source.slug}&limit=100`
      const body = await get(path)
      expect(checkFeed('json', body, site + path), path).toEqual([])
      const want = content.entries.filter((e) => e.sources.some((s) => s.slug === source.slug))
      const items = (JSON.parse(body) as { items: { id: string }[] }).items.map((i) => i.id)
      expect(items.length, path).toBe(Math.min(want.length, 100))
      for (const id of items) expect(urlsOf(want), path).toContain(id)
    }
  })
  it('serves every entry page, topic page and person page', async () => {
    for (const path of [
      ...content.entries.map((e) => `/entries/${e.id}`),
      ...scopes.map(([base]) => base),
      '/',
      '/people',
      '/sources',
    ]) {
      expect(await get(path), path).toMatch(/^<!doctype html>/i)
    }
  })
  it('lists every topic and person in the discovery documents', async () => {
    const topics = JSON.parse(await get('/topics.json')) as {
      topics: { slug: string; entries: number }[]
    }
    expect(topics.topics.map((t) => [t.slug, t.entries])).toEqual(
      content.topics.map((t) => [
        t.slug,
        content.entries.filter((e) => e.topics.includes(t.slug)).length,
      ]),
    )
    const people = JSON.parse(await get('/people.json')) as { people: { id: string }[] }
    expect(people.people.map((p) => p.id)).toEqual(content.people.map((p) => p.id))
    const opml = await get('/opml.xml')
    for (const t of content.topics)
      expect(opml, t.slug).toContain(`${site}/topics/${t.slug}/atom.xml`)
  })
})
