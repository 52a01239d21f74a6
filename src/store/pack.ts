/**
 * @module pack
 * The large texts of the store (each format's item, an entry's whole
 * compiled data) are kept deflated: raw DEFLATE (RFC 1951) of their UTF-8
 * bytes, as BLOB values. The three items of an entry carry its HTML once
 * per format's escaping; deflated, the rows of an entry take about a third
 * of the space. Readers get text back from {@link Store} (src/store/store.ts),
 * which inflates every BLOB a statement returns; a TEXT value (rows written
 * before packing) is returned as it is.
 */

/** Deflates a text; the Node build passes node:zlib's `deflateRawSync` (several times faster), the Worker uses this. */
export type Deflate = (text: string) => Uint8Array | Promise<Uint8Array>

/** Raw DEFLATE with the platform's CompressionStream. */
export const streamDeflate: Deflate = async (text) =>
  new Uint8Array(
    await new Response(
      new Blob([text]).stream().pipeThrough(new CompressionStream('deflate-raw')),
    ).arrayBuffer(),
  )

/** The text of a packed value. */
export async function inflate(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  return new Response(
    new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw')),
  ).text()
}

/**
 * The bytes of a BLOB value as a database returns it (D1: an array of
 * numbers, or an ArrayBuffer; SQLite drivers: a Uint8Array), or undefined
 * for any other value.
 */
export function blobBytes(value: unknown): Uint8Array<ArrayBuffer> | undefined {
  if (value instanceof Uint8Array) return new Uint8Array(value)
  if (value instanceof ArrayBuffer) return new Uint8Array(value)
  if (Array.isArray(value)) return Uint8Array.from(value as number[])
  return undefined
}

/** `row` with each BLOB column inflated to its text (the row itself when it has none). */
export async function unpackRow<T extends object>(row: T): Promise<T> {
  let out: Record<string, unknown> | undefined
  for (const [column, value] of Object.entries(row)) {
    const bytes = blobBytes(value)
    if (bytes) (out ??= { ...row } as Record<string, unknown>)[column] = await inflate(bytes)
  }
  return (out ?? row) as T
}
