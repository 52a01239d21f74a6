/**
 * The bundled content, as compiled: the guarantees issue readers rely on.
 * (The compiler enforces these on every build; this checks its output.)
 */
import { describe, expect, it } from 'vitest'
import content from './generated/content.ts'

const topics = new Set(content.topics.map((t) => t.slug))
const people = new Set(content.people.map((p) => p.id))
const documents = new Set(content.sources.map((s) => s.file))

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
      for (const s of e.sources) expect(documents.has(s.file), `${e.id}: ${s.file}`).toBe(true)
    }
  })
  it('gives every quote a known speaker and a source document in the provenance list and among its entry sources', () => {
    for (const e of content.entries) {
      for (const q of e.quotes) {
        expect(people.has(q.speaker), `${e.id}: ${q.speaker}`).toBe(true)
        expect(q.speakerName.length).toBeGreaterThan(0)
        expect(documents.has(q.document), `${e.id}: ${q.document}`).toBe(true)
        expect(e.sources.some((s) => s.file === q.document), `${e.id}: ${q.document}`).toBe(true)
      }
    }
  })
  it('draws at least one entry from every source document', () => {
    for (const file of documents) expect(content.entries.some((e) => e.sources.some((s) => s.file === file)), file).toBe(true)
  })
  it('explains every inferred date', () => {
    for (const e of content.entries) if (e.date.inferred) expect(e.date.basis, e.id).toBeTruthy()
  })
  it('names Sheinbaum, Trump and Rubio as people', () => {
    for (const id of ['claudia-sheinbaum', 'donald-trump', 'marco-rubio']) expect(people.has(id), id).toBe(true)
  })
})
