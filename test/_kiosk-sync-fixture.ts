/**
 * A door-kiosk world for the sync and package tests: the custody world (a theory session, rooms 101 and 102 with
 * two invigilators each, paper A's packets), candidates seated in both rooms with live tickets, and an enrolled
 * tablet whose key signs requests and records the way the browser does (WebCrypto ECDSA P-256).
 */
import { randomUUID } from 'node:crypto'
import { sha256, toBase64, toHex } from '../crypto/index.ts'
import { RoomsStore } from '../server/db/rooms-store.ts'
import { DEVICE_HEADER, DEVICE_SIGNATURE_HEADER, DEVICE_TIME_HEADER } from '../server/http/kiosk-devices/index.ts'
import { deviceRequestMessage, recordMessage } from '../server/services/kiosk-devices.ts'
import type { KioskRecordIn } from '../server/services/kiosk-sync.ts'
import { ORIGIN, type TestApp, makeTestApp } from './_app.ts'
import { type CustodyWorld, type Person, custodyWorld } from './_custody-packets.ts'
import { type FixtureCandidate, addCandidates } from './_rooms-fixture.ts'

const subtle = globalThis.crypto.subtle
const ECDSA = { name: 'ECDSA', hash: 'SHA-256' } as const

export interface Tablet {
  deviceId: string
  sign(m: Uint8Array): Promise<Uint8Array>
}

export async function enrolTablet(app: TestApp, admin: Person, siteId: string, label = '101 门口'): Promise<Tablet> {
  const pair = await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify'])
  const raw = new Uint8Array(await subtle.exportKey('raw', pair.publicKey))
  const open = await app.call('POST', '/api/kiosk/enrolments', { cookie: admin.cookie, body: { siteId, label } })
  if (open.status !== 201) throw new Error(`enrolment: ${open.status} ${await open.text()}`)
  const { code } = (await open.json()) as { code: string }
  const res = await app.call('POST', '/api/kiosk/devices', { body: { code, publicKey: toBase64(raw), label } })
  if (res.status !== 201) throw new Error(`enrol: ${res.status} ${await res.text()}`)
  const { deviceId } = (await res.json()) as { deviceId: string }
  return { deviceId, sign: async (m) => new Uint8Array(await subtle.sign(ECDSA, pair.privateKey, m as BufferSource)) }
}

export interface KioskWorld extends CustodyWorld {
  app: TestApp
  siteId: string
  tablet: Tablet
  /** Seated with live tickets: 101 gets the first four, 102 the rest. */
  candidates: Array<FixtureCandidate & { roomId: string; seat: number; ticket: string }>
}

export async function kioskWorld(opts: { candidates?: number; in101?: number } = {}): Promise<KioskWorld> {
  const app = makeTestApp()
  const w = await custodyWorld(app)
  const db = app.services.db
  const siteId = db.query<{ site_id: string }, [string]>('SELECT site_id FROM rooms WHERE id = ?').get(w.rooms.r101)!.site_id
  const n = opts.candidates ?? 6
  const in101 = opts.in101 ?? 4
  const made = addCandidates(app, w.batchId, n)
  const seats = made.map((c, i) => ({ candidateId: c.id, roomId: i < in101 ? w.rooms.r101 : w.rooms.r102, seat: i < in101 ? i + 1 : i - in101 + 1 }))
  new RoomsStore(db).replaceSeats({ id: randomUUID(), exam_session_id: w.sessionId, seed: 'test', keep_ticketed: 0, created_at: app.clock.now }, seats)
  const issued = app.services.tickets.issue(
    { system: 'test' },
    w.sessionId,
    made.map((c) => c.id),
  )
  if (!issued.ok) throw new Error(issued.error.code)
  const ticketOf = new Map(issued.value.issued.map((t) => [t.candidateId, t.number]))
  const tablet = await enrolTablet(app, w.admin, siteId)
  return {
    ...w,
    app,
    siteId,
    tablet,
    candidates: made.map((c, i) => ({ ...c, roomId: seats[i]!.roomId, seat: seats[i]!.seat, ticket: ticketOf.get(c.id)! })),
  }
}

/** A request signed by the tablet (headers of decision 011), with the person's login cookie. */
export async function signedCall(
  app: TestApp,
  tablet: Tablet,
  method: string,
  path: string,
  opts: { cookie?: string; body?: unknown } = {},
): Promise<Response> {
  const body = opts.body === undefined ? '' : JSON.stringify(opts.body)
  const time = app.clock.now
  const signature = await tablet.sign(deviceRequestMessage({ method, pathWithQuery: path, time, body: new TextEncoder().encode(body) }))
  const headers: Record<string, string> = {
    Origin: ORIGIN,
    [DEVICE_HEADER]: tablet.deviceId,
    [DEVICE_TIME_HEADER]: String(time),
    [DEVICE_SIGNATURE_HEADER]: toBase64(signature),
  }
  if (opts.cookie) headers.Cookie = opts.cookie
  if (body) headers['Content-Type'] = 'application/json'
  return app.app.request(`${ORIGIN}${path}`, { method, headers, body: body || undefined })
}

/** A record made and signed on the tablet. */
export async function makeRecord(
  tablet: Tablet,
  r: Omit<KioskRecordIn, 'id' | 'deviceId' | 'signature' | 'online'> & { id?: string; online?: boolean; deviceId?: string },
): Promise<KioskRecordIn> {
  const unsigned = { id: r.id ?? randomUUID(), deviceId: r.deviceId ?? tablet.deviceId, online: r.online ?? false, ...r }
  const record = { ...unsigned, signature: '' } as KioskRecordIn
  const { signature: _, ...rest } = record
  record.signature = toBase64(await tablet.sign(recordMessage(rest)))
  return record
}

export const hashHex = (s: string): string => toHex(sha256(new TextEncoder().encode(s)))
