/**
 * Section 1: render time per format in Node, for 10, 20, 100 and 1,000
 * synthetic entries. Our serializer (build + render to UTF-8 bytes) COLD
 * (fresh entry objects: the per-entry fragment caches miss) and WARM
 * (fragments cached: the steady state of an isolate), beside the floor and
 * the `feed` package, which return strings: those are timed with the read
 * that flattens them, and their UTF-8 encode is timed apart.
 *
 * Each figure is the median over many samples after a warm-up; a sample
 * times a batch of renders long enough (≥ 0.5 ms) for the clock, divided by
 * the batch size. Cold batches render sites prepared (outside the timed
 * region) with fresh entry objects, one per render.
 */
import { deriveSite, type Site } from '../src/app.ts'
import { coldSite, encoder, FORMAT_NAMES, renderOurs, renderString, type FormatName, type StringImpl } from './lib/renderers.ts'
import { median, quantile } from './lib/stats.ts'
import { makeContent } from './lib/synthetic.ts'

export const SIZES = [10, 20, 100, 1000] as const
/**
 * `cold`, `warm`: ours, to bytes. `floor`, `feed`: the comparison strings.
 * `floor-encode`, `feed-encode`: TextEncoder.encode of that (flat) string,
 * what the service would add to use them.
 */
export type Variant = 'cold' | 'warm' | 'floor' | 'feed' | 'floor-encode' | 'feed-encode'
export const VARIANTS: readonly Variant[] = ['cold', 'warm', 'floor', 'floor-encode', 'feed', 'feed-encode']

export interface Cell {
  size: number
  format: FormatName
  variant: Variant
  /** Median ms per render. */
  median: number
  p90: number
  samples: number
  /** Renders per sample. */
  batch: number
  bytes: number
  /** Median of each process, when bench/run.ts ran several. */
  processes?: number[]
}

export interface SamplingConfig {
  warmupMs: number
  minSamples: number
  maxSamples: number
  budgetMs: number
}

export const FULL: SamplingConfig = { warmupMs: 200, minSamples: 15, maxSamples: 200, budgetMs: 600 }
export const QUICK: SamplingConfig = { warmupMs: 40, minSamples: 7, maxSamples: 40, budgetMs: 150 }

const now = () => performance.now()

/**
 * Times `run` over prepared inputs. `prepare(b)` builds the inputs of one
 * batch of `b` renders (untimed); `run(input)` renders one.
 */
function measure<T>(prepare: (b: number) => T[], run: (input: T) => void, cfg: SamplingConfig): { perRender: number[]; batch: number } {
  // Warm-up, one render at a time; also estimates the cost of one render.
  let spent = 0
  let runs = 0
  const start = now()
  while ((now() - start < cfg.warmupMs || runs < 3) && runs < 100_000) {
    const [input] = prepare(1)
    const t = now()
    run(input!)
    spent += now() - t
    runs++
  }
  const batch = Math.max(1, Math.min(2000, Math.ceil(0.5 / Math.max(spent / runs, 1e-6))))
  const perRender: number[] = []
  const began = now()
  while (perRender.length < cfg.minSamples || (now() - began < cfg.budgetMs && perRender.length < cfg.maxSamples)) {
    const inputs = prepare(batch)
    const t = now()
    for (const input of inputs) run(input)
    perRender.push((now() - t) / batch)
  }
  return { perRender, batch }
}

export function renderCell(site: Site, format: FormatName, variant: Variant, cfg: SamplingConfig): Cell {
  const cell = (perRender: number[], batch: number, bytes: number): Cell => ({ size: site.content.entries.length, format, variant, median: median(perRender), p90: quantile(perRender, 0.9), samples: perRender.length, batch, bytes })
  if (variant === 'floor-encode' || variant === 'feed-encode') {
    const body = renderString(site, format, variant === 'floor-encode' ? 'floor' : 'feed')
    let bytes = 0
    const { perRender, batch } = measure((b) => Array<string>(b).fill(body), (s) => (bytes = encoder.encode(s).byteLength), cfg)
    return cell(perRender, batch, bytes)
  }
  if (variant === 'floor' || variant === 'feed') {
    const impl: StringImpl = variant
    let body = ''
    const { perRender, batch } = measure((b) => Array<Site>(b).fill(site), (s) => (body = renderString(s, format, impl)), cfg)
    return cell(perRender, batch, encoder.encode(body).byteLength)
  }
  let bytes = 0
  const run = (s: Site) => (bytes = renderOurs(s, format).byteLength)
  const prepare = variant === 'cold' ? (b: number) => Array.from({ length: b }, () => coldSite(site)) : (b: number) => Array<Site>(b).fill(site)
  if (variant === 'warm') run(site) // fill the fragment caches
  const { perRender, batch } = measure(prepare, run, cfg)
  return cell(perRender, batch, bytes)
}

/** Every size × format × variant. `onCell` reports progress. */
export function runRender(cfg: SamplingConfig, sizes: readonly number[] = SIZES, onCell?: (c: Cell) => void): Cell[] {
  const cells: Cell[] = []
  for (const size of sizes) {
    const site = deriveSite(makeContent(size))
    for (const format of FORMAT_NAMES)
      for (const variant of VARIANTS) {
        const cell = renderCell(site, format, variant, cfg)
        cells.push(cell)
        onCell?.(cell)
      }
  }
  return cells
}
