/**
 * @module png
 * Just enough of PNG (ISO/IEC 15948, W3C PNG 3rd edition) to check that a
 * file is one and read its size: the 8-byte signature (section 5.2), then
 * the IHDR chunk, which must come first (section 5.6) and is 13 bytes long
 * (section 11.2.1), with its CRC-32 (section 5.5).
 */

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

let table: Uint32Array | undefined
/** CRC-32 as PNG computes it (section 5.5 and Annex D): polynomial 0xEDB88320, over chunk type and data. */
export function crc32(bytes: Uint8Array): number {
  if (!table) {
    table = new Uint32Array(256)
    for (let n = 0; n < 256; n++) {
      let c = n
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
      table[n] = c >>> 0
    }
  }
  let c = 0xffffffff
  for (const byte of bytes) c = table[(c ^ byte) & 0xff]! ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

/** The size of a PNG, or the reason the bytes are not one. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } | string {
  if (bytes.length < 33 || SIGNATURE.some((b, i) => bytes[i] !== b)) return 'is not a PNG file (no PNG signature)'
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const type = String.fromCharCode(...bytes.subarray(12, 16))
  if (view.getUint32(8) !== 13 || type !== 'IHDR') return 'is not a valid PNG file (it must start with a 13-byte IHDR chunk)'
  if (view.getUint32(29) !== crc32(bytes.subarray(12, 29))) return 'is not a valid PNG file (the IHDR checksum is wrong)'
  const width = view.getUint32(16)
  const height = view.getUint32(20)
  // Section 11.2.1: zero is invalid, and the maximum is 2^31 - 1.
  if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff) return 'is not a valid PNG file (impossible width or height)'
  return { width, height }
}
