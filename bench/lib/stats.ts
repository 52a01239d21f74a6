/** Small statistics and table helpers shared by the benchmark sections. */

export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return NaN
  const s = [...xs].sort((a, b) => a - b)
  const pos = (s.length - 1) * q
  const lo = Math.floor(pos)
  const hi = Math.ceil(pos)
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo)
}

export const median = (xs: readonly number[]): number => quantile(xs, 0.5)

/** Formats milliseconds with three significant digits (µs below 0.1 ms stay readable). */
export function ms(x: number): string {
  if (!Number.isFinite(x)) return 'n/a'
  if (x >= 100) return x.toFixed(0)
  if (x >= 10) return x.toFixed(1)
  if (x >= 1) return x.toFixed(2)
  if (x >= 0.1) return x.toFixed(3)
  return x.toFixed(4)
}

export function bytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(2)} MiB`
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`
  return `${n} B`
}

export function ratio(x: number): string {
  return Number.isFinite(x) ? `${x.toFixed(2)}×` : 'n/a'
}

/** A plain-text table (Markdown-compatible: it pastes into BENCHMARKS.md as is). */
export function table(head: string[], rows: (string | number)[][]): string {
  const cells = [head, ...rows.map((r) => r.map(String))]
  const width = head.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)))
  const right = head.map((_, i) =>
    rows.every(
      (r) =>
        /^[\d.,\s×%<>≤≥+–-]*(?:ms|µs|KiB|MiB|B|rps|×|%)?$/.test(String(r[i] ?? '')) ||
        r[i] === 'n/a',
    ),
  )
  const line = (r: string[]) =>
    `| ${r.map((c, i) => (right[i] ? c.padStart(width[i]!) : c.padEnd(width[i]!))).join(' | ')} |`
  const rule = `|${width.map((w, i) => (right[i] ? '-'.repeat(w + 1) + ':' : '-'.repeat(w + 2))).join('|')}|`
  return [line(cells[0]!), rule, ...cells.slice(1).map(line)].join('\n')
}

export interface Verdict {
  budget: string
  measured: string
  pass: boolean | undefined
}

export function verdictTable(verdicts: readonly Verdict[]): string {
  return table(
    ['Budget', 'Measured', 'Result'],
    verdicts.map((v) => [
      v.budget,
      v.measured,
      v.pass === undefined ? 'NOT RUN' : v.pass ? 'PASS' : 'FAIL',
    ]),
  )
}
