/**
 * @module websub/domain
 * The registrable domain of a callback host (eTLD+1 by the Public Suffix
 * List, https://publicsuffix.org/), which the hub's per-domain bound keys
 * on: `a.evil.example`, `b.evil.example` and `evil.example` are one domain,
 * while `alice.github.io` and `bob.github.io` (a private suffix of the list)
 * are two. The list is the one bundled with the `tldts` package, read
 * offline; an IP literal, or a name the list cannot split, is its own domain.
 */
import { getDomain } from 'tldts'

/** The registrable domain of a lowercase URL host (as `URL.hostname` spells it). */
export function registrableDomain(host: string): string {
  const name = host.endsWith('.') ? host.slice(0, -1) : host
  if (name.startsWith('[')) return name
  return getDomain(name, { allowPrivateDomains: true }) ?? name
}
