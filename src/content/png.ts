/**
 * @module png
 * Checks that a file is a whole, valid PNG (ISO/IEC 15948, W3C PNG 3rd
 * edition) and reads its size, for the site's identity images:
 * - the 8-byte signature (section 5.2), then chunks (section 5.3), each
 *   with a length under 2^31, a type of four ASCII letters and a correct
 *   CRC-32 (section 5.5), with no bytes after IEND;
 * - IHDR first and once, 13 bytes, with a bit depth allowed for its colour
 *   type (table 11.1), compression and filter method 0, interlace 0 or 1;
 *   PLTE where the colour type requires or allows it, before the image
 *   data; no unknown critical chunk (section 5.4);
 * - IDAT present and consecutive, their data together one zlib stream
 *   (section 10) that inflates to exactly the bytes the scanlines need,
 *   every scanline starting with a filter type 0 to 4 (section 9.2);
 * - IEND last, empty.
 * Caps ({@link PNG_CAPS}): width and height, and the inflated size, checked
 * from IHDR before inflating, and inflation stops at the expected size, so
 * a decompression bomb is refused without being inflated.
 */
import { inflateZlib, InflateError } from './inflate.ts'

/** The largest image accepted: identity images (icon, favicon, logo) are shown small. */
export const PNG_CAPS = {
  /** Width and height, in pixels. */
  maxDimension: 2048,
  /** Bytes the image data may inflate to (2048×2048 RGBA at 8 bits is 16 MiB and 2,048 filter bytes). */
  maxInflatedBytes: 17 * 1024 * 1024,
} as const

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

/** Allowed bit depths and channels per colour type (table 11.1). */
const COLOUR_TYPES: Record<number, { depths: number[]; channels: number; palette: 'required' | 'allowed' | 'forbidden' }> = {
  0: { depths: [1, 2, 4, 8, 16], channels: 1, palette: 'forbidden' },
  2: { depths: [8, 16], channels: 3, palette: 'allowed' },
  3: { depths: [1, 2, 4, 8], channels: 1, palette: 'required' },
  4: { depths: [8, 16], channels: 2, palette: 'forbidden' },
  6: { depths: [8, 16], channels: 4, palette: 'allowed' },
}

/** Adam7 passes (section 8.2): x0, y0, dx, dy. */
const ADAM7 = [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]] as const

interface Header {
  width: number
  height: number
  bitsPerPixel: number
  interlaced: boolean
}

/** One chunk: its type and data. */
interface Chunk {
  type: string
  data: Uint8Array
}

/** The chunks of a PNG after its signature, or why they are not well formed. */
function readChunks(bytes: Uint8Array): Chunk[] | string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const chunks: Chunk[] = []
  let at = 8
  while (at < bytes.length) {
    if (at + 12 > bytes.length) return 'is not a valid PNG file (it is truncated inside a chunk header)'
    const length = view.getUint32(at)
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8))
    if (!/^[A-Za-z]{4}$/.test(type)) return 'is not a valid PNG file (a chunk type is not four letters)'
    if (length > 0x7fffffff || at + 12 + length > bytes.length) return `is not a valid PNG file (the ${type} chunk is truncated)`
    if (view.getUint32(at + 8 + length) !== crc32(bytes.subarray(at + 4, at + 8 + length))) return `is not a valid PNG file (the ${type} checksum is wrong)`
    chunks.push({ type, data: bytes.subarray(at + 8, at + 8 + length) })
    at += 12 + length
    if (type === 'IEND') break
  }
  if (at !== bytes.length) return 'is not a valid PNG file (there are bytes after IEND)'
  return chunks
}

/** Reads and checks IHDR (section 11.2.1 and the caps). */
function readHeader(chunk: Chunk | undefined): Header | string {
  if (chunk?.type !== 'IHDR' || chunk.data.length !== 13) return 'is not a valid PNG file (it must start with a 13-byte IHDR chunk)'
  const view = new DataView(chunk.data.buffer, chunk.data.byteOffset, 13)
  const [width, height] = [view.getUint32(0), view.getUint32(4)]
  const [depth, colour, compression, filter, interlace] = chunk.data.subarray(8, 13) as unknown as number[]
  if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff) return 'is not a valid PNG file (impossible width or height)'
  const kind = COLOUR_TYPES[colour!]
  if (!kind) return `is not a valid PNG file (colour type ${colour} does not exist)`
  if (!kind.depths.includes(depth!)) return `is not a valid PNG file (bit depth ${depth} is not allowed with colour type ${colour})`
  if (compression !== 0 || filter !== 0 || (interlace !== 0 && interlace !== 1)) return 'is not a valid PNG file (unknown compression, filter or interlace method)'
  if (width > PNG_CAPS.maxDimension || height > PNG_CAPS.maxDimension) {
    return `is ${width}×${height}; images may be at most ${PNG_CAPS.maxDimension}×${PNG_CAPS.maxDimension} pixels`
  }
  return { width, height, bitsPerPixel: depth! * kind.channels, interlaced: interlace === 1 }
}

/** The scanlines of the image, as (rows, bytes per row without the filter byte), per pass. */
function scanlines({ width, height, bitsPerPixel, interlaced }: Header): [number, number][] {
  const passes = interlaced ? ADAM7 : ([[0, 0, 1, 1]] as const)
  return passes.flatMap(([x0, y0, dx, dy]) => {
    const [w, h] = [Math.ceil((width - x0) / dx), Math.ceil((height - y0) / dy)]
    return w > 0 && h > 0 ? [[h, Math.ceil((w * bitsPerPixel) / 8)] as [number, number]] : []
  })
}

/** Checks the order of chunks after IHDR (sections 5.4 and 5.6); the image data, or why not. */
function imageData(chunks: Chunk[], colour: (typeof COLOUR_TYPES)[number]): Uint8Array | string {
  let palette = false
  const idat: Uint8Array[] = []
  let idatEnded = false
  for (const { type, data } of chunks.slice(1)) {
    if (type === 'IHDR') return 'is not a valid PNG file (more than one IHDR chunk)'
    if (type === 'PLTE') {
      if (palette || idat.length) return 'is not a valid PNG file (PLTE must come once, before the image data)'
      palette = true
    }
    if (type === 'IDAT') {
      if (idatEnded) return 'is not a valid PNG file (the IDAT chunks are not consecutive)'
      idat.push(data)
    } else if (idat.length) idatEnded = true
    if (!['IDAT', 'IEND', 'PLTE'].includes(type) && type.charCodeAt(0) < 0x61) return `is not a valid PNG file (unknown critical chunk ${type})`
  }
  if (chunks.at(-1)?.type !== 'IEND' || chunks.at(-1)!.data.length !== 0) return 'is not a valid PNG file (it does not end with an empty IEND chunk)'
  if (!idat.length) return 'is not a valid PNG file (no IDAT chunk: there is no image data)'
  if (colour.palette === 'required' && !palette) return 'is not a valid PNG file (a palette image needs a PLTE chunk)'
  if (colour.palette === 'forbidden' && palette) return 'is not a valid PNG file (a greyscale image must not have a PLTE chunk)'
  const all = new Uint8Array(idat.reduce((n, d) => n + d.length, 0))
  idat.reduce((at, d) => (all.set(d, at), at + d.length), 0)
  return all
}

/** The size of a PNG, or the reason the bytes are not a whole, valid one within the caps. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } | string {
  if (bytes.length < 8 || SIGNATURE.some((b, i) => bytes[i] !== b)) return 'is not a PNG file (no PNG signature)'
  const chunks = readChunks(bytes)
  if (typeof chunks === 'string') return chunks
  const header = readHeader(chunks[0])
  if (typeof header === 'string') return header
  const data = imageData(chunks, COLOUR_TYPES[chunks[0]!.data[9]!]!)
  if (typeof data === 'string') return data
  const lines = scanlines(header)
  const expected = lines.reduce((n, [rows, row]) => n + rows * (1 + row), 0)
  if (expected > PNG_CAPS.maxInflatedBytes) return `needs ${expected} bytes of image data; images may inflate to at most ${PNG_CAPS.maxInflatedBytes} bytes`
  let pixels: Uint8Array
  try {
    pixels = inflateZlib(data, expected)
  } catch (error) {
    if (!(error instanceof InflateError)) throw error
    return error.tooLarge ? `is not a valid PNG file (the image data inflates to more than the ${expected} bytes its size needs)` : `is not a valid PNG file (image data: ${error.message})`
  }
  if (pixels.length !== expected) return `is not a valid PNG file (the image data inflates to ${pixels.length} bytes, not the ${expected} its size needs)`
  let at = 0
  for (const [rows, row] of lines) {
    for (let r = 0; r < rows; r++, at += 1 + row) if (pixels[at]! > 4) return `is not a valid PNG file (scanline filter type ${pixels[at]} does not exist)`
  }
  return { width: header.width, height: header.height }
}
