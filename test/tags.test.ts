/**
 * The purge plan of each kind of change: exactly the Cache-Tags whose
 * documents changed, within Workers Cache's purge limits. Each case loads
 * two small fixture publications in turn, so the plan is the one a
 * publish computes.
 */
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { compileContent } from '../src/content/compile.ts'
import { d1Target, loadRows } from '../src/store/load.ts'
import { prepareRows } from '../src/store/rows.ts'
import {
  CATALOG_TAG,
  EVERYTHING,
  MAX_TAGS,
  purgeCalls,
  purgePlan,
  TAGS_PER_CALL,
} from '../src/tags.ts'
import { BASIC, files, SITE, type EntrySpec } from './helpers.ts'

type Overrides = Parameters<typeof files>[1]

/** The tags a publish of `after` purges over `before`. */
async function planOf(
  before: EntrySpec[],
  after: EntrySpec[],
  over: { before?: Overrides; after?: Overrides } = {},
): Promise<string[]> {
  await loadRows(d1Target(env.DB), await prepareRows(compileContent(files(before, over.before))))
  return (
    await loadRows(d1Target(env.DB), await prepareRows(compileContent(files(after, over.after))))
  ).purge
}

/** Archive pages of 10 entries. */
const ALPHA = '- slug: alpha\n  title: Alpha\n  description: The first topic.\n'
const PAGED = { site: `${SITE}archivePageSize: 10\n`, topics: ALPHA }
const paged = { before: PAGED, after: PAGED }
/** Entries e01 … e{n}, one a day from 2025-01-01, all in topic alpha (page 1 of each scope is e01 … e10). */
const entries = (n: number): EntrySpec[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `e${String(i + 1).padStart(2, '0')}`,
    front: { published: `2025-01-${String(i + 1).padStart(2, '0')}`, topics: ['alpha'] },
  }))
const SCOPES = ['site', 'source:test-gazette-report', 'topic:alpha']

describe('the purge plan', () => {
  it("a new entry: its page, its scopes' documents and the catalog documents (counts), no archive page", async () => {
    const plan = await planOf(
      entries(11),
      [...entries(11), { id: 'new', front: { published: '2025-02-01', topics: ['alpha'] } }],
      paged,
    )
    expect(plan).toEqual([CATALOG_TAG, 'entry:new', ...SCOPES.map((s) => `scope:${s}`)])
  })

  it('a new entry that fills an archive page: that page too', async () => {
    const plan = await planOf(entries(19), entries(20), paged)
    expect(plan).toEqual([
      'archive:site:2',
      'archive:source:test-gazette-report:2',
      'archive:topic:alpha:2',
      CATALOG_TAG,
      'entry:e20',
      ...SCOPES.map((s) => `scope:${s}`),
    ])
  })

  it('an edited entry: its page, its scopes and the archive pages that hold it', async () => {
    const edited = entries(11).map((e) => (e.id === 'e01' ? { ...e, body: 'Corrected body.' } : e))
    const plan = await planOf(entries(11), edited, paged)
    expect(plan).toEqual([
      ...SCOPES.map((s) => `archive:${s}:1`),
      'entry:e01',
      ...SCOPES.map((s) => `scope:${s}`),
    ])
  })

  it('a deleted entry: its page, its scopes, and the archive pages it leaves or later entries enter', async () => {
    const plan = await planOf(
      entries(11),
      entries(11).filter((e) => e.id !== 'e05'),
      paged,
    )
    expect(plan).toEqual([
      ...SCOPES.map((s) => `archive:${s}:1`),
      CATALOG_TAG,
      'entry:e05',
      ...SCOPES.map((s) => `scope:${s}`),
    ])
  })

  it("a backdated entry: its page, its scopes and the archive pages whose entries shift; no later entry's page", async () => {
    const plan = await planOf(
      entries(21),
      [...entries(21), { id: 'e00', front: { published: '2024-12-01', topics: ['alpha'] } }],
      paged,
    )
    // Every entry moves up one position: e10 leaves page 1 for page 2, e20 leaves page 2 for the subscription document.
    expect(plan).toEqual(
      [
        ...SCOPES.flatMap((s) => [1, 2].map((n) => `archive:${s}:${n}`)).sort(),
        CATALOG_TAG,
        'entry:e00',
        ...SCOPES.map((s) => `scope:${s}`),
      ].sort(),
    )
  })

  it('a new topic with its first entry: the catalog documents, the site lists and the scopes of the entry, not the other topic', async () => {
    const plan = await planOf(
      entries(11),
      [...entries(11), { id: 'new', front: { published: '2025-02-01', topics: ['gamma'] } }],
      {
        ...paged,
        after: {
          ...PAGED,
          topics: `${ALPHA}- slug: gamma\n  title: Gamma\n  description: The third topic.\n`,
        },
      },
    )
    expect(plan).toEqual([
      CATALOG_TAG,
      'entry:new',
      'scope:site',
      'scope:source:test-gazette-report',
      'scope:topic:gamma',
    ])
  })

  it('a settings change: everything, in a few calls', async () => {
    const plan = await planOf(BASIC, BASIC, {
      after: { site: SITE.replace('A site for tests.', 'A new description.') },
    })
    expect(plan).toEqual([...EVERYTHING, CATALOG_TAG])
  })

  it('no change: nothing', async () => {
    expect(await planOf(BASIC, BASIC)).toEqual([])
  })

  it('stays within the purge limits: calls of at most 100 tags, at most 5 calls', () => {
    const many = new Map(
      Array.from({ length: 400 }, (_, i) => [
        `e${i}`,
        { hash: String(i), places: [{ scope: `topic:t${i}`, pos: 1 }] },
      ]),
    )
    const catalog = {
      version: 'x',
      site: { url: 'https://news.test' },
      topics: [],
      people: [],
      sources: [],
      images: [],
      scopes: {},
      related: {},
    } as never
    const plan = purgePlan({ catalog, entries: new Map() }, { catalog, entries: many })
    expect(plan.length).toBeLessThanOrEqual(MAX_TAGS)
    expect(plan).toEqual([...EVERYTHING, CATALOG_TAG])
    const calls = purgeCalls(Array.from({ length: 250 }, (_, i) => `t${i}`))
    expect(calls.map((c) => c.length)).toEqual([TAGS_PER_CALL, TAGS_PER_CALL, 50])
  })
})

describe('responses carry the tags of the scheme', () => {
  it('feeds, filtered feeds, pages, archives and catalog documents', async () => {
    const { appFor } = await import('./helpers.ts')
    const app = appFor(compileContent(files(BASIC)))
    const tagsOf = async (path: string) =>
      (await app.request(`https://news.test${path}`)).headers.get('Cache-Tag')!.split(',')
    expect(await tagsOf('/rss.xml')).toEqual(expect.arrayContaining(['scope:site', 'format:rss']))
    expect(await tagsOf('/topics/alpha/atom.xml?person=ana')).toEqual(
      expect.arrayContaining(['scope:topic:alpha', 'scope:person:ana', 'format:atom']),
    )
    expect(await tagsOf('/feed.json?source=test-gazette-report')).toEqual(
      expect.arrayContaining(['scope:site', 'scope:source:test-gazette-report', 'format:json']),
    )
    expect(await tagsOf('/entries/one')).toEqual(
      expect.arrayContaining(['entry:one', 'format:html']),
    )
    expect(await tagsOf('/')).toEqual(
      expect.arrayContaining(['scope:site', 'catalog', 'format:html']),
    )
    expect(await tagsOf('/topics/alpha')).toEqual(
      expect.arrayContaining(['scope:topic:alpha', 'format:html']),
    )
    expect(await tagsOf('/people/ana')).toEqual(
      expect.arrayContaining(['scope:person:ana', 'format:html']),
    )
    expect(await tagsOf('/archive')).toEqual(expect.arrayContaining(['scope:site', 'format:html']))
    for (const path of ['/topics.json', '/people.json', '/opml.xml', '/people', '/sources'])
      expect(await tagsOf(path), path).toContain('catalog')
  })
})
