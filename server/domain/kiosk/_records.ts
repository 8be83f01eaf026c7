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

/** What the content hash covers: everything the device signed except the signature itself. */
export function hashedPart(r: {
  id: string
  kind: string
  deviceId: string
  sessionId: string
  roomId: string
  userId: string
  madeAt: number
  online: boolean
  body: Record<string, unknown>
}): Record<string, unknown> {
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
