/**
 * @module websub/domain
 * The registrable domain of a callback host, which the hub's per-domain
 * bound keys on: `a.evil.example`, `b.evil.example` and `evil.example` are
 * one domain, while `alice.github.io` and `bob.github.io` are two.
 *
 * A compact stand-in for the Public Suffix List (https://publicsuffix.org/),
 * kept small because it ships in the Worker (the whole list is about 130 KiB
 * minified, as much as the rest of the Worker): a public suffix is the
 * last label, or the last two when
 * - the top-level domain has two letters (a country code) and the second
 *   label is one of the generic second levels countries use (`co`, `com`,
 *   `org`, `ac`, `gov`, `ne`, `or`, …): `example.co.uk`, `example.com.au`;
 * - or they are one of {@link SHARED_SUFFIXES}, the platforms under which
 *   unrelated people get names of their own (`github.io`, `workers.dev`).
 * The registrable domain is one label more. Where this is coarser than the
 * list (a hosting suffix it does not know), people under that suffix share
 * one bound; the hub's fair share still admits them when the hub is full.
 * An IP literal is its own domain.
 */

/** Generic second levels under country-code top-level domains. */
const COUNTRY_SECOND_LEVELS = new Set([
  'ac',
  'co',
  'com',
  'edu',
  'gob',
  'go',
  'gov',
  'govt',
  'ltd',
  'me',
  'mil',
  'ne',
  'net',
  'nic',
  'or',
  'org',
  'plc',
  'sch',
])

/** Two-label suffixes of the Public Suffix List's private section under which unrelated people get names. */
export const SHARED_SUFFIXES = new Set([
  'appspot.com',
  'azurewebsites.net',
  'blogspot.com',
  'cloudfront.net',
  'deno.dev',
  'firebaseapp.com',
  'fly.dev',
  'github.io',
  'gitlab.io',
  'glitch.me',
  'herokuapp.com',
  'netlify.app',
  'ngrok.io',
  'ngrok-free.app',
  'onrender.com',
  'pages.dev',
  'readthedocs.io',
  'repl.co',
  'vercel.app',
  'web.app',
  'workers.dev',
])

/** The registrable domain of a lowercase URL host (as `URL.hostname` spells it). */
export function registrableDomain(host: string): string {
  const name = host.endsWith('.') ? host.slice(0, -1) : host
  if (name.startsWith('[') || /^\d+\.\d+\.\d+\.\d+$/.test(name)) return name
  const labels = name.split('.')
  if (labels.length <= 2) return name
  const lastTwo = labels.slice(-2)
  const suffixLabels =
    SHARED_SUFFIXES.has(lastTwo.join('.')) ||
    (lastTwo[1]!.length === 2 && COUNTRY_SECOND_LEVELS.has(lastTwo[0]!))
      ? 2
      : 1
  return labels.slice(-(suffixLabels + 1)).join('.')
}
