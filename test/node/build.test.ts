/**
 * The content build, run as the build runs it: every kind of bad content
 * file stops `node scripts/build-content.ts` (and so `npm start`, `npm test`
 * and `wrangler deploy`) with its file, field and reason, and writes nothing.
 * Node's test runner: `node --test test/node/`.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
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

/** A copy of the valid fixture, changed by `setup` (which may make FIFOs, folders and links). */
function fixture(name: string, setup: (dir: string) => void): string {
  const dir = join(work, name)
  cpSync(FIXTURE, dir, { recursive: true })
  setup(dir)
  return dir
}

/** Applies `edit` to the text of `file` in `dir`. */
function edit(dir: string, file: string, change: (text: string) => string) {
  writeFileSync(join(dir, file), change(readFileSync(join(dir, file), 'utf8')))
}

/** Runs the build script; a hang is cut off after a minute and reported as such (`signal`). */
function build(dir: string, env: Record<string, string> = {}) {
  const out = join(dir, 'out', 'content.ts')
  const run = spawnSync(process.execPath, ['scripts/build-content.ts', dir, out], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, ...env },
  })
  return {
    status: run.status,
    signal: run.signal,
    stderr: run.stderr,
    stdout: run.stdout,
    wrote: existsSync(out),
  }
}

/** The build refused the content: exit 1, the problem list and no stack trace, nothing written, no hang. */
function assertRefused(result: ReturnType<typeof build>, ...expected: RegExp[]) {
  assert.equal(result.signal, null, 'the build hung')
  assert.equal(result.status, 1, result.stderr)
  assert.match(result.stderr, /^Invalid content \(\d+ problems?\):/)
  assert.doesNotMatch(result.stderr, /^\s+at /m, 'a stack trace')
  for (const pattern of expected) assert.match(result.stderr, pattern)
  assert.equal(result.wrote, false)
}

describe('content build', () => {
  it('builds the valid fixture', () => {
    const result = build(variant('valid', 'entries/first.md', (t) => t))
    assert.equal(result.status, 0, result.stderr)
    assert.match(result.stdout, /content: 2 entries, 2 topics, 1 people/)
    assert.ok(result.wrote)
  })

  it('builds a site in a language without an interface table, with a warning that it falls back to English', () => {
    const language = (tag: string) =>
      build(
        variant(`language-${tag}`, 'site.yaml', (t) =>
          t.replace(/^language: .*$/m, `language: ${tag}`),
        ),
      )
    const french = language('fr')
    assert.equal(french.status, 0, french.stderr)
    assert.match(
      french.stderr,
      /^warning: site\.yaml language "fr" has no interface table \(en, es\); pages and feed previews fall back to English$/m,
    )
    assert.ok(french.wrote)
    const spanish = language('es-MX')
    assert.equal(spanish.status, 0, spanish.stderr)
    assert.doesNotMatch(spanish.stderr, /warning/)
  })

  const cases: [string, string, (t: string) => string, RegExp][] = [
    [
      'bad date',
      'entries/first.md',
      (t) => t.replace('"2025-05-03"', '"2025-05-3"'),
      /entries\/first\.md: published: must be YYYY/,
    ],
    [
      'day 32',
      'entries/first.md',
      (t) => t.replace('"2025-05-03"', '"2025-05-32"'),
      /entries\/first\.md: published: is not a real date/,
    ],
    [
      'impossible date',
      'entries/first.md',
      (t) => t.replace('"2025-05-03"', '"2025-02-29"'),
      /entries\/first\.md: published: is not a real date/,
    ],
    [
      'unknown topic',
      'entries/first.md',
      (t) => t.replace('topics: [alpha]', 'topics: [gamma]'),
      /entries\/first\.md: topics\.0: unknown topic "gamma" \(valid: alpha, beta\)/,
    ],
    [
      'unknown person',
      'entries/first.md',
      (t) => t.replace('people: [ana]', 'people: [zed]'),
      /entries\/first\.md: people\.0: unknown person "zed"/,
    ],
    [
      'duplicate id',
      'entries/copy.md',
      () => readFileSync(join(FIXTURE, 'entries/first.md'), 'utf8'),
      /entries\/copy\.md: id: "first" must match the file name "copy"[\s\S]*entries\/first\.md: id: duplicate id "first" \(also in .*copy\.md\)/,
    ],
    [
      'missing field',
      'entries/second.md',
      (t) => t.replace(/^summary: .*\n/m, ''),
      /entries\/second\.md: summary: is required/,
    ],
    [
      'broken YAML',
      'entries/second.md',
      (t) => t.replace('topics: [beta]', 'topics: [beta'),
      /entries\/second\.md: line \d+, column \d+: YAML: /,
    ],
    [
      'quote without a speaker',
      'entries/first.md',
      (t) => t.replace('  - speaker: ana\n    text:', '  - text:'),
      /entries\/first\.md: quotes\.0\.speaker: is required/,
    ],
    [
      'inferred date without basis',
      'entries/second.md',
      (t) => t.replace(/^dateBasis: .*\n/m, ''),
      /entries\/second\.md: dateBasis: is required when dateInferred is true/,
    ],
    [
      'bad site URL',
      'site.yaml',
      (t) => t.replace('https://fixture.test', 'not a url'),
      /site\.yaml: url: /,
    ],
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

  // The deploy build no longer reads content/ (the Worker reads it from D1): test/node/bundle.test.ts.

  describe('hostile files', () => {
    const ENTRY = readFileSync(join(FIXTURE, 'entries/first.md'), 'utf8')
    const hostile: [string, (dir: string) => void, RegExp[]][] = [
      [
        'a FIFO named *.md',
        (d) => assert.equal(spawnSync('mkfifo', [join(d, 'entries/pipe.md')]).status, 0),
        [/entries\/pipe\.md: is a named pipe \(FIFO\), not a file/],
      ],
      [
        'a directory named *.md',
        (d) => mkdirSync(join(d, 'entries/folder.md')),
        [/entries\/folder\.md: is a directory, not a file/],
      ],
      [
        'a symlink that leaves content/',
        (d) => {
          writeFileSync(join(work, 'outside.md'), ENTRY.replace('id: first', 'id: leak'))
          symlinkSync(join(work, 'outside.md'), join(d, 'entries/leak.md'))
        },
        [
          /entries\/leak\.md: is a symbolic link that leads outside the content folder; it is not followed/,
        ],
      ],
      [
        'a settings file linked from outside',
        (d) => {
          rmSync(join(d, 'site.yaml'))
          symlinkSync('/etc/hostname', join(d, 'site.yaml'))
        },
        [/site\.yaml: is a symbolic link that leads outside the content folder/],
      ],
      [
        'invalid UTF-8',
        (d) =>
          writeFileSync(
            join(d, 'entries/first.md'),
            Buffer.concat([Buffer.from(ENTRY), Buffer.from([0xc3, 0x28])]),
          ),
        [/entries\/first\.md: is not valid UTF-8 text/],
      ],
      [
        'an alias bomb',
        (d) =>
          writeFileSync(
            join(d, 'people.yaml'),
            [
              '- &a [x, x, x, x, x, x, x, x, x, x]',
              ...'abcdefghi'
                .split('')
                .map(
                  (c, i) =>
                    `- &${String.fromCharCode(c.charCodeAt(0) + 1)} [${Array(10).fill(`*${c}`).join(', ')}]`,
                ),
            ].join('\n') + `\n`,
          ),
        [/people\.yaml: line 2, column \d+: YAML: aliases expand to too much data/],
      ],
      [
        'an undefined alias',
        (d) => edit(d, 'entries/first.md', (t) => t.replace('people: [ana]', 'people: [*who]')),
        [/entries\/first\.md: line 7, column 10: YAML: /],
      ],
      [
        'a javascript: publisher URL',
        (d) =>
          edit(d, 'site.yaml', (t) =>
            t.replace('  name: Fixture Desk', '  name: Fixture Desk\n  url: "javascript:alert(1)"'),
          ),
        [/site\.yaml: publisher\.url: must be an http or https URL/],
      ],
      [
        'a site URL with a path',
        (d) =>
          edit(d, 'site.yaml', (t) =>
            t.replace('https://fixture.test', 'https://fixture.test/feeds/'),
          ),
        [/site\.yaml: url: must be a bare origin/],
      ],
      [
        'a date past 9999 in UTC',
        (d) =>
          edit(d, 'entries/first.md', (t) =>
            t.replace('"2025-05-03"', '"9999-12-31T23:00:00-05:00"'),
          ),
        [/entries\/first\.md: published: falls outside the years 0000 to 9999 in UTC/],
      ],
      [
        'T24:00',
        (d) =>
          edit(d, 'entries/first.md', (t) => t.replace('"2025-05-03"', '"2025-05-03T24:00:00Z"')),
        [
          /entries\/first\.md: published: is not a real time: write T24:00 as T00:00 of the next day/,
        ],
      ],
      [
        'updated before published',
        (d) =>
          edit(d, 'entries/first.md', (t) =>
            t.replace('published: "2025-05-03"', 'published: "2025-05-03"\nupdated: "2025-05-01"'),
          ),
        [/entries\/first\.md: updated: is earlier than published/],
      ],
      [
        'an entry over the size limit',
        (d) => edit(d, 'entries/first.md', (t) => t + 'words '.repeat(60_000)),
        [/entries\/first\.md: is larger than the limit of 256 KiB for an entry/],
      ],
      [
        'an entry that renders over the size limit',
        (d) => edit(d, 'entries/first.md', (t) => t + '\n\n' + 'words '.repeat(7_000)),
        [/entries\/first\.md: body: renders to \d+ KiB, over the limit of 32 KiB/],
      ],
      [
        'an image that is not a PNG',
        (d) => {
          writeFileSync(join(d, 'icon.png'), '<svg/>'.repeat(10))
          edit(d, 'site.yaml', (t) => `${t}images:\n  icon: icon.png\n  logo: missing.png\n`)
        },
        [
          /icon\.png: is not a PNG file \(no PNG signature\)/,
          /site\.yaml: images\.logo: no PNG file "missing\.png" in the content folder/,
        ],
      ],
      [
        'everything at once, each listed',
        (d) => {
          assert.equal(spawnSync('mkfifo', [join(d, 'entries/pipe.md')]).status, 0)
          mkdirSync(join(d, 'entries/folder.md'))
          symlinkSync('/etc/passwd', join(d, 'entries/passwd.md'))
        },
        [
          /entries\/pipe\.md: is a named pipe/,
          /entries\/folder\.md: is a directory/,
          /entries\/passwd\.md: is a symbolic link that leads outside/,
        ],
      ],
    ]
    for (const [name, setup, expected] of hostile) {
      it(`refuses ${name}, naming it, without hanging or a stack trace, and writes nothing`, () => {
        assertRefused(build(fixture(name.replace(/\W+/g, '-'), setup)), ...expected)
      })
    }

    it('refuses a SITE_URL that is not a bare origin', () => {
      assertRefused(
        build(
          fixture('site-url-path', () => {}),
          { SITE_URL: 'https://feeds.test/base?x=1' },
        ),
        /SITE_URL: url: must be a bare origin/,
      )
    })

    it('accepts and strips a byte-order mark at the start of entries and YAML files', () => {
      const dir = fixture('bom', (d) => {
        for (const file of [
          'entries/first.md',
          'entries/second.md',
          'site.yaml',
          'topics.yaml',
          'people.yaml',
          'sources.yaml',
        ])
          edit(d, file, (t) => `\uFEFF${t}`)
      })
      const result = build(dir)
      assert.equal(result.status, 0, result.stderr)
      assert.match(result.stdout, /content: 2 entries, 2 topics, 1 people/)
      assert.doesNotMatch(readFileSync(join(dir, 'out', 'content.ts'), 'utf8'), /\uFEFF|\\ufeff/i)
    })

    it('follows a symlink that stays inside content/', () => {
      const dir = fixture('inner-link', (d) => {
        writeFileSync(join(d, 'first.source'), readFileSync(join(d, 'entries/first.md')))
        rmSync(join(d, 'entries/first.md'))
        symlinkSync('../first.source', join(d, 'entries/first.md'))
      })
      const result = build(dir)
      assert.equal(result.status, 0, result.stderr)
    })

    it('builds with identity images and carries them', () => {
      const dir = fixture('images', (d) => {
        for (const name of ['icon.png', 'favicon.png', 'logo.png'])
          cpSync(join('test/fixtures/millbrook', name), join(d, name))
        edit(
          d,
          'site.yaml',
          (t) => `${t}images:\n  icon: icon.png\n  favicon: favicon.png\n  logo: logo.png\n`,
        )
      })
      const result = build(dir)
      assert.equal(result.status, 0, result.stderr)
      assert.match(result.stdout, /3 images/)
    })
  })
})
