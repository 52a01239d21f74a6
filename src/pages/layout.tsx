/**
 * @module layout
 * The page shell shared by every HTML page: language, landmarks, inline CSS
 * (allowed by hash in the Content-Security-Policy) and autodiscovery links.
 */
import type { Child } from 'hono/jsx'
import { raw } from 'hono/html'
import { FORMATS, type Format } from '../http.ts'

export const HTML_TYPE = 'text/html; charset=utf-8'

/** Kept small and system-font only: the pages load nothing from elsewhere. */
export const CSS = `:root{color-scheme:light dark;--fg:#1b1b1b;--bg:#fdfdfc;--muted:#5d5d5d;--accent:#0b5cad;--rule:#d8d8d4}
@media (prefers-color-scheme:dark){:root{--fg:#e9e9e6;--bg:#161616;--muted:#a9a9a4;--accent:#7db4ef;--rule:#3a3a38}}
*{box-sizing:border-box}body{margin:0;font:1.0625rem/1.6 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg)}
header,main,footer{max-width:44rem;margin:0 auto;padding:1rem 1.25rem}header{border-bottom:1px solid var(--rule)}footer{border-top:1px solid var(--rule);color:var(--muted);font-size:.9rem}
a{color:var(--accent)}h1{line-height:1.2;margin:.5rem 0}h2{margin-top:2rem}.site{font-weight:600;text-decoration:none}
.meta,.muted{color:var(--muted);font-size:.95rem}.feeds a{margin-right:.75rem}ul.plain{list-style:none;padding:0}ul.plain li{margin:.75rem 0}
blockquote{margin:1rem 0;padding:.25rem 1rem;border-left:4px solid var(--rule)}blockquote footer{padding:0;border:0;max-width:none;margin:0}
form{display:grid;gap:.75rem;max-width:28rem}label{display:grid;gap:.25rem}input,select,button{font:inherit;padding:.4rem}output,code{overflow-wrap:anywhere}
.tag{display:inline-block;margin:.1rem .3rem .1rem 0}`

/** SHA-256 of {@link CSS}, base64; a test recomputes it so the two never drift apart. */
export const CSS_HASH = 'sha256-q2GjmWfsRb10CoQs5MAAno4Ik9yPntT+zfdzcqQWCfY='

/** Content-Security-Policy for every page: nothing but this origin's links and the one inline stylesheet. */
export const pageCsp = `default-src 'none'; style-src '${CSS_HASH}'; img-src 'self' https: data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`

export interface FeedLink {
  format: Format
  href: string
  title: string
}

/** Autodiscovery `<link rel="alternate">` for each of a page's feeds. */
export function feedLinks(base: string, title: string): FeedLink[] {
  return (Object.keys(FORMATS) as Format[]).map((format) => ({
    format,
    href: `${base}/${FORMATS[format].file}`,
    title: `${title} (${FORMATS[format].label})`,
  }))
}

export function Layout(props: {
  site: { title: string; url: string; language: string }
  title: string
  description: string
  canonical: string
  lang?: string
  feeds: FeedLink[]
  children: Child
}) {
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
            <link rel="alternate" type={FORMATS[f.format].type.split(';')[0]} href={f.href} title={f.title} />
          ))}
          <style>{raw(CSS)}</style>
        </head>
        <body>
          <header>
            <a class="site" href={`${props.site.url}/`}>{props.site.title}</a>
          </header>
          <main>{props.children}</main>
          <footer>
            <nav aria-label="Feeds">
              Whole site: <a href={`${props.site.url}/rss.xml`}>RSS</a> · <a href={`${props.site.url}/atom.xml`}>Atom</a> ·{' '}
              <a href={`${props.site.url}/feed.json`}>JSON Feed</a> · <a href={`${props.site.url}/opml.xml`}>OPML</a>
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
  if (typeof s !== 'string') throw new Error('page component returned a Promise; pages must be synchronous')
  return s
}
