import { type Result, ok, refuse } from '../_result.ts'

/** What the ticket rules need to know of a candidate (R3.3, R3.4). */
export interface TicketCandidate {
  id: string
  status: string
  paid: boolean
  /** Null once personal data is erased: no ticket can carry a name that is gone. */
  name: string | null
  residentId: string | null
}

export type TicketError =
  | { code: 'ticket.candidate_not_found'; candidateId: string }
  | { code: 'ticket.not_approved'; candidateId: string; status: string }
  | { code: 'ticket.not_paid'; candidateId: string }
  | { code: 'ticket.not_seated'; candidateId: string }
  | { code: 'ticket.already_issued'; candidateId: string; number: string }
  | { code: 'ticket.not_found'; number: string }
  | { code: 'ticket.already_revoked'; number: string }
  | { code: 'ticket.revoked'; number: string }
  | { code: 'ticket.session_closed'; status: string }

/**
 * Whether a candidate may be given a ticket now (R3.3: only after approval and payment, the invoice
 * being the voucher; R3.4: the ticket names the seat, so only a seated candidate gets one).
 */
export function decideTicket(
  c: TicketCandidate | null,
  candidateId: string,
  seat: { roomId: string; seat: number } | null,
  live: { number: string } | null,
): Result<{ roomId: string; seat: number; name: string; residentId: string }, TicketError> {
  if (!c) return refuse({ code: 'ticket.candidate_not_found', candidateId })
  if (c.status !== 'approved' || c.name === null || c.residentId === null) return refuse({ code: 'ticket.not_approved', candidateId, status: c.status })
  if (!c.paid) return refuse({ code: 'ticket.not_paid', candidateId })
  if (!seat) return refuse({ code: 'ticket.not_seated', candidateId })
  if (live) return refuse({ code: 'ticket.already_issued', candidateId, number: live.number })
  return ok({ roomId: seat.roomId, seat: seat.seat, name: c.name, residentId: c.residentId })
}

/**
 * Ticket numbers: <exam year>-<batch short>-<5-digit sequence>, e.g. 2026-3F9A1C-00017. The batch
 * short is the batch id's first six letters or digits, upper-cased; the sequence counts within that
 * prefix, so numbers stay unique even if two batches share a short form.
 */
export function ticketPrefix(examYear: number, batchId: string): string {
  const short =
    batchId
      .replace(/[^0-9A-Za-z]/g, '')
      .slice(0, 6)
      .toUpperCase() || 'BATCH'
  return `${examYear}-${short}-`
}
export const formatTicketNumber = (prefix: string, seq: number): string => `${prefix}${String(seq).padStart(5, '0')}`

/** The sequence number of a ticket number with this prefix, or null. */
export function ticketSeq(prefix: string, number: string): number | null {
  if (!number.startsWith(prefix)) return null
  const rest = number.slice(prefix.length)
  return /^\d{5,}$/.test(rest) ? Number(rest) : null
}
