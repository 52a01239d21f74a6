/**
 * @module websub/policy
 * The hub's numbers in one place: leases, bounds on subscriptions, timeouts
 * and the delivery retry schedule. docs/hardening.md states them.
 */

/** Lease bounds in seconds (WebSub section 5.1: the hub decides the lease; section 5.3 tells the subscriber). */
export const LEASE = {
  /** 1 hour: shorter requests are raised to it. */
  min: 3_600,
  /** 10 days: when `hub.lease_seconds` is absent. */
  default: 864_000,
  /** 30 days: longer requests are cut to it. */
  max: 2_592_000,
} as const

/**
 * Subscriptions the hub keeps, pending ones included. A callback counts
 * against its registrable domain (websub/domain.ts), so one domain cannot
 * take the whole hub with many host names. Past `total`, a domain that
 * holds fewer than `fairShare` subscriptions is still admitted, up to
 * `ceiling`: when one party fills the hub, honest subscribers still get in.
 */
export interface Limits {
  /** Per registrable domain of the callback. */
  perDomain: number
  /** In total, for domains that already hold their fair share. */
  total: number
  /** Subscriptions every domain may hold even when the hub is past `total`. */
  fairShare: number
  /** Hard bound in total, fair shares included. */
  ceiling: number
}

export const LIMITS: Limits = { perDomain: 100, total: 10_000, fairShare: 10, ceiling: 12_000 }

/**
 * Content distribution: deliveries of one queue batch run at most
 * `concurrency` at a time (a Worker has 6 connections open at once), each
 * with its own `timeoutMs` counted from its own start, not from the
 * batch's. A timeout is a failed attempt: the message is retried on the
 * backoff schedule ({@link backoffSeconds}), so a slow callback costs others
 * at most one slot for `timeoutMs`.
 */
export const DELIVERY = { concurrency: 6, timeoutMs: 5_000 } as const

/** Milliseconds a verification GET or a delivery POST may take. */
export const FETCH_TIMEOUT_MS = 10_000

/** Pending subscriptions whose verification never finished are dropped after this many milliseconds. */
export const PENDING_TTL_MS = 3_600_000

/** `hub.secret` must be shorter than this many bytes of UTF-8 (WebSub section 5.1). */
export const SECRET_MAX_BYTES = 200

/** Longest callback URL accepted. */
export const CALLBACK_MAX_LENGTH = 2_000

/** Bytes of a verification answer read at most; a challenge is 64. */
export const CHALLENGE_READ_BYTES = 1_024

/** Attempts of one delivery (the first included) before the hub gives up on it. */
export const MAX_ATTEMPTS = 8

/**
 * Seconds before the next attempt after `attempts` failed ones: 30 s,
 * doubling, at most 1 hour (30, 60, 120, …, 1920 s: about 1 hour in all).
 */
export function backoffSeconds(attempts: number): number {
  return Math.min(3_600, 30 * 2 ** Math.max(0, attempts - 1))
}

/** Clamps a requested lease (or none) to {@link LEASE}. */
export function leaseFor(requested: number | undefined): number {
  if (requested === undefined) return LEASE.default
  return Math.min(LEASE.max, Math.max(LEASE.min, requested))
}
