import type { Database, Statement } from 'bun:sqlite'
import type { SubjectKind, SubjectResult } from '../../domain/lifecycle/index.ts'

/*
 * A read model (read-only): what scores read of the batch, its sessions and subjects, its approved candidates,
 * their live tickets and earlier results (R7.3). Each of these belongs to its own store (batch-store,
 * occupation-store, candidate-store, ticket-store); scores only read them, joined as a tally and a results
 * table need them (STYLE.md: a store runs SQL for its own aggregate only).
 */

/** A session of a batch as scores need it. */
export interface ScoreSessionRow {
  id: string
  batchId: string
  subjectId: string
  subjectKind: SubjectKind
  subjectName: string
  passMark: number
  maxMark: number
  startsAt: number
  endsAt: number
  status: string
}

export interface ScoreBatchRow {
  id: string
  title: string
  occupationCode: string
  occupationName: string
  level: number
  examStartDate: string
  examEndDate: string
}

export interface LiveTicketRow {
  number: string
  candidateId: string
  sessionId: string
  subjectId: string
  name: string | null
}

/** The batch, its sessions and subjects, candidates, live tickets and earlier results, as scores read them. */
export class ScoreFacts {
  private readonly q: {
    batch: Statement<
      { id: string; title: string; occupation_code: string; occupation_name: string; level: number; exam_start_date: string; exam_end_date: string },
      [string]
    >
    sessions: Statement<
      {
        id: string
        batch_id: string
        subject_id: string
        kind: SubjectKind
        name: string
        pass_mark: number
        max_mark: number
        starts_at: number
        ends_at: number
        status: string
      },
      [string]
    >
    subjects: Statement<{ id: string; kind: SubjectKind; name: string; pass_mark: number; max_mark: number }, [string, number]>
    batches: Statement<{ id: string; title: string; exam_start_date: string; exam_end_date: string; status: string }, []>
    batchOfSession: Statement<{ batch_id: string }, [string]>
    batchOfCandidate: Statement<{ batch_id: string }, [string]>
    approved: Statement<{ id: string; name: string | null; resident_id_hash: string }, [string]>
    tickets: Statement<{ number: string; candidate_id: string; session_id: string; subject_id: string; name: string | null }, [string]>
    history: Statement<
      { resident_id_hash: string; occupation_code: string; level: number; subject_kind: SubjectKind; exam_date: string; passed: number; attempt: number },
      [string, number]
    >
  }

  constructor(db: Database) {
    this.q = {
      batch: db.query(
        `SELECT b.id, b.title, b.occupation_code, o.name AS occupation_name, b.level, b.exam_start_date, b.exam_end_date
         FROM batches b JOIN occupations o ON o.code = b.occupation_code WHERE b.id = ?`,
      ),
      sessions: db.query(
        `SELECT s.id, s.batch_id, s.subject_id, j.kind, j.name, j.pass_mark, j.max_mark, s.starts_at, s.ends_at, s.status
         FROM exam_sessions s JOIN subjects j ON j.id = s.subject_id WHERE s.batch_id = ? ORDER BY s.starts_at, s.id`,
      ),
      subjects: db.query(`SELECT id, kind, name, pass_mark, max_mark FROM subjects WHERE occupation_code = ? AND level = ?
         ORDER BY CASE kind WHEN 'theory' THEN 0 WHEN 'practical' THEN 1 ELSE 2 END, id`),
      batches: db.query('SELECT id, title, exam_start_date, exam_end_date, status FROM batches ORDER BY exam_start_date DESC, id'),
      batchOfSession: db.query('SELECT batch_id FROM exam_sessions WHERE id = ?'),
      batchOfCandidate: db.query('SELECT batch_id FROM candidates WHERE id = ?'),
      approved: db.query("SELECT id, name, resident_id_hash FROM candidates WHERE batch_id = ? AND status = 'approved' ORDER BY created_at, id"),
      tickets: db.query(
        `SELECT t.number, t.candidate_id, t.exam_session_id AS session_id, s.subject_id, c.name
         FROM tickets t JOIN exam_sessions s ON s.id = t.exam_session_id JOIN candidates c ON c.id = t.candidate_id
         WHERE s.batch_id = ? AND t.revoked_at IS NULL ORDER BY t.number`,
      ),
      history: db.query('SELECT * FROM subject_results WHERE occupation_code = ? AND level = ?'),
    }
  }

  batch(id: string): ScoreBatchRow | null {
    const r = this.q.batch.get(id)
    return r
      ? {
          id: r.id,
          title: r.title,
          occupationCode: r.occupation_code,
          occupationName: r.occupation_name,
          level: r.level,
          examStartDate: r.exam_start_date,
          examEndDate: r.exam_end_date,
        }
      : null
  }
  /** Every batch, newest exam first. */
  batches(): Array<{ id: string; title: string; examStartDate: string; examEndDate: string; status: string }> {
    return this.q.batches.all().map((r) => ({ id: r.id, title: r.title, examStartDate: r.exam_start_date, examEndDate: r.exam_end_date, status: r.status }))
  }
  /** The batch an exam session belongs to. */
  batchOfSession(sessionId: string): string | null {
    return this.q.batchOfSession.get(sessionId)?.batch_id ?? null
  }
  /** The batch a candidate registered for. */
  batchOfCandidate(candidateId: string): string | null {
    return this.q.batchOfCandidate.get(candidateId)?.batch_id ?? null
  }
  sessions(batchId: string): ScoreSessionRow[] {
    return this.q.sessions.all(batchId).map((r) => ({
      id: r.id,
      batchId: r.batch_id,
      subjectId: r.subject_id,
      subjectKind: r.kind,
      subjectName: r.name,
      passMark: r.pass_mark,
      maxMark: r.max_mark,
      startsAt: r.starts_at,
      endsAt: r.ends_at,
      status: r.status,
    }))
  }
  subjects(occupationCode: string, level: number): Array<{ id: string; kind: SubjectKind; name: string; passMark: number; maxMark: number }> {
    return this.q.subjects.all(occupationCode, level).map((r) => ({ id: r.id, kind: r.kind, name: r.name, passMark: r.pass_mark, maxMark: r.max_mark }))
  }
  approvedCandidates(batchId: string): Array<{ id: string; name: string | null; residentIdHash: string }> {
    return this.q.approved.all(batchId).map((r) => ({ id: r.id, name: r.name, residentIdHash: r.resident_id_hash }))
  }
  liveTickets(batchId: string): LiveTicketRow[] {
    return this.q.tickets
      .all(batchId)
      .map((r) => ({ number: r.number, candidateId: r.candidate_id, sessionId: r.session_id, subjectId: r.subject_id, name: r.name }))
  }
  /** R7.3 history of an occupation and level, by resident-id hash. */
  history(occupationCode: string, level: number): Map<string, SubjectResult[]> {
    const out = new Map<string, SubjectResult[]>()
    for (const r of this.q.history.all(occupationCode, level)) {
      const row: SubjectResult = {
        occupationCode: r.occupation_code,
        level: r.level,
        subjectKind: r.subject_kind,
        examDate: r.exam_date,
        passed: r.passed === 1,
        attempt: r.attempt,
      }
      out.set(r.resident_id_hash, [...(out.get(r.resident_id_hash) ?? []), row])
    }
    return out
  }
}
