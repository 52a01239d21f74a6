/**
 * Where render time goes: renders the synthetic feed in a loop under V8's
 * CPU profiler (node:inspector) and prints the functions with the most
 * self time. The render is ours: build + render to UTF-8 bytes.
 *
 *   node bench/profile.ts [--format=rss|atom|json] [--entries=1000] [--variant=cold|warm] [--seconds=5]
 *
 * `node --cpu-prof bench/profile.ts …` also works, for a .cpuprofile to
 * open in Chrome DevTools.
 */
import './lib/tsx.ts'
import { Session, type Profiler } from 'node:inspector/promises'
import { parseArgs } from 'node:util'

const { values } = parseArgs({
  options: {
    format: { type: 'string', default: 'rss' },
    entries: { type: 'string', default: '1000' },
    variant: { type: 'string', default: 'cold' },
    seconds: { type: 'string', default: '5' },
  },
})
const format = values.format as 'rss' | 'atom' | 'json'
const { deriveSite } = await import('../src/app.ts')
const { coldSite, renderOurs } = await import('./lib/renderers.ts')
const { makeContent } = await import('./lib/synthetic.ts')
const site = deriveSite(makeContent(Number(values.entries)))

const session = new Session()
session.connect()
await session.post('Profiler.enable')
await session.post('Profiler.start')
const start = performance.now()
let renders = 0
while (performance.now() - start < Number(values.seconds) * 1000) {
  renderOurs(values.variant === 'cold' ? coldSite(site) : site, format)
  renders++
}
const elapsed = performance.now() - start
const { profile } = (await session.post('Profiler.stop')) as { profile: Profiler.Profile }
session.disconnect()

const self = new Map<string, number>()
const byId = new Map(profile.nodes.map((n) => [n.id, n]))
let total = 0
profile.samples!.forEach((id, i) => {
  const node = byId.get(id)!
  const dt = profile.timeDeltas![i] ?? 0
  const f = node.callFrame
  const where = f.url ? `${f.url.replace(/^.*\/(src|bench|node_modules)\//, '$1/')}:${f.lineNumber + 1}` : ''
  const key = `${f.functionName || '(anonymous)'} ${where}`.trim()
  self.set(key, (self.get(key) ?? 0) + dt)
  total += dt
})
console.log(`${renders} ${values.variant} ${format} renders of ${values.entries} entries: ${(elapsed / renders).toFixed(2)} ms each\n`)
console.log('self time  function')
for (const [key, t] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`${((100 * t) / total).toFixed(1).padStart(8)}%  ${key}`)
