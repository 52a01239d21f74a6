/**
 * Test helpers: build ContentFiles from small in-memory sources, so tests can
 * compile any content (valid, broken or hostile) the way the build does.
 */
import type { ContentFiles } from '../src/content/compile.ts'

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
export function entryFile({ id, front = {}, body = 'Body text.' }: EntrySpec): { file: string; text: string } {
  const data = {
    id,
    title: `Title ${id}`,
    summary: `Summary ${id}.`,
    published: '2025-05-03',
    topics: ['alpha'],
    sources: [{ document: 'doc-1.txt' }],
    ...front,
  }
  return { file: `content/entries/${id}.md`, text: `---\n${JSON.stringify(data, null, 1)}\n---\n${body}\n` }
}

export function files(entries: EntrySpec[], overrides: Partial<Record<'site' | 'topics' | 'people' | 'sources', string>> = {}): ContentFiles {
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
  { id: 'three', front: { published: '2025-03-30', topics: ['alpha', 'beta'], people: ['ana', 'bo'] } },
]

/**
 * The app the integration tests drive, over `content`. Tests call this
 * rather than `createApp` so that how content reaches the app (today:
 * directly; with a store: loaded into it first) lives in one place.
 */
export async function appFor(content: import('../src/content/types.ts').Content, options: import('../src/app.ts').AppOptions = {}) {
  const { createApp } = await import('../src/app.ts')
  return createApp(content, options)
}
