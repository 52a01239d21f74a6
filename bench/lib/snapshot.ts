/**
 * A frozen copy of the project for the sections that run wrangler (HTTP and
 * bundle size): src/, scripts/, content/, the configs and bench/constant,
 * with node_modules symlinked. `wrangler dev` watches its sources and
 * reloads on every change; in a shared working tree that would restart the
 * isolate (and empty the memo) in the middle of a measurement. The copy
 * also keeps the build step's output (src/generated/) out of the tree.
 */
import { cpSync, existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)))

const COPY = [
  'src',
  'scripts',
  'content',
  'bench/constant',
  'wrangler.toml',
  'package.json',
  'tsconfig.json',
]

export interface Snapshot {
  dir: string
  remove(): void
}

export function snapshot(): Snapshot {
  const dir = mkdtempSync(join(tmpdir(), 'feed-bench-snapshot-'))
  for (const path of COPY) {
    if (!existsSync(join(ROOT, path))) continue
    cpSync(join(ROOT, path), join(dir, path), {
      recursive: true,
      filter: (src) =>
        !/[/\\](?:generated|\.wrangler|node_modules)(?:[/\\]|$)/.test(src.slice(ROOT.length)),
    })
  }
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir')
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/** The wrangler CLI of this project, run by the Node that runs the benchmark (the project's Node 22). */
export const WRANGLER = join(ROOT, 'node_modules/wrangler/bin/wrangler.js')

/**
 * Environment for every wrangler child: no metrics, no request for the
 * `Request.cf` data (an outbound fetch), no prompts, no colour codes in the
 * logs; and this Node first on PATH, so that wrangler's build command
 * (`node scripts/build-content.ts`) runs on Node 22 even when the benchmark
 * was started without npm.
 */
export function wranglerEnv(): NodeJS.ProcessEnv {
  const path = [dirname(process.execPath), join(ROOT, 'node_modules/.bin'), process.env.PATH]
    .filter(Boolean)
    .join(delimiter)
  return {
    ...process.env,
    PATH: path,
    WRANGLER_SEND_METRICS: 'false',
    CLOUDFLARE_CF_FETCH_ENABLED: 'false',
    CI: 'true',
    FORCE_COLOR: '0',
    NO_COLOR: '1',
  }
}
