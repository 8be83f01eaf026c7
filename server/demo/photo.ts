/**
 * Fictional candidate photos for the demo and tests: an ID-photo style silhouette on a plain background,
 * written as a valid PNG of stored (uncompressed) deflate blocks, which is valid and simple (RFC 1951
 * §3.2.4, RFC 1950): the bytes stay the same on every runtime. Not part of the registration rules.
 */
const crc32 = (bytes: Uint8Array): number => Bun.hash.crc32(bytes)
const adler32 = (bytes: Uint8Array): number => Bun.hash.adler32(bytes)

type Rgb = readonly [number, number, number]

// ID photos use a white, blue or red background.
const BACKGROUNDS: readonly Rgb[] = [
  [255, 255, 255],
  [67, 142, 219],
  [217, 0, 27],
  [236, 240, 245],
]
const SKIN: readonly Rgb[] = [
  [241, 194, 167],
  [224, 172, 140],
  [198, 145, 110],
  [250, 214, 190],
]
const HAIR: readonly Rgb[] = [
  [30, 26, 24],
  [52, 38, 30],
  [70, 60, 55],
]
const CLOTHES: readonly Rgb[] = [
  [40, 48, 70],
  [20, 20, 24],
  [90, 96, 104],
  [230, 230, 232],
  [60, 80, 120],
]
const LABEL_BAND: Rgb = [32, 32, 36]
const LABEL_INK: Rgb = [255, 255, 255]

/**
 * A deterministic demo portrait (same arguments, same bytes). The label, if any, is drawn in a band at
 * the bottom (the characters A–Z, 0–9, space and - . : / # ? that the built-in font has; others are left
 * out) and stored whole, in UTF-8, in an iTXt "Title" chunk. Example: inspectPhoto(makeDemoPhotoPng(240, 320, 'C001', 'DEMO')).ok === true
 */
export function makeDemoPhotoPng(width: number, height: number, seed: number | string, label?: string): Uint8Array {
  for (const [name, v] of [
    ['width', width],
    ['height', height],
  ] as const) {
    if (!Number.isInteger(v) || v < 1 || v > 4000) throw new RangeError(`"${name}" expected an integer 1..4000, got ${v}`)
  }
  const random = mulberry32(typeof seed === 'number' ? seed >>> 0 : fnv1a(seed))
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!
  const background = pick(BACKGROUNDS)
  const skin = pick(SKIN)
  const hair = pick(HAIR)
  const clothes = pick(CLOTHES.filter((c) => c !== background))

  const stride = width * 3 + 1 // a filter-type byte (0, None) leads each scanline
  const raw = new Uint8Array(stride * height)
  const setPixel = (x: number, y: number, [r, g, b]: Rgb) => {
    const i = y * stride + 1 + x * 3
    raw[i] = r
    raw[i + 1] = g
    raw[i + 2] = b
  }

  // Proportions of a head-and-shoulders ID photo, with a little per-seed variation.
  const cx = width / 2 + (random() - 0.5) * width * 0.04
  const headY = height * (0.38 + random() * 0.04)
  const headRx = width * (0.19 + random() * 0.03)
  const headRy = Math.min(height * 0.17, headRx * 1.35)
  const shoulderY = height * 1.02
  const shoulderRx = width * (0.46 + random() * 0.06)
  const shoulderRy = height * 0.36
  const inEllipse = (x: number, y: number, ex: number, ey: number, rx: number, ry: number) => ((x - ex) / rx) ** 2 + ((y - ey) / ry) ** 2 <= 1

  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const px = x + 0.5
      const py = y + 0.5
      let colour = background
      if (inEllipse(px, py, cx, shoulderY, shoulderRx, shoulderRy)) colour = clothes
      else if (Math.abs(px - cx) < headRx * 0.45 && py > headY && py < shoulderY - shoulderRy + height * 0.04) colour = skin // neck
      if (inEllipse(px, py, cx, headY, headRx, headRy)) {
        colour = inEllipse(px, py, cx, headY - headRy * 0.22, headRx * 1.06, headRy * 0.86) && py < headY - headRy * 0.35 ? hair : skin
      }
      setPixel(x, y, colour)
    }
  }

  if (label !== undefined && label !== '') drawLabel(label, width, height, setPixel)

  return concat([
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr(width, height)),
    ...(label !== undefined && label !== '' ? [chunk('iTXt', iTXt('Title', label))] : []),
    chunk('IDAT', zlibStored(raw)),
    chunk('IEND', new Uint8Array(0)),
  ])
}

function drawLabel(label: string, width: number, height: number, setPixel: (x: number, y: number, c: Rgb) => void): void {
  const text = [...label.toUpperCase()].filter((c) => GLYPHS.has(c))
  if (text.every((c) => c === ' ')) return
  // Scale the 5×7 glyphs (6 columns with spacing) to fill at most 90% of the width, at most 1/12 of the height.
  const scale = Math.max(1, Math.min(Math.floor((width * 0.9) / (text.length * 6)), Math.floor(height / 12 / 7)))
  const bandHeight = 9 * scale
  if (bandHeight > height || text.length * 6 * scale > width) return // too small to draw legibly; the iTXt chunk still has it
  const top = height - bandHeight
  for (let y = top; y < height; y++) for (let x = 0; x < width; x++) setPixel(x, y, LABEL_BAND)
  const left = Math.floor((width - (text.length * 6 - 1) * scale) / 2)
  text.forEach((c, k) => {
    const rows = GLYPHS.get(c)!
    for (let gy = 0; gy < 7; gy++) {
      for (let gx = 0; gx < 5; gx++) {
        if (!((rows[gy]! >> (4 - gx)) & 1)) continue
        for (let sy = 0; sy < scale; sy++) {
          for (let sx = 0; sx < scale; sx++) setPixel(left + (k * 6 + gx) * scale + sx, top + (1 + gy) * scale + sy, LABEL_INK)
        }
      }
    }
  })
}

// A 5×7 font: each glyph is its character then 7 rows, each a base-32 digit whose 5 bits are the pixels left to right.
const FONT =
  '0ehjlphe 14c4444e 2eh1248v 3v2421he 426aiv22 5vgu11he 668guhhe 7v124888 8ehhehhe 9ehhf12c Aehhvhhh Buhhuhhu ' +
  'Cehggghe Dsihhhis Evgguggv Fvgguggg Gehgnhhf Hhhhvhhh Ie44444e J72222ic Khikokih Lggggggv Mhrllhhh Nhhpljhh ' +
  'Oehhhhhe Puhhuggg Qehhhlid Ruhhukih Sfgge11u Tv444444 Uhhhhhhe Vhhhhha4 Whhhllla Xhha4ahh Yhhha444 Zv1248gv ' +
  '-000v000 .00000cc :0cc0cc0 /01248g0 #aavavaa ?eh12404'
const GLYPHS: ReadonlyMap<string, readonly number[]> = new Map([
  [' ', [0, 0, 0, 0, 0, 0, 0]],
  ...FONT.split(' ').map((g) => [g[0]!, [...g.slice(1)].map((d) => parseInt(d, 32))] as [string, number[]]),
])

function ihdr(width: number, height: number): Uint8Array {
  const b = new Uint8Array(13)
  const v = new DataView(b.buffer)
  v.setUint32(0, width)
  v.setUint32(4, height)
  b.set([8, 2, 0, 0, 0], 8) // 8-bit RGB, deflate, adaptive filtering, no interlace
  return b
}

function iTXt(keyword: string, text: string): Uint8Array {
  // keyword NUL, compression flag 0, method 0, empty language tag NUL, empty translated keyword NUL, UTF-8 text
  const enc = new TextEncoder()
  return concat([enc.encode(keyword), new Uint8Array([0, 0, 0, 0, 0]), enc.encode(text)])
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length)
  const v = new DataView(out.buffer)
  v.setUint32(0, data.length)
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i)
  out.set(data, 8)
  v.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)))
  return out
}

/** A zlib stream (RFC 1950) of stored deflate blocks (RFC 1951 §3.2.4): at most 65535 bytes each. */
function zlibStored(data: Uint8Array): Uint8Array {
  const blocks = Math.max(1, Math.ceil(data.length / 65535))
  const out = new Uint8Array(2 + data.length + 5 * blocks + 4)
  const v = new DataView(out.buffer)
  out[0] = 0x78 // CM 8 (deflate), CINFO 7 (32K window)
  out[1] = 0x01 // FLEVEL 0, no dictionary; 0x7801 is a multiple of 31 as FCHECK requires
  let o = 2
  for (let k = 0; k < blocks; k++) {
    const part = data.subarray(k * 65535, Math.min((k + 1) * 65535, data.length))
    out[o] = k === blocks - 1 ? 1 : 0 // BFINAL, BTYPE 00 (stored)
    v.setUint16(o + 1, part.length, true)
    v.setUint16(o + 3, ~part.length & 0xffff, true)
    out.set(part, o + 5)
    o += 5 + part.length
  }
  v.setUint32(o, adler32(data))
  return out
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let o = 0
  for (const p of parts) {
    out.set(p, o)
    o += p.length
  }
  return out
}

/** mulberry32: a small seeded generator in [0, 1), the same numbers for the same seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5
  for (const byte of new TextEncoder().encode(text)) h = Math.imul(h ^ byte, 0x01000193) >>> 0
  return h
}
