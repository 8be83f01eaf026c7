// What the door kiosk holds and sends (docs/decisions/011-door-kiosk.md): the room package it downloads, the
// records it makes offline, and the context the kiosk shell gives each of its screens. The server's zod schemas
// (server/http/kiosk) describe the same shapes; test/kiosk-types.test.ts keeps the two from drifting apart.

export type Verdict =
  | 'admitted'
  | 'already_admitted'
  | 'wrong_room'
  | 'wrong_session'
  | 'not_on_roster'
  | 'forged'
  | 'revoked'
  | 'unknown_key'
  | 'malformed'
  | 'too_early'
  | 'too_late'
  | 'suspended'

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

/** A second person's confirmation on the device (the second invigilator, the examiner). */
export interface Confirmation {
  userId: string
  check: 'online' | 'offline'
  /** The server's token for an online confirmation. */
  token?: string
}

export type RecordKind = 'admission' | 'incident' | 'incident_confirm' | 'packet_open' | 'packet_recover' | 'score_sheet'

/** One record made on the kiosk; `signature` is the device's over everything else (canonical JSON). */
export interface KioskRecord<B = Record<string, unknown>> {
  id: string
  kind: RecordKind
  deviceId: string
  sessionId: string
  roomId: string
  userId: string
  madeAt: number
  online: boolean
  body: B
  signature: string
}

export interface SyncResult {
  id: string
  status: 'stored' | 'duplicate' | 'refused'
  flags: string[]
  code?: string
  message?: string
  messageEn?: string
}

/** What the kiosk shell hands each screen (door, incidents, packets, scores). */
export interface KioskContext {
  pkg: RoomPackage
  /** The person logged in on the kiosk. */
  user: { id: string; displayName: string }
  deviceId: string
  /** Makes, signs and queues a record; resolves once it is safely in IndexedDB (then the screen may say "recorded"). */
  record<B extends Record<string, unknown>>(kind: RecordKind, body: B): Promise<KioskRecord<B>>
  /** Asks a second person to confirm with their own username and password (online or against this device's verifier). */
  confirmPerson(purpose: 'packet_open' | 'incident_confirm' | 'score_sign', allowed: readonly string[]): Promise<Confirmation | null>
  /** Whether the last contact with the server worked. */
  online(): boolean
  /** Records of this kiosk (queued or synced) of one kind, newest last. */
  records(kind: RecordKind): Promise<KioskRecord[]>
}
