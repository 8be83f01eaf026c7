// What the door kiosk holds and sends (docs/decisions/011-door-kiosk.md): the room package it downloads, the
// records it makes offline, and the context the kiosk shell gives each of its screens. The package and the record
// are the domain's types (server/domain/kiosk, type-only: nothing of the server reaches the bundle); the server's zod
// schemas (server/http/kiosk) describe the same shapes, and test/kiosk-package.test.ts keeps them from drifting apart.

import type { KioskRecord, RecordKind, RoomPackage } from '../../server/domain/kiosk/index.ts'

export type { KioskRecord, RecordKind, RoomPackage, RosterEntry } from '../../server/domain/kiosk/index.ts'

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

/** A second person's confirmation on the device (the second invigilator, the examiner). */
export interface Confirmation {
  userId: string
  check: 'online' | 'offline'
  /** The server's token for an online confirmation. */
  token?: string
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
