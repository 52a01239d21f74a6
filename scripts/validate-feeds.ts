/**
 * External validators against a real `wrangler dev`: every feed URL (the
 * site, every topic and every person, in RSS, Atom and JSON Feed, filtered
 * URLs, and the RFC 5005 archive documents) is fetched over HTTP and must
 * pass, independently of each other. The service runs over a copy of
 * content/ with `archivePageSize: 10` (unless its settings choose a size),
 * so that a small publication fills archive pages. The person, words and
 * filters it tries come from the content it serves:
 *
 * - `xmllint --noout` (libxml2: XML well-formedness) for RSS and Atom;
 * - `xmllint --relaxng test/fixtures/schemas/atom.rng` (RFC 4287 appendix B) for Atom;
 * - Python's feedparser (`/usr/bin/python3`, Debian's): `bozo` 0, version
 *   `rss20` / `atom10` / `json11`, and as many entries as the feed has. The
 *   feedparser of Debian 12 (6.0.10) predates JSON Feed; for JSON the script
 *   then reads the feed with Python's strict `json` module instead (no
 *   duplicate keys, no NaN) and checks the version string and item count;
 * - the W3C Feed Validation Service's own code (vendored, unmodified, in
 *   tools/feedvalidator/, run by tools/feedvalidator-run.py with Debian's
 *   Python) for RSS, Atom and the OPML list: 0 errors and 0 warnings, with
 *   the served Content-Type, as the online service checks a URL;
 * - test/validity.ts, the project's re-implementation of those rules;
 * - the exact media type.
 *
 * It starts `npx wrangler dev --port 8798 --ip 127.0.0.1` (or $PORT) itself, waits until
 * it answers, and stops it (its whole process group) at the end, on failure
 * and on Ctrl-C too. Prints one line per URL and a final `N passed, M failed`
 * line; exits 1 when anything failed, 2 when it could not run.
 *
 * Usage: npm run test:validators
 * Needs: libxml2-utils (xmllint), python3-feedparser, python3-lxml,
 * python3-html5lib and python3-rdflib (Debian packages).
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { checkFeed, CONTENT_TYPES, parseXml } from '../test/validity.ts'
import { build } from './lib/build.ts'
import { startDevServer, type DevServer } from './dev-server.ts'
import { contentCopy } from './lib/content-copy.ts'
import { addNewsroomCases, missingCases } from './lib/newsroom-cases.ts'

type Format = keyof typeof CONTENT_TYPES
const FILES: Record<Format, string> = { rss: 'rss.xml', atom: 'atom.xml', json: 'feed.json' }
const FORMATS = Object.keys(FILES) as Format[]
const PORT = Number(process.env.PORT ?? 8798)
const ORIGIN = `http://127.0.0.1:${PORT}`
const PYTHON = '/usr/bin/python3'
const SCHEMA = 'test/fixtures/schemas/atom.rng'
const W3C = 'tools/feedvalidator-run.py'
const OPML = '/opml.xml'

let server: DevServer | undefined
const cleanups: (() => void)[] = []

// ---------------------------------------------------------------------------
// The URLs
// ---------------------------------------------------------------------------

interface ContentLike {
  site: { url: string; title: string; archivePageSize?: number }
  sources: { slug: string }[]
  topics: { slug: string }[]
  people: { id: string; name: string }[]
  scopes: Record<string, { entries: number }>
}

/** Topic slugs from GET /topics.json when the service has it, else from the generated content module. */
async function topicSlugs(content: ContentLike): Promise<{ slugs: string[]; source: string }> {
  try {
    const res = await fetch(`${ORIGIN}/topics.json`, { redirect: 'manual' })
    if (res.ok) {
      const data = (await res.json()) as unknown
      const list = Array.isArray(data)
        ? data
        : data && typeof data === 'object' && Array.isArray((data as { topics?: unknown }).topics)
          ? (data as { topics: unknown[] }).topics
          : []
      const slugs = list
        .map((t) => (t && typeof t === 'object' ? (t as { slug?: unknown }).slug : undefined))
        .filter((s): s is string => typeof s === 'string')
      if (slugs.length) return { slugs, source: 'GET /topics.json' }
    } else await res.arrayBuffer()
  } catch {
    // fall through
  }
  return { slugs: content.topics.map((t) => t.slug), source: 'the compiled content' }
}

function feedPaths(content: ContentLike, slugs: string[]): string[] {
  const size = (slug: string) => content.scopes[`topic:${slug}`]?.entries ?? 0
  const busiest = [...slugs].sort((a, b) => size(b) - size(a))
  const people = content.people.map((p) => p.id)
  // The person with the most entries, and words of their name to search for (whatever the publication).
  const person = [...people].sort(
    (a, b) =>
      (content.scopes[`person:${b}`]?.entries ?? 0) - (content.scopes[`person:${a}`]?.entries ?? 0),
  )[0]
  const words = (content.people.find((p) => p.id === person)?.name ?? content.site.title)
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => /^[a-z]+$/.test(w))
  const queries: [string, string][] = [
    ['', ''],
    ...slugs.map((s): [string, string] => [`/topics/${s}`, '']),
    ['', `?topic=${slugs.slice(0, 2).sort().join(',')}&limit=5`],
    ...(person ? [['', `?person=${person}`] as [string, string]] : []),
    ['', '?since=2025-05-01&until=2025-11-18'],
    ['', `?exclude=${busiest[0]}`],
    ['', '?limit=1'],
    ...(busiest[1]
      ? [[`/topics/${busiest[1]}`, `?exclude=${busiest[0]}`] as [string, string]]
      : []),
    ...people.map((id): [string, string] => [`/people/${id}`, '']),
    ...(words[0] ? [['', `?q=${words.at(-1)}`] as [string, string]] : []),
    ...(words.length > 1
      ? [['', `?q=%22${words.slice(0, 2).join('+')}%22&limit=5`] as [string, string]]
      : []),
    ...content.sources.map((s): [string, string] => ['', `?source=${s.slug}`]),
    ...content.sources.map((s): [string, string] => [`/sources/${s.slug}`, '']),
  ]
  // Every archive page of the site, of the busiest topic, of the first person and of the most used source.
  const pageSize = content.site.archivePageSize ?? 50
  const source = [...content.sources].sort(
    (a, b) =>
      (content.scopes[`source:${b.slug}`]?.entries ?? 0) -
      (content.scopes[`source:${a.slug}`]?.entries ?? 0),
  )[0]
  const archived: [string, string][] = [
    ['', 'site'],
    [`/topics/${busiest[0]}`, `topic:${busiest[0]}`],
    ...(person ? [[`/people/${person}`, `person:${person}`] as [string, string]] : []),
    ...(source ? [[`/sources/${source.slug}`, `source:${source.slug}`] as [string, string]] : []),
  ]
  const archives = archived.flatMap(([prefix, scope]) =>
    Array.from(
      { length: Math.floor((content.scopes[scope]?.entries ?? 0) / pageSize) },
      (_, i) => [`${prefix}/archive/${i + 1}`, ''] as [string, string],
    ),
  )
  return [...queries, ...archives].flatMap(([prefix, query]) =>
    FORMATS.map((f) => `${prefix}/${FILES[f]}${query}`),
  )
}

const formatOf = (path: string): Format =>
  path.includes('/rss.xml') ? 'rss' : path.includes('/atom.xml') ? 'atom' : 'json'

// ---------------------------------------------------------------------------
// The validators
// ---------------------------------------------------------------------------

function preflight(): string[] {
  const missing: string[] = []
  if (spawnSync('xmllint', ['--version'], { encoding: 'utf8' }).status !== 0)
    missing.push('xmllint (apt-get install libxml2-utils)')
  if (spawnSync(PYTHON, ['-c', 'import feedparser'], { encoding: 'utf8' }).status !== 0)
    missing.push(`${PYTHON} with feedparser (apt-get install python3-feedparser)`)
  if (spawnSync(PYTHON, ['-c', 'import lxml, html5lib, rdflib'], { encoding: 'utf8' }).status !== 0)
    missing.push(
      `${PYTHON} with lxml, html5lib and rdflib (apt-get install python3-lxml python3-html5lib python3-rdflib)`,
    )
  return missing
}

function xmllint(file: string, schema?: string): string | undefined {
  const args = ['--noout', '--nonet', ...(schema ? ['--relaxng', schema] : []), file]
  const run = spawnSync('xmllint', args, { encoding: 'utf8' })
  if (run.status === 0) return undefined
  return `${(run.stderr || run.stdout).trim().split('\n').slice(0, 4).join(' | ')} (exit ${run.status})`
}

/** One Python process reads every feed of the manifest with feedparser (or, for JSON Feed without feedparser support, strict json). */
const PYTHON_READER = String.raw`
import json, sys
import feedparser
manifest = json.load(open(sys.argv[1], encoding='utf-8'))
out = []

def strict_pairs(pairs):
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError('duplicate key in an object')
    return dict(pairs)

def no_constant(name):
    raise ValueError('non-standard constant ' + name)

for m in manifest:
    data = open(m['file'], 'rb').read()
    r = {'path': m['path'], 'reader': 'feedparser ' + feedparser.__version__}
    d = feedparser.parse(data, response_headers={'content-type': m['type'], 'content-location': m['url']})
    if m['format'] == 'json' and not str(d.get('version', '')).startswith('json'):
        r['reader'] = 'python json (feedparser ' + feedparser.__version__ + ' reads no JSON Feed)'
        try:
            doc = json.loads(data.decode('utf-8'), object_pairs_hook=strict_pairs, parse_constant=no_constant)
            version = {'https://jsonfeed.org/version/1.1': 'json11', 'https://jsonfeed.org/version/1': 'json10'}.get(doc.get('version'), repr(doc.get('version')))
            r.update(bozo=0, exception=None, version=version, entries=len(doc.get('items') or []))
        except Exception as e:
            r.update(bozo=1, exception=repr(e), version='', entries=0)
    else:
        r.update(bozo=int(bool(d.get('bozo'))), exception=repr(d.get('bozo_exception')) if d.get('bozo') else None,
                 version=d.get('version', ''), entries=len(d.get('entries', [])))
    out.append(r)
json.dump(out, sys.stdout)
`

interface W3cResult {
  url: string
  status: number
  feedType?: string | null
  messages: { level: string; code: string; text: string }[]
}

/** The W3C Feed Validation Service's code on `paths` of the running server, each validated as the same path on `site`. */
function w3cValidator(paths: string[], site: string): Map<string, W3cResult> {
  const run = spawnSync(PYTHON, [W3C, '--json', '--as', site], {
    input: paths.map((p) => `${ORIGIN}${p}\n`).join(''),
    encoding: 'utf8',
    maxBuffer: 64 * 2 ** 20,
  })
  if (run.status !== 0 && run.status !== 1)
    throw new Error(`${W3C} failed (exit ${run.status}): ${run.stderr}`)
  const results = JSON.parse(run.stdout) as W3cResult[]
  return new Map(results.map((r) => [r.url.slice(ORIGIN.length), r]))
}

const W3C_TYPE: Record<Format, string> = { rss: 'RSS2', atom: 'ATOM', json: '' }

/**
 * The W3C validator's messages this project accepts, each where it holds and
 * why (docs/feeds-in-browsers.md, "The W3C validator"). Everything else it
 * says fails the run.
 * - RFC 6721 tombstones: the validator warns about any namespace missing
 *   from its list, and the tombstones namespace is missing from it; the
 *   feature is a withdrawal notice that aggregators need (docs/newsroom.md).
 * - A scope's only archive page: RFC 5005 gives it neither `prev-archive`
 *   (nothing older) nor `next-archive` (nothing newer is an archive), and the
 *   validator's heuristic wants one of them.
 */
const W3C_ACCEPTED: {
  code: string
  why: string
  applies: (message: string, path: string, body: string) => boolean
}[] = [
  {
    code: 'UnknownNamespace',
    why: 'RFC 6721 tombstones namespace, unknown to the validator',
    applies: (message, _path, body) =>
      message.endsWith('http://purl.org/atompub/tombstones/1.0') &&
      body.includes('<at:deleted-entry '),
  },
  {
    code: 'ArchiveIncomplete',
    why: "the scope's only archive page has no archive to link to",
    applies: (_message, path, body) =>
      /\/archive\/1\/[a-z]+\.xml$/.test(path) &&
      body.includes('<fh:archive') &&
      !/rel="(?:prev|next)-archive"/.test(body),
  },
]

/** The validator's problems with one URL, and the accepted messages it also gave. */
function w3cProblems(
  r: W3cResult | undefined,
  expected: string,
  path = '',
  body = '',
): { problems: string[]; accepted: string[] } {
  if (!r) return { problems: ['W3C validator: no result'], accepted: [] }
  const accepted: string[] = []
  const problems = [
    ...(r.status !== 200 ? [`W3C validator: HTTP ${r.status}`] : []),
    ...(r.feedType !== expected
      ? [`W3C validator: read as ${r.feedType ?? 'nothing'}, expected ${expected}`]
      : []),
    ...r.messages.flatMap((m) => {
      const known = W3C_ACCEPTED.find((a) => a.code === m.code && a.applies(m.text, path, body))
      if (known) return (accepted.push(`${m.code} (${known.why})`), [])
      return [`W3C validator ${m.level} ${m.code}: ${m.text}`]
    }),
  ]
  return { problems, accepted }
}

interface PythonResult {
  path: string
  reader: string
  bozo: number
  exception: string | null
  version: string
  entries: number
}

const EXPECTED_VERSION: Record<Format, string> = { rss: 'rss20', atom: 'atom10', json: 'json11' }

/** How many items the document holds, read with the strict parser of test/validity.ts (or JSON.parse). */
function itemCount(format: Format, body: string): number | undefined {
  if (format === 'json') {
    try {
      const items = (JSON.parse(body) as { items?: unknown[] }).items
      return Array.isArray(items) ? items.length : undefined
    } catch {
      return undefined
    }
  }
  const root = parseXml(body).root
  if (!root) return undefined
  const holder =
    format === 'rss'
      ? root.children.find((c) => c.type === 'element' && c.local === 'channel')
      : root
  if (!holder || holder.type !== 'element') return undefined
  return holder.children.filter(
    (c) => c.type === 'element' && c.local === (format === 'rss' ? 'item' : 'entry'),
  ).length
}

// ---------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------

async function main(): Promise<number> {
  const missing = preflight()
  if (missing.length) {
    console.error(`cannot run: missing ${missing.join(', ')}`)
    console.log('0 passed, 1 failed')
    return 2
  }
  console.log(`starting wrangler dev on ${ORIGIN} ...`)
  // Small archive pages, so that a small publication fills some (unless its settings choose a size).
  const { dir: contentDir, remove } = contentCopy('content', 'validate-content-')
  // A correction and a withdrawal, so that correction notes and tombstones are validated too.
  const cases = addNewsroomCases(contentDir)
  console.log(`correction on ${cases.corrected}, withdrawal of ${cases.withdrawn}`)
  cleanups.push(remove)
  server = await startDevServer(PORT, { contentDir })
  // The catalog the server loaded: the same build of the same folder.
  const content: ContentLike = (await build(contentDir)).rows.catalog
  const { slugs, source } = await topicSlugs(content)
  const paths = feedPaths(content, slugs)
  console.log(
    `${paths.length} feed URLs (${slugs.length} topics from ${source}); self links are expected on ${content.site.url}`,
  )

  const dir = mkdtempSync(join(tmpdir(), 'validate-feeds-'))
  try {
    const fetched: {
      path: string
      format: Format
      status: number
      type: string | null
      body: string
      file: string
    }[] = []
    for (const [k, path] of paths.entries()) {
      const format = formatOf(path)
      const res = await fetch(`${ORIGIN}${path}`, { redirect: 'manual' })
      const body = await res.text()
      const file = join(dir, `${k}.${format === 'json' ? 'json' : 'xml'}`)
      writeFileSync(file, body)
      fetched.push({
        path,
        format,
        status: res.status,
        type: res.headers.get('Content-Type'),
        body,
        file,
      })
    }
    const manifest = join(dir, 'manifest.json')
    writeFileSync(
      manifest,
      JSON.stringify(
        fetched.map((f) => ({
          path: f.path,
          format: f.format,
          type: f.type ?? '',
          url: `${content.site.url}${f.path}`,
          file: f.file,
        })),
      ),
    )
    const py = spawnSync(PYTHON, ['-c', PYTHON_READER, manifest], {
      encoding: 'utf8',
      maxBuffer: 64 * 2 ** 20,
    })
    if (py.status !== 0) throw new Error(`the Python reader failed: ${py.stderr}`)
    const readings = new Map((JSON.parse(py.stdout) as PythonResult[]).map((r) => [r.path, r]))
    const w3c = w3cValidator(
      [...fetched.filter((f) => f.format !== 'json').map((f) => f.path), OPML],
      content.site.url,
    )

    let passed = 0
    let failed = 0
    let acceptedCount = 0
    const counts = new Map<string, number | undefined>()
    for (const f of fetched) {
      const problems: string[] = []
      const notes: string[] = []
      if (f.status !== 200) problems.push(`HTTP ${f.status}`)
      if (f.type !== CONTENT_TYPES[f.format])
        problems.push(
          `Content-Type ${JSON.stringify(f.type)}, expected ${JSON.stringify(CONTENT_TYPES[f.format])}`,
        )
      if (f.format !== 'json') {
        const wf = xmllint(f.file)
        if (wf) problems.push(`xmllint: ${wf}`)
        else notes.push('xmllint well-formed')
        if (f.format === 'atom') {
          const rng = xmllint(f.file, SCHEMA)
          if (rng) problems.push(`xmllint --relaxng atom.rng: ${rng}`)
          else notes.push('RFC 4287 RELAX NG valid')
        }
      }
      const count = itemCount(f.format, f.body)
      counts.set(f.path, count)
      const py = readings.get(f.path)
      if (!py) problems.push('no Python reading')
      else {
        if (py.bozo) problems.push(`${py.reader}: bozo (${py.exception})`)
        if (py.version !== EXPECTED_VERSION[f.format])
          problems.push(
            `${py.reader}: version ${JSON.stringify(py.version)}, expected ${EXPECTED_VERSION[f.format]}`,
          )
        if (count === undefined || py.entries !== count)
          problems.push(
            `${py.reader}: ${py.entries} entries, the document has ${count ?? 'no readable'} items`,
          )
        if (!py.bozo && py.version === EXPECTED_VERSION[f.format])
          notes.push(`${py.reader.split(' (')[0]} ${py.version} ${py.entries} entries`)
      }
      if (f.format !== 'json') {
        const { problems: found, accepted } = w3cProblems(
          w3c.get(f.path),
          W3C_TYPE[f.format],
          f.path,
          f.body,
        )
        problems.push(...found)
        if (!found.length)
          notes.push(
            accepted.length
              ? `W3C validator 0 errors, only the accepted ${accepted.join(', ')}`
              : 'W3C validator 0 errors 0 warnings',
          )
        acceptedCount += accepted.length ? 1 : 0
      }
      const checker = checkFeed(f.format, f.body, `${content.site.url}${f.path}`)
      problems.push(...checker.map((p) => `checker: ${p}`))
      if (!checker.length) notes.push('W3C rules 0 errors 0 warnings')
      // The three formats of one feed hold the same number of items.
      const siblings = FORMATS.map((g) => counts.get(f.path.replace(FILES[f.format], FILES[g])))
      if (f.format === 'json' && siblings.some((n) => n !== count))
        problems.push(
          `item counts differ across formats: rss ${siblings[0]}, atom ${siblings[1]}, json ${siblings[2]}`,
        )

      if (problems.length) {
        failed++
        console.log(`FAIL ${f.path}`)
        for (const p of problems.slice(0, 12)) console.log(`     ${p}`)
        if (problems.length > 12) console.log(`     ... and ${problems.length - 12} more`)
      } else {
        passed++
        console.log(`PASS ${f.path}  (${notes.join('; ')})`)
      }
    }
    // The OPML subscription list, which the W3C validator reads too.
    const { problems: opml } = w3cProblems(w3c.get(OPML), 'OPML')
    if (opml.length)
      (failed++, console.log(`FAIL ${OPML}\n${opml.map((m) => `     ${m}`).join('\n')}`))
    else (passed++, console.log(`PASS ${OPML}  (W3C validator OPML 0 errors 0 warnings)`))
    // The documents above hold the correction and the tombstones; otherwise they checked nothing of them.
    const missing = await missingCases(ORIGIN, cases)
    if (missing.length)
      (failed++, console.log(`FAIL newsroom cases\n${missing.map((m) => `     ${m}`).join('\n')}`))
    else
      (passed++,
        console.log(
          `PASS newsroom cases (correction on ${cases.corrected}; tombstone of ${cases.withdrawn} in Atom and JSON Feed, absent from RSS)`,
        ))
    if (acceptedCount)
      console.log(
        `W3C validator: ${acceptedCount} documents gave only accepted warnings (see W3C_ACCEPTED and docs/feeds-in-browsers.md)`,
      )
    console.log(`${passed} passed, ${failed} failed`)
    return failed ? 1 : 0
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

let code = 2
try {
  code = await main()
} catch (error) {
  console.error(error instanceof Error ? error.message : error)
  console.log('0 passed, 1 failed')
  code = 2
} finally {
  await server?.stop()
  for (const cleanup of cleanups) cleanup()
  // The dev server's build wrote the copy's catalog: put back the repository's.
  execFileSync('node', ['scripts/build-content.ts'], { stdio: 'ignore' })
}
process.exit(code)
