// The camera half of the packet scanner (_scanner.ts loads this bundle on demand): html5-qrcode, bundled
// from the package (no CDN: the CSP allows scripts from this server only), reading QR codes only.
import { Html5Qrcode, Html5QrcodeSupportedFormats } from 'html5-qrcode'
import type { CameraScan } from './_scanner.ts'

export async function startCamera(elementId: string, onText: (text: string) => void): Promise<CameraScan> {
  const reader = new Html5Qrcode(elementId, { verbose: false, formatsToSupport: [Html5QrcodeSupportedFormats.QR_CODE] })
  let last = ''
  await reader.start(
    { facingMode: 'environment' },
    { fps: 10, qrbox: { width: 240, height: 240 } },
    (text) => {
      if (text === last) return // the same label stays in view for many frames
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
