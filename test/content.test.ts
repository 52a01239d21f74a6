/**
 * The bundled content, as compiled: the guarantees issue readers rely on.
 * (The compiler enforces these on every build; this checks its output.)
 */
import { describe, expect, it } from 'vitest'
import content from '../src/generated/content.ts'
import { appFor } from './helpers.ts'

const topics = new Set(content.topics.map((t) => t.slug))
const people = new Set(content.people.map((p) => p.id))
const sources = new Set(content.sources.map((s) => s.slug))

describe('bundled content', () => {
  it('has unique, URL-safe entry ids', () => {
    const ids = content.entries.map((e) => e.id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/)
  })
  it('has at least 8 topics with lowercase ASCII slugs, each used by an entry', () => {
    expect(content.topics.length).toBeGreaterThanOrEqual(8)
    for (const t of content.topics) {
      expect(t.slug).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/)
      expect(content.entries.some((e) => e.topics.includes(t.slug)), t.slug).toBe(true)
    }
  })
  it('refers only to topics, people and documents that exist', () => {
    for (const e of content.entries) {
      for (const t of e.topics) expect(topics.has(t), `${e.id}: ${t}`).toBe(true)
      for (const p of e.people) expect(people.has(p.id), `${e.id}: ${p.id}`).toBe(true)
      for (const s of e.sources) expect(sources.has(s.slug), `${e.id}: ${s.slug}`).toBe(true)
    }
  })
  it('gives every quote a known speaker and a source document in the provenance list and among its entry sources', () => {
    for (const e of content.entries) {
      for (const q of e.quotes) {
        expect(people.has(q.speaker), `${e.id}: ${q.speaker}`).toBe(true)
        expect(q.speakerName.length).toBeGreaterThan(0)
        expect(sources.has(q.source), `${e.id}: ${q.source}`).toBe(true)
        expect(e.sources.some((s) => s.slug === q.source), `${e.id}: ${q.source}`).toBe(true)
        expect(q.sourceLabel).toBe(content.sources.find((s) => s.slug === q.source)!.label)
      }
    }
  })
  it('draws at least one entry from every source document', () => {
    for (const slug of sources) expect(content.entries.some((e) => e.sources.some((s) => s.slug === slug)), slug).toBe(true)
  })
  it('explains every inferred date', () => {
    for (const e of content.entries) if (e.date.inferred) expect(e.date.basis, e.id).toBeTruthy()
  })
  it('names Sheinbaum, Trump and Rubio as people', () => {
    for (const id of ['claudia-sheinbaum', 'donald-trump', 'marco-rubio']) expect(people.has(id), id).toBe(true)
  })
})

describe('source documents', () => {
  it('have unique readable slugs and labels that never contain the file name', () => {
    expect(new Set(content.sources.map((s) => s.slug)).size).toBe(content.sources.length)
    for (const s of content.sources) {
      expect(s.slug).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+){2,}$/)
      expect(s.label.length, s.slug).toBeGreaterThan(10)
      expect(s.label).not.toContain(s.file.replace(/\.[a-z]+$/, ''))
    }
  })

  it('no reader-facing body (feeds, pages, /topics.json, /opml.xml) contains a source file name', async () => {
    const app = await appFor(content)
    // The whole name, its stem and the hash in it (`001_0b82f05f8ba7f11c.txt`, `001_0b82f05f8ba7f11c`, `0b82f05f8ba7f11c`).
    const names = content.sources.flatMap((s) => [s.file, s.file.replace(/\.[^.]+$/, ''), ...(s.file.match(/[0-9a-f]{12,}/g) ?? [])])
    expect(names.length).toBeGreaterThanOrEqual(content.sources.length * 2)
    const feeds = (base: string) => ['rss.xml', 'atom.xml', 'feed.json'].map((f) => `${base}/${f}?limit=100`)
    const paths = [
      '/', '/topics.json', '/opml.xml', ...feeds(''),
      ...content.topics.flatMap((t) => [`/topics/${t.slug}`, ...feeds(`/topics/${t.slug}`)]),
      ...content.entries.map((e) => `/entries/${e.id}`),
    ]
    for (const path of paths) {
      const res = await app.request(`http://127.0.0.1:8787${path}`)
      expect(res.status, path).toBe(200)
      const body = await res.text()
      for (const name of names) expect(body.includes(name), `${path} shows ${name}`).toBe(false)
    }
  })
})
