/**
 * @module errors
 * The few errors a request can end in. Routes throw them; `app.onError`
 * maps each to its status and answers in the format the client asked for
 * (src/negotiation.ts). Domain modules throw them without knowing HTTP
 * negotiation.
 */
/** An HTTP error with a message that is safe to show the client. */
export class HttpError extends Error {
  readonly status: 400 | 404 | 405 | 412 | 503
  /** Extra fields for JSON answers, such as the valid values. */
  readonly details: Record<string, unknown>
  constructor(
    status: 400 | 404 | 405 | 412 | 503,
    message: string,
    details: Record<string, unknown> = {},
    options?: ErrorOptions,
  ) {
    super(message, options)
    this.status = status
    this.details = details
  }
}

/** 400: a query parameter is malformed; names the parameter and the accepted form. */
export class BadParameter extends HttpError {
  override name = 'BadParameter'
  constructor(parameter: string, accepted: string) {
    super(400, `Bad value for "${parameter}": expected ${accepted}.`, { parameter, accepted })
  }
}

/** 400: the request itself cannot be read (bad percent-encoding, oversized URL). */
export class BadRequest extends HttpError {
  override name = 'BadRequest'
  constructor(message: string) {
    super(400, message)
  }
}

/** 404: nothing here; lists the valid values when the miss was a topic, person or entry name. */
export class NotFound extends HttpError {
  override name = 'NotFound'
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(404, message, details)
  }
}

/** 405: the target resource does not support the method; `allow` is what it supports (RFC 9110 section 15.5.6). */
export class MethodNotAllowed extends HttpError {
  override name = 'MethodNotAllowed'
  readonly allow: readonly string[]
  constructor(method: string, allow: readonly string[]) {
    super(405, `Method ${quote(method)} not allowed here; use ${allow.join(', ')}.`, { allow })
    this.allow = allow
  }
}

/**
 * 412: a precondition of the request is false (RFC 9110 section 15.5.13):
 * `If-Match` or `If-Unmodified-Since` no longer holds for the current
 * representation, whose `ETag` is given so the client can start again.
 */
export class PreconditionFailed extends HttpError {
  override name = 'PreconditionFailed'
  readonly etag: string | null
  constructor(header: 'If-Match' | 'If-Unmodified-Since', etag: string | null) {
    super(412, `Precondition failed: ${header} does not hold for the current representation.`, {
      header,
    })
    this.etag = etag
  }
}

/**
 * 503: the content store failed or holds another content version. The
 * client is told to retry; the reason is logged, never shown.
 */
export class StoreUnavailable extends HttpError {
  override name = 'StoreUnavailable'
  /** Seconds the client should wait: `Retry-After` (RFC 9110 section 10.2.3). */
  readonly retryAfter = 30
  readonly reason: string
  constructor(reason: string, options?: ErrorOptions) {
    super(503, 'The service is briefly unavailable; try again shortly.', {}, options)
    this.reason = reason
  }
}

/**
 * A client-supplied value for a message: cut to 64 characters and JSON-quoted,
 * with controls and `< > &` as `\u` escapes, so no markup is ever reflected.
 */
export function quote(value: string): string {
  return JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}…` : value).replace(
    /[<>&]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}
