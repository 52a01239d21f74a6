/**
 * @module lib/secret
 * Comparing a presented secret (a bearer token) with the expected one
 * without leaking, through timing, how much of it matched.
 */

/** True when `a` and `b` are the same secret; compares their SHA-256 digests in constant time. */
export async function sameSecret(a: string, b: string): Promise<boolean> {
  const enc = new TextEncoder()
  const [x, y] = await Promise.all([
    crypto.subtle.digest('SHA-256', enc.encode(a)),
    crypto.subtle.digest('SHA-256', enc.encode(b)),
  ])
  const [p, q] = [new Uint8Array(x), new Uint8Array(y)]
  let diff = 0
  for (let i = 0; i < p.length; i++) diff |= p[i]! ^ q[i]!
  return diff === 0
}
