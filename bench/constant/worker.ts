/**
 * The constant-body Worker (section 3's yardstick): answers every request
 * with the exact bytes and headers the real Worker sends for `/rss.xml`,
 * captured once from the real app on the first request and then replayed.
 * Served by the same `wrangler dev` setup as the real Worker, so the gap
 * between the two is the cost of routing, middleware and the memo lookup.
 */
import { createApp } from '../../src/app.ts'
import content from '../../src/generated/content.ts'

/** The path whose representation is replayed; the HTTP benchmark requests the same path from the real Worker. (Not exported: a Worker module may only export handlers.) */
const PATH = '/rss.xml'

let captured: Promise<{ body: Uint8Array<ArrayBuffer>; headers: [string, string][] }> | undefined

async function capture() {
  const res = await createApp(content).request(PATH)
  return { body: new Uint8Array(await res.arrayBuffer()), headers: [...res.headers] }
}

export default {
  async fetch(): Promise<Response> {
    const { body, headers } = await (captured ??= capture())
    return new Response(body, { headers })
  },
}
