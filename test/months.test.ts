/**
 * The archive by month: `/archive/{yyyy}/{mm}` and `/archive/{yyyy}/year`
 * (and per topic and person) list each entry on exactly one month page,
 * entries dated only to the month under their own heading and entries dated
 * only to the year on the year's own page, never folded into January; the
 * month index links every month; months link to each other with rel
 * prev/next; large months are paged.
 */
import { parseDocument, DomUtils } from 'htmlparser2'
import { describe, expect, it } from 'vitest'
import { compileContent } from '../src/content/compile.ts'
import type { Content } from '../src/content/types.ts'
import { monthPageRange, monthPages } from '../src/history.ts'
import { appFor, files, type EntrySpec } from './helpers.ts'

const withPageSize = (c: Content, size: number): Content => ({
  ...c,
  site: { ...c.site, archivePageSize: size },
})

const SMALL: EntrySpec[] = [
  { id: 'late-dec', front: { published: '2024-12-31', topics: ['beta'] } },
  { id: 'jan-a', front: { published: '2025-01-05', topics: ['alpha'], people: ['ana'] } },
  { id: 'jan-b', front: { published: '2025-01-20', topics: ['alpha'] } },
  { id: 'jan-only', front: { published: '2025-01', topics: ['alpha'] } },
  { id: 'year-only', front: { published: '2025', topics: ['alpha'], people: ['ana'] } },
  { id: 'feb', front: { published: '2025-02-02', topics: ['beta'] } },
]

type App = ReturnType<typeof appFor>

async function html(app: App, path: string) {
  const res = await app.request(path)
  const doc = parseDocument(await res.text())
  return { res, doc }
}

const find = (
  doc: ReturnType<typeof parseDocument>,
  test: (e: { name: string; attribs: Record<string, string> }) => boolean,
) => DomUtils.findAll((e) => test(e), doc.children)
const ids = (doc: ReturnType<typeof parseDocument>) =>
  find(doc, (e) => e.name === 'h3' && (e.attribs.id ?? '').startsWith('e-')).map((h) =>
    h.attribs.id!.slice(2),
  )
const rel = (doc: ReturnType<typeof parseDocument>, r: string) =>
  find(doc, (e) => e.name === 'link' && e.attribs.rel === r)[0]?.attribs.href

/** Every entry id reached from `{base}/archive` through the month links and each month's pages. */
async function walk(
  app: App,
  base: string,
): Promise<{ ids: string[]; months: number; pages: number }> {
  const { doc } = await html(app, `${base}/archive`)
  const months = find(
    doc,
    (e) => e.name === 'a' && /\/archive\/\d{4}\/(\d{2}|year)$/.test(e.attribs.href ?? ''),
  ).map((a) => a.attribs.href!)
  const seen: string[] = []
  let pages = 0
  for (const month of months) {
    let path: string | undefined = month
    while (path) {
      const page = await html(app, path)
      expect(page.res.status, path).toBe(200)
      seen.push(...ids(page.doc))
      pages++
      // Older pages of the same month follow rel=prev; past the last page, prev is the previous month.
      const prev: string | undefined = rel(page.doc, 'prev')
      path = prev?.startsWith(`${month}/`) ? prev : undefined
    }
  }
  return { ids: seen, months: months.length, pages }
}

describe('month pages, small fixture', () => {
  const app = appFor(compileContent(files(SMALL)))

  it('the index links every month, with the year-only entries under their own heading', async () => {
    const { doc } = await html(app, '/archive')
    const links = find(
      doc,
      (e) => e.name === 'a' && /\/archive\/\d{4}\//.test(e.attribs.href ?? ''),
    ).map((a) => [a.attribs.href, DomUtils.textContent(a)])
    expect(links).toEqual([
      ['/archive/2025/02', 'February 2025'],
      ['/archive/2025/01', 'January 2025'],
      ['/archive/2025/year', '2025 (date known to the year)'],
      ['/archive/2024/12', 'December 2024'],
    ])
  })

  it('a month lists its entries, those known only to the month under their own heading, and not the year-only ones', async () => {
    const { res, doc } = await html(app, '/archive/2025/01')
    expect(res.status).toBe(200)
    expect(ids(doc)).toEqual(['jan-b', 'jan-a', 'jan-only'])
    const heading = find(doc, (e) => e.name === 'h2' && e.attribs.id === 'month-only')[0]!
    expect(DomUtils.textContent(heading)).toBe('January 2025 (date known to the month)')
    expect(rel(doc, 'prev')).toBe('/archive/2025/year')
    expect(rel(doc, 'next')).toBe('/archive/2025/02')
  })

  it('the year page holds the entries dated only to the year', async () => {
    const { doc } = await html(app, '/archive/2025/year')
    expect(ids(doc)).toEqual(['year-only'])
    expect(rel(doc, 'prev')).toBe('/archive/2024/12')
    expect(rel(doc, 'next')).toBe('/archive/2025/01')
  })

  it('topic and person scopes have their own months', async () => {
    expect(ids((await html(app, '/topics/alpha/archive/2025/01')).doc)).toEqual([
      'jan-b',
      'jan-a',
      'jan-only',
    ])
    expect(ids((await html(app, '/topics/beta/archive/2024/12')).doc)).toEqual(['late-dec'])
    expect(ids((await html(app, '/people/ana/archive/2025/year')).doc)).toEqual(['year-only'])
    expect((await app.request('/topics/beta/archive/2025/01')).status).toBe(404)
  })

  it('bad months are 400s naming the parameter, absent ones 404s, other spellings 301s', async () => {
    const bad = await app.request('/archive/2025/13', { headers: { Accept: 'application/json' } })
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { parameter: string }).parameter).toBe('month')
    expect((await app.request('/archive/2023/05')).status).toBe(404)
    expect((await app.request('/archive/2025/01/2')).status).toBe(404)
    expect((await app.request('/archive/2025/01/x')).status).toBe(400)
    for (const path of [
      '/archive/2025/01/1',
      '/archive/2025/01?x=1',
      '/topics/ALPHA/archive/2025/01',
    ]) {
      const res = await app.request(path)
      expect(res.status, path).toBe(301)
    }
  })

  it('every entry is on exactly one month page', async () => {
    const { ids: seen } = await walk(app, '')
    expect(seen.sort()).toEqual(SMALL.map((s) => s.id).sort())
  })
})

describe('month pages, 1,000 entries', () => {
  // Three to four entries a day from 2023 on; every 97th dated only to the month, every 89th only to the year.
  const specs = Array.from({ length: 1000 }, (_, i): EntrySpec => {
    const day = new Date(Date.UTC(2023, 0, 1) + Math.floor(i * 0.3) * 86_400_000)
      .toISOString()
      .slice(0, 10)
    const published = i % 89 === 0 ? day.slice(0, 4) : i % 97 === 0 ? day.slice(0, 7) : day
    return {
      id: `e${i}`,
      front: { published, topics: i % 2 ? ['alpha'] : ['beta'], people: i % 5 ? [] : ['ana'] },
    }
  })
  const app = appFor(withPageSize(compileContent(files(specs)), 25))

  it('the site, a topic and a person: each entry on exactly one month page, large months paged', async () => {
    const site = await walk(app, '')
    expect(site.ids.length).toBe(1000)
    expect(new Set(site.ids).size).toBe(1000)
    const keys = new Set(
      specs.map((s) => String(s.front!.published)).map((p) => (p.length === 4 ? p : p.slice(0, 7))),
    )
    expect(site.months).toBe(keys.size)
    expect(site.pages).toBeGreaterThan(site.months + 20)
    const alpha = await walk(app, '/topics/alpha')
    expect(alpha.ids.sort()).toEqual(
      specs
        .filter((_, i) => i % 2)
        .map((s) => s.id)
        .sort(),
    )
    const ana = await walk(app, '/people/ana')
    expect(ana.ids.sort()).toEqual(
      specs
        .filter((_, i) => i % 5 === 0)
        .map((s) => s.id)
        .sort(),
    )
  }, 120_000)

  it('splits a month into pages of the archive page size', () => {
    expect(monthPages(1, 100, 25)).toBe(4)
    expect(monthPages(5, 5, 25)).toBe(1)
    expect(monthPageRange(1, 100, 25, 1)).toEqual({ lo: 76, hi: 100 })
    expect(monthPageRange(1, 100, 25, 4)).toEqual({ lo: 1, hi: 25 })
    expect(monthPageRange(90, 100, 25, 1)).toEqual({ lo: 90, hi: 100 })
  })
})
