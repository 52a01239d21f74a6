/**
 * @module subscribe
 * `/subscribe`, `/topics/{slug}/subscribe`, `/people/{id}/subscribe`: one
 * scope's feeds explained in plain words, each address with a copy button
 * (the same-origin script `/copy.js`; without it the address is still there
 * to select), and the OPML of every feed. Every "RSS / Atom / JSON Feed"
 * link on the pages leads here, to the format's section.
 */
import type { Catalog } from '../catalog.ts'
import { FORMAT_KEYS, FORMATS } from '../formats.ts'
import { feedTitle, scopeTitle, type Scope } from '../scopes.ts'
import { wordsFor } from '../i18n.ts'
import { feedLinks, Layout, toHtml } from './layout.tsx'

/** Root-relative path of a scope's subscribe page. */
export function subscribePath(base: string): string {
  return `${base}/subscribe`
}

/** The same-origin script of the copy buttons. */
export const COPY_SCRIPT = '/copy.js'

export function renderSubscribePage(catalog: Catalog, scope: Scope): string {
  const words = wordsFor(catalog.site.language)
  const base = scope.path
  const name = feedTitle(catalog, scope)
  const scopeName = scopeTitle(scope)
  const title = words.subscribeTitle(name)
  return toHtml(
    <Layout
      site={catalog.site}
      title={title}
      description={words.feedIs}
      canonical={catalog.url + subscribePath(base)}
      feeds={feedLinks(catalog.url + base, name)}
      scripts={[COPY_SCRIPT]}
    >
      <h1>{title}</h1>
      <p class="lead">{words.feedIs}</p>
      <ol>
        {words.subscribeSteps.map((step) => (
          <li>{step}</li>
        ))}
      </ol>
      {FORMAT_KEYS.map((format) => {
        const url = `${catalog.url}${base}/${FORMATS[format].file}`
        return (
          <section id={format} aria-labelledby={`${format}-h`}>
            <h2 id={`${format}-h`}>{words.feedLabels[format]}</h2>
            <p>{words.formatHelp[format]}</p>
            <p>
              {words.address}:{' '}
              <code class="feed-url" id={`${format}-url`}>
                {url}
              </code>
              <button type="button" data-copy={`${format}-url`} data-done={words.copied} hidden>
                {words.copy}
              </button>
            </p>
          </section>
        )
      })}
      <section aria-labelledby="everything">
        <h2 id="everything">{words.everything}</h2>
        <p>
          {words.opmlHelp} <a href="/opml.xml">OPML</a>
        </p>
      </section>
      <p>
        <a href={base || '/'}>{words.backTo(scopeName)}</a>
      </p>
    </Layout>,
  )
}
