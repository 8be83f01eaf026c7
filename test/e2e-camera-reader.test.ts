// The camera's QR reader in Chromium (a fake camera showing a Y4M video of one code): Linux Chromium has no
// BarcodeDetector of its own, so html5-qrcode would decode with its zxing-js port alone, which cannot read some
// codes at all (test/kiosk-qr-reader.test.ts). With the WebAssembly reader the kiosk installs, the tablet reads
// such a code at once, under the page's CSP; with the .wasm unreachable it still reads the others (zxing-js goes on
// alone) and, as the control, not that one.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { type ServedApp, describeBrowser, launchBrowser, serveApp, watchProblems } from './_browser.ts'
import { qrY4m } from './_y4m.ts'

/** zxing-js reads nothing of this one (kiosk-qr-reader.test.ts checks that fact); the other it reads. */
const UNREAD_BY_ZXING_JS = 'custody-enrol:1DAE-8F0N-BFYW'
const READ_BY_BOTH = 'custody-enrol:41RY-9WR8-HCK7'
/** Fits html5-qrcode's 240 px box in the middle of the 420 px preview (as in e2e-kiosk-offline). */
const QR_SIDE = 310

describeBrowser("the camera's QR reader in Chromium (fake camera)", () => {
  let browser: Browser
  let served: ServedApp
  let dir: string
  let camera: string
  /** What the fake camera shows from its next start on (Chromium opens the file each time the camera starts). */
  const showToCamera = (text: string) => writeFileSync(camera, qrY4m(text, { maxSide: QR_SIDE, frames: 3 }))

  beforeAll(async () => {
    served = serveApp()
    dir = mkdtempSync(join(tmpdir(), 'custody-camera-'))
    camera = join(dir, 'camera.y4m')
    showToCamera(READ_BY_BOTH)
    browser = await launchBrowser(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${camera}`])
  }, 120_000)
  afterAll(async () => {
    await browser?.close()
    await served?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  /** Opens the unenrolled kiosk, starts its camera on `text` and returns what the code field holds after `ms`. */
  async function enrolScan(text: string, opts: { blockWasm: boolean; ms: number }) {
    // no service worker: what the page fetches goes to the network, where the test may refuse the .wasm
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'zh-CN', serviceWorkers: 'block' })
    const problems = await watchProblems(context)
    const wasmRequests: string[] = []
    await context.route('**/*.wasm', (route) => {
      wasmRequests.push(new URL(route.request().url()).pathname)
      return opts.blockWasm ? route.abort() : route.continue()
    })
    const page = await context.newPage()
    showToCamera(text)
    await page.goto(`${served.url}/kiosk`)
    await page.locator('#enrol-view').waitFor()
    await page.locator('#enrol-camera').click()
    const field = page.locator('#enrol-code')
    const expected = text.replace('custody-enrol:', '')
    await expect
      .poll(() => field.inputValue(), { timeout: opts.ms })
      .toBe(expected)
      .catch(() => undefined)
    const value = await field.inputValue()
    await context.close()
    return { value, expected, wasmRequests, problems }
  }

  test('a code zxing-js cannot read is read through the WebAssembly reader, fetched from this server, under the CSP', async () => {
    const r = await enrolScan(UNREAD_BY_ZXING_JS, { blockWasm: false, ms: 30_000 })
    expect(r.value).toBe(r.expected)
    expect(r.wasmRequests).toEqual([expect.stringMatching(/^\/assets\/zxing_reader-[a-z0-9]+\.wasm$/)])
    expect(r.problems.unexpected()).toEqual([]) // no CSP violation: WebAssembly compiles under 'wasm-unsafe-eval'
  })

  test('with the .wasm unreachable the camera still reads through zxing-js; the code only the WebAssembly reader reads stays unread', async () => {
    const readable = await enrolScan(READ_BY_BOTH, { blockWasm: true, ms: 30_000 })
    expect(readable.value).toBe(readable.expected)
    expect(readable.wasmRequests.length).toBeGreaterThan(0) // it was asked for, and refused
    expect(new Set(readable.wasmRequests).size).toBe(1) // from this server only, never from the package's default CDN
    expect(readable.problems.cspViolations).toEqual([])
    // the control: the same page without its WebAssembly reader does not read this code in 8 s (the reader above
    // read it in well under that), so the first test's read is the WebAssembly reader's doing
    const unread = await enrolScan(UNREAD_BY_ZXING_JS, { blockWasm: true, ms: 8_000 })
    expect(unread.value).toBe('')
  })
})
