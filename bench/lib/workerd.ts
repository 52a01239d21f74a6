/**
 * Runs a bundled Worker in workerd through Miniflare directly (no `wrangler
 * dev`, no proxy Worker in front): requests go from Node to workerd's HTTP
 * socket by `dispatchFetch`. With `inspect`, workerd's V8 inspector listens
 * on a port of 127.0.0.1 and {@link Running.heap} reads the isolate's heap
 * over the Chrome DevTools protocol (`HeapProfiler.collectGarbage`, then
 * `Runtime.getHeapUsage`).
 */
import { convertV4MiniflareOptions, Miniflare } from 'miniflare'
import { dirname } from 'node:path'
import { freePort } from '../../scripts/lib/ports.ts'

/** The project's D1 database id (wrangler.toml): wrangler's local D1 names its file after it. */
export const DATABASE_ID = '00000000-0000-0000-0000-000000000000'
export const COMPATIBILITY_DATE = '2026-11-01'

export interface Running {
  /** Status, body bytes and milliseconds of one GET. */
  get(
    path: string,
  ): Promise<{ status: number; bytes: number; ms: number; body: Uint8Array; headers: Headers }>
  /** V8 heap of the Worker's isolate after a full GC, in bytes. */
  heap(): Promise<{ used: number; total: number }>
  /** Milliseconds from `new Miniflare` to ready. */
  readyMs: number
  dispose(): Promise<void>
}

export interface WorkerOptions {
  /** A module Worker: a file, or the text of one. */
  scriptPath?: string
  script?: string
  /** `--persist-to` folder of a loaded local D1; omitted: no DB binding. */
  persistTo?: string
  inspect?: boolean
}

const ORIGIN = 'http://bench.example'
/** A request that needs no store: wakes the isolate for the inspector. */
const KICK = '/no-such-page'

export async function startWorker(options: WorkerOptions): Promise<Running> {
  const inspectorPort = options.inspect ? await freePort() : undefined
  const started = performance.now()
  // Miniflare 5 takes a new option shape; it converts the familiar (v4) one.
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      name: 'feed',
      modules: true,
      ...(options.scriptPath
        ? { scriptPath: options.scriptPath, modulesRoot: dirname(options.scriptPath) }
        : { script: options.script ?? '' }),
      compatibilityDate: COMPATIBILITY_DATE,
      ...(options.persistTo && {
        d1Databases: { DB: DATABASE_ID },
        resourcePersistencePath: `${options.persistTo}/v3`,
      }),
      ...(inspectorPort && { inspectorPort }),
      host: '127.0.0.1',
      cf: false,
    }),
  )
  await mf.ready
  const readyMs = performance.now() - started

  let socket: WebSocket | undefined
  let next = 1
  const pending = new Map<number, (result: unknown) => void>()
  async function call(method: string, params: object = {}): Promise<any> {
    if (!socket) {
      const targets = (await (
        await fetch(`http://127.0.0.1:${inspectorPort}/json/list`)
      ).json()) as { id: string; title?: string; webSocketDebuggerUrl: string }[]
      const target =
        targets.find(
          (t) =>
            /feed/.test(`${t.id} ${t.title ?? ''}`) &&
            !/internal|entry/i.test(`${t.id} ${t.title ?? ''}`),
        ) ?? targets[0]
      if (!target) throw new Error('no inspector target')
      socket = new WebSocket(target.webSocketDebuggerUrl.replace('localhost', '127.0.0.1'))
      await new Promise(
        (resolve, reject) => ((socket!.onopen = resolve), (socket!.onerror = reject)),
      )
      socket.onmessage = (event) => {
        const message = JSON.parse(String(event.data)) as {
          id?: number
          result?: unknown
          error?: unknown
        }
        if (message.id !== undefined)
          pending.get(message.id)?.(
            message.error
              ? Promise.reject(new Error(JSON.stringify(message.error)))
              : message.result,
          )
      }
    }
    const id = next++
    let done = false
    const result = new Promise((resolve) => pending.set(id, (r) => ((done = true), resolve(r))))
    socket.send(JSON.stringify({ id, method, params }))
    // workerd handles inspector messages when the isolate runs: wake it with a cheap request until the answer arrives.
    for (let k = 0; !done && k < 200; k++) {
      await Promise.race([result, new Promise((r) => setTimeout(r, 20))])
      if (!done) await (await mf.dispatchFetch(ORIGIN + KICK)).arrayBuffer()
    }
    return result
  }

  return {
    readyMs,
    async get(path) {
      const t = performance.now()
      const res = await mf.dispatchFetch(ORIGIN + path, { redirect: 'manual' })
      const body = new Uint8Array(await res.arrayBuffer())
      const ms = performance.now() - t
      return {
        status: res.status,
        bytes: body.byteLength,
        ms,
        body,
        headers: res.headers as unknown as Headers,
      }
    },
    async heap() {
      if (!inspectorPort) throw new Error('started without inspect')
      await call('HeapProfiler.collectGarbage')
      const { usedSize, totalSize } = await call('Runtime.getHeapUsage')
      return { used: usedSize as number, total: totalSize as number }
    },
    async dispose() {
      socket?.close()
      await mf.dispose()
    },
  }
}
