/**
 * Candidate photo checks (R3.1 stores the photo; R3.4 prints it on the ticket; R6.2 shows it at the door).
 * The headers are really parsed, not sniffed: a PNG's chunks are walked with their CRCs checked (PNG
 * spec §5.3, §11.2.2) and a JPEG's segments are walked through the scans to the EOI marker (ITU T.81
 * §B.1), so a truncated or damaged upload is refused here rather than showing as a broken image later.
 * Pixels are not decoded.
 */
import { ok, refuse } from '../_result.ts'
import type { Result } from '../_result.ts'
import { crc32 } from './_checksums.ts'

export type PhotoLimits = { maxBytes: number; minWidth: number; minHeight: number; maxWidth: number; maxHeight: number }
export const DEFAULT_PHOTO_LIMITS: PhotoLimits = { maxBytes: 2_000_000, minWidth: 240, minHeight: 320, maxWidth: 4000, maxHeight: 4000 }

export type PhotoInfo = {
  format: 'jpeg' | 'png'
  /** As displayed: a JPEG whose EXIF orientation turns it a quarter has its stored width and height swapped. */
  width: number
  height: number
}

export type PhotoError = { message: string; messageEn: string } & (
  | { code: 'photo.format'; detected?: string }
  | { code: 'photo.too_large'; bytes: number; maxBytes: number }
  | { code: 'photo.dimensions'; width: number; height: number }
  | { code: 'photo.corrupt'; reason: string }
)

/**
 * Accept a JPEG or PNG photo within the size and dimension limits.
 * Example: inspectPhoto(makeDemoPhotoPng(240, 320, 1)) → ok { format: 'png', width: 240, height: 320 }
 */
export function inspectPhoto(bytes: Uint8Array, limits: Partial<PhotoLimits> = {}): Result<PhotoInfo, PhotoError> {
  const l = { ...DEFAULT_PHOTO_LIMITS, ...limits }
  if (bytes.length > l.maxBytes) {
    return refuse({
      code: 'photo.too_large',
      bytes: bytes.length,
      maxBytes: l.maxBytes,
      message: `照片文件过大（${kb(bytes.length)}），不能超过${kb(l.maxBytes)}`,
      messageEn: `The photo file is too large (${kb(bytes.length)}); the limit is ${kb(l.maxBytes)}`,
    })
  }
  let parsed: PhotoInfo | PhotoError
  if (startsWith(bytes, PNG_SIGNATURE)) parsed = inspectPng(bytes)
  else if (startsWith(bytes, [0xff, 0xd8, 0xff])) parsed = inspectJpeg(bytes)
  else {
    const detected = sniffOther(bytes)
    return refuse({
      code: 'photo.format',
      ...(detected !== undefined && { detected }),
      message: `照片须为JPEG或PNG格式${detected ? `（此文件是${detected}）` : ''}`,
      messageEn: `The photo must be a JPEG or PNG${detected ? ` (this file is ${detected})` : ''}`,
    })
  }
  if ('code' in parsed) return refuse(parsed)

  const { width, height } = parsed
  if (width < l.minWidth || height < l.minHeight || width > l.maxWidth || height > l.maxHeight) {
    return refuse({
      code: 'photo.dimensions',
      width,
      height,
      message: `照片为${width}×${height}像素，宽应在${l.minWidth}–${l.maxWidth}、高应在${l.minHeight}–${l.maxHeight}像素之间`,
      messageEn: `The photo is ${width}×${height} pixels; width must be ${l.minWidth}–${l.maxWidth} and height ${l.minHeight}–${l.maxHeight}`,
    })
  }
  return ok(parsed)
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] as const

function corrupt(reason: string): PhotoError {
  return {
    code: 'photo.corrupt',
    reason,
    message: `照片文件已损坏或不完整（${reason}），请重新导出或重新拍摄`,
    messageEn: `The photo file is damaged or incomplete (${reason}); export or take it again`,
  }
}

// PNG §11.2.2: allowed bit depths per colour type.
const PNG_BIT_DEPTHS: Record<number, readonly number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] }

function inspectPng(bytes: Uint8Array): PhotoInfo | PhotoError {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let pos = 8
  let width = 0
  let height = 0
  let colourType = -1
  let sawPalette = false
  let sawData = false
  for (let index = 0; ; index++) {
    if (pos + 12 > bytes.length) return corrupt(index === 0 ? 'no IHDR' : 'truncated, no IEND')
    const length = view.getUint32(pos)
    if (length > 0x7fffffff || pos + 12 + length > bytes.length) return corrupt('truncated chunk')
    const type = String.fromCharCode(...bytes.subarray(pos + 4, pos + 8))
    if (!/^[A-Za-z]{4}$/.test(type)) return corrupt('bad chunk type')
    if (crc32(bytes.subarray(pos + 4, pos + 8 + length)) !== view.getUint32(pos + 8 + length)) return corrupt(`${type} CRC mismatch`)
    const data = pos + 8
    pos += 12 + length

    if (index === 0) {
      if (type !== 'IHDR' || length !== 13) return corrupt('first chunk is not IHDR')
      width = view.getUint32(data)
      height = view.getUint32(data + 4)
      const bitDepth = bytes[data + 8]!
      colourType = bytes[data + 9]!
      const [compression, filter, interlace] = [bytes[data + 10], bytes[data + 11], bytes[data + 12]]
      if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff) return corrupt('zero or huge dimensions')
      if (!PNG_BIT_DEPTHS[colourType]?.includes(bitDepth)) return corrupt('bad bit depth or colour type')
      if (compression !== 0 || filter !== 0 || (interlace !== 0 && interlace !== 1)) return corrupt('bad IHDR method')
      continue
    }
    if (type === 'IHDR') return corrupt('second IHDR')
    if (type === 'PLTE') sawPalette = true
    else if (type === 'IDAT') sawData = true
    else if (type === 'IEND') {
      if (length !== 0) return corrupt('IEND with data')
      if (!sawData) return corrupt('no image data')
      if (colourType === 3 && !sawPalette) return corrupt('palette image without PLTE')
      // Bytes after IEND are tolerated: some tools append metadata, and nothing reads them.
      return { format: 'png', width, height }
    }
    // An unknown critical chunk (upper-case first letter) means the image cannot be shown (PNG §5.4).
    else if (type.charCodeAt(0) < 0x61) return corrupt(`unknown critical chunk ${type}`)
  }
}

// T.81 Table B.1: SOF0 baseline, SOF1 extended sequential, SOF2 progressive (Huffman) are what browsers
// decode; lossless, hierarchical and arithmetic-coded frames are refused as a format.
const SUPPORTED_SOF = new Set([0xc0, 0xc1, 0xc2])
const OTHER_SOF = new Set([0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf])

function inspectJpeg(bytes: Uint8Array): PhotoInfo | PhotoError {
  const n = bytes.length
  let pos = 2
  let frame: { width: number; height: number } | undefined
  let orientation = 1
  let sawScan = false
  for (;;) {
    if (pos >= n) return corrupt('truncated, no EOI')
    if (bytes[pos] !== 0xff) return corrupt('expected a marker')
    while (pos < n && bytes[pos] === 0xff) pos++ // fill bytes (T.81 §B.1.1.2)
    if (pos >= n) return corrupt('truncated, no EOI')
    const marker = bytes[pos++]!
    if (marker === 0xd9) break // EOI
    if (marker === 0xd8 || marker === 0x00) return corrupt('unexpected marker')
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) continue // parameterless
    if (pos + 2 > n) return corrupt('truncated segment')
    const length = (bytes[pos]! << 8) | bytes[pos + 1]!
    if (length < 2 || pos + length > n) return corrupt('truncated segment')
    const body = bytes.subarray(pos + 2, pos + length)
    pos += length

    if (SUPPORTED_SOF.has(marker)) {
      if (frame) return corrupt('two frames')
      const components = body[5] ?? 0
      if (body.length < 6 || body.length !== 6 + 3 * components || ![1, 3, 4].includes(components)) return corrupt('bad frame header')
      const height = (body[1]! << 8) | body[2]!
      const width = (body[3]! << 8) | body[4]!
      // Height 0 defers it to a DNL marker after the first scan, which browsers do not support.
      if (width === 0 || height === 0) return corrupt('frame without dimensions')
      frame = { width, height }
    } else if (OTHER_SOF.has(marker)) {
      return {
        code: 'photo.format',
        detected: 'JPEG (lossless/hierarchical/arithmetic)',
        message: '不支持这种JPEG编码（无损、分层或算术编码），请另存为普通JPEG',
        messageEn: 'This JPEG coding (lossless, hierarchical or arithmetic) is not supported; save it as an ordinary JPEG',
      }
    } else if (marker === 0xe1 && !frame) {
      orientation = exifOrientation(body) ?? orientation
    } else if (marker === 0xda) {
      if (!frame) return corrupt('scan before frame header')
      sawScan = true
      // Entropy-coded data runs to the next marker that is not a stuffed 0xFF00 or a restart marker.
      for (;;) {
        const ff = bytes.indexOf(0xff, pos)
        if (ff === -1 || ff + 1 >= n) return corrupt('truncated, no EOI')
        const next = bytes[ff + 1]!
        if (next === 0x00 || (next >= 0xd0 && next <= 0xd7)) {
          pos = ff + 2
          continue
        }
        if (next === 0xff) {
          pos = ff + 1
          continue
        }
        pos = ff
        break
      }
    }
  }
  if (!frame) return corrupt('no frame header')
  if (!sawScan) return corrupt('no image data')
  // Orientations 5–8 (EXIF 2.3 §4.6.4) turn the image a quarter; browsers honour them when displaying.
  const turned = orientation >= 5 && orientation <= 8
  return { format: 'jpeg', width: turned ? frame.height : frame.width, height: turned ? frame.width : frame.height }
}

/** The Orientation tag (0x0112) of IFD0 in an APP1 Exif body; undefined when absent or malformed (metadata is not grounds to refuse). */
function exifOrientation(app1: Uint8Array): number | undefined {
  if (app1.length < 14 || String.fromCharCode(...app1.subarray(0, 6)) !== 'Exif\0\0') return undefined
  const tiff = new DataView(app1.buffer, app1.byteOffset + 6, app1.byteLength - 6)
  const order = tiff.getUint16(0)
  if (order !== 0x4949 && order !== 0x4d4d) return undefined
  const little = order === 0x4949
  if (tiff.getUint16(2, little) !== 42) return undefined
  const ifd = tiff.getUint32(4, little)
  if (ifd + 2 > tiff.byteLength) return undefined
  const count = tiff.getUint16(ifd, little)
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + 12 * i
    if (entry + 12 > tiff.byteLength) return undefined
    if (tiff.getUint16(entry, little) === 0x0112 && tiff.getUint16(entry + 2, little) === 3) {
      const value = tiff.getUint16(entry + 8, little)
      return value >= 1 && value <= 8 ? value : undefined
    }
  }
  return undefined
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b)
}

function sniffOther(bytes: Uint8Array): string | undefined {
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to))
  if (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a') return 'GIF'
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'WebP'
  if (ascii(0, 2) === 'BM') return 'BMP'
  if (ascii(4, 8) === 'ftyp' && /^(heic|heix|mif1|hevc)$/.test(ascii(8, 12))) return 'HEIC'
  if (ascii(0, 4) === '%PDF') return 'PDF'
  return undefined
}

function kb(bytes: number): string {
  return bytes >= 1_000_000 ? `${(bytes / 1_000_000).toFixed(1)} MB` : `${Math.ceil(bytes / 1000)} KB`
}
