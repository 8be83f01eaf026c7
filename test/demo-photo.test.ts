import { describe, expect, test } from 'vitest'
import { inflateSync } from 'node:zlib'
import { inspectPhoto } from '../server/domain/registration/index.ts'
import { makeDemoPhotoPng } from '../server/demo/photo.ts'

/** Chunks of a PNG, read independently of the code under test. */
function chunks(png: Uint8Array): Array<{ type: string; data: Uint8Array }> {
  const view = new DataView(png.buffer, png.byteOffset)
  const out = []
  for (let pos = 8; pos < png.length; ) {
    const length = view.getUint32(pos)
    out.push({ type: new TextDecoder().decode(png.subarray(pos + 4, pos + 8)), data: png.subarray(pos + 8, pos + 8 + length) })
    pos += 12 + length
  }
  return out
}
/** Decompressed scanlines via node:zlib (a real inflater; tests may use it, the pure domain may not). */
function pixels(png: Uint8Array): { width: number; height: number; raw: Uint8Array } {
  const all = chunks(png)
  const ihdr = new DataView(all[0]!.data.buffer, all[0]!.data.byteOffset)
  const idat = Buffer.concat(all.filter((c) => c.type === 'IDAT').map((c) => c.data))
  return { width: ihdr.getUint32(0), height: ihdr.getUint32(4), raw: new Uint8Array(inflateSync(idat)) }
}
const rgb = ({ width, raw }: { width: number; raw: Uint8Array }, x: number, y: number) => {
  const i = y * (width * 3 + 1) + 1 + x * 3
  return [raw[i], raw[i + 1], raw[i + 2]]
}

describe('makeDemoPhotoPng', () => {
  test('writes a PNG whose zlib stream a real inflater accepts, with one None filter byte per scanline', () => {
    const p = pixels(makeDemoPhotoPng(240, 320, 9))
    expect(p.raw.length).toBe(320 * (240 * 3 + 1))
    for (let y = 0; y < 320; y++) expect(p.raw[y * (240 * 3 + 1)]).toBe(0)
  })

  test('spans several stored deflate blocks when the image is over 64 KiB (and still passes inspectPhoto)', () => {
    const png = makeDemoPhotoPng(600, 800, 'big')
    expect(pixels(png).raw.length).toBe(800 * (600 * 3 + 1))
    expect(inspectPhoto(png, { maxBytes: 2_000_000 })).toMatchObject({ ok: true, value: { width: 600, height: 800 } })
  })

  test('is deterministic: the same arguments give the same bytes, another seed another picture', () => {
    expect(makeDemoPhotoPng(240, 320, 'C001')).toEqual(makeDemoPhotoPng(240, 320, 'C001'))
    expect(makeDemoPhotoPng(240, 320, 'C001')).not.toEqual(makeDemoPhotoPng(240, 320, 'C002'))
  })

  test('draws a silhouette: the centre of the head differs from the top-left background', () => {
    const p = pixels(makeDemoPhotoPng(240, 320, 1))
    expect(rgb(p, 120, 130)).not.toEqual(rgb(p, 0, 0))
    expect(rgb(p, 239, 0)).toEqual(rgb(p, 0, 0))
  })

  test('stores the label whole in an iTXt Title chunk and draws the drawable part in a dark band', () => {
    const png = makeDemoPhotoPng(240, 320, 1, 'DEMO 张三')
    const itxt = chunks(png).find((c) => c.type === 'iTXt')!
    expect(new TextDecoder().decode(itxt.data)).toBe('Title\0\0\0\0\0DEMO 张三')
    const p = pixels(png)
    expect(rgb(p, 0, 319)).toEqual([32, 32, 36])
    const band = Array.from({ length: 240 }, (_, x) => rgb(p, x, 319 - 13).join())
    expect(band).toContain('255,255,255')
  })

  test('without a label there is no iTXt chunk', () => {
    expect(chunks(makeDemoPhotoPng(240, 320, 1)).map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND'])
  })

  test('refuses sizes that are not integers from 1 to 4000', () => {
    for (const [w, h] of [
      [0, 10],
      [10, 4001],
      [1.5, 10],
    ] as const)
      expect(() => makeDemoPhotoPng(w, h, 1)).toThrow(RangeError)
  })
})
