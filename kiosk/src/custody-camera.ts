// The camera half of the packet scanner (_scanner.ts loads this bundle on demand): html5-qrcode, bundled
// from the package (no CDN: the CSP allows scripts from this server only), reading QR codes only.
//
// html5-qrcode decodes with the browser's BarcodeDetector where there is one (Android, macOS, ChromeOS) and with
// its bundled zxing-js port otherwise. That port cannot read some perfectly printed codes at all, at any size:
// about 3 % of enrolment codes, 5 % of packet labels, 15 % of admission tickets and certificate links
// (test/kiosk-qr-reader.test.ts), the same code failing every frame. So where the browser has no detector
// for QR codes (iPadOS Safari, Windows and Linux Chrome), html5-qrcode is given one: the barcode-detector
// package's BarcodeDetector, ZXing-C++ compiled to WebAssembly, whose .wasm this server serves next to the
// chunks (no CDN) and the kiosk's service worker keeps for offline doors. html5-qrcode then takes turns between
// it and zxing-js, frame by frame; if the .wasm cannot load, zxing-js alone still reads most codes.
import { BarcodeDetector as ZXingBarcodeDetector, prepareZXingModule, purgeZXingModule } from 'barcode-detector/ponyfill'
import { Html5Qrcode, Html5QrcodeSupportedFormats } from 'html5-qrcode'
import readerWasm from 'zxing-wasm/reader/zxing_reader.wasm'
import type { CameraScan } from './_scanner.ts'

interface DetectorClass {
  getSupportedFormats(): Promise<string[]>
}

/** The module's overrides, one object: zxing-wasm reuses a loaded module while the overrides stay the same. */
const WASM_OVERRIDES = {
  locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? new URL(readerWasm, import.meta.url).href : prefix + path),
}
/** The WebAssembly reader's loading, once per page; forgotten when it failed, so the next camera start tries again. */
let loading: Promise<unknown> | null = null

/** Installs the WebAssembly QR reader as the page's BarcodeDetector unless the browser has one that reads QR codes. */
async function ensureQrDetector(): Promise<void> {
  const scope = globalThis as { BarcodeDetector?: DetectorClass }
  const present = scope.BarcodeDetector
  if (present && present !== (ZXingBarcodeDetector as unknown) && (await present.getSupportedFormats().catch((): string[] => [])).includes('qr_code')) return
  scope.BarcodeDetector = ZXingBarcodeDetector as unknown as DetectorClass
  // Loaded now, while the camera starts, rather than at the first frame; a failure leaves zxing-js reading alone.
  loading ??= prepareZXingModule({ overrides: WASM_OVERRIDES, fireImmediately: true }).catch((err: unknown) => {
    loading = null
    // zxing-wasm would keep handing out the failed load; purging also drops the overrides (its default is a CDN,
    // which the CSP refuses), so they are set again, to load on the next try
    purgeZXingModule()
    prepareZXingModule({ overrides: WASM_OVERRIDES })
    console.warn('[camera] the WebAssembly QR reader did not load; the built-in reader goes on alone', err)
  })
}

/**
 * `repeatAfterMs`: the same code read again after this long counts as a new read (the door rescans one ticket);
 * without it a code repeats only after another code was read (a packet label stays in view).
 */
export async function startCamera(elementId: string, onText: (text: string) => void, opts: { repeatAfterMs?: number } = {}): Promise<CameraScan> {
  await ensureQrDetector()
  const reader = new Html5Qrcode(elementId, {
    verbose: false,
    formatsToSupport: [Html5QrcodeSupportedFormats.QR_CODE],
    // The page's BarcodeDetector (the browser's, or the WebAssembly one above), taking turns with zxing-js.
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
