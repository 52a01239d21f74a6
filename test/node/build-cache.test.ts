/**
 * The compile cache of the content build (scripts/lib/build.ts): a second
 * build compiles only the entry files that changed, a change to a YAML file
 * or to the site URL compiles every entry again, and the checks across
 * entries still run over the entries it reuses.
 * Node's test runner: `node --test test/node/`.
 */
import assert from 'node:assert/strict'
import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { build } from '../../scripts/lib/build.ts'

const work = mkdtempSync(join(tmpdir(), 'build-cache-'))
after(() => rmSync(work, { recursive: true, force: true }))

describe('compile cache', () => {
  const dir = join(work, 'content')
  cpSync('test/fixtures/content', dir, { recursive: true })
  const cacheFile = join(work, 'cache', 'hashes.json')
  const edit = (file: string, change: (text: string) => string) =>
    writeFileSync(join(dir, file), change(readFileSync(join(dir, file), 'utf8')))

  it('compiles every entry the first time and none the second, with equal results', async () => {
    const first = await build(dir, { cacheFile })
    assert.equal(first.compiled, 2)
    const second = await build(dir, { cacheFile })
    assert.equal(second.compiled, 0)
    assert.deepEqual(second.entries(), first.entries())
    assert.deepEqual({ ...second.content, entries: [] }, { ...first.content, entries: [] })
    assert.equal(second.rows.catalog.version, first.rows.catalog.version)
  })

  it('compiles only the entry file that changed, or was added', async () => {
    edit('entries/second.md', (t) => t.replace('Another body.', 'Another body, *revised*.'))
    const changed = await build(dir, { cacheFile })
    assert.equal(changed.compiled, 1)
    assert.match(changed.entries().find((e) => e.id === 'second')!.html, /<em>revised<\/em>/)
    writeFileSync(
      join(dir, 'entries', 'third.md'),
      readFileSync(join(dir, 'entries', 'second.md'), 'utf8').replace('id: second', 'id: third'),
    )
    const added = await build(dir, { cacheFile })
    assert.equal(added.compiled, 1)
    assert.equal(added.content.entries.length, 3)
  })

  it('compiles every entry again when a list they depend on changes (a person renamed)', async () => {
    edit('people.yaml', (t) => t.replace('name: Ana Example', 'name: Ana Renamed'))
    const renamed = await build(dir, { cacheFile })
    assert.equal(renamed.compiled, 3)
    assert.equal(
      renamed.entries().find((e) => e.id === 'first')!.quotes[0]!.speakerName,
      'Ana Renamed',
    )
  })

  it('compiles every entry again under another site URL', async () => {
    const moved = await build(dir, { cacheFile, siteUrl: 'http://127.0.0.1:8871' })
    assert.equal(moved.compiled, 3)
    assert.ok(moved.entries().every((e) => e.url.startsWith('http://127.0.0.1:8871/')))
  })

  it('still checks across entries it reuses: a topic left without entries fails the build', async () => {
    await build(dir, { cacheFile })
    unlinkSync(join(dir, 'entries', 'second.md'))
    unlinkSync(join(dir, 'entries', 'third.md'))
    await assert.rejects(build(dir, { cacheFile }), /topic "beta" has no entries/)
  })
})
