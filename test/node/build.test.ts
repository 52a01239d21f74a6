/**
 * The content build, run as the build runs it: every kind of bad content
 * file stops `node scripts/build-content.ts` (and so `npm start`, `npm test`
 * and `wrangler deploy`) with its file, field and reason, and writes nothing.
 * Node's test runner: `node --test test/node/`.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'

const FIXTURE = 'test/fixtures/content'
const work = mkdtempSync(join(tmpdir(), 'content-'))
after(() => rmSync(work, { recursive: true, force: true }))

/** A copy of the valid fixture with `edit` applied to one file. */
function variant(name: string, file: string, edit: (text: string) => string): string {
  const dir = join(work, name)
  cpSync(FIXTURE, dir, { recursive: true })
  const path = join(dir, file)
  writeFileSync(path, edit(existsSync(path) ? readFileSync(path, 'utf8') : ''))
  return dir
}

function build(dir: string) {
  const out = join(dir, 'out', 'content.ts')
  const run = spawnSync(process.execPath, ['scripts/build-content.ts', '--out', out, dir], { encoding: 'utf8' })
  return { status: run.status, stderr: run.stderr, stdout: run.stdout, wrote: existsSync(out) }
}

describe('content build', () => {
  it('builds the valid fixture', () => {
    const result = build(variant('valid', 'entries/first.md', (t) => t))
    assert.equal(result.status, 0, result.stderr)
    assert.match(result.stdout, /content: 2 entries, 2 topics, 1 people/)
    assert.ok(result.wrote)
  })

  const cases: [string, string, (t: string) => string, RegExp][] = [
    ['bad date', 'entries/first.md', (t) => t.replace('"2025-05-03"', '"2025-05-32"'), /entries\/first\.md: published: must be YYYY/],
    ['impossible date', 'entries/first.md', (t) => t.replace('"2025-05-03"', '"2025-02-29"'), /entries\/first\.md: published: is not a real date/],
    ['unknown topic', 'entries/first.md', (t) => t.replace('topics: [alpha]', 'topics: [gamma]'), /entries\/first\.md: topics\.0: unknown topic "gamma" \(valid: alpha, beta\)/],
    ['unknown person', 'entries/first.md', (t) => t.replace('people: [ana]', 'people: [zed]'), /entries\/first\.md: people\.0: unknown person "zed"/],
    ['duplicate id', 'entries/copy.md', () => readFileSync(join(FIXTURE, 'entries/first.md'), 'utf8'), /entries\/copy\.md: id: "first" must match the file name "copy"[\s\S]*entries\/first\.md: id: duplicate id "first" \(also in .*copy\.md\)/],
    ['missing field', 'entries/second.md', (t) => t.replace(/^summary: .*\n/m, ''), /entries\/second\.md: summary: is required/],
    ['broken YAML', 'entries/second.md', (t) => t.replace('topics: [beta]', 'topics: [beta'), /entries\/second\.md: line \d+, column \d+: YAML: /],
    ['quote without a speaker', 'entries/first.md', (t) => t.replace('  - speaker: ana\n    text:', '  - text:'), /entries\/first\.md: quotes\.0\.speaker: is required/],
    ['inferred date without basis', 'entries/second.md', (t) => t.replace(/^dateBasis: .*\n/m, ''), /entries\/second\.md: dateBasis: is required when dateInferred is true/],
    ['bad site URL', 'site.yaml', (t) => t.replace('https://fixture.test', 'not a url'), /site\.yaml: url: /],
    ['missing topics file', 'topics.yaml', () => '', /topics\.yaml: must be a YAML list/],
  ]
  for (const [name, file, edit, expected] of cases) {
    it(`fails on ${name}, naming file and field, and writes nothing`, () => {
      const result = build(variant(name.replaceAll(' ', '-'), file, edit))
      assert.equal(result.status, 1)
      assert.match(result.stderr, /^Invalid content \(\d+ problems?\):/)
      assert.match(result.stderr, expected)
      assert.equal(result.wrote, false)
    })
  }

  it('stops the deploy build too (wrangler runs the content build first)', () => {
    const dir = variant('deploy', 'entries/first.md', (t) => t.replace('topics: [alpha]', 'topics: [gamma]'))
    const run = spawnSync('npx', ['wrangler', 'deploy', '--dry-run', '--outdir', join(work, 'dist')], {
      encoding: 'utf8',
      env: { ...process.env, CONTENT_DIR: dir, WRANGLER_SEND_METRICS: 'false' },
    })
    assert.notEqual(run.status, 0)
    assert.match(run.stdout + run.stderr, /entries\/first\.md: topics\.0: unknown topic "gamma"/)
    assert.equal(existsSync(join(work, 'dist', 'index.js')), false)
  })
})
