/**
 * Section 2: the same renders inside workerd. bench/worker.ts is bundled
 * with esbuild (as wrangler would) and run by Miniflare's API, which starts
 * the installed workerd on a random loopback port.
 *
 * workerd's clock does not advance during synchronous code, so time is
 * taken outside: a request renders `n` times; the figure is
 * (median time of that request − median time of the same request with
 * n = 0) / n. `n` is calibrated so a timed request lasts ~`targetMs`,
 * which keeps the loopback round trip (~1 ms) a small part of it. Timed
 * and baseline requests alternate, so drifting load hits both alike.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from 'esbuild'
import { Miniflare } from 'miniflare'
import { FORMAT_NAMES, type FormatName } from './lib/formats.ts'
import { median } from './lib/stats.ts'

export type WorkerdVariant = 'cold' | 'warm' | 'floor' | 'feed' | 'floor-encode' | 'feed-encode'

export interface WorkerdCell {
  size: number
  format: FormatName
  variant: WorkerdVariant
  /** Median ms per render. */
  perRender: number
  /** Renders per timed request. */
  n: number
  samples: number
  baselineMs: number
  /** Per-render figure of each isolate. */
  isolates: number[]
  /** Set while reporting progress: which isolate. */
  isolate?: number
}

export interface WorkerdConfig {
  sizes: readonly number[]
  variants: readonly WorkerdVariant[]
  /** The comparison renderers: measured in the first isolate only, at `comparisonSizes` only. */
  comparison: readonly WorkerdVariant[]
  comparisonSizes: readonly number[]
  samples: number
  targetMs: number
  /** Fresh workerd instances to repeat everything in. */
  isolates: number
}

export const WORKERD_FULL: WorkerdConfig = {
  sizes: [10, 20, 100, 1000],
  variants: ['cold', 'warm', 'floor', 'floor-encode', 'feed', 'feed-encode'],
  comparison: ['floor', 'floor-encode', 'feed', 'feed-encode'],
  comparisonSizes: [100, 1000],
  samples: 5,
  targetMs: 100,
  isolates: 3,
}
export const WORKERD_QUICK: WorkerdConfig = { sizes: [20, 1000], variants: ['cold', 'warm'], comparison: [], comparisonSizes: [], samples: 3, targetMs: 60, isolates: 1 }

export const COMPATIBILITY_DATE = '2026-11-01'

/** Bundles bench/worker.ts like wrangler does (esbuild, ESM, workerd conditions). */
async function bundle(dir: string): Promise<string> {
  const outfile = join(dir, 'worker.js')
  await build({
    entryPoints: [new URL('./worker.ts', import.meta.url).pathname],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2024',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    // xml-js (used by the feed package) pulls in sax, which tries require('stream') inside a try/catch.
    external: ['stream'],
    outfile,
    logLevel: 'error',
  })
  return outfile
}

/** One isolate's measurements of every cell. */
async function runIsolate(scriptPath: string, cfg: WorkerdConfig, first: boolean, onCell?: (c: WorkerdCell) => void): Promise<WorkerdCell[]> {
  const manifest = { mainModule: 'worker.js', modules: { 'worker.js': { type: 'esm' as const, contents: readFileSync(scriptPath, 'utf8') } } }
  const mf = new Miniflare({ cf: false, workers: [{ config: { name: 'feed-bench', compatibilityDate: COMPATIBILITY_DATE, manifest } }] })
  try {
    const base = (await mf.ready).toString().replace(/\/$/, '')
    const get = async (path: string): Promise<number> => {
      const t = performance.now()
      const res = await fetch(base + path)
      const text = await res.text()
      const ms = performance.now() - t
      if (!res.ok) throw new Error(`workerd ${path}: ${res.status} ${text}`)
      return ms
    }
    const cells: WorkerdCell[] = []
    for (const size of cfg.sizes) {
      await get(`/setup?entries=${size}`)
      for (const format of FORMAT_NAMES)
        for (const variant of cfg.variants) {
          if (cfg.comparison.includes(variant) && (!cfg.comparisonSizes.includes(size) || !first)) continue
          const qs = `entries=${size}&format=${format}&variant=${variant}`
          const timed = async (n: number) => {
            if (variant === 'cold') await get(`/prepare?entries=${size}&n=${n}`)
            return get(`/render?${qs}&n=${n}`)
          }
          // Warm up the code paths (JIT) and the connection, then calibrate n:
          // grow it until a request renders for ≥ targetMs / 4 above the baseline.
          for (let i = 0; i < 3; i++) await timed(2)
          const base0: number[] = []
          for (let i = 0; i < 5; i++) base0.push(await timed(0))
          let n = 2
          let spent = 0
          while (n < 20_000) {
            spent = Math.min(await timed(n), await timed(n)) - median(base0)
            if (spent >= cfg.targetMs / 4) break
            n *= 4
          }
          n = Math.max(2, Math.min(20_000, Math.round((cfg.targetMs * n) / Math.max(spent, 0.01))))
          const full: number[] = []
          const empty: number[] = []
          for (let i = 0; i < cfg.samples; i++) {
            empty.push(await timed(0))
            full.push(await timed(n))
          }
          const perRender = (median(full) - median(empty)) / n
          const cell: WorkerdCell = { size, format, variant, perRender, n, samples: cfg.samples, baselineMs: median(empty), isolates: [perRender] }
          cells.push(cell)
          onCell?.(cell)
        }
    }
    return cells
  } finally {
    await mf.dispose()
  }
}

/**
 * Every cell in `cfg.isolates` fresh isolates (a new workerd each): figures
 * for multi-megabyte feeds differ more between isolates (heap state, large
 * object pages) than between samples in one. A cell's figure is the median
 * over isolates; `isolates` keeps each one's. The comparison renderers (floor,
 * `feed`, their encodes) run in the first isolate only.
 */
export async function runWorkerd(cfg: WorkerdConfig, onCell?: (c: WorkerdCell) => void, parent = tmpdir()): Promise<WorkerdCell[]> {
  const dir = mkdtempSync(join(parent, 'feed-bench-workerd-'))
  try {
    const scriptPath = await bundle(dir)
    const runs: WorkerdCell[][] = []
    for (let i = 0; i < cfg.isolates; i++) runs.push(await runIsolate(scriptPath, cfg, i === 0, onCell && ((c) => onCell({ ...c, isolate: i + 1 }))))
    return runs[0]!.map((cell) => {
      const all = runs.map((r) => r.find((c) => c.size === cell.size && c.format === cell.format && c.variant === cell.variant)).filter((c) => c !== undefined)
      const values = all.map((c) => c.perRender)
      return { ...cell, perRender: median(values), isolates: values, samples: all.reduce((a, c) => a + c.samples, 0) }
    })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
