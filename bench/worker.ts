/**
 * The benchmark Worker (section 2): renders the synthetic feed `n` times in
 * one request, so a batch can be timed from outside. Inside workerd the
 * clock does not advance during synchronous code, so bench/workerd.ts times
 * whole requests and subtracts the same request with `n=0`.
 *
 *   GET /setup?entries=N              generate the content (untimed) and fill the fragment caches
 *   GET /prepare?entries=N&n=K        make K sites with fresh entry objects for a cold batch
 *   GET /render?entries=N&format=rss|atom|json&variant=cold|warm|floor|feed|floor-encode|feed-encode&n=K
 *
 * `cold` and `warm` render ours to bytes; `floor` and `feed` render and
 * flatten a string. `floor-encode` and `feed-encode` render that string
 * once, then UTF-8 encode it K times (their `n=0` baseline renders once
 * too). The body of /render is the size of the last result, so nothing
 * large crosses the wire.
 *
 * Bundled by bench/workerd.ts with esbuild and run with Miniflare.
 */
import { deriveSite, type Site } from '../src/app.ts'
import { coldSite, encoder, FORMAT_NAMES, renderOurs, renderString, type FormatName, type StringImpl } from './lib/renderers.ts'
import { makeContent } from './lib/synthetic.ts'

const sites = new Map<number, Site>()
let prepared: (Site | undefined)[] = []

function siteOf(size: number): Site {
  let site = sites.get(size)
  if (!site) sites.set(size, (site = deriveSite(makeContent(size))))
  return site
}

export default {
  fetch(request: Request): Response {
    const url = new URL(request.url)
    const q = url.searchParams
    const size = Number(q.get('entries') ?? '20')
    const n = Number(q.get('n') ?? '1')
    const format = (q.get('format') ?? 'rss') as FormatName
    const variant = q.get('variant') ?? 'warm'
    const site = siteOf(size)

    if (url.pathname === '/setup') {
      for (const f of FORMAT_NAMES) renderOurs(site, f)
      return new Response(`${size} entries\n`)
    }
    if (url.pathname === '/prepare') {
      prepared = Array.from({ length: n }, () => coldSite(site))
      return new Response(`${n} cold sites\n`)
    }
    if (url.pathname !== '/render') return new Response('not found\n', { status: 404 })

    let bytes = 0
    if (variant === 'floor-encode' || variant === 'feed-encode') {
      const body = renderString(site, format, variant === 'floor-encode' ? 'floor' : 'feed')
      for (let i = 0; i < n; i++) bytes = encoder.encode(body).byteLength
    } else if (variant === 'floor' || variant === 'feed') {
      const impl: StringImpl = variant
      for (let i = 0; i < n; i++) bytes = renderString(site, format, impl).length
    } else if (variant === 'cold') {
      if (prepared.length < n) return new Response('prepare first\n', { status: 409 })
      for (let i = 0; i < n; i++) {
        bytes = renderOurs(prepared[i]!, format).byteLength
        prepared[i] = undefined // let the copy and its fragments be collected
      }
      prepared = []
    } else if (variant === 'warm') {
      for (let i = 0; i < n; i++) bytes = renderOurs(site, format).byteLength
    } else return new Response(`unknown variant ${variant}\n`, { status: 400 })
    return new Response(String(bytes))
  },
}
