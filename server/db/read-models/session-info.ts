import type { Database } from 'bun:sqlite'

/*
 * A read model (read-only, never written through): the exam session joined with its batch, subject and
 * occupation, as rooms, staff, papers and tickets show it. The session, batch, subject and occupation
 * each belong to their own store (batch-store, occupation-store); this join only serves the lists and
 * printouts that show a session by its names (STYLE.md: a store runs SQL for its own aggregate only).
 */

interface SessionRow {
  id: string
  batch_id: string
  subject_id: string
  site_id: string | null
  starts_at: number
  ends_at: number
  status: string
  batch_title: string | null
  occupation_code: string | null
  level: number | null
  subject_kind: string | null
  subject_name: string | null
  occupation_name: string | null
  hazardous: number | null
}
/** The exam session as rooms, staff and tickets see it (the session itself belongs to the lifecycle). */
export interface SessionInfo {
  id: string
  batchId: string
  batchTitle: string
  subjectId: string
  subjectKind: string
  subjectName: string
  occupationCode: string
  occupationName: string
  level: number
  /** R6.5: the occupation is marked hazardous. */
  hazardous: boolean
  siteId: string | null
  startsAt: number
  endsAt: number
  status: string
}

const toSession = (r: SessionRow): SessionInfo => ({
  id: r.id,
  batchId: r.batch_id,
  batchTitle: r.batch_title ?? '',
  subjectId: r.subject_id,
  subjectKind: r.subject_kind ?? 'other',
  subjectName: r.subject_name ?? '',
  occupationCode: r.occupation_code ?? '',
  occupationName: r.occupation_name ?? '',
  level: r.level ?? 0,
  hazardous: r.hazardous === 1,
  siteId: r.site_id,
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  status: r.status,
})

/** The exam sessions with their batch, subject and occupation names (read-only). */
export class SessionInfoReads {
  private readonly q

  constructor(db: Database) {
    this.q = {
      session: db.query<SessionRow, [string]>(`SELECT e.id, e.batch_id, e.subject_id, e.site_id, e.starts_at, e.ends_at, e.status,
          b.title AS batch_title, b.occupation_code, b.level, s.kind AS subject_kind, s.name AS subject_name, o.name AS occupation_name, o.hazardous
        FROM exam_sessions e LEFT JOIN batches b ON b.id = e.batch_id LEFT JOIN subjects s ON s.id = e.subject_id
        LEFT JOIN occupations o ON o.code = b.occupation_code WHERE e.id = ?`),
      sessions: db.query<SessionRow, []>(`SELECT e.id, e.batch_id, e.subject_id, e.site_id, e.starts_at, e.ends_at, e.status,
          b.title AS batch_title, b.occupation_code, b.level, s.kind AS subject_kind, s.name AS subject_name, o.name AS occupation_name, o.hazardous
        FROM exam_sessions e LEFT JOIN batches b ON b.id = e.batch_id LEFT JOIN subjects s ON s.id = e.subject_id
        LEFT JOIN occupations o ON o.code = b.occupation_code ORDER BY e.starts_at, e.id`),
    }
  }

  session(id: string): SessionInfo | null {
    const r = this.q.session.get(id)
    return r ? toSession(r) : null
  }
  sessions(): SessionInfo[] {
    return this.q.sessions.all().map(toSession)
  }
}
