// The camera half of the packet scanner (_scanner.ts loads this bundle on demand): html5-qrcode, bundled
// from the package (no CDN: the CSP allows scripts from this server only), reading QR codes only.
import { Html5Qrcode, Html5QrcodeSupportedFormats } from 'html5-qrcode'
import type { CameraScan } from './_scanner.ts'

/**
 * `repeatAfterMs`: the same code read again after this long counts as a new read (the door rescans one ticket);
 * without it a code repeats only after another code was read (a packet label stays in view).
 */
export async function startCamera(elementId: string, onText: (text: string) => void, opts: { repeatAfterMs?: number } = {}): Promise<CameraScan> {
  const reader = new Html5Qrcode(elementId, {
    verbose: false,
    formatsToSupport: [Html5QrcodeSupportedFormats.QR_CODE],
    // The browser's own BarcodeDetector where there is one (faster on tablets); the bundled decoder otherwise.
    useBarCodeDetectorIfSupported: true,
  })
  let last = ''
  let lastAt = 0
  await reader.start(
    { facingMode: 'environment' },
    { fps: 10, qrbox: { width: 240, height: 240 } },
    (text) => {
      const now = Date.now()
      const seenAt = lastAt
      lastAt = now
      // the same code stays in view for many frames: a repeat only once it left the view for repeatAfterMs
      if (text === last && (opts.repeatAfterMs === undefined || now - seenAt < opts.repeatAfterMs)) return
      last = text
      onText(text)
    },
    () => {}, // "no code in this frame": the normal case between reads
  )
  return {
    async stop() {
      if (reader.isScanning) await reader.stop()
      reader.clear()
    },
  }
}
