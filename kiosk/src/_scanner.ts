// Reading a packet's QR code (its label says `CUSTODY-PACKET:<id>`) two ways: a handheld scanner, which types
// the code into the focused field and presses Enter, or this device's camera through html5-qrcode. The camera
// code (~0.9 MB with its decoder) is a chunk of its own, loaded only when someone asks for the camera.

/** The text a packet label's QR code carries before the packet id (server/http label route). */
export const PACKET_QR_PREFIX = 'CUSTODY-PACKET:'
const ID = /^[A-Za-z0-9][A-Za-z0-9_-]{2,63}$/

/**
 * The packet id in a scanned or typed text, or null: `packetIdFrom('CUSTODY-PACKET:pk-1')` → `'pk-1'`; a bare id
 * is accepted too (a label read out by hand). Scanners may add spaces or change case of the prefix.
 */
export function packetIdFrom(text: string): string | null {
  let t = text.trim()
  if (t.toUpperCase().startsWith(PACKET_QR_PREFIX)) t = t.slice(PACKET_QR_PREFIX.length).trim()
  return ID.test(t) ? t : null
}

/**
 * A text field a handheld scanner types into: Enter (which scanners send after the code) hands over what
 * was typed and clears the field for the next packet.
 */
export function watchScanField(input: HTMLInputElement, onText: (text: string) => void): void {
  input.addEventListener('keydown', (ev) => {
    if (ev.key !== 'Enter' || ev.isComposing) return
    ev.preventDefault()
    const text = input.value
    input.value = ''
    if (text.trim() !== '') onText(text)
  })
}

/** A running camera scan; stop() releases the camera. */
export interface CameraScan {
  stop(): Promise<void>
}
interface CameraModule {
  startCamera(elementId: string, onText: (text: string) => void, opts?: { repeatAfterMs?: number }): Promise<CameraScan>
}

/**
 * Starts the camera in the element with this id and calls `onText` with each QR code it reads. Rejects with a
 * message when there is no camera or the person refused it (the field still works).
 */
export async function startCamera(elementId: string, onText: (text: string) => void, opts: { repeatAfterMs?: number } = {}): Promise<CameraScan> {
  // A chunk of its own (the bundler splits dynamic imports out), fetched from this server (CSP) on first use.
  const mod: CameraModule = await import('./custody-camera.ts')
  return mod.startCamera(elementId, onText, opts)
}
