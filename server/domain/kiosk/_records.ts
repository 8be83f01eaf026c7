/**
 * Records arriving from a door kiosk (decision 011, "Records and sync"): idempotent by the client's id alone.
 * The same id with the same content is a duplicate and changes nothing; the same id with other content is
 * refused, never merged into what is stored.
 */

export const RECORD_KINDS = ['admission', 'incident', 'incident_confirm', 'packet_open', 'packet_recover', 'score_sheet'] as const
export type RecordKind = (typeof RECORD_KINDS)[number]

export type Arrival = 'new' | 'duplicate' | 'reused'

/** What a record with this content hash is, given what is stored under its id (null: nothing). */
export function classifyArrival(stored: { bodyHash: string } | null, bodyHash: string): Arrival {
  if (stored === null) return 'new'
  return stored.bodyHash === bodyHash ? 'duplicate' : 'reused'
}

/**
 * One record made on a door kiosk; `signature` is the device's over everything else (canonical JSON). The kiosk
 * makes records of a known kind (`K`); the server receives any string and refuses a kind it has no handler for.
 */
export interface KioskRecord<B = Record<string, unknown>, K extends string = RecordKind> {
  id: string
  kind: K
  deviceId: string
  sessionId: string
  roomId: string
  userId: string
  madeAt: number
  online: boolean
  body: B
  signature: string
}

/** A record as the server receives it (after the route's schema, before the sync service's checks). */
export type ReceivedRecord = KioskRecord<Record<string, unknown>, string>

/** What the content hash covers: everything the device signed except the signature itself. */
export function hashedPart(r: Omit<ReceivedRecord, 'signature'>): Record<string, unknown> {
  return {
    id: r.id,
    kind: r.kind,
    deviceId: r.deviceId,
    sessionId: r.sessionId,
    roomId: r.roomId,
    userId: r.userId,
    madeAt: r.madeAt,
    online: r.online,
    body: r.body,
  }
}
