/**
 * Corrections and withdrawals, on small fixture publications: a correction
 * reaches the three formats, the entry page and the lists, and advances
 * `updated`; a withdrawn entry answers 410 Gone with its reason, leaves
 * every feed, archive and search, and is announced by an RFC 6721 tombstone
 * in the Atom subscription documents of the scopes that held it (and by
 * `_news.deleted` in JSON Feed) for `tombstoneDays` of content time. The
 * documents stay valid; a withdrawal changes the subscription document's
 * validator, which is what WebSub change detection compares.
 */
import { parseFeed as rowanParse } from '@rowanmanning/feed-parser'
import { parseAtomFeed, parseJsonFeed } from 'feedsmith'
import { describe, expect, it } from 'vitest'
import { compileContent, ContentError } from '../src/content/compile.ts'
import { purgePlan } from '../src/tags.ts'
import { appFor, files, rowsOf, SITE, type EntrySpec } from './helpers.ts'
import { checkFeed, parseXml, type XmlElement } from './validity.ts'

const TOMBSTONES = 'http://purl.org/atompub/tombstones/1.0'
const WRONG = `An earlier version said the vote was on 3 May & "unanimous"; it was on 4 May, 7 < 9 votes.`

const corrected: EntrySpec[] = [
  {
    id: 'fixed',
    front: {
      published: '2025-05-03',
      corrections: [
        { date: '2025-05-05', text: WRONG },
        { date: '2025-05-04', text: 'A name was misspelt.' },
      ],
    },
  },
  { id: 'plain', front: { published: '2025-05-01', topics: ['beta'] } },
]

/** The elements of `el` named `local` in `ns`, at any depth. */
function all(el: XmlElement, ns: string, local: string): XmlElement[] {
  const out: XmlElement[] = []
  for (const child of el.children) {
    if (child.type !== 'element') continue
    if (child.ns === ns && child.local === local) out.push(child)
    out.push(...all(child, ns, local))
  }
  return out
}

const attr = (el: XmlElement, name: string) =>
  el.attributes.find((a) => a.local === name && a.ns === '')?.value

describe('corrections', () => {
  const content = compileContent(files(corrected))
  const app = appFor(content)

  it('compile into the entry in the order written, and advance updated to the latest', () => {
    const entry = content.entries.find((e) => e.id === 'fixed')!
    expect(entry.corrections!.map((c) => c.at)).toEqual([
      '2025-05-05T00:00:00Z',
      '2025-05-04T00:00:00Z',
    ])
    expect(entry.updated).toBe('2025-05-05T00:00:00Z')
  })

  it('are validated like every field: file, field and reason', () => {
    const issues = (corrections: unknown[]) => {
      try {
        compileContent(
          files([
            { id: 'x', front: { published: '2025-05-03', topics: ['alpha', 'beta'], corrections } },
          ]),
        )
      } catch (error) {
        if (error instanceof ContentError)
          return error.issues.map((i) => `${i.file}: ${i.path}: ${i.message}`)
      }
      return []
    }
    expect(
      issues([
        { date: '2025-05-04', text: '  ' },
        { date: '2025-05-04' },
        { date: 'soon', text: 'x' },
      ]),
    ).toEqual([
      'content/entries/x.md: corrections.0.text: must not be empty',
      'content/entries/x.md: corrections.1.text: is required',
      expect.stringMatching(/^content\/entries\/x\.md: corrections\.2\.date: /),
    ])
    expect(issues([{ date: '2025-05-01', text: 'Too early.' }])).toEqual([
      'content/entries/x.md: corrections.0.date: is earlier than published',
    ])
  })

  it('appear in each format as content, and as data in JSON Feed', async () => {
    const rss = await (await app.request('https://news.test/rss.xml')).text()
    const atom = await (await app.request('https://news.test/atom.xml')).text()
    const json = await (
      await app.request('https://news.test/feed.json')
    ).json<{
      items: {
        id: string
        content_html: string
        date_modified: string
        _news: { corrections?: unknown }
      }[]
    }>()
    const rssItem = rowanParse(rss).items.find((i) => i.id === 'https://news.test/entries/fixed')!
    const atomEntry = parseAtomFeed(atom).entries!.find(
      (e) => e.id === 'https://news.test/entries/fixed',
    )!
    const jsonItem = json.items.find((i) => i.id === 'https://news.test/entries/fixed')!
    const html =
      '<h2>Corrections</h2><ul><li><time datetime="2025-05-05">5 May 2025</time>: An earlier version said the vote was on 3 May &amp; &quot;unanimous&quot;; it was on 4 May, 7 &lt; 9 votes.</li><li><time datetime="2025-05-04">4 May 2025</time>: A name was misspelt.</li></ul>'
    expect(rss).toContain(
      `<content:encoded><![CDATA[<p>Body text.</p>\n${html}]]></content:encoded>`,
    )
    expect(atom).toContain(
      `<content type="html" xml:lang="en"><![CDATA[<p>Body text.</p>\n${html}]]></content>`,
    )
    expect(rssItem.content).toContain('A name was misspelt.')
    expect((atomEntry.content as { value: string }).value).toContain('A name was misspelt.')
    expect(jsonItem.content_html).toBe(`<p>Body text.</p>\n${html}`)
    expect(jsonItem.content_html.startsWith('<p>Body text.</p>')).toBe(true)
    expect(jsonItem._news.corrections).toEqual([
      { date: '2025-05-05', at: '2025-05-05T00:00:00Z', text: WRONG },
      { date: '2025-05-04', at: '2025-05-04T00:00:00Z', text: 'A name was misspelt.' },
    ])
    expect(jsonItem.date_modified).toBe('2025-05-05T00:00:00Z')
    expect(atomEntry.updated).toBe('2025-05-05T00:00:00Z')
    // An entry without corrections has no section and no data.
    expect(json.items.find((i) => i.id.endsWith('/plain'))!._news.corrections).toBeUndefined()
    for (const [format, body] of [
      ['rss', rss],
      ['atom', atom],
      ['json', JSON.stringify(json)],
    ] as const) {
      expect(
        checkFeed(
          format,
          body,
          `https://news.test/${{ rss: 'rss.xml', atom: 'atom.xml', json: 'feed.json' }[format]}`,
        ),
        format,
      ).toEqual([])
    }
  })

  it('show on the entry page under the body, and as a mark in lists', async () => {
    const page = await (await app.request('https://news.test/entries/fixed')).text()
    const body = page.indexOf('<p>Body text.</p>')
    const section = page.indexOf('<h2 id="corrections">Corrections</h2>')
    expect(body).toBeGreaterThan(0)
    expect(section).toBeGreaterThan(body)
    expect(page).toContain(
      '<time datetime="2025-05-05">5 May 2025</time>: An earlier version said the vote was on 3 May &amp; &quot;unanimous&quot;; it was on 4 May, 7 &lt; 9 votes.',
    )
    const home = await (await app.request('https://news.test/')).text()
    expect(home).toMatch(/corrected <time datetime="2025-05-05">5 May 2025<\/time>/)
    expect(home.match(/class="badge">\s*corrected/g)).toHaveLength(1)
  })
})

/** Twelve entries a day apart in `alpha` (so archives exist with the smallest page size), and one in `beta` withdrawn. */
function newsroom(
  withdrawn: Record<string, unknown> | undefined,
  site = `${SITE}archivePageSize: 10\n`,
): ReturnType<typeof compileContent> {
  const entries: EntrySpec[] = Array.from({ length: 12 }, (_, i) => ({
    id: `e${i + 1}`,
    front: { published: `2025-03-${String(i + 1).padStart(2, '0')}` },
  }))
  entries.push({
    id: 'pulled',
    front: {
      published: '2025-03-01T12:00:00Z',
      title: 'A pulled story',
      summary: 'Pulled and gone.',
      topics: ['alpha', 'beta'],
      people: ['ana'],
      ...(withdrawn && { withdrawn }),
    },
  })
  return compileContent(files(entries, { site }))
}

describe('withdrawals', () => {
  const withdrawal = {
    date: '2025-03-10',
    reason: `The report's sources could not be confirmed.`,
    by: 'The Standards Desk',
  }
  const before = newsroom(undefined)
  const after = newsroom(withdrawal)
  const old = appFor(before)
  const app = appFor(after)

  it('compile apart: the entry is kept for its 410 page and tombstone, out of the entries', async () => {
    await app.request('https://news.test/')
    expect(after.entries.map((e) => e.id)).not.toContain('pulled')
    expect(after.withdrawn.map((w) => w.entry.id)).toEqual(['pulled'])
    // The scopes its tombstone goes to: every scope that listed it.
    expect(app.catalog.gone.get('pulled')!.scopes).toEqual([
      'site',
      'topic:alpha',
      'topic:beta',
      'person:ana',
      'source:test-gazette-report',
    ])
    // What a publish purges for it: its page and the documents of every scope that listed it.
    const places = app.catalog.gone.get('pulled')!.scopes.map((scope) => ({ scope, pos: 1 }))
    const plan = purgePlan(
      {
        catalog: (await rowsOf(before)).catalog,
        entries: new Map([['pulled', { hash: 'h', places }]]),
      },
      { catalog: (await rowsOf(after)).catalog, entries: new Map() },
    )
    expect(plan).toEqual(
      expect.arrayContaining([
        'entry:pulled',
        'scope:site',
        'scope:topic:alpha',
        'scope:topic:beta',
        'scope:person:ana',
        'scope:source:test-gazette-report',
      ]),
    )
    expect(() => newsroom({ date: '2025-02-01' })).toThrow(
      /withdrawn\.date: is earlier than published/,
    )
  })

  it('answer 410 Gone with the reason, in the site layout', async () => {
    const res = await app.request('https://news.test/entries/pulled')
    expect(res.status).toBe(410)
    expect(res.headers.get('Content-Type')).toMatch(/^text\/html/)
    const page = await res.text()
    expect(page).toContain('This entry has been withdrawn')
    expect(page).toContain('The report&#39;s sources could not be confirmed.')
    expect(page).toContain('The Standards Desk')
    expect(page).toContain('<title>Entry withdrawn · Test Site</title>')
    expect((await old.request('https://news.test/entries/pulled')).status).toBe(200)
  })

  it('leave every feed, archive, search and list', async () => {
    for (const path of [
      '/rss.xml',
      '/atom.xml',
      '/feed.json',
      '/topics/beta/rss.xml',
      '/archive/1/atom.xml',
      '/archive/1/feed.json',
      '/search?q=pulled',
      '/',
      '/topics/alpha',
      '/people/ana',
    ]) {
      const before = await (await old.request(`https://news.test${path}`)).text()
      const res = await app.request(`https://news.test${path}`)
      const body = await res.text()
      expect(res.status, path).toBe(200)
      expect(before, path).toMatch(/A pulled story|entries\/pulled/)
      // Tombstones name the entry's URL; nothing else may.
      expect(
        body
          .replace(/<at:deleted-entry[^>]*>.*?<\/at:deleted-entry>/g, '')
          .replace(/"deleted":\[.*?\]/, ''),
        path,
      ).not.toMatch(/A pulled story|entries\/pulled/)
    }
  })

  it('change the archive pages that held the entry, and only those', async () => {
    const etag = async (a: typeof app, path: string) =>
      (await a.request(`https://news.test${path}`)).headers.get('ETag')
    expect(await etag(app, '/archive/1/atom.xml')).not.toBe(await etag(old, '/archive/1/atom.xml'))
    // The beta feed held only the withdrawn entry: it is now empty and complete, with the tombstone.
    expect(await etag(app, '/topics/beta/atom.xml')).not.toBe(
      await etag(old, '/topics/beta/atom.xml'),
    )
  })

  it('leave an RFC 6721 tombstone in the Atom subscription documents of every scope that held it', async () => {
    for (const base of ['', '/topics/alpha', '/topics/beta', '/people/ana']) {
      const body = await (await app.request(`https://news.test${base}/atom.xml`)).text()
      const { root } = parseXml(body)
      const tombs = all(root!, TOMBSTONES, 'deleted-entry')
      expect(tombs, base).toHaveLength(1)
      expect(attr(tombs[0]!, 'ref')).toBe('https://news.test/entries/pulled')
      expect(attr(tombs[0]!, 'when')).toBe('2025-03-10T00:00:00Z')
      expect(body).toContain(
        '<at:by><name>The Standards Desk</name></at:by><at:comment type="text">The report\'s sources could not be confirmed.</at:comment>',
      )
      expect(checkFeed('atom', body, `https://news.test${base}/atom.xml`), base).toEqual([])
      // feedsmith reads RFC 6721 tombstones.
      const parsed = parseAtomFeed(body) as { at?: { deletedEntries?: { ref: string }[] } }
      if (parsed.at?.deletedEntries)
        expect(parsed.at.deletedEntries.map((d) => d.ref)).toEqual([
          'https://news.test/entries/pulled',
        ])
    }
    // A scope that never held it, a filtered feed and an archive document carry none.
    for (const path of ['/people/bo/atom.xml', '/atom.xml?limit=5', '/archive/1/atom.xml']) {
      expect(await (await app.request(`https://news.test${path}`)).text(), path).not.toContain(
        'deleted-entry',
      )
    }
  })

  it('leave a documented _news tombstone in JSON Feed, and nothing in RSS', async () => {
    const body = await (await app.request('https://news.test/topics/beta/feed.json')).text()
    const feed = JSON.parse(body)
    expect(feed._news).toEqual({
      deleted: [
        {
          id: 'https://news.test/entries/pulled',
          url: 'https://news.test/entries/pulled',
          when: '2025-03-10T00:00:00Z',
          by: 'The Standards Desk',
          comment: `The report's sources could not be confirmed.`,
        },
      ],
    })
    expect(feed.items).toEqual([])
    expect(parseJsonFeed(body).title).toBe('Test Site: Beta')
    expect(checkFeed('json', body, 'https://news.test/topics/beta/feed.json')).toEqual([])
    const rss = await (await app.request('https://news.test/topics/beta/rss.xml')).text()
    expect(rss).not.toContain('pulled')
    expect(checkFeed('rss', rss, 'https://news.test/topics/beta/rss.xml')).toEqual([])
  })

  it('advance the subscription document: updated, Last-Modified and the ETag that WebSub detection compares', async () => {
    for (const path of [
      '/topics/beta/atom.xml',
      '/topics/beta/feed.json',
      '/topics/beta/rss.xml',
      '/atom.xml',
    ]) {
      const [a, b] = [
        await old.request(`https://news.test${path}`),
        await app.request(`https://news.test${path}`),
      ]
      expect(b.headers.get('ETag'), path).not.toBe(a.headers.get('ETag'))
    }
    const beta = await (await app.request('https://news.test/topics/beta/atom.xml')).text()
    expect(beta).toContain('<updated>2025-03-10T00:00:00Z</updated>')
  })

  it('keep the tombstone for tombstoneDays of content time, not of the clock', async () => {
    const site = `${SITE}archivePageSize: 10\ntombstoneDays: 1\n`
    // The newest entry (12 March) is two days after the withdrawal (10 March): past one day, so no tombstone.
    const expired = appFor(newsroom(withdrawal, site))
    expect(await (await expired.request('https://news.test/atom.xml')).text()).not.toContain(
      'deleted-entry',
    )
    expect((await expired.request('https://news.test/entries/pulled')).status).toBe(410)
    // Withdrawn on the 12th, the newest date: still shown.
    const fresh = appFor(newsroom({ ...withdrawal, date: '2025-03-12' }, site))
    expect(await (await fresh.request('https://news.test/atom.xml')).text()).toContain(
      'when="2025-03-12T00:00:00Z"',
    )
  })
})
