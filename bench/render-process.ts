/**
 * Section 1 in a fresh Node process (bench/run.ts starts several and takes
 * the median over them: JIT and heap state differ between processes more
 * than samples differ within one). Progress goes to stderr; the cells, as
 * one JSON line, to stdout.
 *
 *   node bench/render-process.ts [--quick]
 */
import './lib/tsx.ts'
import { ms } from './lib/stats.ts'

const { runRender, FULL, QUICK, SIZES } = await import('./render.ts')
const cells = runRender(process.argv.includes('--quick') ? QUICK : FULL, SIZES, (c) =>
  process.stderr.write(`  … node ${c.size} ${c.format} ${c.variant}: ${ms(c.median)} ms (${c.samples} samples × ${c.batch})\n`),
)
process.stdout.write(JSON.stringify(cells) + '\n')
