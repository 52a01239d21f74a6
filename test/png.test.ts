/**
 * The PNG check of identity images: chunk structure and CRCs, IHDR rules,
 * the zlib image data inflated to exactly the scanline bytes, IEND, and the
 * caps that refuse oversized images and decompression bombs without
 * inflating them. The inflater is checked against the platform's own.
 */
import { describe, expect, it } from 'vitest'
import { compileContent, ContentError } from '../src/content/compile.ts'
import { inflateZlib } from '../src/content/inflate.ts'
import { PNG_CAPS, pngSize } from '../src/content/png.ts'
import { BASIC, files, SITE } from './helpers.ts'
import { chunk, concat, ihdr, makePng, SIGNATURE, zlibStored } from './png-fixtures.ts'

/** Compresses with the platform's deflate (zlib format). */
async function deflate(raw: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(
    await new Response(
      new Response(raw).body!.pipeThrough(new CompressionStream('deflate')),
    ).arrayBuffer(),
  )
}

const png = (header: Uint8Array, idat: Uint8Array | undefined, ...extra: Uint8Array[]) =>
  concat(
    SIGNATURE,
    chunk('IHDR', header),
    ...extra,
    ...(idat ? [chunk('IDAT', idat)] : []),
    chunk('IEND'),
  )

describe('valid images are accepted with their size', () => {
  it('greyscale 1-bit, RGBA 8-bit compressed, palette, interlaced, split IDAT', async () => {
    expect(pngSize(makePng(33, 17))).toEqual({ width: 33, height: 17 })
    const rgba = new Uint8Array(10 * (1 + 40)).map((_, i) => (i % 41 === 0 ? i % 5 : i * 7))
    expect(pngSize(png(ihdr(10, 10, 8, 6), await deflate(rgba)))).toEqual({ width: 10, height: 10 })
    const indexed = new Uint8Array(4 * (1 + 4))
    expect(
      pngSize(png(ihdr(4, 4, 8, 3), zlibStored(indexed), chunk('PLTE', new Uint8Array([0, 0, 0])))),
    ).toEqual({ width: 4, height: 4 })
    // Adam7, 5×5 at 8-bit grey: passes of 1×1, 1×1, 2×1, 1×2, 3×1, 2×3, 5×2 → 2+2+3+4+4+9+12 = 36 bytes.
    expect(pngSize(png(ihdr(5, 5, 8, 0, 1), zlibStored(new Uint8Array(36))))).toEqual({
      width: 5,
      height: 5,
    })
    const stream = await deflate(new Uint8Array(3 * 4))
    const split = concat(
      SIGNATURE,
      chunk('IHDR', ihdr(3, 3, 8, 0)),
      chunk('IDAT', stream.subarray(0, 4)),
      chunk('IDAT', stream.subarray(4)),
      chunk('tEXt', new TextEncoder().encode('a\0b')),
      chunk('IEND'),
    )
    expect(pngSize(split)).toEqual({ width: 3, height: 3 })
  })
})

describe('broken files are refused with the reason', () => {
  const grey = (w: number, h: number) => zlibStored(new Uint8Array(h * (1 + w)))
  it.each([
    [
      'signature and IHDR only',
      concat(SIGNATURE, chunk('IHDR', ihdr(8, 8))),
      'does not end with an empty IEND',
    ],
    ['no IDAT', png(ihdr(8, 8), undefined), 'no IDAT chunk'],
    [
      'no IEND',
      concat(SIGNATURE, chunk('IHDR', ihdr(2, 2)), chunk('IDAT', grey(2, 2))),
      'does not end with an empty IEND',
    ],
    [
      'bytes after IEND',
      concat(png(ihdr(2, 2), grey(2, 2)), new Uint8Array([1, 2, 3])),
      'bytes after IEND',
    ],
    ['truncated', png(ihdr(2, 2), grey(2, 2)).subarray(0, 50), 'truncated'],
    [
      'an IDAT checksum wrong',
      concat(SIGNATURE, chunk('IHDR', ihdr(2, 2)), chunk('IDAT', grey(2, 2), false), chunk('IEND')),
      'the IDAT checksum is wrong',
    ],
    [
      'non-zlib image data',
      png(ihdr(2, 2), new TextEncoder().encode('not zlib data at all')),
      'not a zlib stream',
    ],
    [
      'a wrong Adler-32',
      png(
        ihdr(2, 2),
        grey(2, 2).map((b, i, a) => (i === a.length - 1 ? b ^ 1 : b)),
      ),
      'Adler-32',
    ],
    ['too little image data', png(ihdr(4, 4), grey(4, 3)), 'inflates to 15 bytes, not the 20'],
    ['too much image data', png(ihdr(4, 4), grey(4, 5)), 'inflates to more than the 20 bytes'],
    ['a filter type of 7', png(ihdr(1, 1), zlibStored(new Uint8Array([7, 0]))), 'filter type 7'],
    [
      'colour type 2 at 4 bits',
      png(ihdr(2, 2, 4, 2), grey(2, 2)),
      'bit depth 4 is not allowed with colour type 2',
    ],
    [
      'colour type 3 at 16 bits',
      png(ihdr(2, 2, 16, 3), grey(2, 2)),
      'bit depth 16 is not allowed with colour type 3',
    ],
    ['colour type 5', png(ihdr(2, 2, 8, 5), grey(2, 2)), 'colour type 5 does not exist'],
    ['a palette image without PLTE', png(ihdr(2, 2, 8, 3), grey(2, 2)), 'needs a PLTE'],
    [
      'PLTE in a greyscale image',
      png(ihdr(2, 2, 8, 0), grey(2, 2), chunk('PLTE', new Uint8Array(3))),
      'must not have a PLTE',
    ],
    [
      'an unknown critical chunk',
      png(ihdr(2, 2), grey(2, 2), chunk('ABCD', new Uint8Array(1))),
      'unknown critical chunk ABCD',
    ],
    [
      'IDAT chunks apart',
      concat(
        SIGNATURE,
        chunk('IHDR', ihdr(2, 2)),
        chunk('IDAT', grey(2, 2).subarray(0, 3)),
        chunk('tEXt', new Uint8Array(1)),
        chunk('IDAT', grey(2, 2).subarray(3)),
        chunk('IEND'),
      ),
      'not consecutive',
    ],
    ['a width of zero', png(ihdr(0, 2), grey(1, 2)), 'impossible width or height'],
  ])('%s', (_, bytes, reason) => {
    const result = pngSize(bytes)
    expect(typeof result).toBe('string')
    expect(result).toContain(reason)
  })
})

describe('caps', () => {
  it(`refuses dimensions over ${PNG_CAPS.maxDimension}×${PNG_CAPS.maxDimension}, up to 2147483647², before inflating`, () => {
    expect(pngSize(png(ihdr(0x7fffffff, 0x7fffffff), zlibStored(new Uint8Array(1))))).toBe(
      `is 2147483647×2147483647; images may be at most 2048×2048 pixels`,
    )
    expect(pngSize(png(ihdr(2049, 1), zlibStored(new Uint8Array(1))))).toContain(
      'at most 2048×2048',
    )
  })
  it('refuses the 20000×20000 decompression bomb (a few KiB of zeros that inflate to 400 MB)', async () => {
    // 200 rows of 20001 zero bytes, compressed: a small file whose whole image data would be 400 MB.
    const bomb = png(ihdr(20_000, 20_000, 8, 0), await deflate(new Uint8Array(200 * 20_001)))
    expect(bomb.length).toBeLessThan(50 * 1024)
    expect(pngSize(bomb)).toContain('at most 2048×2048')
  })
  it('stops inflating at the size the image needs: a small image whose data inflates to 16 MiB is refused after its 4,160 bytes', async () => {
    const bomb = png(ihdr(64, 64, 8, 0), await deflate(new Uint8Array(16 * 2 ** 20)))
    const started = performance.now()
    expect(pngSize(bomb)).toContain('inflates to more than the 4160 bytes')
    expect(performance.now() - started).toBeLessThan(1000)
  })
  it(`refuses image data over ${PNG_CAPS.maxInflatedBytes} bytes even within the dimensions (2048×2048 RGBA at 16 bits)`, () => {
    expect(pngSize(png(ihdr(2048, 2048, 16, 6), zlibStored(new Uint8Array(1))))).toContain(
      `images may inflate to at most ${PNG_CAPS.maxInflatedBytes} bytes`,
    )
  })
})

describe('the inflater agrees with the platform', () => {
  it('on random, repetitive and empty data', async () => {
    const random = crypto.getRandomValues(new Uint8Array(50_000))
    const text = new TextEncoder().encode(
      'the quick brown fox jumps over the lazy dog. '.repeat(3000),
    )
    for (const raw of [random, text, new Uint8Array(0), new Uint8Array(70_000)]) {
      expect(inflateZlib(await deflate(raw), raw.length)).toEqual(raw)
      expect(inflateZlib(zlibStored(raw), raw.length)).toEqual(raw)
    }
  })
})

describe('through the build: the file is named', () => {
  it('an image site.yaml names that is a bomb fails the build with its file and reason', async () => {
    const input = files(BASIC, { site: `${SITE}images:\n  icon: icon.png\n` })
    const bomb = png(ihdr(20_000, 20_000, 8, 0), await deflate(new Uint8Array(100 * 20_001)))
    try {
      compileContent({ ...input, images: [{ file: 'content/icon.png', bytes: bomb }] })
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(ContentError)
      expect((error as ContentError).message).toContain(
        'content/icon.png: is 20000×20000; images may be at most 2048×2048 pixels',
      )
    }
  })
})
