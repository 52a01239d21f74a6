/**
 * Browser test of discovery and subscription: starts the Worker with
 * `wrangler dev`, drives Debian's Chromium through playwright-core, and
 * checks what a reader does: find the feeds from `/`, click through to a
 * topic and an entry, build a filtered feed with the topic page's form (no
 * JavaScript involved: the pages have none) and fetch the URL it yields.
 * Fails on any console or page error and on any request that leaves the
 * origin. Screenshots (phone 390px and desktop 1280px) go to `screenshots/`.
 * Then every page kind at 390 and 1280 px: 0 axe-core violations, 0 console
 * errors, no sideways scroll, and 0 errors from the Nu HTML Checker
 * (vnu-jar, needs Java); and the feed preview: an RSS and an Atom feed
 * opened in Chromium show their title, the explanation, the address with a
 * copy button and the newest entries as links.
 *
 * Usage: node test/browser/run.ts   (npm run test:browser)
 * Environment: PORT (default 8797, or a free one if taken), CHROMIUM
 * (default /usr/bin/chromium), KEEP_SERVER_LOG=1 to print wrangler's output.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { XMLValidator } from 'fast-xml-parser'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { startDevServer, type DevServer } from '../../scripts/dev-server.ts'
import { contentCopy } from '../../scripts/lib/content-copy.ts'
import { freePort } from '../../scripts/lib/ports.ts'

const ROOT = new URL('../../', import.meta.url).pathname
const SHOTS = join(ROOT, 'screenshots')
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium'
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]
const FEED_TYPES = ['application/rss+xml', 'application/atom+xml', 'application/feed+json']
/** What each format is served as (docs/feeds-in-browsers.md): the autodiscovery types name the format, RSS and Atom are served as XML. */
const SERVED_TYPES = ['application/xml', 'application/xml', 'application/feed+json']
const AXE = readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8')
const VNU = join(ROOT, 'node_modules/vnu-jar/build/dist/vnu.jar')
const WIDTHS = [390, 1280]
const FEED_LABELS = ['RSS', 'Atom', 'JSON Feed']

// ---------------------------------------------------------------- results

const results: { name: string; ok: boolean; detail?: string }[] = []

function check(name: string, ok: boolean, detail?: string): boolean {
  results.push({ name, ok, ...(ok || detail === undefined ? {} : { detail }) })
  return ok
}

function equal(name: string, actual: unknown, expected: unknown): boolean {
  const a = JSON.stringify(actual)
  const e = JSON.stringify(expected)
  return check(name, a === e, `expected ${e}, got ${a}`)
}

// ---------------------------------------------------------------- server

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })
}

let server: DevServer | undefined

// ---------------------------------------------------------------- browser helpers

interface Watch {
  errors: string[]
  foreign: string[]
}

/** Records console errors, page errors and requests to any other origin (which are also aborted). */
async function watch(context: BrowserContext, base: string): Promise<Watch> {
  const w: Watch = { errors: [], foreign: [] }
  const origin = new URL(base).origin
  await context.route('**/*', (route) => {
    const url = route.request().url()
    if (url.startsWith('data:') || new URL(url).origin === origin) return route.continue()
    w.foreign.push(url)
    return route.abort('blockedbyclient')
  })
  context.on('page', (p) => attach(p, w))
  return w
}

function attach(page: Page, w: Watch): void {
  page.on('console', (msg) => {
    if (msg.type() === 'error') w.errors.push(`console: ${msg.text()} (${page.url()})`)
  })
  page.on('pageerror', (error) => w.errors.push(`page error: ${error.message} (${page.url()})`))
  page.on('requestfailed', (req) => {
    const reason = req.failure()?.errorText ?? ''
    // ERR_ABORTED is the browser cancelling a request itself (the favicon of a page it navigates away from), not a failure of the server.
    if (!req.url().startsWith('data:') && reason !== 'net::ERR_ABORTED')
      w.errors.push(`request failed: ${req.url()} ${reason}`)
  })
}

async function alternates(page: Page) {
  return page.$$eval('link[rel="alternate"]', (links) =>
    links.map((l) => ({
      type: l.getAttribute('type'),
      href: l.getAttribute('href') ?? '',
      title: l.getAttribute('title'),
    })),
  )
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true })
}

/** Fetches a URL from the dev server and checks it is a well-formed feed of the expected type. */
async function checkFeed(name: string, url: string, type: string): Promise<void> {
  const res = await fetch(url, { redirect: 'manual' })
  check(`${name}: 200 without redirect`, res.status === 200, `status ${res.status} for ${url}`)
  equal(`${name}: content type`, res.headers.get('content-type')?.split(';')[0], type)
  const body = await res.text()
  if (type === 'application/feed+json') {
    let ok = false
    try {
      const json = JSON.parse(body) as { version?: string; items?: unknown[] }
      ok = json.version === 'https://jsonfeed.org/version/1.1' && Array.isArray(json.items)
    } catch {
      ok = false
    }
    check(`${name}: JSON Feed 1.1`, ok, body.slice(0, 200))
  } else {
    const valid = XMLValidator.validate(body)
    check(`${name}: well-formed XML`, valid === true, JSON.stringify(valid))
  }
}

// ---------------------------------------------------------------- the journey

async function desktopJourney(
  browser: Browser,
  base: string,
): Promise<{ topic: string; entry: string }> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    baseURL: base,
  })
  const w = await watch(context, base)
  const page = await context.newPage()
  attach(page, w)

  // The home page: three autodiscovery links for the site feeds.
  const home = await page.goto('/')
  check('/ answers 200', home?.status() === 200, `status ${home?.status()}`)
  const siteTitle = (await page.locator('h1').textContent())?.trim() ?? ''
  check('/ has a title', siteTitle.length > 0)
  const siteLinks = await alternates(page)
  equal(
    '/ has three autodiscovery links of the feed types',
    siteLinks.map((l) => l.type),
    FEED_TYPES,
  )
  equal(
    '/ autodiscovery titles',
    siteLinks.map((l) => l.title),
    FEED_LABELS.map((l) => `${siteTitle} (${l})`),
  )
  equal(
    '/ autodiscovery paths',
    siteLinks.map((l) => new URL(l.href).pathname),
    ['/rss.xml', '/atom.xml', '/feed.json'],
  )
  for (const [i, link] of siteLinks.entries())
    await checkFeed(
      `site feed ${FEED_LABELS[i]}`,
      base + new URL(link.href).pathname,
      SERVED_TYPES[i]!,
    )
  await shoot(page, 'home-desktop')

  // Click through to the first topic.
  const topicLink = page.locator('section[aria-labelledby="topics"] h3 a').first()
  const topicTitle = (await topicLink.textContent())?.trim() ?? ''
  await Promise.all([page.waitForURL(/\/topics\/[a-z0-9-]+$/), topicLink.click()])
  const topicPath = new URL(page.url()).pathname
  const slug = topicPath.split('/')[2]!
  equal(
    'topic page heading is the topic clicked',
    (await page.locator('h1').textContent())?.trim(),
    topicTitle,
  )
  const topicLinks = await alternates(page)
  equal(
    'topic page has three autodiscovery links',
    topicLinks.map((l) => l.type),
    FEED_TYPES,
  )
  equal(
    'topic autodiscovery titles',
    topicLinks.map((l) => l.title),
    FEED_LABELS.map((l) => `${siteTitle}: ${topicTitle} (${l})`),
  )
  equal(
    'topic autodiscovery paths',
    topicLinks.map((l) => new URL(l.href).pathname),
    ['rss.xml', 'atom.xml', 'feed.json'].map((f) => `${topicPath}/${f}`),
  )
  const listed = await page.locator('section[aria-labelledby="entries"] h3 a').count()
  const count = Number(await page.locator('[data-entries]').first().getAttribute('data-entries'))
  check(
    'topic page lists as many entries as it counts',
    listed === count && count > 0,
    `${listed} listed, ${count} counted`,
  )
  await shoot(page, 'topic-desktop')

  // Then the first entry.
  const entryLink = page.locator('section[aria-labelledby="entries"] h3 a').first()
  const entryTitle = (await entryLink.textContent())?.trim() ?? ''
  await Promise.all([page.waitForURL(/\/entries\/[a-z0-9-]+$/), entryLink.click()])
  const entryPath = new URL(page.url()).pathname
  equal(
    'entry page heading is the entry clicked',
    (await page.locator('h1').textContent())?.trim(),
    entryTitle,
  )
  const entryLinks = await alternates(page)
  check(
    "entry page links its topics' feeds",
    entryLinks.length > 0 &&
      entryLinks.length % 3 === 0 &&
      entryLinks.some((l) => new URL(l.href).pathname === `${topicPath}/rss.xml`),
    JSON.stringify(entryLinks),
  )
  check('entry page shows its date', (await page.locator('article time').count()) > 0)
  await shoot(page, 'entry-desktop')

  // Back on the topic page, build a filtered feed with the form: no JavaScript, a plain GET.
  // The form offers the topics and people that share entries with this one: a publication may have none of either.
  await page.goto(topicPath)
  const offered = {
    topic: (await page.locator('input[name="topic"]').count()) > 0,
    person: (await page.locator('input[name="person"]').count()) > 0,
  }
  if (offered.topic) await page.locator('input[name="topic"]').first().check()
  if (offered.person) await page.locator('input[name="person"]').first().check()
  await page.locator('input[name="since"]').fill('2025-01-01')
  await page.locator('select[name="format"]').selectOption('atom')
  await Promise.all([
    page.waitForURL((u) => u.pathname === topicPath && u.search.length > 1),
    page.locator('form button[type="submit"]').click(),
  ])
  const formUrl = new URL(page.url())
  equal('form GETs back to the topic page', formUrl.pathname, topicPath)
  const feedUrl = (await page.locator('#feed-url').textContent())?.trim() ?? ''
  const parsed = URL.canParse(feedUrl) ? new URL(feedUrl) : undefined
  check(
    'form shows an absolute feed URL',
    parsed !== undefined && /^https?:$/.test(parsed.protocol),
    feedUrl,
  )
  if (parsed) {
    equal("feed URL is the topic's Atom feed", parsed.pathname, `${topicPath}/atom.xml`)
    const query = parsed.search.slice(1)
    const canonical = new RegExp(
      `^${offered.topic ? 'topic=[a-z0-9-]+&' : ''}${offered.person ? 'person=[a-z0-9-]+&' : ''}since=2025-01-01$`,
    )
    check(
      'feed URL query is canonical (topic, person, since in order)',
      canonical.test(query),
      query,
    )
    await page.locator('#feed-url').click()
    equal(
      'one click selects the whole feed URL, and nothing else',
      await page.evaluate(() => getSelection()?.toString()),
      feedUrl,
    )
    equal(
      '"Open this feed" links the same URL',
      await page.locator('#feed-link').getAttribute('href'),
      parsed.pathname + parsed.search,
    )
    await checkFeed('filtered Atom feed', base + parsed.pathname + parsed.search, 'application/xml')
  }
  await page.locator('#build').scrollIntoViewIfNeeded()
  await page.screenshot({ path: join(SHOTS, 'topic-form-result-desktop.png') })

  // Once more for JSON Feed, with every filter cleared.
  await page
    .locator('input[type="checkbox"]:checked')
    .evaluateAll((boxes) => boxes.forEach((b) => ((b as HTMLInputElement).checked = false)))
  await page.locator('input[name="since"]').fill('')
  await page.locator('select[name="format"]').selectOption('json')
  await Promise.all([
    page.waitForURL((u) => u.search.includes('format=json')),
    page.locator('form button[type="submit"]').click(),
  ])
  const jsonUrl = (await page.locator('#feed-url').textContent())?.trim() ?? ''
  equal(
    'cleared form yields the plain JSON Feed URL',
    URL.canParse(jsonUrl) ? new URL(jsonUrl).pathname + new URL(jsonUrl).search : jsonUrl,
    `${topicPath}/feed.json`,
  )
  await checkFeed('topic JSON Feed', base + `${topicPath}/feed.json`, 'application/feed+json')

  // The dark colour scheme, once.
  await page.emulateMedia({ colorScheme: 'dark' })
  await page.goto(entryPath)
  await shoot(page, 'entry-desktop-dark')

  equal('no console or page errors (desktop)', w.errors, [])
  equal('no request left the origin (desktop)', w.foreign, [])
  await context.close()
  return { topic: topicPath, entry: entryPath }
}

async function phoneShots(
  browser: Browser,
  base: string,
  paths: { topic: string; entry: string },
): Promise<void> {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    baseURL: base,
  })
  const w = await watch(context, base)
  const page = await context.newPage()
  attach(page, w)
  // The first person and source the index pages list, and a word of that person's id to search for: any publication has them.
  const firstOf = async (index: string, kind: string) => {
    await page.goto(index)
    const hrefs = await page
      .locator(`a[href^="/${kind}/"]`)
      .evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''))
    const found = hrefs.find((h) => new RegExp(`^/${kind}/[a-z0-9-]+$`).test(h))
    if (!found) throw new Error(`${index} links no page under /${kind}/`)
    return found
  }
  const person = await firstOf('/people', 'people')
  const source = await firstOf('/sources', 'sources')
  const more = [
    ['people', '/people'],
    ['person', person],
    ['sources', '/sources'],
    ['source', source],
    ['archive', '/archive'],
    ['search', `/search?q=${person.split('-').at(-1)}`],
  ] as const
  for (const [name, path] of [
    ['home', '/'],
    ['topic', paths.topic],
    ['entry', paths.entry],
    ...more,
  ] as const) {
    const res = await page.goto(path)
    check(`${path} answers 200 on a phone`, res?.status() === 200)
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    )
    check(`${path} does not scroll sideways at 390px`, overflow <= 0, `${overflow}px too wide`)
    await shoot(page, `${name}-phone`)
  }
  equal('no console or page errors (phone)', w.errors, [])
  equal('no request left the origin (phone)', w.foreign, [])
  await context.close()
}

// ---------------------------------------------------------------- every page kind

/** One URL of every kind of page (and the two error pages), `[name, path, status]`. */
async function pageKinds(
  base: string,
  paths: { topic: string; entry: string },
): Promise<[string, string, number][]> {
  const archive = await (await fetch(`${base}/archive`)).text()
  const month = /href="(\/archive\/\d{4}\/\d{2})"/.exec(archive)?.[1] ?? '/archive/2025/01'
  // Numbered archive pages exist once the site has more entries than its archive page size.
  const page = /href="(\/archive\/\d+)"/.exec(archive)?.[1]
  const person =
    /href="(\/people\/[a-z0-9-]+)"/.exec(await (await fetch(`${base}/people`)).text())?.[1] ??
    '/people'
  const source =
    /href="(\/sources\/[a-z0-9-]+)"/.exec(await (await fetch(`${base}/sources`)).text())?.[1] ??
    '/sources'
  return [
    ['home', '/', 200],
    ['topics', '/topics', 200],
    ['topic', paths.topic, 200],
    ['topic-form', `${paths.topic}?format=atom`, 200],
    ['topic-form-error', `${paths.topic}?since=never`, 400],
    ['entry', paths.entry, 200],
    ['people', '/people', 200],
    ['person', person, 200],
    ['sources', '/sources', 200],
    ['source', source, 200],
    ['archive', '/archive', 200],
    ...(page ? [['archive-page', page, 200] as [string, string, number]] : []),
    ['month', month, 200],
    ['search', '/search', 200],
    ['search-result', '/search?q=troops', 200],
    ['subscribe', '/subscribe', 200],
    ['topic-subscribe', `${paths.topic}/subscribe`, 200],
    ['not-found', '/no-such-page', 404],
    ['bad-request', '/archive/2025/13', 400],
  ]
}

interface AxeResult {
  violations: { id: string; impact: string; nodes: { target: string[] }[] }[]
}

/** Every page kind at both widths: 0 axe violations, 0 console errors, no sideways scroll. */
async function everyPageKind(
  browser: Browser,
  base: string,
  kinds: [string, string, number][],
): Promise<void> {
  for (const width of WIDTHS) {
    const context = await browser.newContext({ viewport: { width, height: 900 }, baseURL: base })
    const w = await watch(context, base)
    const page = await context.newPage()
    attach(page, w)
    for (const [name, path, status] of kinds) {
      const before = w.errors.length
      const res = await page.goto(path)
      equal(`${name} ${path} at ${width}px: status`, res?.status(), status)
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      )
      check(`${name} at ${width}px: no sideways scroll`, overflow <= 0, `${overflow}px too wide`)
      // DevTools evaluation is not subject to the page's CSP, so axe runs on the page exactly as served.
      await page.evaluate(`${AXE};0`)
      const result = (await page.evaluate(() =>
        (globalThis as unknown as { axe: { run(): Promise<unknown> } }).axe.run(),
      )) as AxeResult
      const found = result.violations.map(
        (v) =>
          `${v.id} (${v.impact}): ${v.nodes
            .map((n) => n.target.join(' '))
            .slice(0, 3)
            .join(', ')}`,
      )
      equal(`${name} at ${width}px: 0 axe violations`, found, [])
      // A 404 or 400 is logged by the browser as a failed resource load; nothing else may be.
      const errors = w.errors
        .slice(before)
        .filter((e) => !(status >= 400 && e.includes(`status of ${status}`)))
      equal(`${name} at ${width}px: 0 console errors`, errors, [])
      await shoot(page, `kind-${name}-${width}`)
    }
    equal(`no request left the origin (${width}px)`, w.foreign, [])
    await context.close()
  }
}

/** A feed opened in Chromium reads as a page: title, explanation, address and copy button, the newest entries as links. */
async function feedPreview(browser: Browser, base: string, topic: string): Promise<void> {
  for (const width of WIDTHS) {
    const context = await browser.newContext({ viewport: { width, height: 900 }, baseURL: base })
    const w = await watch(context, base)
    const page = await context.newPage()
    attach(page, w)
    for (const [name, path] of [
      ['rss', '/rss.xml'],
      ['atom', `${topic}/atom.xml`],
    ] as const) {
      await page.goto(path)
      await page.waitForSelector('nav button')
      const seen = await page.evaluate(() => {
        const root = document.documentElement
        const atom = root.namespaceURI === 'http://www.w3.org/2005/Atom'
        const head = atom ? root : root.querySelector('channel')!
        // The feed's own elements, not the XHTML <title> the preview script adds for the tab.
        const first = (n: string) =>
          [...head.children].find(
            (c) => c.localName === n && c.namespaceURI !== 'http://www.w3.org/1999/xhtml',
          )
        const intro = first(atom ? 'subtitle' : 'description')!
        const self = [...head.children].find(
          (c) => c.localName === 'link' && c.getAttribute('rel') === 'self',
        )!
        const items = [...head.children].filter((c) => c.localName === (atom ? 'entry' : 'item'))
        const anchors = items.map((i) => i.querySelector('title a') as HTMLAnchorElement | null)
        const visible = (e: Element) => e.getBoundingClientRect().height > 0
        return {
          type: document.contentType,
          title: document.title,
          feedTitle: first('title')!.textContent,
          titleShown: visible(first('title')!),
          explanation: getComputedStyle(intro, '::after').content,
          address: getComputedStyle(self, '::after').content,
          selfHref: self.getAttribute('href'),
          button: document.querySelector('nav button')?.textContent,
          subscribe: (document.querySelector('nav a') as HTMLAnchorElement | null)?.getAttribute(
            'href',
          ),
          items: items.length,
          linked: anchors.filter((a) => a && a.href.startsWith('http') && visible(a)).length,
          overflow: root.scrollWidth - root.clientWidth,
        }
      })
      check(
        `${name} preview at ${width}px: parsed as XML, not text`,
        seen.type !== 'text/plain' && seen.type.endsWith('xml'),
        seen.type,
      )
      equal(
        `${name} preview at ${width}px: the tab shows the feed's title`,
        seen.title,
        seen.feedTitle,
      )
      check(`${name} preview at ${width}px: the title is shown`, seen.titleShown)
      check(
        `${name} preview at ${width}px: explains what a feed is`,
        seen.explanation.includes('You are looking at a feed'),
        seen.explanation,
      )
      equal(
        `${name} preview at ${width}px: shows its own address`,
        seen.address,
        JSON.stringify(seen.selfHref),
      )
      equal(`${name} preview at ${width}px: copy button`, seen.button, 'Copy address')
      check(
        `${name} preview at ${width}px: links to the subscribe page`,
        seen.subscribe?.endsWith('/subscribe') === true,
        String(seen.subscribe),
      )
      check(
        `${name} preview at ${width}px: every entry is a link`,
        seen.items > 0 && seen.linked === seen.items,
        `${seen.linked} of ${seen.items}`,
      )
      check(
        `${name} preview at ${width}px: no sideways scroll`,
        seen.overflow <= 0,
        `${seen.overflow}px`,
      )
      // A full-page capture of an XML document does not settle in Chromium; the first screen is what a reader sees.
      await page.screenshot({ path: join(SHOTS, `feed-preview-${name}-${width}.png`) })
    }
    equal(`feed preview at ${width}px: no console errors`, w.errors, [])
    await context.close()
  }
}

/** The Nu HTML Checker on one page of every kind: 0 errors. */
function nuChecker(base: string, kinds: [string, string, number][]): void {
  const java = spawnSync('java', ['-version'])
  if (java.status !== 0)
    return void check(
      'Nu HTML Checker: Java is installed (Debian default-jre-headless)',
      false,
      String(java.error ?? java.stderr),
    )
  const dir = mkdtempSync(join(tmpdir(), 'nu-'))
  try {
    const pages = kinds.map(([name, path]) => {
      const file = join(dir, `${name}.html`)
      const html = execFileSync('curl', ['-s', '-H', 'Accept: text/html', base + path], {
        encoding: 'utf8',
      })
      writeFileSync(file, html)
      return file
    })
    const run = spawnSync('java', ['-jar', VNU, '--errors-only', '--format', 'json', ...pages], {
      encoding: 'utf8',
    })
    const messages = (
      JSON.parse(run.stderr || '{"messages":[]}') as {
        messages: { type: string; url: string; message: string; lastLine?: number }[]
      }
    ).messages
    for (const [name] of kinds) {
      const own = messages
        .filter((m) => m.url.endsWith(`/${name}.html`))
        .map((m) => `${m.type} line ${m.lastLine}: ${m.message}`)
      equal(`Nu HTML Checker: ${name} has 0 errors`, own, [])
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const wanted = Number(process.env.PORT ?? 8797)
  const port = (await portIsFree(wanted)) ? wanted : await freePort()
  const base = `http://127.0.0.1:${port}`
  mkdirSync(SHOTS, { recursive: true })
  console.log(`starting wrangler dev on ${base}`)
  // Small archive pages, so that the numbered archive pages exist to be checked.
  const content = contentCopy('content', 'browser-content-')
  removeContent = content.remove
  server = await startDevServer(port, {
    args: ['--inspector-port', String(await freePort()), '--log-level', 'warn'],
    ready: '/',
    contentDir: content.dir,
  })

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
  try {
    const paths = await desktopJourney(browser, base)
    await phoneShots(browser, base, paths)
    const kinds = await pageKinds(base, paths)
    await everyPageKind(browser, base, kinds)
    await feedPreview(browser, base, paths.topic)
    nuChecker(base, kinds)
  } finally {
    await browser.close()
  }
}

let crashed: unknown
let removeContent: (() => void) | undefined
try {
  await main()
} catch (error) {
  crashed = error
  check(
    'browser test ran to the end',
    false,
    error instanceof Error ? (error.stack ?? error.message) : String(error),
  )
} finally {
  await server?.stop()
  removeContent?.()
}

for (const r of results)
  console.log(
    `${r.ok ? 'PASS' : 'FAIL'} ${r.name}${r.detail ? `\n     ${r.detail.replaceAll('\n', '\n     ')}` : ''}`,
  )
const failed = results.filter((r) => !r.ok).length
console.log(`screenshots in ${SHOTS}`)
console.log(`${results.length - failed} passed, ${failed} failed`)
process.exitCode = failed > 0 || crashed ? 1 : 0
