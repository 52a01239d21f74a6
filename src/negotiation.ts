/**
 * @module negotiation
 * Content negotiation (RFC 9110 section 12): reading `Accept`, and the one
 * choice the service makes by it, the format of an error body.
 */

/** One element of an `Accept` header (RFC 9110 section 12.5.1). */
export interface MediaRange {
  /** Lowercase; `*` for a wildcard. */
  type: string
  subtype: string
  /** Media type parameters before the weight, names lowercase. */
  params: Record<string, string>
  /** The weight, 0 to 1 (section 12.4.2); 0 means "not acceptable". */
  q: number
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/

/**
 * Parses an `Accept` value into its media ranges. Case-insensitive; quoted
 * parameter values may hold commas and semicolons. An element that cannot
 * be read (no `/`, `*\/json`, a bad `q`) is skipped, as is everything after
 * the weight (the old `accept-ext`).
 */
export function parseAccept(value: string): MediaRange[] {
  const ranges: MediaRange[] = []
  for (const element of splitOutsideQuotes(value, ',')) {
    const [range = '', ...rest] = splitOutsideQuotes(element, ';').map((p) => p.trim())
    const slash = range.indexOf('/')
    const [type, subtype] = [
      range.slice(0, slash).toLowerCase(),
      range.slice(slash + 1).toLowerCase(),
    ]
    if (
      slash === -1 ||
      !TOKEN.test(type) ||
      !TOKEN.test(subtype) ||
      (type === '*' && subtype !== '*')
    )
      continue
    const params: Record<string, string> = {}
    let q = 1
    let ok = true
    for (const param of rest) {
      if (param === '') continue
      const eq = param.indexOf('=')
      const name = param.slice(0, eq).trim().toLowerCase()
      let v = param.slice(eq + 1).trim()
      if (eq === -1 || !TOKEN.test(name)) {
        ok = false
        break
      }
      if (name === 'q') {
        if (!QVALUE.test(v)) ok = false
        else q = Number(v)
        break
      }
      if (v.startsWith('"') && v.endsWith('"') && v.length >= 2)
        v = v.slice(1, -1).replace(/\\(.)/g, '$1')
      else if (!TOKEN.test(v)) {
        ok = false
        break
      }
      params[name] = v
    }
    if (ok) ranges.push({ type, subtype, params, q })
  }
  return ranges
}

/** Splits on `sep` where it is not inside a quoted string. */
function splitOutsideQuotes(s: string, sep: string): string[] {
  const out: string[] = []
  let start = 0
  let quoted = false
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]
    if (quoted && ch === '\\') i++
    else if (ch === '"') quoted = !quoted
    else if (!quoted && ch === sep) {
      out.push(s.slice(start, i))
      start = i + 1
    }
  }
  out.push(s.slice(start))
  return out
}

/**
 * The weight `ranges` give a media type (lowercase `type/subtype`, with its
 * parameters): that of the most specific matching range (RFC 9110 section
 * 12.5.1: a type with parameters, then the type, then `type/*`, then
 * `*\/*`); the highest among equally specific ones; 0 when none matches.
 * A range's parameters must all be the type's own to match.
 */
export function quality(
  ranges: readonly MediaRange[],
  media: string,
  params: Record<string, string> = {},
): number {
  const [type, subtype] = media.split('/') as [string, string]
  let best = -1
  let q = 0
  for (const r of ranges) {
    if (r.type !== '*' && r.type !== type) continue
    if (r.subtype !== '*' && r.subtype !== subtype) continue
    const names = Object.keys(r.params)
    if (names.some((n) => params[n]?.toLowerCase() !== r.params[n]!.toLowerCase())) continue
    const specificity = r.type === '*' ? 1 : r.subtype === '*' ? 2 : 3 + names.length
    if (specificity > best) [best, q] = [specificity, r.q]
    else if (specificity === best) q = Math.max(q, r.q)
  }
  return q
}

/**
 * True when `accept` prefers a JSON error (`application/problem+json`,
 * RFC 9457) to plain text. `application/json` counts as asking for it (a
 * problem document is JSON). Text wins ties, and is the answer when the
 * header is absent or accepts neither: the header is then disregarded
 * rather than answered with 406 (RFC 9110 section 12.5.1).
 */
export function prefersJson(accept: string | undefined): boolean {
  if (accept === undefined) return false
  const ranges = parseAccept(accept)
  const charset = { charset: 'utf-8' }
  const json = Math.max(
    quality(ranges, 'application/problem+json', charset),
    quality(ranges, 'application/json', charset),
  )
  return json > quality(ranges, 'text/plain', charset)
}

/**
 * How an error answers a request for `path` with this `Accept`: URLs ending
 * in `.json` always get `application/problem+json` (their clients read
 * JSON, whatever they send), so their errors do not vary; everywhere else
 * the body is negotiated ({@link prefersJson}), and the response must say
 * `Vary: Accept` (RFC 9110 section 12.5.5) so that no cache hands one
 * client's format to another.
 */
export function negotiateError(
  path: string,
  accept: string | undefined,
): { json: boolean; vary?: 'Accept' } {
  return path.endsWith('.json') ? { json: true } : { json: prefersJson(accept), vary: 'Accept' }
}
