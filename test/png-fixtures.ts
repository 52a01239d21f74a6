/**
 * PNG files for tests, built in memory and synchronously: chunks with their
 * CRC-32, and image data as a zlib stream of stored (uncompressed) DEFLATE
 * blocks, so any size and any damage can be made without a compressor.
 */
import { adler32 } from '../src/content/inflate.ts'
import { crc32 } from '../src/content/png.ts'

/** One chunk: length, type, data, CRC-32 over type and data. */
export function chunk(
  type: string,
  data: Uint8Array = new Uint8Array(0),
  crcOk = true,
): Uint8Array {
  const out = new Uint8Array(12 + data.length)
  const view = new DataView(out.buffer)
  view.setUint32(0, data.length)
  out.set(
    [...type].map((c) => c.charCodeAt(0)),
    4,
  )
  out.set(data, 8)
  view.setUint32(8 + data.length, crcOk ? crc32(out.subarray(4, 8 + data.length)) : 0)
  return out
}

/** The 13 bytes of IHDR. */
export function ihdr(
  width: number,
  height: number,
  depth = 8,
  colour = 0,
  interlace = 0,
): Uint8Array {
  const data = new Uint8Array(13)
  const view = new DataView(data.buffer)
  view.setUint32(0, width)
  view.setUint32(4, height)
  data.set([depth, colour, 0, 0, interlace], 8)
  return data
}

/** A zlib stream holding `raw` in stored blocks (RFC 1950, RFC 1951 section 3.2.4). */
export function zlibStored(raw: Uint8Array): Uint8Array {
  const blocks = Math.max(1, Math.ceil(raw.length / 65_535))
  const out = new Uint8Array(2 + blocks * 5 + raw.length + 4)
  out.set([0x78, 0x01])
  let at = 2
  for (let b = 0; b < blocks; b++) {
    const part = raw.subarray(b * 65_535, (b + 1) * 65_535)
    out.set(
      [
        b === blocks - 1 ? 1 : 0,
        part.length & 0xff,
        part.length >> 8,
        ~part.length & 0xff,
        (~part.length >> 8) & 0xff,
      ],
      at,
    )
    out.set(part, at + 5)
    at += 5 + part.length
  }
  new DataView(out.buffer).setUint32(at, adler32(raw))
  return out
}

export const SIGNATURE = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

/** Joins byte arrays. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0)
  return out
}

/** A valid greyscale PNG of 1 bit per pixel: every scanline filter 0, all black. */
export function makePng(width: number, height: number): Uint8Array {
  const raw = new Uint8Array(height * (1 + Math.ceil(width / 8)))
  return concat(
    SIGNATURE,
    chunk('IHDR', ihdr(width, height, 1, 0)),
    chunk('IDAT', zlibStored(raw)),
    chunk('IEND'),
  )
}
