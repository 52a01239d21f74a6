/**
 * @module websub/platform
 * The few Workers platform shapes the hub uses (D1, a queue producer, a
 * message batch, waitUntil), declared structurally: the real bindings fit
 * them, tests pass fakes, and the modules type-check where the Workers
 * globals are not declared (the Node scripts' tsconfig, which imports the app).
 */

/** A D1 prepared statement, as far as the hub uses it. */
export interface Statement {
  bind(...values: unknown[]): Statement
  first<T = Record<string, unknown>>(): Promise<T | null>
  all<T = Record<string, unknown>>(): Promise<{ results: T[] }>
  run(): Promise<{ meta: { changes: number } }>
}

/** A D1 database (`env.DB`). */
export interface Database {
  prepare(query: string): Statement
}

/** A queue producer (`env.WEBSUB_QUEUE`). */
export interface Producer<T> {
  sendBatch(messages: Iterable<{ body: T }>): Promise<unknown>
}

/** One message a queue consumer receives. */
export interface Message<T> {
  readonly body: T
  /** 1 on the first delivery attempt. */
  readonly attempts: number
  ack(): void
  retry(options?: { delaySeconds?: number }): void
}

/** What a queue consumer receives. */
export interface Batch<T> {
  readonly messages: readonly Message<T>[]
}

/** The part of an execution context the hub uses. */
export interface WaitUntil {
  waitUntil(promise: Promise<unknown>): void
}
