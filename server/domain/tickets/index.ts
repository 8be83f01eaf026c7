// Admission tickets (R3.3–R3.5): who may get one, how they are numbered, the signed revocation list.
// The QR payload's bytes and signature live in crypto/ (crypto/_ticket.ts).
export { decideTicket, formatTicketNumber, ticketPrefix, ticketSeq } from './_tickets.ts'
export type { TicketCandidate, TicketError } from './_tickets.ts'
export { REVOCATION_HEADER, parseRevocationNoteText, revocationNoteText } from './_revocations.ts'
export type { RevocationList } from './_revocations.ts'
