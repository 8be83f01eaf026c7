import type { Database, Statement } from 'bun:sqlite'

interface TicketRow {
  number: string
  candidate_id: string
  exam_session_id: string
  room_id: string
  seat: number
  payload: string
  issued_at: number
  revoked_at: number | null
  revoke_reason: string | null
}

/** An issued admission ticket (R3.4): where the candidate sits and the exact signed QR text. */
export interface Ticket {
  number: string
  candidateId: string
  examSessionId: string
  roomId: string
  seat: number
  /** The QR text, exactly as signed (crypto/ ticket format). */
  payload: string
  issuedAt: number
  revokedAt: number | null
  revokeReason: string | null
}

const toTicket = (r: TicketRow): Ticket => ({
  number: r.number,
  candidateId: r.candidate_id,
  examSessionId: r.exam_session_id,
  roomId: r.room_id,
  seat: r.seat,
  payload: r.payload,
  issuedAt: r.issued_at,
  revokedAt: r.revoked_at,
  revokeReason: r.revoke_reason,
})

/** SQL for admission tickets and their revocation. */
export class TicketStore {
  private readonly q: {
    byNumber: Statement<TicketRow, [string]>
    ofSession: Statement<TicketRow, [string]>
    live: Statement<TicketRow, [string, string]>
    liveOfSession: Statement<TicketRow, [string]>
    revokedOfSession: Statement<TicketRow, [string]>
    numbersLike: Statement<{ number: string }, [string]>
    insert: Statement<unknown, [string, string, string, string, number, string, number]>
    revoke: Statement<unknown, [number, string, string]>
  }

  constructor(db: Database) {
    this.q = {
      byNumber: db.query('SELECT * FROM tickets WHERE number = ?'),
      ofSession: db.query('SELECT * FROM tickets WHERE exam_session_id = ? ORDER BY number'),
      live: db.query('SELECT * FROM tickets WHERE exam_session_id = ? AND candidate_id = ? AND revoked_at IS NULL'),
      liveOfSession: db.query('SELECT * FROM tickets WHERE exam_session_id = ? AND revoked_at IS NULL ORDER BY room_id, seat'),
      revokedOfSession: db.query('SELECT * FROM tickets WHERE exam_session_id = ? AND revoked_at IS NOT NULL ORDER BY number'),
      // The prefix has no LIKE wildcards (digits, letters and '-'), and substr keeps the match exact.
      numbersLike: db.query('SELECT number FROM tickets WHERE substr(number, 1, length(?1)) = ?1'),
      insert: db.query('INSERT INTO tickets (number, candidate_id, exam_session_id, room_id, seat, payload, issued_at) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      revoke: db.query('UPDATE tickets SET revoked_at = ?, revoke_reason = ? WHERE number = ? AND revoked_at IS NULL'),
    }
  }

  byNumber(number: string): Ticket | null {
    const r = this.q.byNumber.get(number)
    return r ? toTicket(r) : null
  }
  ofSession(sessionId: string): Ticket[] {
    return this.q.ofSession.all(sessionId).map(toTicket)
  }
  live(sessionId: string, candidateId: string): Ticket | null {
    const r = this.q.live.get(sessionId, candidateId)
    return r ? toTicket(r) : null
  }
  liveOfSession(sessionId: string): Ticket[] {
    return this.q.liveOfSession.all(sessionId).map(toTicket)
  }
  revokedOfSession(sessionId: string): Ticket[] {
    return this.q.revokedOfSession.all(sessionId).map(toTicket)
  }
  numbersWithPrefix(prefix: string): string[] {
    return this.q.numbersLike.all(prefix).map((r) => r.number)
  }
  insert(t: Ticket): void {
    this.q.insert.run(t.number, t.candidateId, t.examSessionId, t.roomId, t.seat, t.payload, t.issuedAt)
  }
  /** True when this call revoked it (false: unknown or revoked already). */
  revoke(number: string, at: number, reason: string): boolean {
    return this.q.revoke.run(at, reason, number).changes === 1
  }
}
