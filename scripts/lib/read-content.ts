/**
 * Reads the files of a content folder into the {@link ContentFiles} the
 * compiler takes.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { ContentError, type ContentFiles } from '../../src/content/compile.ts'

export function readContent(dir: string): ContentFiles {
  const read = (file: string) => {
    try {
      return { file: relative('.', file), text: readFileSync(file, 'utf8') }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new ContentError([{ file: relative('.', file), path: '', message: 'file not found' }])
      throw error
    }
  }
  const entriesDir = join(dir, 'entries')
  return {
    site: read(join(dir, 'site.yaml')),
    topics: read(join(dir, 'topics.yaml')),
    people: read(join(dir, 'people.yaml')),
    sources: read(join(dir, 'sources.yaml')),
    entries: readdirSync(entriesDir)
      .filter((name) => name.endsWith('.md'))
      .sort()
      .map((name) => read(join(entriesDir, name))),
  }
}
