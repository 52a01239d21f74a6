/**
 * The memo's bound holds for real memory, not just for its own count.
 * workerd exposes no heap figures (its `process.memoryUsage()` answers
 * zeros), so this runs in Node 22: it fills memos bounded at 4 MiB with
 * 20,000 distinct small representations, built exactly as the Worker
 * builds them (`makeRepresentation`), and measures the heap after a full
 * garbage collection: `heapUsed + arrayBuffers` (ArrayBuffer contents live
 * outside the V8 heap). Node has no pointer compression and workerd has,
 * so a Node figure is an upper bound for workerd.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import {
  ENTRY_OVERHEAD,
  makeRepresentation,
  type Representation,
} from '../../src/representation.ts'
import { ByteLru } from '../../src/memo.ts'

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

const BOUND = 4 * 2 ** 20
const N = 20_000

/** Heap plus ArrayBuffer bytes after a full collection. */
function retained(): number {
  gc()
  gc()
  const m = process.memoryUsage()
  return m.heapUsed + m.arrayBuffers
}

/** Fills a memo with N distinct small feeds; `size` maps each to the size the memo is told. */
async function fill(size?: (rep: Representation, key: string) => number) {
  const before = retained()
  const memo = new ByteLru<Representation>(BOUND)
  for (let i = 0; i < N; i++) {
    const key = `/rss.xml?topic=alpha,beta&person=p${i}&limit=${(i % 100) + 1}`
    const rep = await makeRepresentation(key, {
      body: `<rss version="2.0"><channel><title>${i}</title></channel></rss>`,
      type: 'application/rss+xml; charset=utf-8',
      updated: '2025-05-03T00:00:00Z',
      tags: ['feed:site', 'format:rss', `topic:t${i % 10}`],
    })
    memo.set(key, size ? { ...rep, size: size(rep, key) } : rep)
  }
  const growth = retained() - before
  return { memo, growth, perEntry: growth / memo.count }
}

describe('memo memory', () => {
  it(`20,000 distinct small URLs retain at most the ${BOUND}-byte bound`, async () => {
    const { memo, growth, perEntry } = await fill()
    console.log(
      `accounted: ${memo.count} entries, ${memo.bytes} bytes counted, ${growth} bytes measured (${perEntry.toFixed(0)} a entry; ENTRY_OVERHEAD ${ENTRY_OVERHEAD})`,
    )
    assert.ok(memo.bytes <= BOUND)
    assert.ok(memo.count < N, 'the oldest entries were evicted')
    assert.ok(growth <= BOUND, `measured ${growth} > bound ${BOUND}`)
    // The accounting covers each entry's measured cost with room for what V8 keeps outside its heap.
    assert.ok(
      memo.bytes / memo.count >= perEntry,
      `counted ${memo.bytes / memo.count} < measured ${perEntry} a entry`,
    )
  })
  it('counting only body bytes and the key, as before, overruns the bound: the measurement can fail', async () => {
    const { memo, growth } = await fill((rep, key) => rep.body.byteLength + key.length)
    console.log(
      `bodies and keys only: ${memo.count} entries, ${memo.bytes} bytes counted, ${growth} bytes measured (${(growth / BOUND).toFixed(2)}× the bound)`,
    )
    assert.equal(memo.count, N)
    assert.ok(growth > BOUND)
  })
})
