/**
 * What recording a stated subscriber count costs a feed request, measured
 * against a real `wrangler dev`: the time to the response headers of
 * `/rss.xml` for a plain User-Agent, for one that states a new count on
 * every request (each one an upsert, after the response) and for one that
 * repeats a count (no write: the isolate skips it), interleaved and spaced
 * so that the three see the same machine. Prints p50, p90 and the mean.
 *
 * Usage: node bench/subscribers.ts [rounds]
 */
import { startDevServer } from '../scripts/dev-server.ts'
import { freePort } from '../scripts/lib/ports.ts'

const rounds = Number(process.argv[2] ?? 150)
const server = await startDevServer(await freePort())
const PLAIN = 'Mozilla/5.0 (X11; Linux x86_64) bench'
const KINDS: Record<string, (i: number) => string> = {
  plain: () => PLAIN,
  'new count (write)': (i) => `Feedbin feed-id:1 - ${i} subscribers`,
  'same count (no write)': () =>
    'Feedly/1.0 (+http://www.feedly.com/fetcher.html; 16 subscribers; like FeedFetcher-Google)',
}

async function headersTime(ua: string): Promise<number> {
  const t0 = performance.now()
  const res = await fetch(`${server.origin}/rss.xml`, { headers: { 'User-Agent': ua } })
  const t1 = performance.now()
  await res.arrayBuffer()
  return t1 - t0
}

try {
  for (let i = 0; i < 20; i++) for (const ua of Object.values(KINDS)) await headersTime(ua(i))
  const times = Object.fromEntries(Object.keys(KINDS).map((k) => [k, [] as number[]]))
  for (let i = 0; i < rounds; i++) {
    for (const [kind, ua] of Object.entries(KINDS)) {
      times[kind]!.push(await headersTime(ua(1000 + i)))
      await new Promise((r) => setTimeout(r, 30))
    }
  }
  const at = (a: number[], p: number) =>
    a.toSorted((x, y) => x - y)[Math.floor(a.length * p)]!.toFixed(1)
  for (const [kind, a] of Object.entries(times)) {
    console.log(
      `${kind.padEnd(22)} headers p50 ${at(a, 0.5)} ms, p90 ${at(a, 0.9)} ms, mean ${(a.reduce((x, y) => x + y, 0) / a.length).toFixed(1)} ms (${a.length} requests)`,
    )
  }
} finally {
  await server.stop()
}
