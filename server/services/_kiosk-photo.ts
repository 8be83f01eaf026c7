/**
 * Candidate photos for the door kiosk's roster (decision 011): at most 240 px high, JPEG, as a data URL. Stored
 * photos are JPEG or PNG of 240×320 px and up (R3.1), so most are scaled down; a box filter (each output pixel the
 * mean of the input pixels it covers) is enough for a face on a tablet. Pure JavaScript codecs (pngjs, jpeg-js):
 * no native image library to install. EXIF orientation is not applied (registration's photos are upright).
 */
import jpeg from 'jpeg-js'
import { PNG } from 'pngjs'

export const ROSTER_PHOTO_MAX_HEIGHT = 240
const QUALITY = 70

interface Rgba {
  width: number
  height: number
  data: Uint8Array
}

function decode(bytes: Uint8Array, type: string): Rgba {
  if (type === 'image/png' || (bytes[0] === 0x89 && bytes[1] === 0x50)) {
    const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))
    return { width: png.width, height: png.height, data: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) }
  }
  const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 256 })
  return { width: img.width, height: img.height, data: img.data }
}

/** Box-filter downscale of RGBA pixels to `height` rows (never up). */
export function scaleDown(img: Rgba, height: number): Rgba {
  if (img.height <= height) return img
  const h = height
  const w = Math.max(1, Math.round((img.width * h) / img.height))
  const out = new Uint8Array(w * h * 4)
  const sx = img.width / w,
    sy = img.height / h
  for (let y = 0; y < h; y++) {
    const y0 = Math.floor(y * sy),
      y1 = Math.max(y0 + 1, Math.floor((y + 1) * sy))
    for (let x = 0; x < w; x++) {
      const x0 = Math.floor(x * sx),
        x1 = Math.max(x0 + 1, Math.floor((x + 1) * sx))
      let r = 0,
        g = 0,
        b = 0,
        n = 0
      for (let yy = y0; yy < y1; yy++) {
        let i = (yy * img.width + x0) * 4
        for (let xx = x0; xx < x1; xx++, i += 4) {
          r += img.data[i]!
          g += img.data[i + 1]!
          b += img.data[i + 2]!
          n++
        }
      }
      const o = (y * w + x) * 4
      out[o] = r / n
      out[o + 1] = g / n
      out[o + 2] = b / n
      out[o + 3] = 255
    }
  }
  return { width: w, height: h, data: out }
}

/** A stored photo as the roster carries it: `data:image/jpeg;base64,…`, at most 240 px high; null if it cannot be read. */
export function rosterPhoto(bytes: Uint8Array, type: string): string | null {
  try {
    const img = scaleDown(decode(bytes, type), ROSTER_PHOTO_MAX_HEIGHT)
    const out = jpeg.encode({ data: img.data, width: img.width, height: img.height }, QUALITY)
    return `data:image/jpeg;base64,${Buffer.from(out.data).toString('base64')}`
  } catch {
    return null
  }
}
