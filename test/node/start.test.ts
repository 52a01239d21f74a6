/**
 * `npm start`'s watch mode, from outside: the dev script serves a copy of a
 * small fixture folder, a saved edit is served at a following request, an
 * invalid file is reported once as `file: field: reason` (no stack trace)
 * while the last good version keeps serving, and feeds name the address
 * actually served.
 * Node's test runner: `node --test test/node/`.
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'

const PORT = 8812
const ORIGIN = `http://127.0.0.1:${PORT}`
const work = mkdtempSync(join(tmpdir(), 'start-'))
const content = join(work, 'content')
cpSync('test/fixtures/content', content, { recursive: true })

const child = spawn(
  process.execPath,
  ['scripts/start.ts', '--port', String(PORT), '--persist-to', join(work, 'state')],
  {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CONTENT_DIR: content, WRANGLER_SEND_METRICS: 'false' },
  },
)
let out = ''
child.stdout!.on('data', (c: Buffer) => (out += c))
child.stderr!.on('data', (c: Buffer) => (out += c))
after(() => {
  try {
    process.kill(-child.pid!, 'SIGTERM')
  } catch {
    // Already gone.
  }
  rmSync(work, { recursive: true, force: true })
})

async function text(path: string): Promise<string | undefined> {
  try {
    const res = await fetch(ORIGIN + path, { signal: AbortSignal.timeout(5000) })
    return res.status === 200 ? await res.text() : undefined
  } catch {
    return undefined
  }
}

/** Polls `path` until `test` holds of its body; the time it took, in ms. */
async function until(
  path: string,
  test: (body: string) => boolean,
  timeoutMs: number,
): Promise<number> {
  const start = Date.now()
  while (Date.now() - start < timeoutMs) {
    const body = await text(path)
    if (body !== undefined && test(body)) return Date.now() - start
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`${path} did not change within ${timeoutMs} ms:\n${out.slice(-2000)}`)
}

describe('npm start', () => {
  it('serves the content with absolute URLs on the address served', async () => {
    await until('/rss.xml', (b) => b.includes('The first entry'), 180_000)
    const feed = (await text('/atom.xml'))!
    assert.match(feed, new RegExp(`href="${ORIGIN}/atom.xml"`))
    const before = out.slice(0, out.indexOf('Ready on'))
    assert.ok(before.split('\n').length <= 15, `too many lines before the address:\n${before}`)
  })

  it('serves a saved edit at a following request', async () => {
    const file = join(content, 'entries', 'first.md')
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('title: The first entry', 'title: An edited first entry'),
    )
    const ms = await until('/rss.xml', (b) => b.includes('An edited first entry'), 20_000)
    assert.ok(ms < 20_000)
  })

  it('reports invalid content once, without a stack trace, and keeps serving the last good version', async () => {
    const file = join(content, 'entries', 'second.md')
    const good = readFileSync(file, 'utf8')
    writeFileSync(file, good.replace(/^published: .*$/m, 'published: "2025-13-45"'))
    const deadline = Date.now() + 20_000
    while (!/entries\/second\.md: published: /.test(out) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100))
    assert.match(out, /entries\/second\.md: published: /)
    assert.doesNotMatch(out, /^\s+at /m)
    assert.match((await text('/rss.xml'))!, /An edited first entry/)
    // Saved again, unchanged: not reported again.
    writeFileSync(file, good.replace(/^published: .*$/m, 'published: "2025-13-45"'))
    await new Promise((resolve) => setTimeout(resolve, 1500))
    assert.equal(out.match(/entries\/second\.md: published: /g)!.length, 1)
    writeFileSync(file, good)
    await until('/feed.json', (b) => JSON.parse(b).items.length === 2, 20_000)
  })
})
