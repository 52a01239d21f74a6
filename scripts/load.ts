/**
 * Load test: autocannon against the local worker over a mix of feed URLs,
 * conditional requests and pages. Prints requests per second, latency p50
 * and p99, errors and the status counts; exits non-zero on any error or any
 * status other than 200 and 304.
 *
 * Usage: npm run load [-- --duration 30 --connections 64 --url http://127.0.0.1:8787]
 * Without --url it starts `wrangler dev` on 127.0.0.1:8799 and stops it at the end.
 */
import autocannon from 'autocannon'
import { parseArgs } from 'node:util'
import { startDevServer, type DevServer } from './dev-server.ts'

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '30' },
    connections: { type: 'string', default: '64' },
    url: { type: 'string' },
  },
})
const duration = Number(values.duration)
const connections = Number(values.connections)

let server: DevServer | undefined
try {
  let base = values.url
  if (!base) base = (server = await startDevServer(8799, { args: ['--log-level', 'warn'] })).origin

  const topics = (
    (await (await fetch(`${base}/topics.json`)).json()) as { topics: { slug: string }[] }
  ).topics.map((t) => t.slug)
  const feedJson = (await (await fetch(`${base}/feed.json?limit=5`)).json()) as {
    items: { url: string }[]
  }
  const entryPaths = feedJson.items.map((i) => new URL(i.url).pathname)
  const feeds = [
    '/rss.xml',
    '/atom.xml',
    '/feed.json',
    '/rss.xml?limit=100',
    ...topics.slice(0, 4).flatMap((t) => [`/topics/${t}/rss.xml`, `/topics/${t}/feed.json`]),
    `/atom.xml?topic=${topics.slice(0, 2).sort().join(',')}&limit=10`,
  ]
  const pages = [
    '/',
    `/topics/${topics[0]}`,
    ...entryPaths.slice(0, 3),
    '/topics.json',
    '/opml.xml',
  ]

  const conditional: { path: string; headers: Record<string, string> }[] = []
  for (const path of feeds.slice(0, 6)) {
    const res = await fetch(base + path)
    await res.arrayBuffer()
    conditional.push({ path, headers: { 'if-none-match': res.headers.get('etag')! } })
    conditional.push({ path, headers: { 'if-modified-since': res.headers.get('last-modified')! } })
  }
  const requests = [
    ...feeds.map((path) => ({ path })),
    ...conditional,
    ...pages.map((path) => ({ path })),
  ].map((r) => ({ method: 'GET' as const, ...r }))

  console.log(
    `load: ${requests.length} URLs (${feeds.length} feeds, ${conditional.length} conditional, ${pages.length} pages), ${connections} connections, ${duration} s against ${base}`,
  )
  const statuses = new Map<number, number>()
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url: base, connections, duration, requests }, (error, done) =>
      error ? reject(error) : resolve(done),
    )
    instance.on('response', (_client, status) =>
      statuses.set(status, (statuses.get(status) ?? 0) + 1),
    )
  })

  const unexpected = [...statuses]
    .filter(([s]) => s !== 200 && s !== 304)
    .reduce((n, [, c]) => n + c, 0)
  console.log(
    [
      `requests/s  ${result.requests.average.toFixed(0)} (total ${result.requests.total})`,
      `latency     p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms`,
      `throughput  ${(result.throughput.average / 1e6).toFixed(2)} MB/s`,
      `errors      ${result.errors} (timeouts ${result.timeouts})`,
      `non-2xx     ${result.non2xx} (all 304s expected: ${statuses.get(304) ?? 0} x 304)`,
      `statuses    ${[...statuses]
        .sort()
        .map(([s, c]) => `${s}: ${c}`)
        .join(', ')}`,
    ].join('\n'),
  )
  if (result.errors > 0 || unexpected > 0) {
    console.error(`load: FAIL (${result.errors} errors, ${unexpected} unexpected statuses)`)
    process.exitCode = 1
  } else console.log('load: OK, zero errors')
} finally {
  await server?.stop()
}
