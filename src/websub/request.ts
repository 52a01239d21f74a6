/**
 * @module websub/request
 * Reads a subscription request (WebSub section 5.1): a form-encoded POST
 * with `hub.mode`, `hub.topic`, `hub.callback` and optionally
 * `hub.lease_seconds` and `hub.secret`. Anything malformed is a 400 that
 * names the field (section 5.1.1: errors are answered with a 4xx); values
 * are never echoed.
 */
import { BadParameter, BadRequest } from '../errors.ts'
import { checkCallback, type CallbackPolicy } from './callback.ts'
import { SECRET_MAX_BYTES } from './policy.ts'

/** Largest request body read, in bytes. */
export const MAX_BODY_BYTES = 8_192

export interface SubscriptionRequest {
  mode: 'subscribe' | 'unsubscribe'
  /** As sent; whether the hub serves it is decided later (a denial, section 5.2). */
  topic: string
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

/** Reads the form of a POST to the hub; throws {@link BadRequest} for the wrong type, an oversized or a non-UTF-8 body. */
export async function readForm(request: Request): Promise<URLSearchParams> {
  const type = (request.headers.get('Content-Type') ?? '').split(';')[0]!.trim().toLowerCase()
  if (type !== 'application/x-www-form-urlencoded') {
    throw new BadRequest('Bad "Content-Type": a subscription request is a form, application/x-www-form-urlencoded (WebSub section 5.1).')
  }
  const length = Number(request.headers.get('Content-Length') ?? 0)
  if (length > MAX_BODY_BYTES) throw new BadRequest(`Request body too large: at most ${MAX_BODY_BYTES} bytes.`)
  const bytes = await request.arrayBuffer()
  if (bytes.byteLength > MAX_BODY_BYTES) throw new BadRequest(`Request body too large: at most ${MAX_BODY_BYTES} bytes.`)
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes)
  } catch {
    throw new BadRequest('Request body is not UTF-8.')
  }
  return new URLSearchParams(text)
}

/** Checks the fields of a parsed form; pure. */
export function parseSubscriptionForm(form: URLSearchParams, policy: CallbackPolicy): SubscriptionRequest {
  const field = (name: string, required: string | undefined): string | undefined => {
    const values = form.getAll(name)
    if (values.length > 1) throw new BadRequest(`Repeated "${name}": send it once.`)
    const value = values[0]
    if ((value === undefined || value === '') && required) throw new BadRequest(`Missing "${name}": expected ${required}.`)
    return value
  }
  const mode = field('hub.mode', 'subscribe or unsubscribe')
  if (mode !== 'subscribe' && mode !== 'unsubscribe') throw new BadParameter('hub.mode', 'subscribe or unsubscribe')
  const topic = field('hub.topic', 'the URL of a feed of this site')!
  if (!URL.canParse(topic)) throw new BadParameter('hub.topic', 'an absolute URL of a feed of this site')
  const callbackValue = field('hub.callback', 'the http or https URL the hub should call')!
  const callback = checkCallback(callbackValue, policy)
  if (!callback.ok) throw new BadParameter('hub.callback', `an http or https URL on a public host; this one ${callback.reason}`)
  const lease = field('hub.lease_seconds', undefined)
  if (lease !== undefined && lease !== '' && !/^\d{1,10}$/.test(lease)) throw new BadParameter('hub.lease_seconds', 'a whole number of seconds')
  const secret = field('hub.secret', undefined)
  if (secret !== undefined && new TextEncoder().encode(secret).byteLength >= SECRET_MAX_BYTES) {
    throw new BadParameter('hub.secret', `fewer than ${SECRET_MAX_BYTES} bytes (WebSub section 5.1)`)
  }
  return {
    mode,
    topic,
    callback: callback.url,
    host: callback.host,
    loopback: callback.loopback,
    leaseSeconds: lease ? Number(lease) : undefined,
    secret: secret || undefined,
  }
}
