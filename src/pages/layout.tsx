/**
 * @module layout
 * The page shell shared by every HTML page: language, landmarks, inline CSS
 * (allowed by hash in the Content-Security-Policy) and autodiscovery links.
 *
 * Links between pages are root-relative (`/topics/x`): they work on whatever
 * origin serves the Worker (production, a preview, `wrangler dev` on any
 * port) without ever echoing the request's Host. Only the canonical link,
 * the autodiscovery links and the feed URLs shown for copying are absolute,
 * built from `site.url`.
 */
import type { Child } from 'hono/jsx'
import { raw } from 'hono/html'
import { feedPath, FORMAT_KEYS, FORMATS, type Format } from '../formats.ts'
import { wordsFor, type Words } from '../i18n.ts'
import { MEMBER_ROWS } from '../scopes.ts'

export const HTML_TYPE = 'text/html; charset=utf-8'

/** Kept small and system-font only: the pages load nothing from elsewhere. */
export const CSS = `:root{color-scheme:light dark;--fg:#1b1b1b;--bg:#fdfdfc;--muted:#5d5d5d;--accent:#0b5cad;--rule:#d8d8d4;--soft:#f1f1ee;--warn:#a4262c}
@media (prefers-color-scheme:dark){:root{--fg:#e9e9e6;--bg:#161616;--muted:#a9a9a4;--accent:#7db4ef;--rule:#3a3a38;--soft:#222220;--warn:#ff8a8a}}
*{box-sizing:border-box}body{margin:0;font:1.0625rem/1.6 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg);overflow-wrap:break-word}
header,main,footer{max-width:44rem;margin:0 auto;padding:1rem 1.25rem}header{border-bottom:1px solid var(--rule);display:flex;flex-wrap:wrap;gap:.25rem 1.25rem;align-items:baseline}footer{border-top:1px solid var(--rule);color:var(--muted);font-size:.9rem}
a{color:var(--accent)}h1{font-size:clamp(1.6rem,5vw + .5rem,2.1rem);line-height:1.2;margin:.5rem 0}h2{margin-top:2rem;line-height:1.25}h3{margin:0;font-size:1.1rem;line-height:1.35}.site{font-weight:600;text-decoration:none}
header nav a{margin-right:.9rem}.skip{position:absolute;left:-999px}.skip:focus{position:static}.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
.lead{font-size:1.125rem}.meta,.muted{color:var(--muted);font-size:.95rem}.meta{margin:.25rem 0}.topics a{color:inherit}.feeds a{margin-right:.75rem;white-space:nowrap}.feeds a:last-child{margin-right:0}
ul.plain,ol.plain{list-style:none;padding:0}ul.plain>li,ol.plain>li{margin:1.25rem 0}li p{margin:.25rem 0}ul.plain.compact>li{margin:.4rem 0}
.badge{display:inline-block;border:1px solid var(--rule);border-radius:.3rem;padding:0 .35rem;font-size:.8rem;line-height:1.5;color:var(--muted)}
figure{margin:1.25rem 0}blockquote{margin:0;padding:.25rem 1rem;border-left:4px solid var(--rule)}figcaption{padding-left:1.25rem;color:var(--muted);font-size:.95rem}
form{display:grid;gap:1rem}fieldset{border:1px solid var(--rule);border-radius:.3rem;margin:0;padding:.5rem .9rem .75rem}legend{padding:0 .3rem;font-weight:600}
label{display:grid;gap:.25rem}.choices{display:grid;grid-template-columns:repeat(auto-fill,minmax(14rem,1fr));gap:.3rem 1rem;font-size:.95rem;line-height:1.35}.choices label{display:flex;gap:.5rem;align-items:baseline}
input,select,button{font:inherit;padding:.4rem}input[type=checkbox]{padding:0}.row{display:flex;flex-wrap:wrap;gap:1rem}.row label{flex:1 1 12rem}button{justify-self:start;padding:.45rem 1.1rem}
.result,.error{margin:1rem 0;padding:.5rem 1rem;border-left:4px solid var(--accent);background:var(--soft)}.error{border-color:var(--warn)}
output,code{overflow-wrap:anywhere}.feed-url{display:block;margin:.25rem 0;padding:.5rem .6rem;border:1px solid var(--rule);background:var(--bg);user-select:all}.feed-url span{display:inline-block;max-width:100%}.tag{display:inline-block;margin:.1rem .6rem .1rem 0}
@media (min-width:70rem){.wide header,.wide main,.wide footer{max-width:70rem}.wide .lead{max-width:44rem}.columns{display:flex;gap:3rem;align-items:flex-start}.columns>:first-child{flex:1 1 0;min-width:0}.columns>:last-child{flex:0 0 21rem}}`

/** SHA-256 of {@link CSS}, base64; a test recomputes it so the two never drift apart. */
export const CSS_HASH = 'sha256-2AcT+M7DwfAaVaojvM1fGDFJZ+3fYxlo7nQuiWCe/8g='

/** Content-Security-Policy for every page: nothing but this origin's links and the one inline stylesheet. */
export const pageCsp = `default-src 'none'; style-src '${CSS_HASH}'; script-src 'self'; img-src 'self' https: data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`

/** Content-Security-Policy of a feed document shown in a browser: the preview's own stylesheet and script, nothing else. */
export const feedCsp = `default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' https: data:; base-uri 'none'; frame-ancestors 'none'`

export interface FeedLink {
  format: Format
  href: string
  title: string
}

/** Autodiscovery `<link rel="alternate">` for each of a page's feeds. */
export function feedLinks(base: string, title: string): FeedLink[] {
  return FORMAT_KEYS.map((format) => ({
    format,
    href: feedPath(base, format),
    title: `${title} (${FORMATS[format].label})`,
  }))
}

/**
 * "Subscribe" links to one feed in every format, each to its section of the
 * scope's subscribe page. `base` is root-relative (`''` for the site,
 * `/topics/x` for a topic). The visible label ("RSS") starts the link's
 * accessible name, and visually hidden words name the feed, for screen
 * readers that list links out of context (WCAG 2.5.3, label in name).
 */
export function FeedAnchors({ base, name, words }: { base: string; name: string; words: Words }) {
  return (
    <span class="feeds">
      {FORMAT_KEYS.map((format) => (
        <a href={`${base}/subscribe#${format}`}>
          {FORMATS[format].label}
          <span class="vh">{words.feedOf(name)}</span>
        </a>
      ))}
    </span>
  )
}

/** {@link FeedAnchors} as a paragraph, after a label. */
export function SubscribeLinks({
  base,
  name,
  words,
  label = words.subscribe,
}: {
  base: string
  name: string
  words: Words
  label?: string
}) {
  return (
    <p>
      {label} <FeedAnchors base={base} name={name} words={words} />
    </p>
  )
}

/**
 * The service's own message of an error (why a value was refused, what was
 * not found): one text for every client, in English, as problem+json gives
 * it. On a page in another language it is marked `lang="en"`, so that
 * screen readers read it as English.
 */
export function ErrorDetail({ message, words }: { message: string; words: Words }) {
  return speaksEnglish(words) ? <>{message}</> : <span lang="en">{message}</span>
}

/** True for the English table: the one whose pages may repeat the service's English messages unmarked. */
export function speaksEnglish(words: Words): boolean {
  return words === wordsFor('en')
}

export function Layout(props: {
  site: {
    title: string
    url: string
    language: string
    images?: { favicon?: string | undefined } | undefined
  }
  title: string
  description: string
  canonical: string
  lang?: string
  feeds: FeedLink[]
  /** Root-relative paths of the older and newer page of a series (`rel="prev"`, `rel="next"`): older is "prev", as RFC 5005's prev-archive. */
  prev?: string | undefined
  next?: string | undefined
  /** A page whose `.columns` stand side by side on a wide screen (the home page: news, then topics beside it). */
  wide?: boolean
  /** Same-origin scripts, run after parsing (`defer`). */
  scripts?: string[]
  children: Child
}) {
  const words = wordsFor(props.site.language)
  return (
    <>
      {raw('<!doctype html>')}
      <html lang={props.lang ?? props.site.language}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{props.title}</title>
          <meta name="description" content={props.description} />
          <link rel="canonical" href={props.canonical} />
          {props.feeds.map((f) => (
            <link rel="alternate" type={FORMATS[f.format].media} href={f.href} title={f.title} />
          ))}
          {props.prev && <link rel="prev" href={props.prev} />}
          {props.next && <link rel="next" href={props.next} />}
          {/* The site's favicon; without one an empty icon, so browsers do not request /favicon.ico. */}
          {props.site.images?.favicon ? (
            <link rel="icon" type="image/png" href={`/images/${props.site.images.favicon}`} />
          ) : (
            <link rel="icon" href="data:," />
          )}
          <style>{raw(CSS)}</style>
          {props.scripts?.map((src) => (
            <script src={src} defer />
          ))}
        </head>
        <body class={props.wide ? 'wide' : undefined}>
          <header>
            <a class="skip" href="#main">
              {words.skip}
            </a>
            <a class="site" href="/">
              {props.site.title}
            </a>
            <nav aria-label={words.nav.label}>
              {MEMBER_ROWS.map((row) => (
                <a href={`/${row.segment}`}>{words.scopes[row.kind].many}</a>
              ))}
              <a href="/archive">{words.nav.archive}</a>
              <a href="/search">{words.nav.search}</a>
            </nav>
          </header>
          <main id="main">{props.children}</main>
          <footer>
            <nav aria-label={words.footer.label}>
              {words.footer.wholeSite} <a href="/subscribe">{words.footer.subscribe}</a> ·{' '}
              <a href="/opml.xml">OPML</a> · <a href="/topics.json">topics.json</a>
            </nav>
          </footer>
        </body>
      </html>
    </>
  )
}

/** Renders JSX to a string; the page components are synchronous, so this never awaits. */
export function toHtml(node: { toString(): string | Promise<string> }): string {
  const s = node.toString()
  if (typeof s !== 'string')
    throw new Error('page component returned a Promise; pages must be synchronous')
  return s
}
