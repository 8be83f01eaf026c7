// A fake camera for browser tests: a Y4M video (what Chromium's --use-file-for-fake-video-capture reads) showing
// one QR code, black on white, centred. The QR matrix comes from the `qrcode` package; the raster is ours.
import QRCode from 'qrcode'

export interface Y4mOptions {
  width?: number
  height?: number
  /** Pixels per QR module (default: the largest that fits `maxSide`). */
  scale?: number
  /**
   * The code's largest side in pixels, quiet zone not counted (default: 85% of the frame less a quiet zone). A
   * camera scanner that reads only a box in the middle of its preview (html5-qrcode's `qrbox`) needs it smaller.
   */
  maxSide?: number
  frames?: number
}

/** The luma plane (one byte per pixel, 0 black … 255 white) of a frame showing `text` as a QR code. */
export function qrLuma(text: string, opts: Y4mOptions = {}): { width: number; height: number; luma: Uint8Array } {
  const width = opts.width ?? 640,
    height = opts.height ?? 480
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' })
  const n = qr.modules.size
  const scale = opts.scale ?? Math.max(2, Math.floor(opts.maxSide !== undefined ? opts.maxSide / n : (Math.min(width, height) * 0.85) / (n + 8)))
  const side = n * scale
  if (side > Math.min(width, height)) throw new RangeError(`a ${n}-module QR code does not fit ${width}x${height} at scale ${scale}`)
  const x0 = Math.floor((width - side) / 2),
    y0 = Math.floor((height - side) / 2)
  const luma = new Uint8Array(width * height).fill(255)
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      if (!qr.modules.get(r, c)) continue
      for (let dy = 0; dy < scale; dy++) luma.fill(0, (y0 + r * scale + dy) * width + x0 + c * scale, (y0 + r * scale + dy) * width + x0 + (c + 1) * scale)
    }
  }
  return { width, height, luma }
}

/** A Y4M file (4:2:0, 30 fps) whose every frame shows `text` as a QR code. */
export function qrY4m(text: string, opts: Y4mOptions = {}): Uint8Array {
  const { width, height, luma } = qrLuma(text, opts)
  const frames = opts.frames ?? 2
  const header = new TextEncoder().encode(`YUV4MPEG2 W${width} H${height} F30:1 Ip A1:1 C420jpeg\n`)
  const frameHeader = new TextEncoder().encode('FRAME\n')
  const chroma = new Uint8Array((width / 2) * (height / 2) * 2).fill(128) // grey: no colour
  const frameLength = frameHeader.length + luma.length + chroma.length
  const out = new Uint8Array(header.length + frames * frameLength)
  out.set(header, 0)
  for (let f = 0; f < frames; f++) {
    const at = header.length + f * frameLength
    out.set(frameHeader, at)
    out.set(luma, at + frameHeader.length)
    out.set(chroma, at + frameHeader.length + luma.length)
  }
  return out
}

/** The same frame as a binary PGM, for reading back with zbarimg in a test. */
export function qrPgm(text: string, opts: Y4mOptions = {}): Uint8Array {
  const { width, height, luma } = qrLuma(text, opts)
  const header = new TextEncoder().encode(`P5\n${width} ${height}\n255\n`)
  const out = new Uint8Array(header.length + luma.length)
  out.set(header)
  out.set(luma, header.length)
  return out
}
