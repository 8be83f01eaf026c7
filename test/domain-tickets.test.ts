import { describe, expect, test } from 'vitest'
import {
  decideTicket,
  formatTicketNumber,
  parseRevocationNoteText,
  revocationNoteText,
  ticketPrefix,
  ticketSeq,
  type TicketCandidate,
} from '../server/domain/tickets/index.ts'

const cand = (over: Partial<TicketCandidate> = {}): TicketCandidate => ({
  id: 'c1',
  status: 'approved',
  paid: true,
  name: '张三',
  residentId: '11010519491231002X',
  ...over,
})
const seat = { roomId: 'r1', seat: 7 }

describe('who gets a ticket (R3.3, R3.4)', () => {
  test('an approved, paid, seated candidate without a live ticket gets one', () => {
    expect(decideTicket(cand(), 'c1', seat, null)).toEqual({ ok: true, value: { roomId: 'r1', seat: 7, name: '张三', residentId: '11010519491231002X' } })
  })
  test('an unpaid candidate is refused and named (ticket.not_paid): the invoice is the voucher', () => {
    expect(decideTicket(cand({ paid: false }), 'c1', seat, null)).toEqual({ ok: false, error: { code: 'ticket.not_paid', candidateId: 'c1' } })
  })
  test('a candidate not approved is refused (ticket.not_approved), also when approval came before erasure', () => {
    expect(decideTicket(cand({ status: 'registered' }), 'c1', seat, null)).toEqual({
      ok: false,
      error: { code: 'ticket.not_approved', candidateId: 'c1', status: 'registered' },
    })
    expect(decideTicket(cand({ name: null }), 'c1', seat, null).ok).toBe(false)
  })
  test('an unseated candidate is refused (ticket.not_seated); a second live ticket is refused (ticket.already_issued)', () => {
    expect(decideTicket(cand(), 'c1', null, null)).toEqual({ ok: false, error: { code: 'ticket.not_seated', candidateId: 'c1' } })
    expect(decideTicket(cand(), 'c1', seat, { number: 'n1' })).toEqual({ ok: false, error: { code: 'ticket.already_issued', candidateId: 'c1', number: 'n1' } })
  })
  test('an unknown candidate is refused (ticket.candidate_not_found)', () => {
    expect(decideTicket(null, 'c9', seat, null)).toEqual({ ok: false, error: { code: 'ticket.candidate_not_found', candidateId: 'c9' } })
  })
})

describe('ticket numbers', () => {
  test("year, the batch id's first six letters or digits upper-cased, a five-digit sequence", () => {
    const prefix = ticketPrefix(2026, '3f9a-1c00-0000')
    expect(prefix).toBe('2026-3F9A1C-')
    expect(formatTicketNumber(prefix, 17)).toBe('2026-3F9A1C-00017')
    expect(ticketSeq(prefix, '2026-3F9A1C-00017')).toBe(17)
    expect(ticketSeq(prefix, '2026-3F9A1C-123456')).toBe(123456)
    expect(ticketSeq(prefix, '2026-3F9A1D-00017')).toBeNull()
    expect(ticketSeq(prefix, '2026-3F9A1C-17')).toBeNull()
  })
})

describe('the revocation list text', () => {
  test('has the documented lines, numbers sorted and once each, and reads back', () => {
    const text = revocationNoteText({ sessionId: 's1', issuedAt: '2026-12-12T00:30:00.000Z', numbers: ['2026-A-00002', '2026-A-00001', '2026-A-00002'] })
    expect(text).toBe('custody/ticket-revocations/v1\nsession s1\nissued 2026-12-12T00:30:00.000Z\nrevoked 2\n2026-A-00001\n2026-A-00002\n')
    expect(parseRevocationNoteText(text)).toEqual({ sessionId: 's1', issuedAt: '2026-12-12T00:30:00.000Z', numbers: ['2026-A-00001', '2026-A-00002'] })
  })
  test('an empty list is a list too; a wrong count or header is not one', () => {
    const text = revocationNoteText({ sessionId: 's1', issuedAt: 't', numbers: [] })
    expect(parseRevocationNoteText(text)).toEqual({ sessionId: 's1', issuedAt: 't', numbers: [] })
    expect(parseRevocationNoteText(text.replace('revoked 0', 'revoked 1'))).toBeNull()
    expect(parseRevocationNoteText(text.replace('v1', 'v2'))).toBeNull()
  })
  test('fields with spaces or newlines are refused (they would forge lines)', () => {
    expect(() => revocationNoteText({ sessionId: 's1\nrevoked 0', issuedAt: 't', numbers: [] })).toThrow(RangeError)
  })
})
