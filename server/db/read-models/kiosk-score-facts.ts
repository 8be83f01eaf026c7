import type { Database } from 'bun:sqlite'
import { currentSheet } from '../../domain/kiosk/index.ts'
import type { ResultIncident, SignedSheet } from '../../domain/scores/index.ts'

/*
 * A read model (read-only): what the door tablets recorded about a session, as scores read it. The sheets,
 * incidents and confirmations belong to kiosk-room-store, the admissions to kiosk-record-store; scores only
 * reads them (STYLE.md: a store runs SQL for its own aggregate only).
 */

/** What the kiosk recorded, as scores read it (never written here). */
export interface KioskScoreFacts {
  /** The examiners' signed sheets in force, of every room of the session. */
  signedSheets(sessionId: string): SignedSheet[]
  /** Candidates the door admitted to the session (R6.2 attendance). */
  admitted(sessionId: string): Set<string>
  /** The session's incidents with their confirmations. */
  incidents(sessionId: string): ResultIncident[]
}

/** KioskScoreFacts read straight from the kiosk tables (0012, 0013), read-only. */
export function sqlKioskScoreFacts(db: Database): KioskScoreFacts {
  const sheets = db.query<{ id: string; candidate_id: string; examiner_id: string; items: string; replaces: string | null }, [string]>(
    'SELECT id, candidate_id, examiner_id, items, replaces FROM kiosk_score_sheets WHERE session_id = ? ORDER BY made_at, rowid',
  )
  const admissions = db.query<{ candidate_id: string }, [string]>('SELECT DISTINCT candidate_id FROM admissions WHERE session_id = ?')
  const incidents = db.query<{ id: string; candidate_id: string | null; kind: string }, [string]>(
    'SELECT id, candidate_id, kind FROM kiosk_incidents WHERE session_id = ? ORDER BY at, id',
  )
  const confirmations = db.query<{ incident_id: string; type: 'second' | 'refused' }, [string]>(
    'SELECT c.incident_id, c.type FROM kiosk_incident_confirmations c JOIN kiosk_incidents i ON i.id = c.incident_id WHERE i.session_id = ?',
  )
  return {
    signedSheets(sessionId) {
      const byCandidate = new Map<string, Array<{ id: string; replaces: string | null; candidateId: string; examinerId: string; items: string }>>()
      for (const r of sheets.all(sessionId)) {
        const s = { id: r.id, replaces: r.replaces, candidateId: r.candidate_id, examinerId: r.examiner_id, items: r.items }
        byCandidate.set(s.candidateId, [...(byCandidate.get(s.candidateId) ?? []), s])
      }
      return [...byCandidate.values()]
        .map((l) => currentSheet(l))
        .filter((s) => s !== null)
        .map((s) => ({ id: s.id, candidateId: s.candidateId, examinerId: s.examinerId, items: JSON.parse(s.items) }))
    },
    admitted(sessionId) {
      return new Set(admissions.all(sessionId).map((r) => r.candidate_id))
    },
    incidents(sessionId) {
      const conf = confirmations.all(sessionId)
      return incidents.all(sessionId).map((i) => ({
        sessionId,
        candidateId: i.candidate_id,
        kind: i.kind,
        confirmations: conf.filter((c) => c.incident_id === i.id).map((c) => ({ type: c.type })),
      }))
    },
  }
}
