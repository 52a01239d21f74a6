/**
 * The load targets of the content build's Node side (see src/store/load.ts);
 * the load itself is the same code for every target:
 *
 * - local: the SQLite file of wrangler's local D1, the one `wrangler dev`
 *   serves (under `.wrangler/state/v3/d1`, or `--persist-to`'s folder),
 *   written directly with `node:sqlite` in one transaction, about 40 times
 *   faster than going through wrangler's platform proxy;
 * - remote: reads with `wrangler d1 execute --remote --command`, writes
 *   collected into a SQL file run by `wrangler d1 execute --remote --file`
 *   at the end. The file ends with the version flip, so a run that stops
 *   part way leaves the previous version current.
 */
import { execFileSync } from 'node:child_process'
import { appendFileSync, existsSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { deflateRawSync } from 'node:zlib'
import { inline, type LoadTarget, type Statement } from '../../src/store/load.ts'

/** The database file of wrangler's local D1 under a persist folder (`.wrangler/state` by default): the project binds one database. */
export function localDatabaseFile(persistTo = '.wrangler/state'): string {
  const dir = join(persistTo, 'v3', 'd1', 'miniflare-D1DatabaseObject')
  const files = existsSync(dir)
    ? readdirSync(dir).filter((f) => f.endsWith('.sqlite') && f !== 'metadata.sqlite')
    : []
  if (files.length !== 1)
    throw new Error(
      `expected one local D1 database in ${dir}, found ${files.length}: run \`wrangler d1 migrations apply DB --local\` first`,
    )
  return join(dir, files[0]!)
}

/** A node:sqlite database as a load target. */
export function sqliteTarget(db: DatabaseSync): LoadTarget {
  return {
    query: async <T>(s: Statement) => db.prepare(s.sql).all(...s.params) as unknown as T[],
    async run(statements) {
      for (const s of statements) db.prepare(s.sql).run(...s.params)
    },
    deflate: (text) => deflateRawSync(text),
  }
}

/** Runs `load` against the local D1 file in one transaction: all of it is written, or none. */
export async function withLocalTarget<T>(
  file: string,
  load: (target: LoadTarget) => Promise<T>,
): Promise<T> {
  const db = new DatabaseSync(file, { timeout: 10_000 })
  try {
    // wrangler keeps the file in WAL mode: NORMAL skips the sync at each commit and cannot corrupt it (a power cut may lose the last load, which the next redoes).
    db.exec('PRAGMA synchronous = NORMAL')
    db.exec('BEGIN IMMEDIATE')
    const result = await load(sqliteTarget(db))
    db.exec('COMMIT')
    return result
  } catch (error) {
    if (db.isTransaction) db.exec('ROLLBACK')
    throw error
  } finally {
    db.close()
  }
}

/** Runs `load` with reads on the remote database and writes into a SQL file, then executes the file there with wrangler. */
export async function withRemoteTarget<T>(
  file: string,
  load: (target: LoadTarget) => Promise<T>,
): Promise<T> {
  const wrangler = (...args: string[]) =>
    execFileSync('npx', ['wrangler', 'd1', 'execute', 'DB', '--remote', '--yes', ...args], {
      encoding: 'utf8',
      maxBuffer: 1 << 30,
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
    })
  writeFileSync(file, '')
  const target: LoadTarget = {
    query: async <T>(s: Statement) =>
      (JSON.parse(wrangler('--json', '--command', inline(s))) as { results: T[] }[])[0]?.results ??
      [],
    async run(statements) {
      appendFileSync(file, statements.map(inline).join('\n') + '\n')
    },
    deflate: (text) => deflateRawSync(text),
  }
  const result = await load(target)
  wrangler('--file', file)
  return result
}
