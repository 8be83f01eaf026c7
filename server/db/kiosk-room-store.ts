import type { Database, Statement } from 'bun:sqlite'
import type { Incident, IncidentConfirmation, IncidentKind, ScoreSheet } from '../domain/kiosk/index.ts'

/**
 * SQL for what the kiosk records in the room (migration 0013): incidents with their seized items and
 * confirmations, and practical score sheets. Append-only; no rules here.
 */

interface IncidentRow {
  id: string
  session_id: string
  room_id: string
  recorded_by: string
  candidate_id: string | null
  kind: string
  at: number
  description: string
  photo: string | null
  receipt_number: string | null
  stopped_at: number | null
  restarted_at: number | null
  made_at: number
}
interface SeizedRow {
  incident_id: string
  item: string
  count: number
}
interface ConfirmationRow {
  id: string
  incident_id: string
  type: 'second' | 'refused'
  user_id: string
  check_kind: 'online' | 'offline' | null
  made_at: number
}
interface SheetRow {
  id: string
  session_id: string
  room_id: string
  candidate_id: string
  items: string
  examiner_id: string
  check_kind: 'online' | 'offline'
  recorded_by: string
  replaces: string | null
  reason: string | null
  made_at: number
}

const INCIDENT_COLS = 'id, session_id, room_id, recorded_by, candidate_id, kind, at, description, photo, receipt_number, stopped_at, restarted_at, made_at'
const SHEET_COLS = 'id, session_id, room_id, candidate_id, items, examiner_id, check_kind, recorded_by, replaces, reason, made_at'

const toSheet = (r: SheetRow): ScoreSheet => ({
  id: r.id,
  sessionId: r.session_id,
  roomId: r.room_id,
  candidateId: r.candidate_id,
  items: JSON.parse(r.items) as ScoreSheet['items'],
  examinerId: r.examiner_id,
  check: r.check_kind,
  recordedBy: r.recorded_by,
  replaces: r.replaces,
  reason: r.reason,
  madeAt: r.made_at,
})
const toConfirmation = (r: ConfirmationRow): IncidentConfirmation => ({
  id: r.id,
  incidentId: r.incident_id,
  type: r.type,
  userId: r.user_id,
  check: r.check_kind,
  madeAt: r.made_at,
})

export class KioskRoomStore {
  private readonly q: {
    incident: Statement<IncidentRow, [string]>
    incidents: Statement<IncidentRow, [string, string | null]>
    seized: Statement<SeizedRow, [string]>
    seizedOfSession: Statement<SeizedRow, [string]>
    confirmations: Statement<ConfirmationRow, [string]>
    confirmationsOfSession: Statement<ConfirmationRow, [string]>
    insertIncident: Statement<
      unknown,
      [
        string,
        string,
        string,
        string,
        string,
        string | null,
        string,
        number,
        string,
        string | null,
        string | null,
        number | null,
        number | null,
        number,
        number,
      ]
    >
    insertSeized: Statement<unknown, [string, number, string, number]>
    insertConfirmation: Statement<unknown, [string, string, string, string, string | null, number, number]>
    sheetsOfCandidate: Statement<SheetRow, [string, string]>
    sheets: Statement<SheetRow, [string, string | null]>
    insertSheet: Statement<
      unknown,
      [string, string, string, string, string, string, string, string, string, string, string | null, string | null, number, number]
    >
  }

  constructor(db: Database) {
    this.q = {
      incident: db.query(`SELECT ${INCIDENT_COLS} FROM kiosk_incidents WHERE id = ?`),
      incidents: db.query(`SELECT ${INCIDENT_COLS} FROM kiosk_incidents WHERE session_id = ?1 AND (?2 IS NULL OR room_id = ?2) ORDER BY at, made_at, id`),
      seized: db.query('SELECT incident_id, item, count FROM kiosk_seized_items WHERE incident_id = ? ORDER BY position'),
      seizedOfSession: db.query(
        'SELECT s.incident_id, s.item, s.count FROM kiosk_seized_items s JOIN kiosk_incidents i ON i.id = s.incident_id WHERE i.session_id = ? ORDER BY s.incident_id, s.position',
      ),
      confirmations: db.query(
        'SELECT id, incident_id, type, user_id, check_kind, made_at FROM kiosk_incident_confirmations WHERE incident_id = ? ORDER BY made_at, id',
      ),
      confirmationsOfSession: db.query(
        'SELECT c.id, c.incident_id, c.type, c.user_id, c.check_kind, c.made_at FROM kiosk_incident_confirmations c JOIN kiosk_incidents i ON i.id = c.incident_id WHERE i.session_id = ? ORDER BY c.made_at, c.id',
      ),
      insertIncident: db.query(
        `INSERT INTO kiosk_incidents (id, session_id, room_id, device_id, recorded_by, candidate_id, kind, at, description, photo, receipt_number, stopped_at, restarted_at, made_at, stored_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertSeized: db.query('INSERT INTO kiosk_seized_items (incident_id, position, item, count) VALUES (?, ?, ?, ?)'),
      insertConfirmation: db.query(
        'INSERT INTO kiosk_incident_confirmations (id, incident_id, type, user_id, check_kind, made_at, stored_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      sheetsOfCandidate: db.query(`SELECT ${SHEET_COLS} FROM kiosk_score_sheets WHERE session_id = ? AND candidate_id = ? ORDER BY made_at, id`),
      sheets: db.query(
        `SELECT ${SHEET_COLS} FROM kiosk_score_sheets WHERE session_id = ?1 AND (?2 IS NULL OR room_id = ?2) ORDER BY candidate_id, made_at, id`,
      ),
      insertSheet: db.query(
        `INSERT INTO kiosk_score_sheets (id, session_id, room_id, candidate_id, items, examiner_id, check_kind, recorded_by, device_id, signature, replaces, reason, made_at, stored_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
    }
  }

  private withSeized(rows: IncidentRow[], seized: SeizedRow[]): Incident[] {
    const by = new Map<string, Array<{ item: string; count: number }>>()
    for (const s of seized) by.set(s.incident_id, [...(by.get(s.incident_id) ?? []), { item: s.item, count: s.count }])
    return rows.map((r) => ({
      id: r.id,
      sessionId: r.session_id,
      roomId: r.room_id,
      recordedBy: r.recorded_by,
      candidateId: r.candidate_id,
      kind: r.kind as IncidentKind,
      at: r.at,
      description: r.description,
      photo: r.photo,
      seized: by.get(r.id) ?? [],
      receiptNumber: r.receipt_number,
      stoppedAt: r.stopped_at,
      restartedAt: r.restarted_at,
      madeAt: r.made_at,
    }))
  }

  incident(id: string): Incident | null {
    const r = this.q.incident.get(id)
    return r ? this.withSeized([r], this.q.seized.all(id))[0]! : null
  }

  /** A session's incidents, of one room or of all. */
  incidents(sessionId: string, roomId: string | null = null): Incident[] {
    return this.withSeized(this.q.incidents.all(sessionId, roomId), this.q.seizedOfSession.all(sessionId))
  }

  confirmations(incidentId: string): IncidentConfirmation[] {
    return this.q.confirmations.all(incidentId).map(toConfirmation)
  }

  confirmationsOfSession(sessionId: string): IncidentConfirmation[] {
    return this.q.confirmationsOfSession.all(sessionId).map(toConfirmation)
  }

  insertIncident(i: Incident, deviceId: string, storedAt: number): void {
    this.q.insertIncident.run(
      i.id,
      i.sessionId,
      i.roomId,
      deviceId,
      i.recordedBy,
      i.candidateId,
      i.kind,
      i.at,
      i.description,
      i.photo,
      i.receiptNumber,
      i.stoppedAt,
      i.restartedAt,
      i.madeAt,
      storedAt,
    )
    i.seized.forEach((s, n) => this.q.insertSeized.run(i.id, n, s.item, s.count))
  }

  insertConfirmation(c: IncidentConfirmation, storedAt: number): void {
    this.q.insertConfirmation.run(c.id, c.incidentId, c.type, c.userId, c.check, c.madeAt, storedAt)
  }

  sheetsOfCandidate(sessionId: string, candidateId: string): ScoreSheet[] {
    return this.q.sheetsOfCandidate.all(sessionId, candidateId).map(toSheet)
  }

  /** A session's score sheets (current and replaced), of one room or of all. */
  sheets(sessionId: string, roomId: string | null = null): ScoreSheet[] {
    return this.q.sheets.all(sessionId, roomId).map(toSheet)
  }

  insertSheet(s: ScoreSheet, deviceId: string, signature: string, storedAt: number): void {
    this.q.insertSheet.run(
      s.id,
      s.sessionId,
      s.roomId,
      s.candidateId,
      JSON.stringify(s.items),
      s.examinerId,
      s.check,
      s.recordedBy,
      deviceId,
      signature,
      s.replaces,
      s.reason,
      s.madeAt,
      storedAt,
    )
  }
}
