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
  key_id: string | null
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
  /** The ring key that signed it (decision 011); absent on a ticket made outside the ring (tests). */
  keyId?: string | null
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
  keyId: r.key_id,
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
    insert: Statement<unknown, [string, string, string, string, number, string, number, string | null]>
    revoke: Statement<unknown, [number, string, string]>
    backfillKey: Statement<unknown, [string]>
    liveByKey: Statement<{ key_id: string; n: number }, []>
    liveKeysOfSession: Statement<{ key_id: string }, [string]>
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
      insert: db.query(
        'INSERT INTO tickets (number, candidate_id, exam_session_id, room_id, seat, payload, issued_at, key_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      revoke: db.query('UPDATE tickets SET revoked_at = ?, revoke_reason = ? WHERE number = ? AND revoked_at IS NULL'),
      backfillKey: db.query('UPDATE tickets SET key_id = ? WHERE key_id IS NULL'),
      liveByKey: db.query('SELECT key_id, count(*) AS n FROM tickets WHERE revoked_at IS NULL AND key_id IS NOT NULL GROUP BY key_id'),
      liveKeysOfSession: db.query('SELECT DISTINCT key_id FROM tickets WHERE exam_session_id = ? AND revoked_at IS NULL AND key_id IS NOT NULL'),
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
    this.q.insert.run(t.number, t.candidateId, t.examSessionId, t.roomId, t.seat, t.payload, t.issuedAt, t.keyId ?? null)
  }
  /** Tickets issued before the ticket key ring: signed by its first key (decision 011). Returns how many were set. */
  backfillKeyId(keyId: string): number {
    return this.q.backfillKey.run(keyId).changes
  }
  /** Live tickets per signing key. */
  liveCountsByKey(): Map<string, number> {
    return new Map(this.q.liveByKey.all().map((r) => [r.key_id, r.n]))
  }
  /** The keys that signed a live ticket of the session. */
  liveKeysOfSession(sessionId: string): string[] {
    return this.q.liveKeysOfSession.all(sessionId).map((r) => r.key_id)
  }
  /** True when this call revoked it (false: unknown or revoked already). */
  revoke(number: string, at: number, reason: string): boolean {
    return this.q.revoke.run(at, reason, number).changes === 1
  }
}
