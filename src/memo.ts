/**
 * @module memo
 * A least-recently-used map bounded by the bytes its entries retain. The
 * Worker keeps each rendered response here, keyed by canonical URL, so a
 * repeat request in the same isolate does no rendering at all.
 *
 * The bound is only as good as the sizes it is given: a value's `size` must
 * count everything its entry keeps alive (its key, its strings and buffers,
 * the objects and the map slot), or many small entries overrun it. The
 * Worker's values are measured by `retainedBytes` in src/representation.ts.
 */

export interface Sized {
  /** Bytes the entry holding this value retains, its key and bookkeeping included. */
  readonly size: number
}

export class ByteLru<V extends Sized> {
  readonly #map = new Map<string, V>()
  readonly #maxBytes: number
  #bytes = 0

  /** @param maxBytes - total size at which the least recently used values are dropped. */
  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes
  }

  get bytes(): number {
    return this.#bytes
  }

  get count(): number {
    return this.#map.size
  }

  get(key: string): V | undefined {
    const value = this.#map.get(key)
    if (value !== undefined) {
      // Re-insert: Map keeps insertion order, so the first key is always the least recently used.
      this.#map.delete(key)
      this.#map.set(key, value)
    }
    return value
  }

  /** Stores `value` unless it alone is larger than the bound; evicts the least recently used first. */
  set(key: string, value: V): void {
    const old = this.#map.get(key)
    if (old !== undefined) {
      this.#map.delete(key)
      this.#bytes -= old.size
    }
    if (value.size > this.#maxBytes) return
    this.#map.set(key, value)
    this.#bytes += value.size
    for (const [k, v] of this.#map) {
      if (this.#bytes <= this.#maxBytes) break
      this.#map.delete(k)
      this.#bytes -= v.size
    }
  }
}
