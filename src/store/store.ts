/**
 * @module store
 * Reads from the content store (a D1 database). Every read is one round
 * trip: the statement is batched with a check of the content version, so a
 * Worker never mixes rows of another version (during a load, or before the
 * new Worker is deployed) with its own catalog.
 */
import { StoreUnavailable } from '../errors.ts'
import type { Statement } from './load.ts'
import { VERSION_QUERY } from './queries.ts'

export class Store {
  readonly #db: D1Database
  readonly #version: string

  constructor(db: D1Database, version: string) {
    this.#db = db
    this.#version = version
  }

  /** The rows of `statement`. Throws {@link StoreUnavailable} when the database fails or holds another version. */
  async all<T>(statement: Statement): Promise<T[]> {
    let results
    try {
      const db = this.#db
      results = await db.batch([db.prepare(VERSION_QUERY.sql), db.prepare(statement.sql).bind(...statement.params)])
    } catch (error) {
      throw new StoreUnavailable('the content store did not answer', { cause: error })
    }
    const [version, rows] = results as [D1Result<{ value: string }>, D1Result<T>]
    const held = version.results[0]?.value
    if (held !== this.#version) throw new StoreUnavailable(`the content store holds version ${held ?? 'none'}, not ${this.#version}`)
    return rows.results
  }

  /** The first row of `statement`, if any. */
  async first<T>(statement: Statement): Promise<T | undefined> {
    return (await this.all<T>(statement))[0]
  }
}
