/**
 * The room package a door kiosk downloads for one session and room (decision 011): what the door needs offline.
 * The one definition: the sync service builds it, the kiosk (kiosk/src/_kiosk-types.ts) holds it, and the zod schema in
 * server/http/kiosk validates it at the edge (test/kiosk-package.test.ts keeps the schema and this type equal).
 */

export interface RosterEntry {
  ticketNumber: string
  candidateId: string
  name: string
  seat: number
  /** The ticket's identity bytes (hex, docs/ticket-format.md): a typed ticket number is ID-checked against them. */
  identity: string
  /** data:image/jpeg;base64,… scaled for the screen, or null when the candidate has no photo. */
  photo: string | null
}

export interface RoomPackage {
  version: 1
  generatedAt: number
  session: {
    id: string
    subject: string
    batch: string
    startsAt: number
    endsAt: number
    doorsOpenAt: number
    lateUntil: number
    status: 'scheduled' | 'suspended' | 'completed'
  }
  site: { id: string; name: string }
  room: { id: string; name: string }
  rooms: Array<{ id: string; name: string }>
  roster: RosterEntry[]
  keys: Array<{ keyId: string; publicKey: string }>
  revocations: { note: string; numbers: string[] }
  packets: Array<{ id: string; label: string; paper: string; state: string; copyFirst: number; copyLast: number }>
  staff: Array<{ userId: string; displayName: string; duty: 'invigilator' | 'examiner' }>
  admissions: Array<{ ticketNumber: string; at: number; door: string }>
  scoreItems: Array<{ id: string; name: string; max: number }>
}
