/**
 * @module websub/signature
 * Authenticated content distribution (WebSub section 8): the
 * `X-Hub-Signature` header, `sha256=` and the hex HMAC-SHA256 of the body
 * keyed with the subscriber's `hub.secret`.
 */

const encoder = new TextEncoder()

/** Lowercase hex HMAC-SHA256 of `body` under `secret`. */
export async function hmacSha256Hex(secret: string, body: BufferSource): Promise<string> {
  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  )
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, body))
  return Array.from(mac, (b) => b.toString(16).padStart(2, '0')).join('')
}

/** The `X-Hub-Signature` value for `body` (WebSub section 8: `method=signature`). */
export async function hubSignature(secret: string, body: BufferSource): Promise<string> {
  return `sha256=${await hmacSha256Hex(secret, body)}`
}

/** An unguessable `hub.challenge`: 32 random bytes as hex. */
export function challenge(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('')
}
