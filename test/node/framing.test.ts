/**
 * Message framing as the Worker is served: a real `wrangler dev` (workerd)
 * over content/ (whatever publication it holds), read with node:http so that the wire headers
 * are seen as sent. Every response with a body carries `Content-Length`
 * (never `Transfer-Encoding: chunked`), and `HEAD` answers the headers of
 * `GET` (RFC 9110 section 9.3.2). HTML pages are left out here: wrangler
 * dev's proxy rewrites every `text/html` response (live reload) and so
 * chunks it; test/hardening3.test.ts checks them through
 * `exports.default.fetch`. Node's test runner: `node --test test/node/`.
 */
import assert from 'node:assert/strict'
import { request } from 'node:http'
import { after, before, describe, it } from 'node:test'
import { startDevServer, type DevServer } from '../../scripts/dev-server.ts'

/** A port of this test's own (wrangler dev refuses one in use). */
const PORT = 8841

interface Wire {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Buffer
}

function send(origin: string, path: string, method: 'GET' | 'HEAD'): Promise<Wire> {
  return new Promise((resolve, reject) => {
    const req = request(`${origin}${path}`, { method }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      )
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end()
  })
}

/** Headers that may differ between two responses to the same URL. */
const VOLATILE = new Set(['date', 'cf-ray', 'connection', 'keep-alive'])

describe('framing through wrangler dev', { timeout: 180_000 }, () => {
  let server: DevServer
  before(async () => {
    server = await startDevServer(PORT)
  })
  after(() => server?.stop())

  it('every GET with a body has Content-Length equal to its bytes and is never chunked; HEAD has the same headers', async () => {
    // The publication's icon, when it has one (a publication need not have images).
    const feed = JSON.parse(
      (await send(server.origin, '/feed.json', 'GET')).body.toString('utf8'),
    ) as { icon?: string }
    const icon = feed.icon === undefined ? [] : [new URL(feed.icon).pathname]
    const paths = [
      '/rss.xml',
      '/atom.xml',
      '/feed.json',
      '/topics.json',
      '/people.json',
      '/opml.xml',
      ...icon,
      '/archive/1/rss.xml',
      '/no-such-page',
      '/archive/x',
      '/rss.xml?limit=x',
    ]
    for (const path of paths) {
      const get = await send(server.origin, path, 'GET')
      assert.equal(get.headers['transfer-encoding'], undefined, `${path}: chunked`)
      assert.equal(
        get.headers['content-length'],
        String(get.body.byteLength),
        `${path}: Content-Length`,
      )
      assert.ok(get.body.byteLength > 0, `${path}: a body`)
      const head = await send(server.origin, path, 'HEAD')
      const list = (w: Wire) =>
        Object.entries(w.headers)
          .filter(([name]) => !VOLATILE.has(name))
          .sort(([a], [b]) => (a < b ? -1 : 1))
      assert.deepEqual(list(head), list(get), `${path}: HEAD headers`)
      assert.equal(head.status, get.status, path)
    }
  })
})
