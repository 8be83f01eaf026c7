import { describe, expect, test } from 'vitest'
import { inspectPhoto } from '../server/domain/registration/index.ts'
import { makeDemoPhotoPng } from '../server/demo/photo.ts'
import type { PhotoError } from '../server/domain/registration/index.ts'
import { crc32 } from '../server/domain/registration/_checksums.ts'

function refusal(bytes: Uint8Array, limits = {}): PhotoError {
  const r = inspectPhoto(bytes, limits)
  if (r.ok) throw new Error('expected the photo to be refused')
  return r.error
}

// A minimal JPEG built by hand (ITU T.81 Annex B): SOI, APP0 JFIF, a frame header, a scan header, a few
// entropy-coded bytes with a stuffed 0xFF00 and a restart marker, EOI. Pixels are never decoded.
const seg = (marker: number, body: number[]) => [0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff, ...body]
function jpeg({ width = 300, height = 400, sof = 0xc0, app1 = [] as number[], eoi = true, extra = [] as number[] } = {}): Uint8Array {
  return new Uint8Array([
    0xff,
    0xd8,
    ...seg(0xe0, [0x4a, 0x46, 0x49, 0x46, 0x00, 1, 1, 0, 0, 1, 0, 1, 0, 0]),
    ...(app1.length ? seg(0xe1, app1) : []),
    ...seg(0xdb, [0x00, ...new Array(64).fill(1)]),
    ...seg(sof, [8, height >> 8, height & 0xff, width >> 8, width & 0xff, 3, 1, 0x22, 0, 2, 0x11, 0, 3, 0x11, 0]),
    ...seg(0xda, [3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0]),
    0x12,
    0x34,
    0xff,
    0x00,
    0x56,
    0xff,
    0xd0,
    0x78,
    ...extra,
    ...(eoi ? [0xff, 0xd9] : []),
  ])
}
/** An APP1 Exif body (big-endian TIFF) with one IFD0 entry: Orientation. */
const exif = (orientation: number) => [
  0x45,
  0x78,
  0x69,
  0x66,
  0,
  0,
  0x4d,
  0x4d,
  0,
  42,
  0,
  0,
  0,
  8,
  0,
  1,
  0x01,
  0x12,
  0,
  3,
  0,
  0,
  0,
  1,
  0,
  orientation,
  0,
  0,
  0,
  0,
  0,
  0,
]

describe('PNG', () => {
  test('a generated demo photo passes: png, its width and height', () => {
    expect(inspectPhoto(makeDemoPhotoPng(240, 320, 1))).toEqual({ ok: true, value: { format: 'png', width: 240, height: 320 } })
    expect(inspectPhoto(makeDemoPhotoPng(413, 579, 'C0042', 'DEMO'))).toEqual({ ok: true, value: { format: 'png', width: 413, height: 579 } })
  })

  test('a truncated PNG is refused (photo.corrupt), wherever it is cut', () => {
    const png = makeDemoPhotoPng(240, 320, 2)
    for (const cut of [8, 20, 33, 1000, png.length - 12, png.length - 1]) {
      expect(refusal(png.subarray(0, cut)).code).toBe('photo.corrupt')
    }
  })

  test('a PNG whose IHDR fails its CRC is refused (photo.corrupt)', () => {
    const png = makeDemoPhotoPng(240, 320, 3).slice()
    png[19] = png[19]! ^ 0x01 // the low byte of the width
    expect(refusal(png)).toMatchObject({ code: 'photo.corrupt', reason: 'IHDR CRC mismatch' })
  })

  test('a PNG with a damaged image-data chunk is refused (photo.corrupt)', () => {
    const png = makeDemoPhotoPng(240, 320, 3).slice()
    png[5000] = png[5000]! ^ 0x80
    expect(refusal(png)).toMatchObject({ code: 'photo.corrupt', reason: 'IDAT CRC mismatch' })
  })

  test('a PNG with an impossible IHDR (bit depth 3), even with a correct CRC, is refused', () => {
    const png = makeDemoPhotoPng(240, 320, 4).slice()
    png[24] = 3
    new DataView(png.buffer).setUint32(29, crc32(png.subarray(12, 29)))
    expect(refusal(png)).toMatchObject({ code: 'photo.corrupt', reason: 'bad bit depth or colour type' })
  })
})

describe('JPEG', () => {
  test("a minimal hand-built JPEG passes with the frame header's dimensions", () => {
    expect(inspectPhoto(jpeg())).toEqual({ ok: true, value: { format: 'jpeg', width: 300, height: 400 } })
  })

  test('a progressive JPEG (SOF2) passes', () => {
    expect(inspectPhoto(jpeg({ sof: 0xc2 })).ok).toBe(true)
  })

  test('an EXIF orientation that turns the picture a quarter swaps width and height (as browsers display it)', () => {
    expect(inspectPhoto(jpeg({ width: 400, height: 300, app1: exif(6) }))).toMatchObject({ ok: true, value: { width: 300, height: 400 } })
    expect(inspectPhoto(jpeg({ width: 300, height: 400, app1: exif(3) }))).toMatchObject({ ok: true, value: { width: 300, height: 400 } })
  })

  test('a JPEG without its EOI marker (a cut-off upload) is refused (photo.corrupt)', () => {
    expect(refusal(jpeg({ eoi: false }))).toMatchObject({ code: 'photo.corrupt' })
    const whole = jpeg()
    expect(refusal(whole.subarray(0, 40)).code).toBe('photo.corrupt')
  })

  test('a JPEG with no frame header before its scan is refused (photo.corrupt)', () => {
    expect(refusal(new Uint8Array([0xff, 0xd8, 0xff, ...seg(0xda, [1, 1, 0, 0, 63, 0]).slice(1), 0x00, 0xff, 0xd9])).code).toBe('photo.corrupt')
  })

  test('lossless or arithmetic-coded JPEGs, which browsers cannot show, are refused (photo.format)', () => {
    expect(refusal(jpeg({ sof: 0xc3 })).code).toBe('photo.format')
    expect(refusal(jpeg({ sof: 0xc9 })).code).toBe('photo.format')
  })

  test('data after EOI is tolerated (phones append extra data)', () => {
    const withTrailer = new Uint8Array([...jpeg(), 0x00, 0x01, 0x02])
    expect(inspectPhoto(withTrailer).ok).toBe(true)
  })
})

describe('other files and limits', () => {
  test('a GIF is refused (photo.format) and named', () => {
    const gif = new Uint8Array([...new TextEncoder().encode('GIF89a'), 0x40, 0x01, 0xe0, 0x01, 0, 0, 0, 0x3b])
    expect(refusal(gif)).toMatchObject({ code: 'photo.format', detected: 'GIF' })
    expect(refusal(gif).message).toContain('GIF')
  })

  test('WebP, HEIC, empty and random bytes are refused (photo.format)', () => {
    const ascii = (s: string) => [...new TextEncoder().encode(s)]
    expect(refusal(new Uint8Array([...ascii('RIFF'), 0, 0, 0, 0, ...ascii('WEBPVP8 ')]))).toMatchObject({ code: 'photo.format', detected: 'WebP' })
    expect(refusal(new Uint8Array([0, 0, 0, 0x18, ...ascii('ftypheic')]))).toMatchObject({ code: 'photo.format', detected: 'HEIC' })
    expect(refusal(new Uint8Array(0)).code).toBe('photo.format')
    expect(refusal(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9])).code).toBe('photo.format')
  })

  test('a file over the byte limit is refused before it is parsed (photo.too_large)', () => {
    const png = makeDemoPhotoPng(240, 320, 5)
    expect(refusal(png, { maxBytes: png.length - 1 })).toMatchObject({ code: 'photo.too_large', bytes: png.length })
    expect(refusal(new Uint8Array(2_000_001))).toMatchObject({ code: 'photo.too_large' })
  })

  test('a photo smaller than 240×320 or larger than 4000×4000 is refused (photo.dimensions)', () => {
    expect(refusal(makeDemoPhotoPng(239, 320, 6))).toMatchObject({ code: 'photo.dimensions', width: 239, height: 320 })
    expect(refusal(makeDemoPhotoPng(240, 319, 6))).toMatchObject({ code: 'photo.dimensions' })
    expect(refusal(jpeg({ width: 4001, height: 5000 }))).toMatchObject({ code: 'photo.dimensions', width: 4001 })
    expect(refusal(makeDemoPhotoPng(300, 400, 6), { maxWidth: 299 })).toMatchObject({ code: 'photo.dimensions' })
  })

  test('every refusal carries a Chinese and an English message', () => {
    for (const bytes of [new Uint8Array(0), jpeg({ eoi: false }), makeDemoPhotoPng(10, 10, 1)]) {
      const e = refusal(bytes)
      expect(e.message).toMatch(/[\u4e00-\u9fff]/)
      expect(e.messageEn).toMatch(/^[\x20-\x7e×–]+$/)
    }
  })
})
