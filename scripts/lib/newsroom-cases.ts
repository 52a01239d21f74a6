/**
 * Adds a correction and a withdrawal to a copy of a content folder, so that
 * the external validators (`npm run test:validators`) see feeds with both:
 * correction notes in every format's content, RFC 6721 tombstones in Atom
 * and `_news.deleted` in JSON Feed. Only ever run on a temporary copy: the
 * notes are test text, not news.
 *
 * The newest entry gets a correction dated at its own `updated` (or
 * publication) date; the withdrawn entry is the newest one whose topics all
 * keep other entries (a topic may not be left empty), withdrawn at the
 * newest date of the content, so that its tombstone is shown.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'

interface Front {
  id: string
  published: string | number
  updated?: string
  topics: string[]
}

const FENCE = /^---\r?\n([\s\S]*?)\r?\n---/

/** Applies the two cases to `contentDir`; returns the ids it changed. */
export function addNewsroomCases(contentDir: string): { corrected: string; withdrawn: string } {
  const dir = join(contentDir, 'entries')
  const entries = readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .map((file) => {
      const text = readFileSync(join(dir, file), 'utf8')
      return { file, text, front: parse(FENCE.exec(text)![1]!) as Front }
    })
    .sort((a, b) =>
      String(b.front.updated ?? b.front.published) < String(a.front.updated ?? a.front.published)
        ? -1
        : 1,
    )
  const uses = new Map<string, number>()
  for (const e of entries) for (const t of e.front.topics) uses.set(t, (uses.get(t) ?? 0) + 1)
  const newest = String(entries[0]!.front.updated ?? entries[0]!.front.published).slice(0, 10)
  const pulled = entries.slice(1).find((e) => e.front.topics.every((t) => uses.get(t)! > 1))
  if (!pulled) throw new Error('no entry can be withdrawn without leaving a topic empty')
  const add = (e: (typeof entries)[number], yaml: string) =>
    writeFileSync(
      join(dir, e.file),
      e.text.replace(FENCE, (all) => all.replace(/\r?\n---$/, `\n${yaml}\n---`)),
    )
  add(
    entries[0]!,
    `corrections:\n  - date: "${newest}"\n  text: "Validator case: an earlier version misspelt a name & gave 3 < 4."`.replace(
      '\n  text',
      '\n    text',
    ),
  )
  add(
    pulled,
    `withdrawn:\n  date: "${newest}"\n  reason: "Validator case: withdrawn to check the tombstones."\n  by: "The Desk"`,
  )
  return { corrected: entries[0]!.front.id, withdrawn: pulled.front.id }
}

/** What the served site-wide feeds lack of the two cases (empty when the validators saw both). */
export async function missingCases(
  origin: string,
  cases: { corrected: string; withdrawn: string },
): Promise<string[]> {
  const text = async (path: string) => (await fetch(origin + path)).text()
  const [atom, json, rss] = await Promise.all([
    text('/atom.xml'),
    text('/feed.json'),
    text('/rss.xml'),
  ])
  const missing: string[] = []
  if (!new RegExp(`<at:deleted-entry ref="[^"]*/entries/${cases.withdrawn}"`).test(atom))
    missing.push('/atom.xml has no at:deleted-entry for the withdrawn entry')
  if (!json.includes(`"deleted":[{"id":`) || !json.includes(`/entries/${cases.withdrawn}`))
    missing.push('/feed.json has no _news.deleted for the withdrawn entry')
  if (rss.includes(`/entries/${cases.withdrawn}<`))
    missing.push('/rss.xml still lists the withdrawn entry')
  for (const [path, body] of [
    ['/atom.xml', atom],
    ['/feed.json', json],
    ['/rss.xml', rss],
  ])
    if (!body!.includes('Validator case: an earlier version misspelt a name'))
      missing.push(`${path} lacks the correction note`)
  return missing
}
