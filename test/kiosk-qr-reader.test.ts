// Why the camera carries a WebAssembly QR reader (kiosk/src/custody-camera.ts): html5-qrcode's bundled decoder, a
// zxing-js port, cannot read some cleanly drawn codes at all — whatever their size — and on a tablet without a
// BarcodeDetector of its own (iPadOS Safari, Windows and Linux Chrome) that code then never scans. Here codes shaped
// like the ones this system prints (enrolment codes, packet labels, admission tickets, certificate links) are drawn
// black on white and read by both: ZXing-C++ in WebAssembly (the very .wasm the server serves) reads every one.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { sha256 } from '@noble/hashes/sha2.js'
import * as zxingJs from 'html5-qrcode/third_party/zxing-js.umd.js'
import { beforeAll, describe, expect, test } from 'vitest'
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader'
import { qrLuma } from './_y4m.ts'

/** A code html5-qrcode 2.3.8's zxing-js cannot read at any size (the enrolment code that made the door test fail). */
const UNREAD_BY_ZXING_JS = 'custody-enrol:1DAE-8F0N-BFYW'

/** Deterministic bytes: SHA-256 of a label and a counter, as many as asked. */
function bytesFor(label: string, n: number): Uint8Array {
  const out = new Uint8Array(n)
  for (let i = 0; i * 32 < n; i++) out.set(sha256(new TextEncoder().encode(`${label}/${i}`)).subarray(0, Math.min(32, n - i * 32)), i * 32)
  return out
}
const b64url = (b: Uint8Array) => Buffer.from(b).toString('base64url')
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
const enrolCode = (i: number) => {
  const c = [...bytesFor(`enrol${i}`, 12)].map((x) => CODE_ALPHABET[x % 32]).join('')
  return `custody-enrol:${c.slice(0, 4)}-${c.slice(4, 8)}-${c.slice(8)}`
}

const KINDS: Record<string, (i: number) => string> = {
  enrolment: enrolCode,
  packet: (i) => `CUSTODY-PACKET:pk-${Buffer.from(bytesFor(`packet${i}`, 8)).toString('hex')}`,
  ticket: (i) => `CT2.${Buffer.from(bytesFor(`kid${i}`, 4)).toString('hex')}.${b64url(bytesFor(`ticket${i}`, 72))}.${b64url(bytesFor(`sig${i}`, 64))}`,
  certificate: (i) => `https://exam.example.cn/verify/S00005000000126410${String(i).padStart(4, '0')}#${b64url(bytesFor(`cert${i}`, 130))}`,
}
const PER_KIND = 60

/** html5-qrcode's zxing-js, as html5-qrcode calls it (QR only, HybridBinarizer), on a grey picture. */
function readWithZxingJs(luma: Uint8Array, width: number, height: number): string | null {
  // biome-ignore lint/suspicious/noExplicitAny: the UMD bundle ships no usable types
  const Z = ((zxingJs as any).default ?? zxingJs) as any
  const hints = new Map([[Z.DecodeHintType.POSSIBLE_FORMATS, [Z.BarcodeFormat.QR_CODE]]])
  const reader = new Z.MultiFormatReader()
  reader.setHints(hints)
  try {
    return reader.decode(new Z.BinaryBitmap(new Z.HybridBinarizer(new Z.RGBLuminanceSource(new Uint8ClampedArray(luma), width, height)))).getText()
  } catch {
    return null
  }
}

async function readWithWasm(luma: Uint8Array, width: number, height: number): Promise<string | null> {
  const rgba = new Uint8ClampedArray(width * height * 4)
  for (let p = 0; p < luma.length; p++) rgba.fill(luma[p]!, 4 * p, 4 * p + 3).fill(255, 4 * p + 3, 4 * p + 4)
  const found = await readBarcodes({ data: rgba, width, height, colorSpace: 'srgb' } as ImageData, { formats: ['QRCode'], tryHarder: false })
  return found[0]?.text ?? null
}

describe("the camera's QR readers on the codes this system prints", () => {
  beforeAll(async () => {
    // the .wasm the kiosk bundle ships (page-bundles: the file loader copies this very file), read from disk here
    const wasm = readFileSync(createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm'))
    await prepareZXingModule({ overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) }, fireImmediately: true })
  })

  test('the known case: zxing-js reads nothing of this enrolment code at any size; the WebAssembly reader reads it at each', async () => {
    for (const maxSide of [150, 200, 250, 310, 400]) {
      const { width, height, luma } = qrLuma(UNREAD_BY_ZXING_JS, { maxSide })
      expect(readWithZxingJs(luma, width, height), `zxing-js at ${maxSide} px`).toBeNull()
      expect(await readWithWasm(luma, width, height), `wasm at ${maxSide} px`).toBe(UNREAD_BY_ZXING_JS)
    }
  })

  test.each(Object.keys(KINDS))('%s codes: the WebAssembly reader reads every one; the zxing-js misses are printed', async (kind) => {
    const misses: string[] = []
    for (let i = 0; i < PER_KIND; i++) {
      const text = KINDS[kind]!(i)
      const { width, height, luma } = qrLuma(text, { width: 800, height: 800 })
      expect(await readWithWasm(luma, width, height), text).toBe(text)
      if (readWithZxingJs(luma, width, height) !== text) misses.push(text)
    }
    console.info(`[qr-reader] ${kind}: zxing-js missed ${misses.length} of ${PER_KIND}`)
  })
})
