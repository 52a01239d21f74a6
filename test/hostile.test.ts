/**
 * Hostile requests: each gets a short 4xx in the format the client expects,
 * never a 5xx, and never reflects its input unescaped.
 */
import { describe, expect, it, vi } from 'vitest'
import { env } from 'cloudflare:workers'
import { createApp } from '../src/app.ts'
import { appFor, fetchWorker, useContent } from './helpers.ts'
import { compileContent } from '../src/content/compile.ts'
import content from './generated/content.ts'
import { BASIC, files } from './helpers.ts'

const app = appFor(compileContent(files(BASIC)))
const get = (path: string, init?: RequestInit) => app.request(`https://news.test${path}`, init)

describe('hostile requests', () => {
  it.each([
    ['an unknown path', '/wp-login.php', 404],
    ['a very long path', `/${'a'.repeat(8000)}`, 404],
    ['a very long query', `/rss.xml?topic=${'a,'.repeat(3000)}`, 400],
    ['an encoded slash in a topic', '/topics/alpha%2F..%2Fbeta/rss.xml', 404],
    ['a NUL byte in a topic', '/topics/alpha%00/rss.xml', 404],
    ['a NUL byte in a parameter', '/rss.xml?topic=alpha%00', 400],
    ['invalid UTF-8 in a parameter', '/rss.xml?topic=%C3%28', 400],
    ['a truncated percent-encoding', '/rss.xml?topic=%E2%82', 400],
    ['path traversal', '/topics/../../etc/passwd', 404],
    ['encoded path traversal', '/topics/%2e%2e/%2e%2e/etc/passwd', 404],
    [
      'a huge list',
      `/rss.xml?topic=${Array.from({ length: 60 }, (_, i) => `t${i}`).join(',')}`,
      400,
    ],
    ['a duplicated parameter', '/rss.xml?topic=alpha&topic=beta', 400],
    ['an array-style parameter', '/rss.xml?topic[]=alpha', 400],
    ['an encoded array-style parameter', '/rss.xml?topic%5B0%5D=alpha', 400],
    ['an out-of-range limit', '/rss.xml?limit=100000000000000000000', 400],
    ['a negative limit', '/rss.xml?limit=-5', 400],
    ['an impossible date', '/rss.xml?since=2025-02-29', 400],
    ['a date in another form', '/rss.xml?until=03/05/2025', 400],
    ['script in a parameter', '/rss.xml?topic=<script>alert(1)</script>', 400],
    ['script in a path', '/topics/<script>alert(1)<%2Fscript>/rss.xml', 404],
    ['script in an entry id', '/entries/%3Cimg%20src=x%20onerror=alert(1)%3E', 404],
  ])('%s answers a short plain 4xx', async (_, path, status) => {
    const res = await get(path)
    expect(res.status).toBe(status)
    expect(res.headers.get('Content-Type')).toBe('text/plain; charset=UTF-8')
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff')
    const text = await res.text()
    expect(text.length).toBeLessThan(400)
    expect(text).not.toMatch(/<script|<img|\0/)
  })

  it('JSON clients get JSON errors', async () => {
    for (const [path, status] of [
      ['/feed.json?limit=0', 400],
      ['/topics/nope/feed.json', 404],
    ] as const) {
      const res = await get(path)
      expect(res.status).toBe(status)
      expect(res.headers.get('Content-Type')).toBe('application/problem+json; charset=utf-8')
      expect(await res.json()).toMatchObject({ status })
    }
    const accept = await get('/nope', { headers: { Accept: 'application/json' } })
    expect(accept.headers.get('Content-Type')).toBe('application/problem+json; charset=utf-8')
  })

  it('an unexpected error is a bare 500 that hides internals and is logged', async () => {
    const broken = createApp((await useContent(content)).catalog)
    broken.get('/boom', () => {
      throw new Error('secret internal detail')
    })
    const log = vi.spyOn(console, 'error').mockImplementation(() => {})
    const res = await broken.request('https://news.test/boom', {}, env)
    expect(res.status).toBe(500)
    expect(await res.text()).toBe('500 Internal error.\n')
    expect(res.headers.get('Cache-Control')).toBe('no-store')
    expect(log).toHaveBeenCalledOnce()
    expect(String(log.mock.calls[0])).toContain('secret internal detail')
    log.mockRestore()
  })
})

describe('response size', () => {
  it('the largest responses (limit=100) stay far below the 5 MB some readers reject', async () => {
    const served = appFor(content)
    const sizes: Record<string, number> = {}
    for (const path of [
      '/rss.xml?limit=100',
      '/atom.xml?limit=100',
      '/feed.json?limit=100',
      '/',
      '/opml.xml',
      '/topics.json',
    ]) {
      sizes[path] = (
        await (await served.request(`http://127.0.0.1:8787${path}`)).arrayBuffer()
      ).byteLength
    }
    console.log('largest responses (bytes):', JSON.stringify(sizes))
    for (const [path, size] of Object.entries(sizes)) expect(size, path).toBeLessThan(512 * 1024)
  })
})
