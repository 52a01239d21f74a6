/**
 * @module store
 * Reads from the content store (a D1 database, or one session of it). Each
 * read is one statement bound to one content version, the one the reader's
 * catalog belongs to: whatever a publish is writing meanwhile, and however
 * far behind the replica that answers is, the rows read are those of that
 * version, whole.
 */
import type { CatalogData } from '../catalog.ts'
import { StoreUnavailable } from '../errors.ts'
import { catalogOf, CURRENT, type Statement } from './load.ts'
import { unpackRow } from './pack.ts'
import { atVersion } from './queries.ts'

/** What D1 and a D1 session both offer. */
export type Reader = Pick<D1Database, 'prepare' | 'batch'>

export class Store {
  readonly #db: Reader
  readonly #version: string

  /** @param version - the content hash of the version to read (`CatalogData.version`). */
  constructor(db: Reader, version: string) {
    this.#db = db
    this.#version = version
  }

  /**
   * The rows of `statement` in this store's version, with packed columns
   * as text (src/store/pack.ts). Throws {@link StoreUnavailable} when the
   * database fails.
   */
  async all<T extends object>(statement: Statement): Promise<T[]> {
    const { sql, params } = atVersion(statement, this.#version)
    let rows: T[]
    try {
      const [result] = (await this.#db.batch([this.#db.prepare(sql).bind(...params)])) as [
        D1Result<T>,
      ]
      rows = result.results
    } catch (error) {
      throw new StoreUnavailable('the content store did not answer', { cause: error })
    }
    return Promise.all(rows.map(unpackRow))
  }

  /** The first row of `statement`, if any. */
  async first<T extends object>(statement: Statement): Promise<T | undefined> {
    return (await this.all<T>(statement))[0]
  }
}

/** The version readers get now: its id and content hash; undefined before the first publish. Throws {@link StoreUnavailable}. */
export async function currentVersion(
  db: Reader,
): Promise<{ id: number; hash: string } | undefined> {
  try {
    return (await db.prepare(CURRENT.sql).all<{ id: number; hash: string }>()).results[0]
  } catch (error) {
    throw new StoreUnavailable('the content store did not answer', { cause: error })
  }
}

/** The catalog of version `id`. Throws {@link StoreUnavailable}. */
export async function catalogAt(db: Reader, id: number): Promise<CatalogData> {
  const { sql, params } = catalogOf(id)
  let row: { catalog: string } | undefined
  try {
    row = (
      await db
        .prepare(sql)
        .bind(...params)
        .all<{ catalog: string }>()
    ).results[0]
  } catch (error) {
    throw new StoreUnavailable('the content store did not answer', { cause: error })
  }
  if (!row) throw new StoreUnavailable(`the content store has no version ${id}`)
  return JSON.parse(row.catalog) as CatalogData
}
