/**
 * @module websub/callback
 * Which callback URLs the hub will call (WebSub section 5.1, `hub.callback`):
 * http or https on a public host. Refused: credentials in the URL, a
 * fragment, `localhost` and other names that only resolve locally,
 * single-label names, and IP literals in special-purpose ranges (RFC 6890,
 * RFC 6598, RFC 4193, RFC 4291), IPv4-mapped, IPv4-compatible, NAT64 and
 * 6to4 IPv6 included. The WHATWG URL parser first turns decimal, hex and
 * octal IPv4 spellings (`2130706433`, `0x7f.1`, `0177.0.0.1`) into dotted
 * quads and IPv6 into its compressed form, so each address is checked once.
 *
 * A host name that resolves to a private address is not caught here (a
 * Worker has no DNS); Cloudflare's network does not route a Worker's fetch
 * into private networks.
 */
import { CALLBACK_MAX_LENGTH } from './policy.ts'

export interface CallbackPolicy {
  /** Allow loopback callbacks (127.0.0.0/8, ::1, localhost): local development and tests only. */
  allowLoopback: boolean
}

/** A checked callback, or why it is refused (no part of the input in the reason). */
export type CallbackCheck =
  { ok: true; url: URL; host: string; loopback: boolean } | { ok: false; reason: string }

const LOCAL_SUFFIXES = [
  '.localhost',
  '.local',
  '.localdomain',
  '.internal',
  '.home.arpa',
  '.lan',
  '.intranet',
  '.corp',
]

/** Checks a `hub.callback` value against the policy. */
export function checkCallback(value: string, policy: CallbackPolicy): CallbackCheck {
  if (value.length > CALLBACK_MAX_LENGTH)
    return { ok: false, reason: `is longer than ${CALLBACK_MAX_LENGTH} characters` }
  if (!URL.canParse(value)) return { ok: false, reason: 'is not an absolute URL' }
  const url = new URL(value)
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return { ok: false, reason: 'must use http or https' }
  if (url.username || url.password) return { ok: false, reason: 'must not carry credentials' }
  if (url.hash || value.includes('#')) return { ok: false, reason: 'must not have a fragment' }
  const host = url.hostname.toLowerCase()
  const kind = hostKind(host)
  if (kind === 'loopback')
    return policy.allowLoopback
      ? { ok: true, url, host, loopback: true }
      : { ok: false, reason: 'must not be a loopback address or localhost' }
  if (kind !== 'public')
    return {
      ok: false,
      reason: `must be on a public host, not ${kind === 'local-name' ? 'a local name' : `a ${kind} address`}`,
    }
  return { ok: true, url, host, loopback: false }
}

/** What a URL host (as `URL.hostname` spells it) points at. */
export type HostKind = 'public' | 'loopback' | 'private' | 'link-local' | 'reserved' | 'local-name'

/** Classifies a host: an IPv4 or bracketed IPv6 literal by range, a name by its suffix. */
export function hostKind(host: string): HostKind {
  if (host.startsWith('[')) {
    const groups = parseIpv6(host.slice(1, -1))
    return groups ? ipv6Kind(groups) : 'reserved'
  }
  const v4 = parseIpv4(host)
  if (v4 !== undefined) return ipv4Kind(v4)
  const name = host.endsWith('.') ? host.slice(0, -1) : host
  if (name === 'localhost' || name.endsWith('.localhost')) return 'loopback'
  if (!name.includes('.') || LOCAL_SUFFIXES.some((s) => name.endsWith(s))) return 'local-name'
  return 'public'
}

/** A dotted-quad IPv4 address as an unsigned 32-bit number; undefined for anything else. */
export function parseIpv4(host: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host)
  if (!m) return undefined
  const octets = m.slice(1).map(Number)
  if (octets.some((o) => o > 255)) return undefined
  return octets.reduce((a, o) => a * 256 + o, 0)
}

/** [base, prefix length, kind] for IPv4 special-purpose blocks (RFC 6890 and its updates). */
const V4_BLOCKS: [string, number, Exclude<HostKind, 'public' | 'local-name'>][] = [
  ['0.0.0.0', 8, 'reserved'], // "this network"
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'private'], // CGNAT, RFC 6598
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'], // IETF protocol assignments
  ['192.0.2.0', 24, 'reserved'], // TEST-NET-1
  ['192.88.99.0', 24, 'reserved'], // 6to4 relay anycast
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'reserved'], // benchmarking
  ['198.51.100.0', 24, 'reserved'], // TEST-NET-2
  ['203.0.113.0', 24, 'reserved'], // TEST-NET-3
  ['224.0.0.0', 4, 'reserved'], // multicast
  ['240.0.0.0', 4, 'reserved'], // future use and broadcast
]
const V4_RANGES = V4_BLOCKS.map(([base, bits, kind]) => ({
  base: parseIpv4(base)!,
  size: 2 ** (32 - bits),
  kind,
}))

/** The kind of an IPv4 address. */
export function ipv4Kind(address: number): HostKind {
  for (const r of V4_RANGES) if (address >= r.base && address < r.base + r.size) return r.kind
  return 'public'
}

/** Eight 16-bit groups of an IPv6 address (with an optional dotted IPv4 tail); undefined when malformed. */
export function parseIpv6(text: string): number[] | undefined {
  let s = text.toLowerCase()
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(s)
  if (tail) {
    const v4 = parseIpv4(tail[1]!)
    if (v4 === undefined) return undefined
    s = s.slice(0, -tail[1]!.length) + `${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`
  }
  const halves = s.split('::')
  if (halves.length > 2) return undefined
  const part = (h: string) => (h === '' ? [] : h.split(':'))
  const head = part(halves[0]!)
  const rest = halves.length === 2 ? part(halves[1]!) : []
  const missing = 8 - head.length - rest.length
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest]
  if (groups.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return undefined
  return groups.map((g) => parseInt(g, 16))
}

/** The kind of an IPv6 address; embedded IPv4 addresses are judged as IPv4. */
export function ipv6Kind(g: number[]): HostKind {
  const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0, h6 = 0, h7 = 0] = g
  const v4 = (h6 * 65536 + h7) >>> 0
  const zeroTo = (n: number) => g.slice(0, n).every((x) => x === 0)
  if (zeroTo(8)) return 'reserved' // ::
  if (zeroTo(7) && h7 === 1) return 'loopback' // ::1
  if (zeroTo(5) && f === 0xffff) return ipv4Kind(v4) // ::ffff:a.b.c.d, IPv4-mapped
  if (zeroTo(4) && e === 0xffff && f === 0) return ipv4Kind(v4) // ::ffff:0:a.b.c.d, IPv4-translated
  if (zeroTo(6)) return 'reserved' // ::a.b.c.d, IPv4-compatible (deprecated)
  if (a === 0x64 && b === 0xff9b) return ipv4Kind(v4) // 64:ff9b::/96 NAT64 (and the local-use /48)
  if (a === 0x2002) return ipv4Kind((b * 65536 + c) >>> 0) // 6to4 embeds an IPv4 address
  if (a === 0x100 && b === 0 && c === 0 && d === 0) return 'reserved' // discard prefix
  if (a === 0x2001 && b === 0xdb8) return 'reserved' // documentation
  if (a === 0x2001 && b < 0x200) return 'reserved' // IETF protocol assignments (Teredo, ORCHID, …)
  if ((a & 0xfe00) === 0xfc00) return 'private' // fc00::/7 unique local
  if ((a & 0xffc0) === 0xfe80) return 'link-local'
  if ((a & 0xffc0) === 0xfec0) return 'private' // deprecated site-local
  if ((a & 0xff00) === 0xff00) return 'reserved' // multicast
  return 'public'
}
