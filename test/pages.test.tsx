/**
 * Issue 5, discovery and subscription: the HTML pages (`/`, `/topics/{slug}`,
 * `/entries/{id}`), `/topics.json` and `/opml.xml`, tested through the
 * Worker's own fetch handler (`exports.default`) inside workerd, and through
 * fresh `appFor(content)` instances where memo counts matter.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { DomUtils, parseDocument } from 'htmlparser2'
import { describe, expect, it } from 'vitest'
import { appFor, fetchWorker } from './helpers.ts'
import type { Entry } from '../src/content/types.ts'
import { rfc822 } from '../src/feeds/rss.ts'
import content from './generated/content.ts'
import { FORMATS, type Format } from '../src/formats.ts'
import { CSS, CSS_HASH, pageCsp } from '../src/pages/layout.tsx'

type Doc = ReturnType<typeof parseDocument>
type El = ReturnType<typeof DomUtils.findAll>[number]

/** Requests go to an origin that is not `site.url`, so any echo of the Host would show. */
const ORIGIN = 'https://request-host.invalid'
const SITE = content.site.url
const FORMAT_KEYS = Object.keys(FORMATS) as Format[]
const bare = (f: Format) => FORMATS[f].media
const HTML_TYPE = 'text/html; charset=utf-8'

function get(
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<Response> {
  return fetchWorker(new Request(ORIGIN + path, { headers, method, redirect: 'manual' }))
}

async function page(path: string) {
  const res = await get(path)
  const text = await res.text()
  return { res, text, doc: parseDocument(text) }
}

const all = (doc: Doc | El, test: (e: El) => boolean) =>
  DomUtils.findAll(test, 'children' in doc ? doc.children : [])
const tags = (doc: Doc | El, name: string) => all(doc, (e) => e.name === name)
const one = (doc: Doc | El, name: string) => {
  const found = tags(doc, name)
  expect(found, `exactly one <${name}>`).toHaveLength(1)
  return found[0]!
}
const attr = (e: El, name: string) => e.attribs[name]
const text = (e: El) => DomUtils.textContent(e).replace(/\s+/g, ' ').trim()
const byId = (doc: Doc, id: string) => {
  const e = DomUtils.getElementById(id, doc.children)
  expect(e, `#${id}`).not.toBeNull()
  return e!
}

/** The `<link rel="alternate">` autodiscovery links of a page. */
const alternates = (doc: Doc) =>
  tags(doc, 'link')
    .filter((l) => attr(l, 'rel') === 'alternate')
    .map((l) => ({ type: attr(l, 'type'), href: attr(l, 'href'), title: attr(l, 'title') }))

/** Path and query of a URL on this site, for fetching it from the Worker. */
function local(url: string): string {
  expect(url.startsWith(`${SITE}/`), `${url} is on ${SITE}`).toBe(true)
  return url.slice(SITE.length)
}

async function feedIds(path: string): Promise<string[]> {
  const res = await get(path)
  expect(res.status, path).toBe(200)
  const json = (await res.json()) as { items: { id: string; url: string }[] }
  return json.items.map((i) => i.url)
}

const expectedFeeds = (base: string, title: string) =>
  FORMAT_KEYS.map((f) => ({
    type: bare(f),
    href: `${base}/${FORMATS[f].file}`,
    title: `${title} (${FORMATS[f].label})`,
  }))

const topicEntries = (slug: string) => content.entries.filter((e) => e.topics.includes(slug))
const newestOf = (entries: Entry[]) =>
  entries
    .map((e) => e.updated)
    .sort()
    .at(-1)!
const newestAll = newestOf(content.entries)

const PAGES = [
  '/',
  ...content.topics.map((t) => `/topics/${t.slug}`),
  ...content.entries.map((e) => `/entries/${e.id}`),
]
const FORM_TOPIC = 'budget'

describe('every HTML page', () => {
  it('has a stylesheet hash that matches the CSS, and a CSP that allows only it', async () => {
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(CSS))
    expect(CSS_HASH).toBe(`sha256-${btoa(String.fromCharCode(...new Uint8Array(digest)))}`)
    expect(pageCsp).toContain(`style-src '${CSS_HASH}'`)
    expect(pageCsp).toContain("default-src 'none'")
    expect(pageCsp).toContain("form-action 'self'")
    expect(pageCsp).toContain("script-src 'self'")
    expect(pageCsp).not.toMatch(/unsafe-inline/)
  })

  it.each(PAGES)(
    '%s: 200, HTML, CSP, cache headers, language, landmarks, nothing external',
    async (path) => {
      const { res, text: body, doc } = await page(path)
      expect(res.status).toBe(200)
      expect(res.headers.get('Content-Type')).toBe(HTML_TYPE)
      expect(res.headers.get('Content-Security-Policy')).toBe(pageCsp)
      expect(res.headers.get('ETag')).toMatch(/^"[\w-]{22}"$/)
      expect(res.headers.get('Last-Modified')).toMatch(/GMT$/)
      expect(res.headers.get('Cache-Control')).toMatch(/^public, max-age=\d+/)
      expect(res.headers.get('Cache-Tag')?.split(',')).toContain('page')
      expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff')
      expect(body.startsWith('<!doctype html>')).toBe(true)

      expect(attr(one(doc, 'html'), 'lang')).toMatch(/^[a-z]{2,3}(-[A-Za-z0-9]+)*$/)
      expect(text(one(doc, 'title')).length).toBeGreaterThan(0)
      expect(
        tags(doc, 'meta')
          .map((m) => attr(m, 'charset'))
          .filter(Boolean),
      ).toEqual(['utf-8'])
      expect(text(one(doc, 'h1')).length).toBeGreaterThan(0)
      for (const landmark of ['header', 'main', 'footer'])
        expect(
          tags(doc, landmark).filter(
            (e) => e.parent?.type === 'tag' && (e.parent as El).name === 'body',
          ),
        ).toHaveLength(1)
      const navs = tags(doc, 'nav')
      expect(navs.length).toBeGreaterThanOrEqual(2)
      for (const nav of navs) expect(attr(nav, 'aria-label')).toBeTruthy()
      expect(new Set(navs.map((n) => attr(n, 'aria-label'))).size).toBe(navs.length)
      // Headings never skip a level.
      const levels = all(doc, (e) => /^h[1-6]$/.test(e.name)).map((h) => Number(h.name[1]))
      levels.reduce((prev, level) => (expect(level).toBeLessThanOrEqual(prev + 1), level), 1)

      // Nothing loaded from anywhere: no frames or media, no inline script (only same-origin script files); one inline stylesheet, the hashed one.
      for (const name of ['iframe', 'object', 'embed', 'img', 'video', 'audio', 'source', 'base'])
        expect(tags(doc, name), name).toHaveLength(0)
      for (const script of tags(doc, 'script'))
        expect([attr(script, 'src'), DomUtils.textContent(script)]).toEqual(['/copy.js', ''])
      expect(DomUtils.textContent(one(doc, 'style'))).toBe(CSS)
      expect(
        all(
          doc,
          (e) => 'style' in e.attribs || Object.keys(e.attribs).some((a) => a.startsWith('on')),
        ),
      ).toHaveLength(0)
      for (const link of tags(doc, 'link')) {
        const href = attr(link, 'href')!
        // The site's favicon, same-origin and root-relative like every page link; an empty icon when there is none.
        if (attr(link, 'rel') === 'icon')
          expect(href).toBe(
            content.site.images?.favicon ? `/images/${content.site.images.favicon}` : 'data:,',
          )
        else expect(href.startsWith(`${SITE}/`), href).toBe(true)
      }
      const canonical = tags(doc, 'link').filter((l) => attr(l, 'rel') === 'canonical')
      expect(canonical).toHaveLength(1)
      expect(attr(canonical[0]!, 'href')).toBe(SITE + (path === '/' ? '/' : path))

      // The request's Host never appears; links between pages are root-relative.
      expect(body).not.toContain('request-host')
      for (const a of tags(doc, 'a')) expect(attr(a, 'href')).toMatch(/^(\/|#|https?:\/\/)/)
    },
  )

  it('answers HEAD with the headers and no body', async () => {
    const res = await get('/', {}, 'HEAD')
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe(HTML_TYPE)
    expect(res.headers.get('Content-Security-Policy')).toBe(pageCsp)
    expect(await res.text()).toBe('')
  })
})

describe('autodiscovery', () => {
  it('/ links the three site feeds with their titles, and each serves its type', async () => {
    const { doc } = await page('/')
    const links = alternates(doc)
    expect(links).toEqual(expectedFeeds(SITE, content.site.title))
    for (const link of links) {
      const res = await get(local(link.href!))
      expect(res.status).toBe(200)
      expect(res.headers.get('Content-Type')).toBe(
        FORMATS[FORMAT_KEYS.find((f) => FORMATS[f].media === link.type)!].type,
      )
    }
  })

  it.each(content.topics.map((t) => t.slug))(
    '/topics/%s links its three topic feeds',
    async (slug) => {
      const topic = content.topics.find((t) => t.slug === slug)!
      const { doc } = await page(`/topics/${slug}`)
      expect(alternates(doc)).toEqual(
        expectedFeeds(`${SITE}/topics/${slug}`, `${content.site.title}: ${topic.title}`),
      )
      for (const link of alternates(doc)) expect((await get(local(link.href!))).status).toBe(200)
    },
  )

  it('each entry page links the feeds of each of its topics', async () => {
    for (const entry of content.entries) {
      const { doc } = await page(`/entries/${entry.id}`)
      const titles = new Map(content.topics.map((t) => [t.slug, t.title]))
      expect(alternates(doc)).toEqual(
        entry.topics.flatMap((t) =>
          expectedFeeds(`${SITE}/topics/${t}`, `${content.site.title}: ${titles.get(t)}`),
        ),
      )
    }
  })
})

describe('/', () => {
  it('shows the site title and description', async () => {
    const { doc } = await page('/')
    expect(text(one(doc, 'title'))).toBe(content.site.title)
    expect(text(one(doc, 'h1'))).toBe(content.site.title)
    expect(text(byId(doc, 'main'))).toContain(content.site.description)
  })

  it('lists every topic with its entry count (as the feeds count) and links to its page and three feeds', async () => {
    const { doc } = await page('/')
    const index = (await (await get('/topics.json')).json()) as {
      topics: { slug: string; entries: number }[]
    }
    for (const topic of content.topics) {
      const item = byId(doc, `topic-${topic.slug}`)
      const count = Number(attr(all(item, (e) => 'data-entries' in e.attribs)[0]!, 'data-entries'))
      const inFeed = await feedIds(`/topics/${topic.slug}/feed.json?limit=100`)
      expect(count, topic.slug).toBe(inFeed.length)
      expect(count).toBe(topicEntries(topic.slug).length)
      expect(count).toBe(index.topics.find((t) => t.slug === topic.slug)!.entries)
      expect(text(item)).toContain(`${count} ${count === 1 ? 'entry' : 'entries'}`)
      expect(text(item)).toContain(topic.description)
      const hrefs = tags(item, 'a').map((a) => attr(a, 'href'))
      expect(hrefs).toEqual([
        `/topics/${topic.slug}`,
        ...FORMAT_KEYS.map((f) => `/topics/${topic.slug}/subscribe#${f}`),
      ])
      const feedAnchors = tags(item, 'a').slice(1)
      feedAnchors.forEach((a, i) =>
        expect(text(a)).toBe(`${FORMATS[FORMAT_KEYS[i]!].label} feed: ${topic.title}`),
      )
    }
  })

  it('lists the latest entries as the site feed does, with dates and inferred dates marked', async () => {
    const { doc } = await page('/')
    const section = all(
      doc,
      (e) => e.name === 'section' && attr(e, 'aria-labelledby') === 'latest',
    )[0]!
    const items = tags(section, 'li')
    const hrefs = items.map((li) => attr(tags(one(li, 'h3'), 'a')[0]!, 'href'))
    const feed = await feedIds('/feed.json')
    expect(hrefs).toEqual(feed.map(local))
    for (const li of items) {
      const entry = content.entries.find((e) => `/entries/${e.id}` === hrefs[items.indexOf(li)])!
      expect(attr(tags(li, 'time')[0]!, 'datetime')).toBe(entry.date.text)
      expect(text(li).includes('date inferred'), entry.id).toBe(entry.date.inferred)
      expect(text(li)).toContain(entry.summary)
    }
    expect(content.entries.some((e) => e.date.inferred)).toBe(true)
  })
})

describe('/topics/{slug}', () => {
  it.each(content.topics.map((t) => t.slug))(
    '%s: description and every entry, as its feed has them',
    async (slug) => {
      const topic = content.topics.find((t) => t.slug === slug)!
      const { doc } = await page(`/topics/${slug}`)
      expect(text(one(doc, 'h1'))).toBe(topic.title)
      expect(text(byId(doc, 'main'))).toContain(topic.description)
      const section = all(
        doc,
        (e) => e.name === 'section' && attr(e, 'aria-labelledby') === 'entries',
      )[0]!
      const hrefs = tags(section, 'h3').map((h) => attr(tags(h, 'a')[0]!, 'href'))
      expect(hrefs).toEqual((await feedIds(`/topics/${slug}/feed.json?limit=100`)).map(local))
      expect(Number(attr(all(doc, (e) => 'data-entries' in e.attribs)[0]!, 'data-entries'))).toBe(
        hrefs.length,
      )
      const form = one(doc, 'form')
      expect(attr(form, 'method')).toBe('get')
      expect(attr(form, 'action')).toBe(`/topics/${slug}#build`)
      // Topics and people are offered when the topic shares entries with them (the fixture has topics with and without).
      const shared = content.entries.filter((e) => e.topics.includes(slug))
      const related = {
        topic: shared.some((e) => e.topics.length > 1),
        person: shared.some((e) => e.people.length > 0),
      }
      const names = ['topic', 'exclude', 'person', 'q', 'since', 'format'].filter((n) =>
        n === 'topic' || n === 'exclude' ? related.topic : n === 'person' ? related.person : true,
      )
      expect(new Set(all(form, (e) => 'name' in e.attribs).map((e) => attr(e, 'name')))).toEqual(
        new Set(names),
      )
      // Every form control has a label (wrapping it or as a legend-ed checkbox group).
      for (const input of all(form, (e) => e.name === 'input' || e.name === 'select')) {
        let up: El | null = input.parent as El | null
        while (up && up.name !== 'label') up = up.parent as El | null
        expect(up, attr(input, 'name')).not.toBeNull()
      }
    },
  )

  it('404s an unknown topic, naming the valid ones', async () => {
    const res = await get('/topics/no-such-topic')
    expect(res.status).toBe(404)
    expect(await res.text()).toContain(content.topics[0]!.slug)
    const json = await get('/topics/no-such-topic', { Accept: 'application/json' })
    expect(json.status).toBe(404)
    expect(((await json.json()) as { topics: string[] }).topics).toEqual(
      content.topics.map((t) => t.slug),
    )
  })

  it('redirects a slug in the wrong case, keeping the query', async () => {
    const res = await get('/topics/Budget?format=atom')
    expect(res.status).toBe(301)
    expect(res.headers.get('Location')).toBe('/topics/budget?format=atom')
  })
})

describe('the filtered-feed form', () => {
  const base = `${SITE}/topics/${FORM_TOPIC}`
  const cases: [string, string][] = [
    ['format=rss', `${base}/rss.xml`],
    ['topic=&exclude=&person=&since=&format=rss', `${base}/rss.xml`],
    ['topic=&since=', `${base}/rss.xml`],
    ['format=ATOM', `${base}/atom.xml`],
    ['format=json&since=2025-05-01', `${base}/feed.json?since=2025-05-01`],
    ['topic=roads&topic=parks&format=rss', `${base}/rss.xml?topic=parks,roads`],
    ['topic=Roads,parks&topic=roads&format=atom', `${base}/atom.xml?topic=parks,roads`],
    ['topic=+roads+,,+Roads&format=json', `${base}/feed.json?topic=roads`],
    [
      'person=dana-okafor&person=ines-marlowe&exclude=roads',
      `${base}/rss.xml?exclude=roads&person=dana-okafor,ines-marlowe`,
    ],
    [
      'format=atom&since=2025-01-01&person=Dana-Okafor&exclude=library&topic=roads&utm_source=x',
      `${base}/atom.xml?topic=roads&exclude=library&person=dana-okafor&since=2025-01-01`,
    ],
  ]

  it.each(cases)('?%s shows %s, a URL that serves the feed as it is', async (query, expected) => {
    const { res, doc } = await page(`/topics/${FORM_TOPIC}?${query}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Security-Policy')).toBe(pageCsp)
    expect(text(byId(doc, 'feed-url'))).toBe(expected)
    const link = attr(byId(doc, 'feed-link'), 'href')!
    expect(SITE + link).toBe(expected)

    const feed = await get(local(expected))
    expect(feed.status, 'canonical, so no redirect').toBe(200)
    const format = FORMAT_KEYS.find((f) => new URL(expected).pathname.endsWith(FORMATS[f].file))!
    expect(feed.headers.get('Content-Type')).toBe(FORMATS[format].type)
    const body = await feed.text()
    if (format === 'json') expect(JSON.parse(body).feed_url).toBe(expected)
    else expect(XMLValidator.validate(body)).toBe(true)
  })

  it('puts the chosen values back in the form', async () => {
    const { doc } = await page(
      `/topics/${FORM_TOPIC}?topic=roads&person=dana-okafor&since=2025-05-01&format=json`,
    )
    const checked = all(doc, (e) => e.name === 'input' && 'checked' in e.attribs).map(
      (e) => `${attr(e, 'name')}=${attr(e, 'value')}`,
    )
    expect(checked).toEqual(['topic=roads', 'person=dana-okafor'])
    expect(attr(all(doc, (e) => attr(e, 'name') === 'since')[0]!, 'value')).toBe('2025-05-01')
    expect(
      all(doc, (e) => e.name === 'option' && 'selected' in e.attribs).map((e) => attr(e, 'value')),
    ).toEqual(['json'])
  })

  it('offers the topics and people that share entries with the topic', async () => {
    const { doc } = await page(`/topics/${FORM_TOPIC}`)
    const values = (name: string) =>
      all(doc, (e) => e.name === 'input' && attr(e, 'name') === name).map((e) => attr(e, 'value'))
    const entries = topicEntries(FORM_TOPIC)
    const near = content.topics
      .map((t) => t.slug)
      .filter((s) => s !== FORM_TOPIC && entries.some((e) => e.topics.includes(s)))
    expect(values('topic')).toEqual(near)
    expect(values('exclude')).toEqual(near)
    expect(values('person')).toEqual(
      content.people
        .map((p) => p.id)
        .filter((id) => entries.some((e) => e.people.some((p) => p.id === id))),
    )
  })

  it('shows no result until the form is used; other parameters are ignored', async () => {
    const plain = await page(`/topics/${FORM_TOPIC}`)
    expect(DomUtils.getElementById('feed-url', plain.doc.children)).toBeNull()
    const other = await get(`/topics/${FORM_TOPIC}?utm_source=mail&limit=5`)
    expect(other.headers.get('ETag')).toBe(plain.res.headers.get('ETag'))
  })

  it('memoises one body per canonical choice, however it is spelled', async () => {
    const app = appFor(content)
    const spellings = [
      'topic=roads,parks&format=atom',
      'format=Atom&topic=parks&topic=ROADS&person=',
      'topic=parks&topic=roads&topic=roads&format=atom&since=',
    ]
    const etags = new Set<string | null>()
    for (const q of spellings) {
      const res = await app.request(`/topics/${FORM_TOPIC}?${q}`)
      expect(res.status).toBe(200)
      etags.add(res.headers.get('ETag'))
    }
    expect(etags.size).toBe(1)
    expect(app.stats).toEqual({ renders: 1, hits: 2 })
  })

  it.each([
    ['since=2025-13-01', 'since'],
    ['since=yesterday', 'since'],
    ['since=2025-01-01&since=2025-02-01', 'since'],
    ['format=pdf', 'format'],
    ['format=rss&format=atom', 'format'],
    ['format=toString', 'format'],
    ['topic=Not%20A%20Slug', 'topic'],
    ['person=a_b', 'person'],
  ])('?%s is a 400 page naming "%s"', async (query, parameter) => {
    const app = appFor(content)
    const res = await app.request(`/topics/${FORM_TOPIC}?${query}`)
    expect(res.status).toBe(400)
    expect(res.headers.get('Content-Type')).toBe(HTML_TYPE)
    expect(res.headers.get('Content-Security-Policy')).toBe(pageCsp)
    expect(res.headers.get('ETag')).toBeNull()
    const doc = parseDocument(await res.text())
    const error = byId(doc, 'form-error')
    expect(attr(error, 'role')).toBe('alert')
    expect(text(error)).toContain(`Bad value for "${parameter}"`)
    expect(DomUtils.getElementById('feed-url', doc.children)).toBeNull()
    expect(tags(doc, 'form')).toHaveLength(1)
    expect(app.stats.renders, 'errors are not memoised').toBe(0)
  })

  it('answers bad percent-encoding with a 400 page', async () => {
    const res = await get(`/topics/${FORM_TOPIC}?since=%E0%A4%A`)
    expect(res.status).toBe(400)
    expect(await res.text()).toContain('Malformed percent-encoding')
  })

  it('keeps the input after an error, so it can be corrected', async () => {
    const { res, doc } = await page(
      `/topics/${FORM_TOPIC}?topic=roads&since=2025-02-30&format=atom`,
    )
    expect(res.status).toBe(400)
    expect(attr(all(doc, (e) => attr(e, 'name') === 'since')[0]!, 'value')).toBe('2025-02-30')
    expect(all(doc, (e) => 'checked' in e.attribs).map((e) => attr(e, 'value'))).toEqual(['roads'])
    expect(
      all(doc, (e) => e.name === 'option' && 'selected' in e.attribs).map((e) => attr(e, 'value')),
    ).toEqual(['atom'])
  })

  it.each([
    ['topic=no-such-topic', 'no-such-topic'],
    ['person=nobody', 'nobody'],
  ])('?%s is a 404 naming the unknown value', async (query, name) => {
    const res = await get(`/topics/${FORM_TOPIC}?${query}`)
    expect(res.status).toBe(404)
    expect(await res.text()).toContain(name)
  })
})

describe('escaping', () => {
  const HOSTILE = `"'><script>alert(1)</script><img src=x onerror=alert(2)>&amp;`
  const q = encodeURIComponent(HOSTILE)

  it('a hostile value typed in the form comes back escaped', async () => {
    const {
      res,
      text: body,
      doc,
    } = await page(`/topics/${FORM_TOPIC}?q=${q}&since=${q}&format=${q}`)
    expect(res.status).toBe(400)
    expect(body).not.toContain('<script>')
    expect(body).not.toContain('<img')
    expect(body).not.toContain(`"'>`)
    expect(tags(doc, 'script').map((s) => attr(s, 'src'))).toEqual(['/copy.js'])
    expect(tags(doc, 'img')).toHaveLength(0)
    // The words round-trip intact through the text input's attribute; the date input takes only a date.
    expect(attr(all(doc, (e) => attr(e, 'name') === 'q')[0]!, 'value')).toBe(HOSTILE)
    expect(attr(all(doc, (e) => attr(e, 'name') === 'since')[0]!, 'value')).toBe('')
  })

  it.each([
    `/?q=${q}`,
    `/topics/${FORM_TOPIC}?utm=${q}`,
    `/entries/${content.entries[0]!.id}?x=${q}`,
    `/topics/${FORM_TOPIC}?format=rss&x=${q}`,
  ])('an ignored hostile parameter never reaches the page: %s', async (path) => {
    const { res, text: body } = await page(path)
    // Routes that read no query answer it with a 301 to the bare URL (docs/hardening.md); the topic page reads one.
    expect(res.status).toBe(path.startsWith('/topics/') ? 200 : 301)
    expect(body).not.toContain('alert(')
    expect(res.headers.get('Location') ?? '').not.toContain('alert(')
  })

  it.each([
    `/topics/${q}`,
    `/entries/${q}`,
    `/topics/${FORM_TOPIC}?topic=${encodeURIComponent('a,<b>')}`,
  ])('an error about a hostile name is never HTML: %s', async (path) => {
    const res = await get(path)
    expect(res.status).toBeGreaterThanOrEqual(400)
    const body = await res.text()
    if (res.headers.get('Content-Type')!.startsWith('text/html')) {
      expect(body).not.toContain('<b>')
      expect(body).not.toContain('<script>')
    } else {
      expect(res.headers.get('Content-Type')).toMatch(/^(text\/plain|application\/problem\+json)/)
      expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff')
    }
  })
})

describe('/entries/{id}', () => {
  it.each(content.entries.map((e) => e.id))(
    '%s: title, date, summary, body, quotes, sources, topics',
    async (id) => {
      const entry = content.entries.find((e) => e.id === id)!
      const { res, text: body, doc } = await page(`/entries/${id}`)
      expect(res.status).toBe(200)
      expect(attr(one(doc, 'html'), 'lang')).toBe(entry.language)
      expect(text(one(doc, 'h1'))).toBe(entry.title)
      const article = one(doc, 'article')
      const time = tags(article, 'time')[0]!
      expect(attr(time, 'datetime')).toBe(entry.date.text)
      // Quote captions say "date inferred" of their own dates: only the article's text outside them speaks of the entry's.
      const outsideQuotes = tags(article, 'figure').reduce(
        (rest, figure) => rest.replace(text(figure), ''),
        text(article),
      )
      expect(outsideQuotes.includes('date inferred')).toBe(entry.date.inferred)
      for (const [i, quote] of entry.quotes.entries())
        expect(text(tags(article, 'figure')[i]!).includes('date inferred')).toBe(
          Boolean(quote.said && quote.saidInferred),
        )
      if (entry.date.inferred && entry.date.basis)
        expect(text(article)).toContain(entry.date.basis.replace(/\s+/g, ' '))
      expect(text(article)).toContain(entry.summary)
      expect(body).toContain(entry.html)

      const figures = tags(article, 'figure')
      expect(figures).toHaveLength(entry.quotes.length)
      entry.quotes.forEach((quote, i) => {
        const figure = figures[i]!
        expect(text(one(figure, 'blockquote'))).toBe(quote.text.replace(/\s+/g, ' ').trim())
        expect(text(one(figure, 'figcaption'))).toContain(quote.speakerName)
      })

      for (const source of entry.sources) {
        if (source.publication) expect(text(article)).toContain(source.publication)
        for (const credit of source.credits) expect(text(article)).toContain(credit)
      }
      const topicSection = all(
        article,
        (e) => e.name === 'section' && attr(e, 'aria-labelledby') === 'topics',
      )[0]!
      const topicHrefs = tags(topicSection, 'li').map((li) =>
        tags(li, 'a').map((a) => attr(a, 'href')!),
      )
      expect(topicHrefs).toEqual(
        entry.topics.map((t) => [
          `/topics/${t}`,
          ...FORMAT_KEYS.map((f) => `/topics/${t}/subscribe#${f}`),
        ]),
      )
      for (const href of topicHrefs.flat()) expect((await get(href)).status).toBe(200)
    },
  )

  it('is the link of every feed item', async () => {
    for (const url of await feedIds('/feed.json?limit=100'))
      expect((await get(local(url))).status).toBe(200)
  })

  it('404s an unknown entry', async () => {
    const res = await get('/entries/no-such-entry')
    expect(res.status).toBe(404)
    expect(res.headers.get('Content-Type')).toMatch(/^text\/plain/)
  })
})

describe('/topics.json', () => {
  it('lists every topic with absolute URLs, counts and the newest entry time', async () => {
    const res = await get('/topics.json')
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe('application/json; charset=utf-8')
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('*')
    const body = await res.text()
    expect(body).not.toContain('request-host')
    const doc = JSON.parse(body) as { topics: Record<string, unknown>[] }
    expect(Object.keys(doc)).toEqual(['topics'])
    expect(doc.topics.map((t) => t.slug)).toEqual(content.topics.map((t) => t.slug))
    for (const t of doc.topics) {
      const topic = content.topics.find((x) => x.slug === t.slug)!
      expect(Object.keys(t)).toEqual([
        'slug',
        'title',
        'description',
        'entries',
        'updated',
        'page',
        'feeds',
        'archives',
      ])
      expect(t.title).toBe(topic.title)
      expect(t.description).toBe(topic.description)
      expect(t.entries).toBe(topicEntries(topic.slug).length)
      expect(t.updated).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/)
      expect(t.updated).toBe(newestOf(topicEntries(topic.slug)))
      expect(t.page).toBe(`${SITE}/topics/${topic.slug}`)
      const feeds = t.feeds as Record<string, string>
      expect(Object.keys(feeds)).toEqual(['rss', 'atom', 'json'])
      for (const f of FORMAT_KEYS) {
        expect(feeds[f]).toBe(`${SITE}/topics/${topic.slug}/${FORMATS[f].file}`)
        expect(new URL(feeds[f]!).origin).toBe(new URL(SITE).origin)
        const feed = await get(local(feeds[f]!))
        expect(feed.status).toBe(200)
        expect(feed.headers.get('Content-Type')).toBe(FORMATS[f].type)
      }
      expect((await get(local(t.page as string))).status).toBe(200)
    }
  })
})

describe('/opml.xml', () => {
  const parse = async () => {
    const res = await get('/opml.xml')
    const body = await res.text()
    return {
      res,
      body,
      opml: new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' }).parse(body),
    }
  }

  it('is well-formed OPML 2.0 with a head dated by the newest entry', async () => {
    const { res, body, opml } = await parse()
    expect(res.status).toBe(200)
    expect(res.headers.get('Content-Type')).toBe('text/x-opml; charset=utf-8')
    expect(XMLValidator.validate(body)).toBe(true)
    expect(body).not.toContain('request-host')
    expect(opml.opml['@version']).toBe('2.0')
    const head = opml.opml.head
    expect(head.title).toContain(content.site.title)
    expect(head.ownerName).toBe(content.site.publisher.name)
    const rfc822Date =
      /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/
    expect(head.dateCreated).toMatch(rfc822Date)
    expect(head.dateModified).toBe(rfc822(newestAll))
    expect(head.dateCreated).toBe(head.dateModified)
    expect(res.headers.get('Last-Modified')).toBe(head.dateModified)
  })

  it('has one outline per RSS and Atom feed (site, every topic, every person), each with valid URLs', async () => {
    const { opml } = await parse()
    const folders = [opml.opml.body.outline].flat() as Record<string, unknown>[]
    const feeds = folders.flatMap((f) => [f.outline].flat()) as Record<string, string>[]
    const expected = [
      '',
      ...content.topics.map((t) => `/topics/${t.slug}`),
      ...content.people.map((p) => `/people/${p.id}`),
      ...content.sources.map((s) => `/sources/${s.slug}`),
    ].flatMap((base) => (['rss', 'atom'] as const).map((f) => `${SITE}${base}/${FORMATS[f].file}`))
    expect(feeds.map((o) => o['@xmlUrl']).sort()).toEqual(expected.sort())
    for (const o of feeds) {
      expect(o['@type']).toBe('rss')
      expect(o['@text']).toBeTruthy()
      expect(o['@title']).toBe(o['@text'])
      for (const key of ['@xmlUrl', '@htmlUrl']) {
        const url = new URL(o[key]!)
        expect(url.origin).toBe(new URL(SITE).origin)
        const res = await get(local(o[key]!))
        expect(res.status, o[key]).toBe(200)
        if (key === '@xmlUrl') {
          expect(res.headers.get('Content-Type')).toBe('application/xml; charset=utf-8')
          expect(XMLValidator.validate(await res.text())).toBe(true)
        } else expect(res.headers.get('Content-Type')).toBe(HTML_TYPE)
      }
    }
    // Folders group the feeds by format, so a reader can import just one of them.
    for (const folder of folders) {
      expect(folder['@xmlUrl']).toBeUndefined()
      expect(folder['@text']).toMatch(/^(RSS 2\.0|Atom 1\.0) feeds$/)
    }
  })
})

describe('conditional requests and caching', () => {
  const paths = [
    '/',
    `/topics/${FORM_TOPIC}`,
    `/topics/${FORM_TOPIC}?topic=roads&format=atom`,
    `/entries/${content.entries[0]!.id}`,
    '/topics.json',
    '/opml.xml',
  ]

  it.each(paths)('%s: ETag answers 304, and so does Last-Modified', async (path) => {
    const first = await get(path)
    expect(first.status).toBe(200)
    const etag = first.headers.get('ETag')!
    const lastModified = first.headers.get('Last-Modified')!
    const cacheControl = first.headers.get('Cache-Control')!
    const byTag = await get(path, { 'If-None-Match': etag })
    expect(byTag.status).toBe(304)
    expect(await byTag.text()).toBe('')
    expect(byTag.headers.get('ETag')).toBe(etag)
    expect(byTag.headers.get('Cache-Control')).toBe(cacheControl)
    expect(byTag.headers.get('Content-Security-Policy')).toBeNull()
    const byDate = await get(path, { 'If-Modified-Since': lastModified })
    expect(byDate.status).toBe(304)
    const stale = await get(path, { 'If-None-Match': '"something-else"' })
    expect(stale.status).toBe(200)
  })

  it('dates pages by their newest entry, never the time of the request', async () => {
    expect((await get('/')).headers.get('Last-Modified')).toBe(new Date(newestAll).toUTCString())
    for (const topic of content.topics) {
      const res = await get(`/topics/${topic.slug}`)
      expect(res.headers.get('Last-Modified')).toBe(
        new Date(newestOf(topicEntries(topic.slug))).toUTCString(),
      )
    }
    const entry = content.entries.at(-1)!
    expect((await get(`/entries/${entry.id}`)).headers.get('Last-Modified')).toBe(
      new Date(entry.updated).toUTCString(),
    )
  })

  it('tags pages for purging', async () => {
    const tagsOf = async (p: string) => (await get(p)).headers.get('Cache-Tag')!.split(',')
    expect(await tagsOf(`/topics/${FORM_TOPIC}?exclude=roads`)).toEqual([
      'page',
      'page:topic',
      `scope:topic:${FORM_TOPIC}`,
      'scope:topic:roads',
      'format:html',
    ])
    const entry = content.entries[0]!
    expect(await tagsOf(`/entries/${entry.id}`)).toEqual([
      'page',
      `entry:${entry.id}`,
      'format:html',
    ])
    expect(await tagsOf('/')).toContain('scope:site')
  })

  it('renders each page once per app, identically in every app and for every Host', async () => {
    const a = appFor(content)
    const b = appFor(content)
    for (const path of paths) {
      const x = await (await a.request(path)).text()
      const y = await (await b.request(`http://other.example${path}`)).text()
      const z = await (await a.request(path)).text()
      expect(y).toBe(x)
      expect(z).toBe(x)
    }
    expect(a.stats).toEqual({ renders: paths.length, hits: paths.length })
  })
})

describe('a topic without entries', () => {
  const empty = {
    slug: 'empty-topic',
    title: 'An empty topic',
    description: 'Nothing filed here yet.',
  }
  const app = appFor({ ...content, topics: [...content.topics, empty] })

  it('has a page, a topics.json record with updated null, and OPML outlines', async () => {
    const res = await app.request('/topics/empty-topic')
    expect(res.status).toBe(200)
    const doc = parseDocument(await res.text())
    expect(text(byId(doc, 'main'))).toContain('No entries yet.')
    expect(alternates(doc)).toHaveLength(3)
    expect(res.headers.get('Last-Modified')).toBe(new Date(newestAll).toUTCString())

    const json = (await (await app.request('/topics.json')).json()) as {
      topics: { slug: string; entries: number; updated: string | null }[]
    }
    expect(json.topics.at(-1)).toMatchObject({ slug: 'empty-topic', entries: 0, updated: null })

    const opml = await (await app.request('/opml.xml')).text()
    expect(opml).toContain(`xmlUrl="${SITE}/topics/empty-topic/rss.xml"`)
    expect(opml).toContain(`xmlUrl="${SITE}/topics/empty-topic/atom.xml"`)

    const home = parseDocument(await (await app.request('/')).text())
    expect(text(byId(home, 'topic-empty-topic'))).toContain('0 entries')
  })
})
