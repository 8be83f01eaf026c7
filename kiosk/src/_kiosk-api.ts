// The door kiosk's calls (docs/decisions/011-door-kiosk.md) on the one typed client in _client.ts, and the network
// state the status bar shows: it is never a switch, only what was seen — navigator.onLine, every call that reached
// the server or failed to, and a periodic ping (GET /api/session).
import { ApiError, type JsonOf, type OutputOf, type SessionUser, type Signer, api } from './_client.ts'
import { requestHeaders } from './_kiosk-device.ts'
import type { KioskRecord, RoomPackage, SyncResult } from './_kiosk-types.ts'

export type Assignment = OutputOf<'GET /api/me/assignments'>['assignments'][number]
export type EnrolAnswer = OutputOf<'POST /api/kiosk/devices'>
export type SessionInfo = SessionUser
export interface DeviceKey {
  deviceId: string
  privateKey: CryptoKey
}

/** What the kiosk knows of its connection: changes come from real calls, never from a button. */
export class NetState {
  private up = typeof navigator === 'undefined' ? true : navigator.onLine
  private readonly listeners = new Set<(online: boolean) => void>()

  constructor() {
    if (typeof window !== 'undefined') {
      window.addEventListener('offline', () => this.set(false))
      // The browser's "online" only means a network exists: the next call or ping decides.
    }
  }
  get online(): boolean {
    return this.up
  }
  set(online: boolean): void {
    if (online === this.up) return
    this.up = online
    for (const l of this.listeners) l(online)
  }
  onChange(l: (online: boolean) => void): void {
    this.listeners.add(l)
  }
  /** Runs a call and notes what it says about the connection (any answer from the server means online). */
  async track<R>(work: () => Promise<R>): Promise<R> {
    try {
      const r = await work()
      this.set(true)
      return r
    } catch (err) {
      if (err instanceof ApiError) this.set(err.code !== 'network.unreachable' && err.status < 502)
      else this.set(false)
      throw err
    }
  }
}

/**
 * The device's signature over a request (Custody-Device, -Time, -Signature): the client hands over the exact body
 * bytes it sends; they are the UTF-8 of the JSON text it made, so decoding them gives that text back unchanged.
 */
const signedBy =
  (device: DeviceKey): Signer =>
  (method, pathWithQuery, body) =>
    requestHeaders(device, method, pathWithQuery, new TextDecoder('utf-8', { fatal: true }).decode(body), Date.now())

/** The kiosk's calls; each goes through `net` so the status bar follows what happened. */
export function kioskApi(net: NetState) {
  return {
    enrol: (code: string, publicKey: string, label: string) => net.track(() => api('POST /api/kiosk/devices', { json: { code, publicKey, label } })),
    session: () => net.track(() => api('GET /api/session')),
    login: (username: string, password: string) => net.track(() => api('POST /api/session', { json: { username, password } })),
    logout: () => net.track(() => api('DELETE /api/session')),
    assignments: () => net.track(() => api('GET /api/me/assignments')),
    package: (device: DeviceKey, session: string, room: string): Promise<RoomPackage> =>
      net.track(() => api('GET /api/kiosk/package', { query: { session, room }, sign: signedBy(device) })),
    sync: (device: DeviceKey, records: KioskRecord[]): Promise<{ results: SyncResult[] }> =>
      net.track(() => api('POST /api/kiosk/sync', { json: { records }, sign: signedBy(device) })),
    confirm: (device: DeviceKey, username: string, password: string, purpose: JsonOf<'POST /api/kiosk/confirmations'>['purpose']) =>
      net.track(() => api('POST /api/kiosk/confirmations', { json: { username, password, purpose }, sign: signedBy(device) })),
  }
}
export type KioskApi = ReturnType<typeof kioskApi>
