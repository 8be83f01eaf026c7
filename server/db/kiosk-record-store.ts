import type { Database, Statement } from 'bun:sqlite'
import type { ReceivedRecord } from '../domain/kiosk/index.ts'

/** A kiosk record as stored (migration 0012): the record as signed, plus what the server added. */
export interface StoredKioskRecord extends ReceivedRecord {
  receivedAt: number
  bodyHash: string
  flags: string[]
  logIndex: number | null
}

export interface Admission {
  recordId: string
  sessionId: string
  candidateId: string
  ticketNumber: string
  roomId: string
  deviceId: string
  userId: string
  at: number
  idCheck: 'matched' | 'override'
  overrideReason: string | null
  overrideNote: string | null
}

export type ConflictKind = 'two_doors' | 'opened_twice' | 'revoked_device' | 'seal_mismatch'

export interface KioskConflict {
  id: string
  sessionId: string
  roomId: string | null
  kind: ConflictKind
  subject: string
  recordIds: string[]
  createdAt: number
  resolvedBy: string | null
  resolvedAt: number | null
}

interface RecordRow {
  id: string
  kind: string
  device_id: string
  session_id: string
  room_id: string
  user_id: string
  made_at: number
  received_at: number
  online: number
  body: string
  signature: string
  body_hash: string
  flags: string
  log_index: number | null
}
interface AdmissionRow {
  record_id: string
  session_id: string
  candidate_id: string
  ticket_number: string
  room_id: string
  device_id: string
  user_id: string
  at: number
  id_check: string
  override_reason: string | null
  override_note: string | null
}
interface ConflictRow {
  id: string
  session_id: string
  room_id: string | null
  kind: string
  subject: string
  record_ids: string
  created_at: number
  resolved_by: string | null
  resolved_at: number | null
}

const toRecord = (r: RecordRow): StoredKioskRecord => ({
  id: r.id,
  kind: r.kind,
  deviceId: r.device_id,
  sessionId: r.session_id,
  roomId: r.room_id,
  userId: r.user_id,
  madeAt: r.made_at,
  receivedAt: r.received_at,
  online: r.online === 1,
  body: JSON.parse(r.body) as Record<string, unknown>,
  signature: r.signature,
  bodyHash: r.body_hash,
  flags: JSON.parse(r.flags) as string[],
  logIndex: r.log_index,
})
const toAdmission = (r: AdmissionRow): Admission => ({
  recordId: r.record_id,
  sessionId: r.session_id,
  candidateId: r.candidate_id,
  ticketNumber: r.ticket_number,
  roomId: r.room_id,
  deviceId: r.device_id,
  userId: r.user_id,
  at: r.at,
  idCheck: r.id_check as Admission['idCheck'],
  overrideReason: r.override_reason,
  overrideNote: r.override_note,
})
const toConflict = (r: ConflictRow): KioskConflict => ({
  id: r.id,
  sessionId: r.session_id,
  roomId: r.room_id,
  kind: r.kind as ConflictKind,
  subject: r.subject,
  recordIds: JSON.parse(r.record_ids) as string[],
  createdAt: r.created_at,
  resolvedBy: r.resolved_by,
  resolvedAt: r.resolved_at,
})

/** The door kiosks' records, admissions and conflicts (migration 0012). SQL on these tables only. */
export class KioskRecordStore {
  private readonly q: {
    record: Statement<RecordRow, [string]>
    insertRecord: Statement<unknown, [string, string, string, string, string, string, number, number, number, string, string, string, string, number | null]>
    recordsOfSession: Statement<RecordRow, [string]>
    admissionsOfSession: Statement<AdmissionRow, [string]>
    admissionsOfCandidate: Statement<AdmissionRow, [string, string]>
    insertAdmission: Statement<unknown, [string, string, string, string, string, string, string, number, string, string | null, string | null]>
    conflictsOfSession: Statement<ConflictRow, [string]>
    insertConflict: Statement<unknown, [string, string, string | null, string, string, string, number]>
    resolveConflict: Statement<unknown, [string, number, string]>
  }

  constructor(db: Database) {
    this.q = {
      record: db.query('SELECT * FROM kiosk_records WHERE id = ?'),
      insertRecord: db.query(`INSERT INTO kiosk_records (id, kind, device_id, session_id, room_id, user_id, made_at, received_at, online, body,
        signature, body_hash, flags, log_index) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      recordsOfSession: db.query('SELECT * FROM kiosk_records WHERE session_id = ? ORDER BY received_at, rowid'),
      admissionsOfSession: db.query('SELECT * FROM admissions WHERE session_id = ? ORDER BY at, rowid'),
      admissionsOfCandidate: db.query('SELECT * FROM admissions WHERE session_id = ? AND candidate_id = ? ORDER BY at, rowid'),
      insertAdmission: db.query(`INSERT INTO admissions (record_id, session_id, candidate_id, ticket_number, room_id, device_id, user_id, at, id_check,
        override_reason, override_note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      conflictsOfSession: db.query('SELECT * FROM kiosk_conflicts WHERE session_id = ? ORDER BY created_at, rowid'),
      insertConflict: db.query('INSERT INTO kiosk_conflicts (id, session_id, room_id, kind, subject, record_ids, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      resolveConflict: db.query('UPDATE kiosk_conflicts SET resolved_by = ?, resolved_at = ? WHERE id = ? AND resolved_at IS NULL'),
    }
  }

  record(id: string): StoredKioskRecord | null {
    const r = this.q.record.get(id)
    return r ? toRecord(r) : null
  }
  recordsOfSession(sessionId: string): StoredKioskRecord[] {
    return this.q.recordsOfSession.all(sessionId).map(toRecord)
  }
  insertRecord(r: StoredKioskRecord): void {
    this.q.insertRecord.run(
      r.id,
      r.kind,
      r.deviceId,
      r.sessionId,
      r.roomId,
      r.userId,
      r.madeAt,
      r.receivedAt,
      r.online ? 1 : 0,
      JSON.stringify(r.body),
      r.signature,
      r.bodyHash,
      JSON.stringify(r.flags),
      r.logIndex,
    )
  }

  admissionsOfSession(sessionId: string): Admission[] {
    return this.q.admissionsOfSession.all(sessionId).map(toAdmission)
  }
  admissionsOfCandidate(sessionId: string, candidateId: string): Admission[] {
    return this.q.admissionsOfCandidate.all(sessionId, candidateId).map(toAdmission)
  }
  insertAdmission(a: Admission): void {
    this.q.insertAdmission.run(
      a.recordId,
      a.sessionId,
      a.candidateId,
      a.ticketNumber,
      a.roomId,
      a.deviceId,
      a.userId,
      a.at,
      a.idCheck,
      a.overrideReason,
      a.overrideNote,
    )
  }

  conflictsOfSession(sessionId: string): KioskConflict[] {
    return this.q.conflictsOfSession.all(sessionId).map(toConflict)
  }
  insertConflict(c: Omit<KioskConflict, 'resolvedBy' | 'resolvedAt'>): void {
    this.q.insertConflict.run(c.id, c.sessionId, c.roomId, c.kind, c.subject, JSON.stringify(c.recordIds), c.createdAt)
  }
  /** Marks a conflict resolved; false when there is no open conflict with this id. */
  resolveConflict(id: string, by: string, at: number): boolean {
    return this.q.resolveConflict.run(by, at, id).changes === 1
  }
}
