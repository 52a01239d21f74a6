/**
 * The bundled publication's own tool: draws its identity images, a
 * geometric mark (a compass star inside a ring, on navy), and writes them
 * as PNG: icon.png (512×512), favicon.png (64×64) and logo.png (400×200,
 * the mark beside three "brief" lines). The design and colours are this
 * publication's and live here, not in settings: another publisher puts
 * their own PNG files in content/ and names them in site.yaml (`images`),
 * or names none. Fixture A's images (test/fixtures/millbrook) were drawn
 * with it. Not part of the build, nor of `npm test`: run it by hand after
 * changing the design, and commit the PNGs.
 *
 * Usage: node scripts/make-images.ts [outDir]   (default content/)
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { deflateSync } from 'node:zlib'
import { crc32 } from '../src/content/png.ts'

type Rgba = readonly [number, number, number, number]
const NAVY: Rgba = [20, 52, 90, 255]
const IVORY: Rgba = [244, 241, 234, 255]
const GOLD: Rgba = [224, 165, 38, 255]
const SLATE: Rgba = [143, 163, 191, 255]
const CLEAR: Rgba = [0, 0, 0, 0]

/** Inside a rounded rectangle from (x0, y0) to (x1, y1) with corner radius r. */
function inRoundedRect(
  x: number,
  y: number,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  r: number,
): boolean {
  if (x < x0 || x > x1 || y < y0 || y > y1) return false
  const cx = Math.min(Math.max(x, x0 + r), x1 - r)
  const cy = Math.min(Math.max(y, y0 + r), y1 - r)
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r
}

/** The mark in a unit box: ring, four-point compass star, a navy dot at its centre. Undefined where the mark is not. */
function mark(u: number, v: number): Rgba | undefined {
  const dx = u - 0.5
  const dy = v - 0.5
  const d = Math.hypot(dx, dy)
  if (d <= 0.028) return NAVY
  const star =
    Math.abs(dx) / 0.075 + Math.abs(dy) / 0.275 <= 1 ||
    Math.abs(dx) / 0.275 + Math.abs(dy) / 0.075 <= 1
  if (star) return dy < 0 && Math.abs(dx) / 0.075 + Math.abs(dy) / 0.275 <= 1 ? GOLD : IVORY
  if (d >= 0.305 && d <= 0.36) return IVORY
  return undefined
}

/** The square icon: the mark on a navy rounded square. */
function icon(u: number, v: number): Rgba {
  if (!inRoundedRect(u, v, 0, 0, 1, 1, 0.2)) return CLEAR
  return mark(u, v) ?? NAVY
}

/** The 2:1 logo, in units of its height: the mark on the left, three lines of "text" to its right. */
function logo(x: number, y: number): Rgba {
  if (!inRoundedRect(x, y, 0, 0, 2, 1, 0.1)) return CLEAR
  if (x < 1) return mark(x, y) ?? NAVY
  const bar = (x0: number, x1: number, y0: number, y1: number) =>
    inRoundedRect(x, y, x0, y0, x1, y1, (y1 - y0) / 2)
  if (bar(1.02, 1.78, 0.33, 0.43)) return IVORY
  if (bar(1.02, 1.62, 0.49, 0.56)) return GOLD
  if (bar(1.02, 1.5, 0.62, 0.68)) return SLATE
  return NAVY
}

/** Renders `shade` (in units where the image is `width / height` by 1) with 4×4 supersampling. */
function render(width: number, height: number, shade: (x: number, y: number) => Rgba): Uint8Array {
  const n = 4
  const pixels = new Uint8Array(width * height * 4)
  for (let py = 0; py < height; py++) {
    for (let px = 0; px < width; px++) {
      let [r, g, b, a] = [0, 0, 0, 0]
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const c = shade((px + (sx + 0.5) / n) / height, (py + (sy + 0.5) / n) / height)
          // Premultiplied, so transparent samples do not darken the edges.
          r += c[0] * c[3]
          g += c[1] * c[3]
          b += c[2] * c[3]
          a += c[3]
        }
      }
      const at = (py * width + px) * 4
      pixels.set(
        a === 0
          ? [0, 0, 0, 0]
          : [Math.round(r / a), Math.round(g / a), Math.round(b / a), Math.round(a / (n * n))],
        at,
      )
    }
  }
  return pixels
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length)
  const view = new DataView(out.buffer)
  view.setUint32(0, data.length)
  out.set(new TextEncoder().encode(type), 4)
  out.set(data, 8)
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)))
  return out
}

/** An 8-bit RGBA PNG, every row with the Sub filter (PNG section 9.2), deflated at level 9. */
function png(width: number, height: number, pixels: Uint8Array): Uint8Array {
  const ihdr = new Uint8Array(13)
  const view = new DataView(ihdr.buffer)
  view.setUint32(0, width)
  view.setUint32(4, height)
  ihdr.set([8, 6, 0, 0, 0], 8)
  const stride = width * 4
  const raw = new Uint8Array((stride + 1) * height)
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 1
    for (let i = 0; i < stride; i++) {
      const value = pixels[y * stride + i]!
      raw[y * (stride + 1) + 1 + i] = (value - (i >= 4 ? pixels[y * stride + i - 4]! : 0)) & 0xff
    }
  }
  const parts = [
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array()),
  ]
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const part of parts) out.set(part, (at += part.length) - part.length)
  return out
}

const dir = process.argv[2] ?? 'content'
for (const [name, width, height, shade] of [
  ['icon.png', 512, 512, icon],
  ['favicon.png', 64, 64, icon],
  ['logo.png', 400, 200, logo],
] as const) {
  const bytes = png(width, height, render(width, height, shade))
  writeFileSync(join(dir, name), bytes)
  console.log(`${name}: ${width}×${height}, ${bytes.length} bytes`)
}
