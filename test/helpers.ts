/**
 * Test helpers: build ContentFiles from small in-memory sources, so tests can
 * compile any content (valid, broken or hostile) the way the build does.
 */
import { env, exports } from 'cloudflare:workers'
import { createApp, type AppOptions } from '../src/app.ts'
import type { ContentFiles } from '../src/content/compile.ts'
import type { Content } from '../src/content/types.ts'
import { d1Target, loadRows } from '../src/store/load.ts'
import { prepareRows, type Prepared } from '../src/store/rows.ts'
import { currentVersion } from '../src/store/store.ts'
import fixture from './generated/content.ts'

export const SITE = `title: Test Site
description: A site for tests.
url: https://news.test
language: en
publisher:
  name: Test Desk
`
export const TOPICS = `- slug: alpha
  title: Alpha
  description: The first topic.
- slug: beta
  title: Beta
  description: The second topic.
`
export const PEOPLE = `- id: ana
  name: Ana Example
  role: A person in the tests.
- id: bo
  name: Bo Example
  role: Another person in the tests.
`
export const SOURCES = `- file: doc-1.txt
  slug: test-gazette-report
  publication: The Test Gazette
- file: doc-2.txt
  slug: undated-note
  description: an undated note
`

export interface EntrySpec {
  id: string
  front?: Record<string, unknown>
  body?: string
}

/** One entry file: YAML front matter (JSON is valid YAML) and a Markdown body. */
export function entryFile({ id, front = {}, body = 'Body text.' }: EntrySpec): {
  file: string
  text: string
} {
  const data = {
    id,
    title: `Title ${id}`,
    summary: `Summary ${id}.`,
    published: '2025-05-03',
    topics: ['alpha'],
    sources: [{ document: 'doc-1.txt' }],
    ...front,
  }
  return {
    file: `content/entries/${id}.md`,
    text: `---\n${JSON.stringify(data, null, 1)}\n---\n${body}\n`,
  }
}

export function files(
  entries: EntrySpec[],
  overrides: Partial<Record<'site' | 'topics' | 'people' | 'sources', string>> = {},
): ContentFiles {
  return {
    site: { file: 'content/site.yaml', text: overrides.site ?? SITE },
    topics: { file: 'content/topics.yaml', text: overrides.topics ?? TOPICS },
    people: { file: 'content/people.yaml', text: overrides.people ?? PEOPLE },
    sources: { file: 'content/sources.yaml', text: overrides.sources ?? SOURCES },
    entries: entries.map(entryFile),
  }
}

/** Three entries over two topics, two people and two days. */
export const BASIC: EntrySpec[] = [
  { id: 'one', front: { published: '2025-01-10', topics: ['alpha'], people: ['ana'] } },
  { id: 'two', front: { published: '2025-02-20', topics: ['beta'], people: ['bo'] } },
  {
    id: 'three',
    front: { published: '2025-03-30', topics: ['alpha', 'beta'], people: ['ana', 'bo'] },
  },
]

/** Prepared rows by content object: each fixture is prepared once per test file. */
const prepared = new WeakMap<Content, Promise<Prepared>>()
export function rowsOf(content: Content): Promise<Prepared> {
  let rows = prepared.get(content)
  if (!rows) prepared.set(content, (rows = prepareRows(content)))
  return rows
}

/** Makes the test database hold `content` (unless it already does). */
export async function useContent(content: Content): Promise<Prepared> {
  const rows = await rowsOf(content)
  const held = await currentVersion(env.DB)
  if (held?.hash !== rows.catalog.version) await loadRows(d1Target(env.DB), rows)
  return rows
}

/**
 * The app the integration tests drive, over `content`, loaded into the test
 * file's D1 database. It is made on first use, so a `describe` block can
 * declare it; its `request` makes sure the database holds this content
 * first, so a test may use several apps in turn.
 */
export function appFor(content: Content, options: AppOptions = {}, bindings: Partial<Env> = {}) {
  let app: ReturnType<typeof createApp> | undefined
  let making: Promise<ReturnType<typeof createApp>> | undefined
  const made = () => {
    if (!app) throw new Error('the app is made by its first request')
    return app
  }
  return {
    async request(input: string | Request, init?: RequestInit): Promise<Response> {
      app ??= await (making ??= rowsOf(content).then((rows) => createApp(rows.catalog, options)))
      await useContent(content)
      return app.request(input, init, { ...env, ...bindings })
    },
    /** Hands the app a request object as it is (a raw URL the runtime would not have parsed, say). */
    async fetch(request: Request): Promise<Response> {
      app ??= await (making ??= rowsOf(content).then((rows) => createApp(rows.catalog, options)))
      await useContent(content)
      return app.fetch(request, { ...env, ...bindings })
    },
    /** Memo counts, after the first request. */
    get stats() {
      return made().stats
    },
    get catalog() {
      return made().catalog
    },
  }
}

/**
 * A request to the Worker under test, as the runtime would deliver it. It
 * serves fixture A (test/fixtures/millbrook): `npm run content` compiles its
 * catalog into the Worker and test/setup.ts loads its entries.
 */
export async function fetchWorker(url: string | Request, init?: RequestInit): Promise<Response> {
  await useContent(fixture)
  return exports.default.fetch(url, init)
}
