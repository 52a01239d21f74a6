/**
 * The Worker bundle holds code only: built with two different content
 * folders (the bundled publication and a small fixture, even an invalid
 * one), `wrangler deploy --dry-run` gives the same bytes, and no module
 * under src/ imports generated content.
 * Node's test runner: `node --test test/node/`.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'

const work = mkdtempSync(join(tmpdir(), 'bundle-'))
after(() => rmSync(work, { recursive: true, force: true }))

/** The bundle `wrangler deploy --dry-run` writes with CONTENT_DIR set to `content`. */
function bundle(name: string, content: string): Buffer {
  const out = join(work, name)
  const run = spawnSync('npx', ['wrangler', 'deploy', '--dry-run', '--minify', '--outdir', out], {
    encoding: 'utf8',
    env: { ...process.env, CONTENT_DIR: content, WRANGLER_SEND_METRICS: 'false' },
  })
  assert.equal(run.status, 0, run.stderr)
  return readFileSync(join(out, 'index.js'))
}

describe('the Worker bundle', () => {
  it('is the same bytes whatever the content', () => {
    const broken = join(work, 'broken')
    cpSync('test/fixtures/content', broken, { recursive: true })
    writeFileSync(join(broken, 'entries', 'first.md'), 'not an entry\n')
    const a = bundle('a', 'content')
    const b = bundle('b', 'test/fixtures/content')
    const c = bundle('c', broken)
    assert.ok(a.length > 10_000)
    assert.ok(
      a.equals(b) && a.equals(c),
      `bundles differ: ${a.length}, ${b.length}, ${c.length} bytes`,
    )
  })

  it('imports no generated content module', () => {
    const files = readdirSync('src', { recursive: true, encoding: 'utf8' }).filter((f) =>
      /\.tsx?$/.test(f),
    )
    for (const file of files)
      assert.doesNotMatch(
        readFileSync(join('src', file), 'utf8'),
        /(?:from |import\()\s*['"][^'"]*generated\//,
        file,
      )
    assert.doesNotMatch(readFileSync('wrangler.toml', 'utf8'), /^\[build\]/m)
  })
})
