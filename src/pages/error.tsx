/**
 * @module error
 * Errors for people: a 404 or 400 asked for by a browser (a request whose
 * `Accept` names `text/html`) for a URL that is not a feed, a JSON document
 * or another machine resource is answered as a page in the site's layout,
 * with the message, a search box and the main links. Feeds, `.json` URLs
 * and the rest keep their problem+json or plain-text bodies.
 */
import type { Catalog } from '../catalog.ts'
import { parseAccept } from '../negotiation.ts'
import { wordsFor } from '../i18n.ts'
import { SCOPE_KINDS } from '../scopes.ts'
import { ErrorDetail, Layout, speaksEnglish, toHtml } from './layout.tsx'

/** Paths whose clients are programs: feeds, JSON, OPML, images, the WebSub hub, robots and sitemaps. */
const MACHINE = /\.(xml|json|txt|css|js|ico)$|^\/images\/|^\/websub$/

/** True when the request names `text/html` as acceptable and the path is a page's. */
export function wantsHtmlError(path: string, accept: string | undefined): boolean {
  if (!accept || MACHINE.test(path)) return false
  return parseAccept(accept).some((r) => r.type === 'text' && r.subtype === 'html' && r.q > 0)
}

/** The kinds whose index pages an error page links. */
const LINKED = ['topic', 'person'] as const

export function renderErrorPage(catalog: Catalog, status: number, message: string): string {
  const site = catalog.site
  const words = wordsFor(site.language)
  const w = words.errors
  const title = w.titles[status as keyof typeof w.titles] ?? w.other
  const lead = w.leads[status as keyof typeof w.leads]
  return toHtml(
    <Layout
      site={site}
      title={`${title} · ${site.title}`}
      description={speaksEnglish(words) ? message : (lead ?? title)}
      canonical={`${catalog.url}/`}
      feeds={[]}
    >
      <h1>{title}</h1>
      {lead && <p class="lead">{lead}</p>}
      <p class="error" role="alert">
        <ErrorDetail words={words} message={message} />
      </p>
      <form method="get" action="/search" role="search">
        <label>
          {w.searchLabel}
          <input type="search" name="q" required />
        </label>
        <button type="submit">{words.search.button}</button>
      </form>
      <h2>{w.startFrom}</h2>
      <ul>
        <li>
          <a href="/">{w.home(site.title)}</a>
        </li>
        {LINKED.map((kind) => (
          <li>
            <a href={`/${SCOPE_KINDS[kind].segment}`}>{words.scopes[kind].many}</a>
          </li>
        ))}
        <li>
          <a href="/archive">{words.archive.byMonth}</a>
        </li>
        <li>
          <a href="/subscribe">{w.subscribe}</a>
        </li>
      </ul>
    </Layout>,
  )
}
