/**
 * The compile cache of the content build (scripts/lib/build.ts): a second
 * build compiles only the entry files that changed, a change to a YAML file
 * or to the site URL compiles every entry again, and the checks across
 * entries still run over the entries it reuses; an entry file whose stat
 * matches the cache's record is not read at all, and one whose stat cannot
 * be trusted is read and compared by its text.
 * Node's test runner: `node --test test/node/`.
 */
import assert from 'node:assert/strict'
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
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

describe('entry files known unchanged by their stat', () => {
  const dir = join(work, 'stat')
  cpSync('test/fixtures/content', dir, { recursive: true })
  const cacheFile = join(work, 'stat-cache', 'hashes.json')
  const entry = (name: string) => join(dir, 'entries', name)
  const entries = () => readdirSync(join(dir, 'entries'))
  /** Sets every entry file's times an hour back: long before any build, so a build trusts their stat. */
  const age = () => {
    const then = new Date(Date.now() - 3600_000)
    for (const name of entries()) utimesSync(entry(name), then, then)
  }

  it('are not read, once their stat is older than the build that recorded it', async () => {
    age()
    const first = await build(dir, { cacheFile })
    assert.equal(first.compiled, 2)
    const second = await build(dir, { cacheFile })
    assert.equal(second.unread, 2)
    assert.equal(second.compiled, 0)
    assert.equal(second.rows.catalog.version, first.rows.catalog.version)
    assert.deepEqual(second.entries(), first.entries())
    assert.deepEqual(second.rows.hashes, first.rows.hashes)
    assert.deepEqual(await second.rows.rows(0), await first.rows.rows(0))
  })

  it('is read again when only its modification time changed, and not compiled', async () => {
    const now = new Date()
    utimesSync(entry('first.md'), now, now)
    const touched = await build(dir, { cacheFile })
    assert.equal(touched.unread, 1)
    assert.equal(touched.compiled, 0)
    // Its stat was taken within the same seconds as the save: not trusted next time either.
    const again = await build(dir, { cacheFile })
    assert.equal(again.unread, 1)
    assert.equal(again.compiled, 0)
  })

  it('sees an edit saved within the same second as the build before, same size and time', async () => {
    const path = entry('second.md')
    writeFileSync(path, readFileSync(path, 'utf8').replace('Another body.', 'Another bod_.'))
    // A whole second (which utimes sets exactly), the one now: as a file system with coarse times records a save.
    const second = Math.floor(Date.now() / 1000)
    utimesSync(path, second, second)
    const before = statSync(path)
    const seen = await build(dir, { cacheFile })
    assert.equal(seen.compiled, 1)
    // Saved again at once: same size, and its time set back to what the build saw.
    writeFileSync(path, readFileSync(path, 'utf8').replace('Another bod_.', 'Another bod*.'))
    utimesSync(path, second, second)
    const after = statSync(path)
    assert.deepEqual(
      [after.size, after.mtimeMs, after.ino],
      [before.size, before.mtimeMs, before.ino],
    )
    const edited = await build(dir, { cacheFile })
    assert.equal(edited.compiled, 1)
    assert.match(edited.entries().find((e) => e.id === 'second')!.html, /Another bod\*\./)
  })

  it('drops a deleted file, and compiles a renamed one under its new name', async () => {
    const text = readFileSync(entry('second.md'), 'utf8').replace('id: second', 'id: third')
    writeFileSync(entry('third.md'), text)
    age()
    const all = await build(dir, { cacheFile })
    unlinkSync(entry('third.md'))
    const deleted = await build(dir, { cacheFile })
    assert.equal(deleted.compiled, 0)
    assert.deepEqual(
      deleted.rows.hashes.map((h) => h.id),
      all.rows.hashes.map((h) => h.id).filter((id) => id !== 'third'),
    )
    writeFileSync(entry('renamed.md'), text.replace('id: third', 'id: renamed'))
    const renamed = await build(dir, { cacheFile })
    assert.equal(renamed.compiled, 1)
    assert.ok(renamed.entries().some((e) => e.id === 'renamed'))
    assert.ok(!renamed.entries().some((e) => e.id === 'third'))
    // Back under its old name: its compiled entry went with the file, so it is compiled again.
    renameSync(entry('renamed.md'), entry('third.md'))
    writeFileSync(entry('third.md'), text)
    const back = await build(dir, { cacheFile })
    assert.equal(back.compiled, 1)
    assert.equal(back.rows.catalog.version, all.rows.catalog.version)
  })

  it('ignores a cache written by another compiler, and compiles every entry', async () => {
    age()
    await build(dir, { cacheFile })
    const other = await build(dir, { cacheFile, compiler: 'another compiler' })
    assert.equal(other.unread, 0)
    assert.equal(other.compiled, 3)
    const back = await build(dir, { cacheFile })
    assert.equal(back.compiled, 3)
  })

  it('empties a cache of another layout (as an older build wrote it), and compiles every entry', async () => {
    const { DatabaseSync } = await import('node:sqlite')
    const file = join(work, 'old-cache', 'hashes.compiled.sqlite')
    mkdirSync(dirname(file), { recursive: true })
    const db = new DatabaseSync(file)
    db.exec('CREATE TABLE records (id INTEGER PRIMARY KEY, json TEXT NOT NULL)')
    db.exec(`INSERT INTO records VALUES (1, '{"depends": "x", "files": {}}')`)
    db.close()
    const built = await build(dir, { cacheFile: join(work, 'old-cache', 'hashes.json') })
    assert.equal(built.compiled, 3)
  })

  it('gives the same rows as a build without a cache', async () => {
    age()
    await build(dir, { cacheFile })
    const cached = await build(dir, { cacheFile })
    assert.equal(cached.unread, 3)
    const plain = await build(dir)
    assert.equal(cached.rows.catalog.version, plain.rows.catalog.version)
    assert.deepEqual(cached.rows.catalog, plain.rows.catalog)
    assert.deepEqual(cached.rows.months, plain.rows.months)
    for (let i = 0; i < plain.rows.hashes.length; i++)
      assert.deepEqual(await cached.rows.rows(i), await plain.rows.rows(i))
  })
})
