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
import { Layout, toHtml } from './layout.tsx'

/** Paths whose clients are programs: feeds, JSON, OPML, images, the WebSub hub, robots and sitemaps. */
const MACHINE = /\.(xml|json|txt|css|js|ico)$|^\/images\/|^\/websub$/

/** True when the request names `text/html` as acceptable and the path is a page's. */
export function wantsHtmlError(path: string, accept: string | undefined): boolean {
  if (!accept || MACHINE.test(path)) return false
  return parseAccept(accept).some((r) => r.type === 'text' && r.subtype === 'html' && r.q > 0)
}

const TITLES: Record<number, string> = {
  400: 'That address is not quite right',
  404: 'Page not found',
  405: 'Not allowed',
  410: 'Gone',
}
const LEADS: Record<number, string> = {
  400: 'Part of the address cannot be read. The details below say which part, and what it should look like.',
  404: 'There is no page at this address. It may be mistyped, or the page may have moved. Search the entries, or start from one of the pages below.',
}

export function renderErrorPage(catalog: Catalog, status: number, message: string): string {
  const site = catalog.site
  const title = TITLES[status] ?? 'Something went wrong'
  return toHtml(
    <Layout
      site={site}
      title={`${title} · ${site.title}`}
      description={message}
      canonical={`${catalog.url}/`}
      feeds={[]}
    >
      <h1>{title}</h1>
      {LEADS[status] && <p class="lead">{LEADS[status]}</p>}
      <p class="error" role="alert">
        {message}
      </p>
      <form method="get" action="/search" role="search">
        <label>
          Search the entries
          <input type="search" name="q" required />
        </label>
        <button type="submit">Search</button>
      </form>
      <h2>Or start from</h2>
      <ul>
        <li>
          <a href="/">{site.title}: the latest entries</a>
        </li>
        <li>
          <a href="/topics">Topics</a>
        </li>
        <li>
          <a href="/people">People</a>
        </li>
        <li>
          <a href="/archive">Archive by month</a>
        </li>
        <li>
          <a href="/subscribe">Subscribe to the whole site</a>
        </li>
      </ul>
    </Layout>,
  )
}
