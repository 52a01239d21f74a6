/**
 * Pages for people, on a small fixture publication: feeds that carry the
 * browser preview, subscribe pages, `/topics`, errors as pages for
 * browsers, `/robots.txt`, the sitemaps, and the interface language.
 */
import { describe, expect, it } from 'vitest'
import { compileContent } from '../src/content/compile.ts'
import { wordsFor } from '../src/i18n.ts'
import { SITEMAP_LIMIT, sitemapPart, sitemapPlan } from '../src/pages/sitemap.ts'
import { appFor, BASIC, files, SITE } from './helpers.ts'
import { checkFeed } from './validity.ts'

const app = appFor(compileContent(files(BASIC)))
const HTML = { Accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' }
const get = (path: string, headers: Record<string, string> = {}) => app.request(path, { headers })

describe('feeds in a browser', () => {
  it.each([
    ['rss', '/rss.xml'],
    ['atom', '/topics/alpha/atom.xml'],
  ] as const)(
    '%s: served as application/xml with the stylesheet and the preview script, valid to the letter',
    async (format, path) => {
      const res = await get(path, HTML)
      expect(res.status).toBe(200)
      expect(res.headers.get('Content-Type')).toBe('application/xml; charset=utf-8')
      expect(res.headers.get('Content-Security-Policy')).toContain("script-src 'self'")
      const body = await res.text()
      expect(
        body.startsWith(
          '<?xml version="1.0" encoding="UTF-8"?>\n<?xml-stylesheet type="text/css" href="/feed.css"?>\n',
        ),
      ).toBe(true)
      expect(body).toContain(
        '<div xmlns="http://www.w3.org/1999/xhtml"><script src="/feed.js" defer="defer"></script></div>',
      )
      // The W3C validator checks a general XML type's root element within the first 512 bytes.
      expect(body.indexOf(format === 'rss' ? '<rss' : '<feed')).toBeLessThan(512)
      expect(
        checkFeed(format, body, `https://news.test${path}`, new Date('2026-01-01T00:00:00Z')),
      ).toEqual([])
    },
  )

  it('the same URL answers the same bytes whatever the Accept header', async () => {
    const a = await (await get('/rss.xml', HTML)).text()
    const b = await (await get('/rss.xml', { Accept: 'application/rss+xml' })).text()
    expect(a).toBe(b)
  })

  it('serves the stylesheet and the scripts', async () => {
    for (const [path, type] of [
      ['/feed.css', 'text/css'],
      ['/feed.js', 'text/javascript'],
      ['/copy.js', 'text/javascript'],
    ]) {
      const res = await get(path!)
      expect(res.status, path).toBe(200)
      expect(res.headers.get('Content-Type')).toBe(`${type}; charset=utf-8`)
    }
    const css = await (await get('/feed.css')).text()
    expect(css).toContain(JSON.stringify(wordsFor('en').previewNewest))
    expect(css).toContain('content:attr(href)')
  })
})

describe('subscribe pages', () => {
  it.each(['/subscribe', '/topics/alpha/subscribe', '/people/ana/subscribe'])(
    '%s: the three addresses, copy buttons and the OPML',
    async (path) => {
      const res = await get(path)
      expect(res.status).toBe(200)
      const body = await res.text()
      const base = path.replace(/\/subscribe$/, '')
      for (const file of ['rss.xml', 'atom.xml', 'feed.json'])
        expect(body).toContain(`https://news.test${base}/${file}`)
      expect(body.match(/<button type="button" data-copy="/g)).toHaveLength(3)
      expect(body).toMatch(/<script src="\/copy.js" defer(="")?><\/script>/)
      expect(body).toContain('href="/opml.xml"')
      expect(body).toContain(`<link rel="canonical" href="https://news.test${path}"/>`)
    },
  )

  it('other spellings redirect, unknown names are 404s listing the valid ones', async () => {
    const moved = await get('/topics/ALPHA/subscribe')
    expect([moved.status, moved.headers.get('Location')]).toEqual([301, '/topics/alpha/subscribe'])
    expect((await get('/subscribe?x=1')).status).toBe(301)
    const missing = await get('/topics/nope/subscribe')
    expect(missing.status).toBe(404)
    expect(await missing.text()).toContain('alpha')
  })

  it('feed links on pages lead to the subscribe page, their accessible name starting with the visible label', async () => {
    const body = await (await get('/topics')).text()
    for (const [f, label] of [
      ['rss', 'RSS'],
      ['atom', 'Atom'],
      ['json', 'JSON Feed'],
    ]) {
      expect(body).toContain(
        `<a href="/topics/alpha/subscribe#${f}">${label}<span class="vh"> feed: Alpha</span></a>`,
      )
    }
    expect(body).not.toContain('aria-label="Alpha')
  })
})

describe('errors for browsers', () => {
  it('a page URL asked for by a browser is a 404 page in the layout, with the search box', async () => {
    const res = await get('/no-such-page', HTML)
    expect(res.status).toBe(404)
    expect(res.headers.get('Content-Type')).toBe('text/html; charset=utf-8')
    expect(res.headers.get('Vary')).toBe('Accept')
    expect(res.headers.get('Content-Security-Policy')).toContain("default-src 'none'")
    const body = await res.text()
    expect(body).toContain('<form method="get" action="/search" role="search">')
    expect(body).toContain('<a href="/topics">Topics</a>')
  })

  it('a bad value asked for by a browser is a 400 page', async () => {
    const res = await get('/archive/2025/13', HTML)
    expect(res.status).toBe(400)
    expect(await res.text()).toContain('Bad value for &quot;month&quot;')
  })

  it.each(['/topics/nope/rss.xml', '/nope.json', '/topics/nope/feed.json'])(
    '%s keeps its plain or JSON error',
    async (path) => {
      const res = await get(path, HTML)
      expect(res.status).toBe(404)
      expect(res.headers.get('Content-Type')).toMatch(/^(text\/plain|application\/problem\+json)/)
    },
  )

  it('a client that does not name text/html keeps the plain text error', async () => {
    const res = await get('/no-such-page', { Accept: '*/*' })
    expect(res.headers.get('Content-Type')).toMatch(/^text\/plain/)
  })
})

describe('robots.txt and sitemaps', () => {
  it('robots.txt allows everything but search and the hub, and names the sitemap', async () => {
    const body = await (await get('/robots.txt')).text()
    expect(body).toBe(
      'User-agent: *\nAllow: /\nDisallow: /search\nDisallow: /websub\n\nSitemap: https://news.test/sitemap.xml\n',
    )
  })

  it('the sitemap lists every page and every entry with lastmod', async () => {
    const body = await (await get('/sitemap.xml')).text()
    const urls = [
      ...body.matchAll(/<url><loc>([^<]+)<\/loc><lastmod>([^<]+)<\/lastmod><\/url>/g),
    ].map((m) => [m[1], m[2]])
    const locs = urls.map((u) => u[0])
    for (const path of [
      '/',
      '/topics',
      '/people',
      '/sources',
      '/archive',
      '/subscribe',
      '/topics/alpha',
      '/topics/alpha/subscribe',
      '/topics/alpha/archive',
      '/topics/beta',
      '/people/ana',
      '/people/bo/archive',
      '/archive/2025/01',
      '/archive/2025/02',
      '/archive/2025/03',
      '/topics/alpha/archive/2025/03',
      '/people/bo/archive/2025/02',
      '/entries/one',
      '/entries/two',
      '/entries/three',
    ]) {
      expect(locs).toContain(`https://news.test${path}`)
    }
    for (const [, lastmod] of urls) expect(lastmod).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    expect(new Set(locs).size).toBe(locs.length)
    expect((await get('/sitemap/entries/1.xml')).status).toBe(404)
    expect((await get('/sitemap/pages/1.xml')).status).toBe(404)
  })

  it('lists every month page of every scope, each with its newest entry as lastmod', async () => {
    const body = await (await get('/sitemap.xml')).text()
    const months = [
      ...body.matchAll(/<url><loc>https:\/\/news\.test([^<]+)<\/loc><lastmod>([^<]+)</g),
    ].filter((m) => /\/archive\/\d{4}\//.test(m[1]!))
    // Fixture: 3 entries in 3 months; alpha has 2 months, beta 2, ana 2, bo 2, plus sources.
    expect(months.length).toBeGreaterThanOrEqual(11)
    for (const [, path, lastmod] of months) {
      const page = await get(path!)
      expect(page.status, path).toBe(200)
      // One entry a month here, so the page's Last-Modified is that entry's time.
      expect(new Date(page.headers.get('Last-Modified')!).toISOString(), path).toBe(
        lastmod!.replace('Z', '.000Z'),
      )
    }
    // Every month linked from an archive index is in the sitemap.
    for (const index of ['/archive', '/topics/alpha/archive', '/people/bo/archive']) {
      const html = await (await get(index)).text()
      for (const [, href] of html.matchAll(/href="(\/[^"]*\/archive\/\d{4}\/[^"]+)"/g))
        expect(
          months.map((m) => m[1]),
          href,
        ).toContain(href)
    }
  })

  it('past 50,000 URLs the sitemap is an index of parts of at most 50,000', () => {
    expect(sitemapPlan(20, SITEMAP_LIMIT - 20)).toEqual({ single: true })
    expect(sitemapPlan(20, SITEMAP_LIMIT - 19)).toEqual({
      single: false,
      pageParts: 1,
      entryParts: 1,
    })
    expect(sitemapPlan(20, 120_000)).toEqual({ single: false, pageParts: 1, entryParts: 3 })
    expect(sitemapPlan(60_000, 10)).toEqual({ single: false, pageParts: 2, entryParts: 1 })
    expect(sitemapPart(3, 120_000)).toEqual({ first: 100_001, last: 120_000 })
    expect(sitemapPart(1, 120_000)).toEqual({ first: 1, last: 50_000 })
  })
})

describe('the interface language', () => {
  const es = appFor(
    compileContent(files(BASIC, { site: SITE.replace('language: en', 'language: es-MX') })),
  )
  it('a Spanish site gets Spanish subscribe pages and feed preview', async () => {
    const page = await (await es.request('/subscribe')).text()
    expect(page).toContain(wordsFor('es').subscribeTitle('Test Site'))
    expect(await (await es.request('/feed.css')).text()).toContain(
      JSON.stringify(wordsFor('es').previewNewest),
    )
  })

  it('an unknown language falls back to English', () => {
    expect(wordsFor('fr')).toBe(wordsFor('en'))
    expect(wordsFor('ES')).toBe(wordsFor('es'))
  })
})
