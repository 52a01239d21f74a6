/**
 * @module websub/request
 * Reads a subscription request (WebSub section 5.1): a form-encoded POST
 * with `hub.mode`, `hub.topic`, `hub.callback` and optionally
 * `hub.lease_seconds` and `hub.secret`. Anything malformed is a 400 that
 * names the field (section 5.1.1: errors are answered with a 4xx); values
 * are never echoed.
 *
 * The body is read as a stream and reading stops at {@link MAX_BODY_BYTES},
 * whatever the framing: a `Content-Length` that says more is refused before
 * reading, and a chunked body, a body without a length, or one longer than
 * its `Content-Length` claims are cut off at the limit.
 *
 * Every field must percent-decode to UTF-8. A value whose bytes are not
 * UTF-8, such as a binary `hub.secret` (`%FF%FE%80%81abc`), is refused with
 * a 400 naming the field: URL form decoding would replace those bytes with
 * U+FFFD, so the secret stored would not be the one sent, no signature
 * would ever verify (section 8), and distinct secrets would collide.
 */
import { BadParameter, BadRequest } from '../errors.ts'
import { checkCallback, type CallbackPolicy } from './callback.ts'
import { SECRET_MAX_BYTES } from './policy.ts'

/** Largest request body read, in bytes. */
export const MAX_BODY_BYTES = 8_192

export interface SubscriptionRequest {
  mode: 'subscribe' | 'unsubscribe'
  /** `hub.topic` as sent; whether the hub serves it is decided later (a denial, section 5.2). */
  feedUrl: string
  callback: URL
  /** Lowercase host of the callback. */
  host: string
  /** True for a loopback callback (allowed only by the policy). */
  loopback: boolean
  /** Requested lease in seconds, before clamping. */
  leaseSeconds?: number | undefined
  /** `hub.secret`; absent or empty means unsigned deliveries. */
  secret?: string | undefined
}

const tooLarge = () => new BadRequest(`Request body too large: at most ${MAX_BODY_BYTES} bytes.`)

/** Reads at most `limit` bytes of a request body; throws {@link BadRequest} as soon as there are more. */
export async function readCappedBody(request: Request, limit: number): Promise<Uint8Array> {
  const declared = request.headers.get('Content-Length')
  if (declared !== null && Number(declared) > limit) throw tooLarge()
  if (!request.body) return new Uint8Array(0)
  const reader = request.body.getReader()
  const out = new Uint8Array(limit)
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    if (size + value.byteLength > limit) {
      await reader.cancel().catch(() => {})
      throw tooLarge()
    }
    out.set(value, size)
    size += value.byteLength
  }
  return out.subarray(0, size)
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/** Percent-decodes one form name or value (`+` is a space) to bytes, or undefined when it is not UTF-8. */
function formText(raw: string): string | undefined {
  const bytes: number[] = []
  for (let i = 0; i < raw.length; i++) {
    const ch = raw.charCodeAt(i)
    if (ch === 0x25 /* % */ && /^[0-9A-Fa-f]{2}$/.test(raw.slice(i + 1, i + 3))) {
      bytes.push(parseInt(raw.slice(i + 1, i + 3), 16))
      i += 2
    } else if (ch === 0x2b /* + */) bytes.push(0x20)
    else if (ch < 0x80) bytes.push(ch)
    else return undefined // The body was UTF-8 already: a raw non-ASCII character is kept by the caller's check.
  }
  try {
    return strictUtf8.decode(new Uint8Array(bytes))
  } catch {
    return undefined
  }
}

/** Reads the form of a POST to the hub; throws {@link BadRequest} for the wrong type, an oversized or a non-UTF-8 body or field. */
export async function readForm(request: Request): Promise<URLSearchParams> {
  const type = (request.headers.get('Content-Type') ?? '').split(';')[0]!.trim().toLowerCase()
  if (type !== 'application/x-www-form-urlencoded') {
    throw new BadRequest(
      'Bad "Content-Type": a subscription request is a form, application/x-www-form-urlencoded (WebSub section 5.1).',
    )
  }
  const bytes = await readCappedBody(request, MAX_BODY_BYTES)
  let text: string
  try {
    text = strictUtf8.decode(bytes)
  } catch {
    throw new BadRequest('Request body is not UTF-8.')
  }
  const form = new URLSearchParams()
  for (const pair of text.split('&')) {
    if (pair === '') continue
    const at = pair.indexOf('=')
    const [rawName, rawValue] = at === -1 ? [pair, ''] : [pair.slice(0, at), pair.slice(at + 1)]
    // Non-ASCII characters sent raw are valid UTF-8 already (the body decoded strictly); encode them to check the rest.
    const name = formText(encodeURI(rawName).replace(/%25/g, '%'))
    const value = formText(encodeURI(rawValue).replace(/%25/g, '%'))
    if (name === undefined)
      throw new BadRequest('A field name of the form is not UTF-8 once percent-decoded.')
    if (value === undefined)
      throw new BadParameter(
        name,
        'text that is UTF-8 once percent-decoded (a binary value would be altered; WebSub section 8 signs with the exact bytes)',
      )
    form.append(name, value)
  }
  return form
}

/** Checks the fields of a parsed form; pure. */
export function parseSubscriptionForm(
  form: URLSearchParams,
  policy: CallbackPolicy,
): SubscriptionRequest {
  const field = (name: string, required: string | undefined): string | undefined => {
    const values = form.getAll(name)
    if (values.length > 1) throw new BadRequest(`Repeated "${name}": send it once.`)
    const value = values[0]
    if ((value === undefined || value === '') && required)
      throw new BadRequest(`Missing "${name}": expected ${required}.`)
    return value
  }
  const mode = field('hub.mode', 'subscribe or unsubscribe')
  if (mode !== 'subscribe' && mode !== 'unsubscribe')
    throw new BadParameter('hub.mode', 'subscribe or unsubscribe')
  const feedUrl = field('hub.topic', 'the URL of a feed of this site')!
  if (!URL.canParse(feedUrl))
    throw new BadParameter('hub.topic', 'an absolute URL of a feed of this site')
  const callbackValue = field('hub.callback', 'the http or https URL the hub should call')!
  const callback = checkCallback(callbackValue, policy)
  if (!callback.ok)
    throw new BadParameter(
      'hub.callback',
      `an http or https URL on a public host; this one ${callback.reason}`,
    )
  const lease = field('hub.lease_seconds', undefined)
  if (lease !== undefined && lease !== '' && !/^\d{1,10}$/.test(lease))
    throw new BadParameter('hub.lease_seconds', 'a whole number of seconds')
  const secret = field('hub.secret', undefined)
  if (secret !== undefined && new TextEncoder().encode(secret).byteLength >= SECRET_MAX_BYTES) {
    throw new BadParameter(
      'hub.secret',
      `fewer than ${SECRET_MAX_BYTES} bytes (WebSub section 5.1)`,
    )
  }
  return {
    mode,
    feedUrl,
    callback: callback.url,
    host: callback.host,
    loopback: callback.loopback,
    leaseSeconds: lease ? Number(lease) : undefined,
    secret: secret || undefined,
  }
}
