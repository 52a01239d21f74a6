/**
 * End-to-end test of the WebSub hub under `wrangler dev` (real D1, Queues
 * and cron): a subscriber written from the spec listens on 127.0.0.1,
 * subscribes to /rss.xml with a secret (answering the verification GET of
 * section 5.3), the content changes, `/__scheduled` runs change detection,
 * and the subscriber must receive the new feed (section 7) with a valid
 * `X-Hub-Signature` (section 8). Exits non-zero on failure, within 3 minutes.
 *
 * Usage: node scripts/websub-e2e.ts   (npm run test:websub)
 * The helpers are shared with bench/websub-fanout.ts.
 */
import { execFileSync } from 'node:child_process'
import { createHmac, timingSafeEqual } from 'node:crypto'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { compileContent, ContentError } from '../src/content/compile.ts'
import { startDevServer, type DevServer } from './dev-server.ts'
import { readContent } from './lib/read-content.ts'

export interface Received {
  path: string
  headers: IncomingMessage['headers']
  body: Buffer
}

/** A WebSub subscriber (sections 5.3 and 7) on 127.0.0.1: echoes every challenge, records every delivery. */
export interface Subscriber {
  origin: string
  verified: string[]
  received: Received[]
  /** Resolves once `count` deliveries have arrived (rejects after `ms`). */
  waitFor(count: number, ms: number): Promise<void>
  close(): Promise<void>
}

export async function startSubscriber(): Promise<Subscriber> {
  const verified: string[] = []
  const received: Received[] = []
  let waiter: { count: number; resolve: () => void } | undefined
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (req.method === 'GET') {
      const mode = url.searchParams.get('hub.mode')
      const challenge = url.searchParams.get('hub.challenge')
      if ((mode === 'subscribe' || mode === 'unsubscribe') && challenge) {
        verified.push(url.pathname)
        res.writeHead(200, { 'Content-Type': 'text/plain' }).end(challenge)
      } else res.writeHead(404).end()
      return
    }
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      received.push({ path: url.pathname, headers: req.headers, body: Buffer.concat(chunks) })
      res.writeHead(204).end()
      if (waiter && received.length >= waiter.count) waiter.resolve()
    })
  })
  server.keepAliveTimeout = 30_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return {
    origin: `http://127.0.0.1:${port}`,
    verified,
    received,
    waitFor(count, ms) {
      if (received.length >= count) return Promise.resolve()
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(`only ${received.length} of ${count} deliveries within ${ms / 1000} s`),
            ),
          ms,
        )
        waiter = { count, resolve: () => (clearTimeout(timer), resolve()) }
      })
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

/** A running service over a temporary copy of content/, with its D1 migrated. */
export interface Service {
  server: DevServer
  origin: string
  contentDir: string
  /** The state folder of the server's local D1. */
  state: string
  stop(): Promise<void>
}

/** Runs `wrangler dev --test-scheduled` with loopback callbacks allowed, over a copy of content/ at `port`. */
export async function startService(port: number): Promise<Service> {
  const work = mkdtempSync(join(tmpdir(), 'websub-e2e-'))
  const contentDir = join(work, 'content')
  const state = join(work, 'state')
  cpSync('content', contentDir, { recursive: true })
  // The test is of the built-in hub: a publication that turns it off or names another hub gets it back in the copy.
  const site = join(contentDir, 'site.yaml')
  writeFileSync(site, readFileSync(site, 'utf8').replace(/^websub:.*$/m, 'websub: self'))
  const origin = `http://127.0.0.1:${port}`
  // The content build the dev server runs reads these, so every absolute URL names this server.
  process.env.CONTENT_DIR = contentDir
  process.env.SITE_URL = origin
  // The dev server migrates and loads its own database in `state`.
  const server = await startDevServer(port, {
    persistTo: state,
    args: ['--test-scheduled', '--var', 'WEBSUB_ALLOW_LOOPBACK:true'],
  })
  return {
    server,
    origin,
    contentDir,
    state,
    async stop() {
      await server.stop()
      rmSync(work, { recursive: true, force: true })
      delete process.env.CONTENT_DIR
      delete process.env.SITE_URL
    },
  }
}

/**
 * Changes what the service publishes, as a publish does: adds an entry to its
 * content copy and loads it into the server's D1 as a new content version,
 * which the running Worker serves from its next request.
 */
export async function changeContent(
  service: Service,
  id = `websub-e2e-${Date.now()}`,
): Promise<void> {
  // Whatever the publication, the new entry names its first topic and its first source document.
  const read = readContent(service.contentDir)
  if (read.issues) throw new ContentError(read.issues)
  const { topics, sources } = compileContent(read.files)
  writeFileSync(
    join(service.contentDir, 'entries', `${id}.md`),
    `---\nid: ${id}\ntitle: A new entry for the WebSub test\nsummary: Written by scripts/websub-e2e.ts.\npublished: "2099-01-01"\n` +
      `topics: [${topics[0]!.slug}]\nsources:\n  - document: ${sources[0]!.file}\n---\nBody of the new entry.\n`,
  )
  execFileSync(
    'node',
    ['scripts/build-content.ts', '--load', 'local', '--persist-to', service.state],
    { stdio: 'ignore', env: process.env },
  )
}

/** Polls `url` until its ETag differs from `before` (wrangler dev has reloaded). */
export async function waitForNewEtag(
  url: string,
  before: string | null,
  ms: number,
): Promise<string> {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    const res = await fetch(url)
    await res.arrayBuffer()
    const etag = res.headers.get('ETag')
    if (etag && etag !== before) return etag
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`${url} did not change within ${ms / 1000} s`)
}

/** POSTs a subscription request; the hub must answer 202. */
export async function subscribe(hub: string, form: Record<string, string>): Promise<void> {
  const res = await fetch(hub, {
    method: 'POST',
    body: new URLSearchParams({ 'hub.mode': 'subscribe', ...form }),
  })
  if (res.status !== 202) throw new Error(`subscribe answered ${res.status}: ${await res.text()}`)
  await res.arrayBuffer()
}

/** Runs the cron handler once (`wrangler dev --test-scheduled`). */
export async function runScheduled(origin: string): Promise<void> {
  const res = await fetch(`${origin}/__scheduled?cron=*+*+*+*+*`)
  if (!res.ok) throw new Error(`/__scheduled answered ${res.status}`)
  await res.arrayBuffer()
}

async function waitUntil(check: () => boolean, what: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message)
}

async function main(): Promise<void> {
  const secret = 'e2e-secret-8d1f'
  const subscriber = await startSubscriber()
  const service = await startService(Number(process.env.PORT ?? 8795))
  const { origin } = service
  const topic = `${origin}/rss.xml`
  try {
    const first = await fetch(topic)
    assert(
      first.headers.get('Link') === `<${origin}/websub>; rel="hub", <${topic}>; rel="self"`,
      `Link header: ${first.headers.get('Link')}`,
    )
    assert(
      (await first.text()).includes(`<atom:link href="${origin}/websub" rel="hub" />`),
      'RSS names the hub',
    )

    await subscribe(`${origin}/websub`, {
      'hub.topic': topic,
      'hub.callback': `${subscriber.origin}/callback`,
      'hub.secret': secret,
    })
    await waitUntil(() => subscriber.verified.length === 1, 'the verification GET', 15_000)
    console.log('websub e2e: subscription verified')
    await runScheduled(origin) // first sight: stores the ETag, delivers nothing
    const before = first.headers.get('ETag')

    await changeContent(service)
    await waitForNewEtag(topic, before, 60_000)
    console.log('websub e2e: content changed and reloaded')
    await runScheduled(origin)
    await subscriber.waitFor(1, 30_000)

    const [delivery] = subscriber.received
    assert(
      delivery && subscriber.received.length === 1,
      `expected one delivery, got ${subscriber.received.length}`,
    )
    const served = await fetch(topic)
    const current = Buffer.from(await served.arrayBuffer())
    assert(delivery.body.equals(current), 'delivered body is the current feed')
    assert(
      delivery.body.toString().includes('A new entry for the WebSub test'),
      'delivered feed has the new entry',
    )
    // WebSub section 7: the delivery carries the topic's own Content-Type.
    assert(
      delivery.headers['content-type'] === served.headers.get('Content-Type'),
      `Content-Type: ${delivery.headers['content-type']}, served as ${served.headers.get('Content-Type')}`,
    )
    assert(
      String(delivery.headers['link']).includes(`<${topic}>; rel="self"`),
      `Link: ${delivery.headers['link']}`,
    )
    const signature = String(delivery.headers['x-hub-signature'] ?? '')
    const expected = `sha256=${createHmac('sha256', secret).update(delivery.body).digest('hex')}`
    assert(
      signature.length === expected.length &&
        timingSafeEqual(Buffer.from(signature), Buffer.from(expected)),
      `X-Hub-Signature ${signature}`,
    )
    console.log(`websub e2e: ok, received ${delivery.body.byteLength} bytes with a valid signature`)
  } catch (error) {
    console.error(service.server.log().slice(-3000))
    throw error
  } finally {
    await subscriber.close()
    await service.stop()
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const timer = setTimeout(() => {
    console.error('websub e2e: timed out after 180 s')
    process.exit(1)
  }, 180_000)
  main().then(
    () => (clearTimeout(timer), process.exit(0)),
    (error) => {
      console.error('websub e2e: FAILED:', error instanceof Error ? error.message : error)
      process.exit(1)
    },
  )
}
