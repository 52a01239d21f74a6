/**
 * Lets Node 22 import `src/app.ts`, which imports the `.tsx` page routes:
 * Node's type stripping does not handle JSX, so `.tsx` files are compiled
 * with esbuild (installed with wrangler) using the project's JSX settings.
 * Import this module first, then import `src/app.ts` dynamically.
 */
import { registerHooks } from 'node:module'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { transformSync } from 'esbuild'

registerHooks({
  load(url, context, nextLoad) {
    if (!url.startsWith('file:') || !url.endsWith('.tsx')) return nextLoad(url, context)
    const path = fileURLToPath(url)
    const { code } = transformSync(readFileSync(path, 'utf8'), {
      loader: 'tsx',
      format: 'esm',
      jsx: 'automatic',
      jsxImportSource: 'hono/jsx',
      sourcefile: path,
      target: 'es2024',
    })
    return { format: 'module', source: code, shortCircuit: true }
  },
})
