/**
 * @module inflate
 * A zlib stream (RFC 1950) decoder with a hard output bound, for checking
 * PNG image data at build time: the DEFLATE format (RFC 1951), stored,
 * fixed-Huffman and dynamic-Huffman blocks. Synchronous and free of
 * platform modules, so the same check runs in the Node build and in the
 * workerd tests; the Worker never imports it.
 *
 * Decoding stops as soon as the output would pass `maxBytes`, so a
 * decompression bomb costs at most `maxBytes` of memory and the time to
 * produce them, never its inflated size.
 */

/** Why a stream was refused; `tooLarge` when it inflates to more than allowed. */
export class InflateError extends Error {
  override name = 'InflateError'
  readonly tooLarge: boolean
  constructor(message: string, tooLarge = false) {
    super(message)
    this.tooLarge = tooLarge
  }
}

const LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
const DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]
const CODE_LENGTH_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

/** A canonical Huffman code (RFC 1951 section 3.2.2): symbol counts per length and symbols in code order. */
interface Huffman {
  counts: Uint16Array
  symbols: Uint16Array
}

function huffman(lengths: ArrayLike<number>): Huffman {
  const counts = new Uint16Array(16)
  for (let i = 0; i < lengths.length; i++) counts[lengths[i]!]!++
  counts[0] = 0
  let left = 1
  for (let len = 1; len < 16; len++) {
    left = left * 2 - counts[len]!
    if (left < 0) throw new InflateError('over-subscribed Huffman code')
  }
  const offsets = new Uint16Array(16)
  for (let len = 1; len < 15; len++) offsets[len + 1] = offsets[len]! + counts[len]!
  const symbols = new Uint16Array(lengths.length)
  for (let i = 0; i < lengths.length; i++) if (lengths[i]) symbols[offsets[lengths[i]!]!++] = i
  return { counts, symbols }
}

const FIXED_LITERALS = huffman(Array.from({ length: 288 }, (_, i) => (i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8)))
const FIXED_DISTANCES = huffman(Array(30).fill(5))

/** Inflates a zlib stream to at most `maxBytes`; throws {@link InflateError} for anything malformed or too large. */
export function inflateZlib(data: Uint8Array, maxBytes: number): Uint8Array {
  if (data.length < 6) throw new InflateError('the zlib stream is truncated')
  const [cmf, flg] = [data[0]!, data[1]!]
  if ((cmf & 0x0f) !== 8 || cmf >> 4 > 7) throw new InflateError('not a zlib stream (compression method must be deflate)')
  if (((cmf << 8) | flg) % 31 !== 0) throw new InflateError('not a zlib stream (bad header check)')
  if (flg & 0x20) throw new InflateError('a zlib stream with a preset dictionary is not allowed in PNG')
  let out = new Uint8Array(Math.min(maxBytes, 1 << 16))
  let size = 0
  let pos = 2 // byte position
  let bit = 0 // bits already used of data[pos]
  const need = (n: number) => {
    if (pos + ((bit + n + 7) >> 3) > data.length) throw new InflateError('the zlib stream is truncated')
  }
  const bits = (n: number): number => {
    need(n)
    let value = 0
    for (let i = 0; i < n; i++) {
      value |= ((data[pos]! >> bit) & 1) << i
      if (++bit === 8) (bit = 0), pos++
    }
    return value
  }
  const decode = (h: Huffman): number => {
    let code = 0
    let first = 0
    let index = 0
    for (let len = 1; len < 16; len++) {
      code |= bits(1)
      const count = h.counts[len]!
      if (code - count < first) return h.symbols[index + (code - first)]!
      index += count
      first = (first + count) << 1
      code <<= 1
    }
    throw new InflateError('invalid Huffman code')
  }
  const emit = (byte: number) => {
    if (size === maxBytes) throw new InflateError(`the image data inflates to more than ${maxBytes} bytes`, true)
    if (size === out.length) {
      const grown = new Uint8Array(Math.min(maxBytes, out.length * 2))
      grown.set(out)
      out = grown
    }
    out[size++] = byte
  }
  let last = 0
  while (!last) {
    last = bits(1)
    const type = bits(2)
    if (type === 0) {
      if (bit) (bit = 0), pos++
      if (pos + 4 > data.length) throw new InflateError('the zlib stream is truncated')
      const len = data[pos]! | (data[pos + 1]! << 8)
      if ((len ^ 0xffff) !== (data[pos + 2]! | (data[pos + 3]! << 8))) throw new InflateError('a stored block has a bad length')
      pos += 4
      if (pos + len > data.length) throw new InflateError('the zlib stream is truncated')
      for (let i = 0; i < len; i++) emit(data[pos++]!)
    } else if (type === 1 || type === 2) {
      const [lit, dist] = type === 1 ? [FIXED_LITERALS, FIXED_DISTANCES] : dynamicCodes(bits, decode)
      for (;;) {
        const symbol = decode(lit)
        if (symbol < 256) emit(symbol)
        else if (symbol === 256) break
        else {
          const l = symbol - 257
          if (l >= 29) throw new InflateError('invalid length code')
          const length = LENGTH_BASE[l]! + bits(LENGTH_EXTRA[l]!)
          const d = decode(dist)
          if (d >= 30) throw new InflateError('invalid distance code')
          const distance = DIST_BASE[d]! + bits(DIST_EXTRA[d]!)
          if (distance > size) throw new InflateError('a distance points before the start of the data')
          for (let i = 0; i < length; i++) emit(out[size - distance]!)
        }
      }
    } else throw new InflateError('invalid block type')
  }
  if (bit) (bit = 0), pos++
  if (pos + 4 > data.length) throw new InflateError('the zlib stream is truncated (no Adler-32 checksum)')
  const expected = ((data[pos]! << 24) | (data[pos + 1]! << 16) | (data[pos + 2]! << 8) | data[pos + 3]!) >>> 0
  const result = out.subarray(0, size)
  if (adler32(result) !== expected) throw new InflateError('the Adler-32 checksum of the image data is wrong')
  if (pos + 4 !== data.length) throw new InflateError('data after the end of the zlib stream')
  return result
}

/** Reads the code-length code and then the literal/length and distance codes of a dynamic block (RFC 1951 section 3.2.7). */
function dynamicCodes(bits: (n: number) => number, decode: (h: Huffman) => number): [Huffman, Huffman] {
  const nlen = bits(5) + 257
  const ndist = bits(5) + 1
  const ncode = bits(4) + 4
  if (nlen > 286 || ndist > 30) throw new InflateError('bad code counts in a dynamic block')
  const codeLengths = new Uint8Array(19)
  for (let i = 0; i < ncode; i++) codeLengths[CODE_LENGTH_ORDER[i]!] = bits(3)
  const lencode = huffman(codeLengths)
  const lengths = new Uint8Array(nlen + ndist)
  for (let i = 0; i < nlen + ndist; ) {
    const symbol = decode(lencode)
    if (symbol < 16) lengths[i++] = symbol
    else {
      let repeat: number
      let value = 0
      if (symbol === 16) {
        if (i === 0) throw new InflateError('a repeat with no previous length')
        value = lengths[i - 1]!
        repeat = 3 + bits(2)
      } else repeat = symbol === 17 ? 3 + bits(3) : 11 + bits(7)
      if (i + repeat > nlen + ndist) throw new InflateError('too many code lengths')
      while (repeat--) lengths[i++] = value
    }
  }
  if (lengths[256] === 0) throw new InflateError('no end-of-block code')
  return [huffman(lengths.subarray(0, nlen)), huffman(lengths.subarray(nlen))]
}

/** Adler-32 (RFC 1950 section 8.2). */
export function adler32(bytes: Uint8Array): number {
  let a = 1
  let b = 0
  for (let i = 0; i < bytes.length; ) {
    const end = Math.min(bytes.length, i + 5552)
    for (; i < end; i++) (a += bytes[i]!), (b += a)
    a %= 65521
    b %= 65521
  }
  return ((b << 16) | a) >>> 0
}
