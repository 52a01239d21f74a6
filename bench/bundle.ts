/**
 * Section 5: bundle size. In the snapshot: `npm run content` (the content
 * compiler), then `wrangler deploy --dry-run --outdir <tmp> --minify`, as
 * `npm run build` does. Reports the minified bundle's raw and gzip sizes
 * (zlib level 9 and the default level 6), wrangler's own "gzip" figure, and
 * the largest inputs from esbuild's metafile.
 */
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { WRANGLER, wranglerEnv, type Snapshot } from './lib/snapshot.ts'

export interface BundleResult {
  file: string
  raw: number
  gzip9: number
  gzip6: number
  /** wrangler's "Total Upload: … / gzip: …" line. */
  wranglerLine: string
  /** Largest inputs by bytes in the minified output. */
  inputs: { path: string; bytes: number }[]
}

export function runBundle(snap: Snapshot, outdir: string): BundleResult {
  const env = wranglerEnv()
  execFileSync(process.execPath, ['scripts/build-content.ts'], { cwd: snap.dir, env, stdio: 'pipe' })
  const out = execFileSync(process.execPath, [WRANGLER, 'deploy', '--dry-run', '--outdir', outdir, '--minify', '--metafile', join(outdir, 'meta.json')], {
    cwd: snap.dir,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const wranglerLine = out.split('\n').find((l) => /Total Upload/i.test(l))?.trim() ?? '(not printed)'
  const file = readdirSync(outdir).find((f) => f.endsWith('.js'))
  if (!file) throw new Error(`no .js bundle in ${outdir}`)
  const code = readFileSync(join(outdir, file))
  let inputs: BundleResult['inputs'] = []
  try {
    const meta = JSON.parse(readFileSync(join(outdir, 'meta.json'), 'utf8')) as { outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }> }
    const output = Object.entries(meta.outputs).find(([k]) => k.endsWith('.js'))?.[1]
    const byGroup = new Map<string, number>()
    for (const [path, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
      // Group node_modules by package; keep project files as they are.
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)
      const key = m ? `node_modules/${m[1]}` : path.replace(/^.*?(src\/)/, '$1')
      byGroup.set(key, (byGroup.get(key) ?? 0) + bytesInOutput)
    }
    inputs = [...byGroup].map(([path, bytes]) => ({ path, bytes })).sort((a, b) => b.bytes - a.bytes)
  } catch {
    // no metafile: sizes only
  }
  return { file, raw: statSync(join(outdir, file)).size, gzip9: gzipSync(code, { level: 9 }).byteLength, gzip6: gzipSync(code).byteLength, wranglerLine, inputs }
}
