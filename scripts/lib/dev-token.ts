/**
 * The development token of `/stats/subscribers.json`. Wrangler reads local
 * secrets from `.dev.vars` (a dotenv file, kept out of git); when it names
 * no `STATS_TOKEN`, {@link ensureDevToken} adds a random one. Either way it
 * returns the token, and the command prints how to use it.
 *
 * Usage: node scripts/lib/dev-token.ts [path-to-.dev.vars] [origin]
 */
import { randomBytes } from 'node:crypto'
import { appendFileSync, existsSync, readFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'

/** The `STATS_TOKEN` of a dotenv file's text, if it sets one. */
export function tokenIn(text: string): string | undefined {
  const line = text.split(/\r?\n/).find((l) => /^\s*STATS_TOKEN\s*=/.test(l))
  const value = line
    ?.replace(/^\s*STATS_TOKEN\s*=\s*/, '')
    .trim()
    .replace(/^(["'])(.*)\1$/, '$2')
  return value ? value : undefined
}

/** The token `.dev.vars` sets, after adding a new random one (256 bits, hex) when it sets none. */
export function ensureDevToken(path = '.dev.vars'): { token: string; created: boolean } {
  const text = existsSync(path) ? readFileSync(path, 'utf8') : ''
  const existing = tokenIn(text)
  if (existing) return { token: existing, created: false }
  const token = randomBytes(32).toString('hex')
  appendFileSync(path, `${text && !text.endsWith('\n') ? '\n' : ''}STATS_TOKEN=${token}\n`, {
    mode: 0o600,
  })
  return { token, created: true }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [path = '.dev.vars', origin = 'http://127.0.0.1:8787'] = process.argv.slice(2)
  const { token, created } = ensureDevToken(path)
  console.log(`${created ? 'New development' : 'Development'} stats token (${path}): ${token}`)
  console.log(`  curl -H 'Authorization: Bearer ${token}' ${origin}/stats/subscribers.json`)
}
