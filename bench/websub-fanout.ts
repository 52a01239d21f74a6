/**
 * WebSub delivery fan-out: 1,000 subscribers of /rss.xml (one HTTP server on
 * 127.0.0.1 counting POSTs, a callback path per subscriber), one content
 * change, one run of change detection; the queue consumer under
 * `wrangler dev` delivers. Prints the time from the trigger to the last
 * delivery and deliveries per second. Bounded: gives up after 115 s.
 *
 * Usage: node bench/websub-fanout.ts [subscribers]   (npm run bench:websub)
 */
import {
  changeContent,
  runScheduled,
  startService,
  startSubscriber,
  subscribe,
  waitForNewEtag,
} from '../scripts/websub-e2e.ts'

const count = Number(process.argv[2] ?? 1000)
const timer = setTimeout(() => {
  console.error('websub fan-out: timed out after 115 s')
  process.exit(1)
}, 115_000)

const subscriber = await startSubscriber()
const service = await startService(Number(process.env.PORT ?? 8796))
const { origin } = service
const topic = `${origin}/rss.xml`
try {
  let t = performance.now()
  const queue = Array.from({ length: count }, (_, i) => i)
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
        await subscribe(`${origin}/websub`, {
          'hub.topic': topic,
          'hub.callback': `${subscriber.origin}/s/${i}`,
        })
      }
    }),
  )
  while (subscriber.verified.length < count) await new Promise((r) => setTimeout(r, 50))
  const subscribeMs = performance.now() - t
  // Let the last verifications' D1 writes land, then store the first ETag.
  await new Promise((r) => setTimeout(r, 500))
  await runScheduled(origin)
  const before = (await fetch(topic)).headers.get('ETag')
  await changeContent(service)
  await waitForNewEtag(topic, before, 60_000)

  t = performance.now()
  await runScheduled(origin)
  const detectMs = performance.now() - t
  let firstMs: number | undefined
  const poll = setInterval(() => {
    if (firstMs === undefined && subscriber.received.length) firstMs = performance.now() - t
  }, 5)
  await subscriber.waitFor(count, 90_000)
  const lastMs = performance.now() - t
  clearInterval(poll)
  const distinct = new Set(subscriber.received.map((r) => r.path)).size
  console.log(
    JSON.stringify(
      {
        subscribers: count,
        subscribeAndVerifyMs: Math.round(subscribeMs),
        detectionAndEnqueueMs: Math.round(detectMs),
        firstDeliveryMs: Math.round(firstMs ?? lastMs),
        triggerToLastDeliveryMs: Math.round(lastMs),
        deliveriesPerSecond: Math.round(count / (lastMs / 1000)),
        distinctCallbacks: distinct,
        bodyBytes: subscriber.received[0]?.body.byteLength,
      },
      null,
      1,
    ),
  )
  if (distinct !== count)
    throw new Error(`${distinct} distinct callbacks received content, expected ${count}`)
} finally {
  clearTimeout(timer)
  await subscriber.close()
  await service.stop()
}
process.exit(0)
