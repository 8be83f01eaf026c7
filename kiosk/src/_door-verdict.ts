// The door's decision (docs/decisions/011-door-kiosk.md, "Verdicts"): a scanned ticket text, the room package
// and the admissions this door knows of give one verdict, offline, in the contract's order. Pure: no DOM, no
// storage, the time is passed in, so every verdict is unit-tested (test/kiosk-door-verdict.test.ts) with real
// signed tickets. A refused scan uses nothing up: only the shell's confirmed admission makes a record.
import { type TicketKey, type TicketPayload, fromBase64, ticketIdentity, ticketMatchesIdentity, toHex, verifyTicketRing } from '../../crypto/index.ts'
import type { RoomPackage, RosterEntry, Verdict } from './_kiosk-types.ts'

/** An admission this door knows of: the package's (the server's) and the ones made on this kiosk. */
export interface KnownAdmission {
  ticketNumber: string
  at: number
  door: string
}

export interface DoorDecision {
  verdict: Verdict
  /** The candidate on this room's roster (wrong_room and the refusals before it have none). */
  entry?: RosterEntry
  /** The verified ticket (scans only; a typed number has none): its identity bytes bind the ID number. */
  ticket?: TicketPayload
  /** wrong_room: the room the ticket is for. */
  rightRoom?: { id: string; name: string }
  /** already_admitted: when and at which door. */
  admittedAt?: number
  door?: string
  /** Whether the decision came from a typed ticket number (no signature was checked). */
  typed?: boolean
}

/** A ticket number as printed (2026-3F9A1C-00017); typed by hand it is matched case-insensitively. */
const TICKET_NUMBER = /^[0-9A-Z][0-9A-Z-]{3,63}$/
const KEY_ID = /^[0-9a-f]{8}$/

/** The package's keys as the verifier takes them (a damaged entry is left out: its tickets are unknown_key). */
function ring(pkg: RoomPackage): TicketKey[] {
  const out: TicketKey[] = []
  for (const k of pkg.keys) {
    try {
      const publicKey = fromBase64(k.publicKey)
      if (publicKey.length === 32 && KEY_ID.test(k.keyId)) out.push({ keyId: k.keyId, publicKey })
    } catch {
      // not base64: skipped
    }
  }
  return out
}

type Checked = { ok: true; ticket: TicketPayload } | { ok: false; verdict: 'malformed' | 'unknown_key' | 'forged' }

/**
 * The signature step (crypto/ verifyTicketRing): CT2 names its key (unknown to the package → unknown_key; fails →
 * forged); CT1 verifies under any key valid for the session (none does → forged). A badge is not a ticket.
 */
function checkSignature(text: string, pkg: RoomPackage): Checked {
  const r = verifyTicketRing(text.trim(), ring(pkg))
  if (r.ok) return r.payload.type === 'ticket' ? { ok: true, ticket: r.payload } : { ok: false, verdict: 'malformed' }
  if (r.error.code === 'ticket.unknown_key') return { ok: false, verdict: 'unknown_key' }
  if (r.error.code === 'ticket.bad_signature') return { ok: false, verdict: 'forged' }
  return { ok: false, verdict: 'malformed' }
}

/** The checks after the signature, shared by scans and typed numbers (from `revoked` on). */
function decideFor(
  number: string,
  where: { sessionId: string; roomId: string } | null,
  pkg: RoomPackage,
  admissions: readonly KnownAdmission[],
  now: number,
): DoorDecision {
  if (pkg.revocations.numbers.includes(number)) return { verdict: 'revoked' }
  if (where && where.sessionId !== pkg.session.id) return { verdict: 'wrong_session' }
  if (pkg.session.status === 'suspended') return { verdict: 'suspended' }
  if (where && where.roomId !== pkg.room.id) {
    const right = pkg.rooms.find((r) => r.id === where.roomId)
    return { verdict: 'wrong_room', rightRoom: right ?? { id: where.roomId, name: where.roomId } }
  }
  const entry = pkg.roster.find((e) => e.ticketNumber === number)
  if (!entry) return { verdict: 'not_on_roster' }
  if (now < pkg.session.doorsOpenAt) return { verdict: 'too_early', entry }
  if (now > pkg.session.lateUntil) return { verdict: 'too_late', entry }
  const before = admissions.find((a) => a.ticketNumber === number)
  if (before) return { verdict: 'already_admitted', entry, admittedAt: before.at, door: before.door }
  return { verdict: 'admitted', entry }
}

/**
 * The verdict for a scanned text, in the contract's order: malformed → unknown_key → forged → revoked →
 * wrong_session → suspended → wrong_room → not_on_roster → too_early → too_late → already_admitted → admitted.
 * `decideVerdict(qrText, pkg, admissions, Date.now()).verdict` → `'admitted'`
 */
export function decideVerdict(text: string, pkg: RoomPackage, admissions: readonly KnownAdmission[], now: number): DoorDecision {
  if (typeof text !== 'string' || text.length > 4096) return { verdict: 'malformed' }
  const checked = checkSignature(text, pkg)
  if (!checked.ok) return { verdict: checked.verdict }
  const t = checked.ticket
  const d = decideFor(t.number, { sessionId: t.examSessionId, roomId: t.roomId }, pkg, admissions, now)
  // A roster entry whose candidate differs from the ticket's is not this ticket's holder: never merged.
  if (d.entry && d.entry.candidateId !== t.candidateId) return { verdict: 'not_on_roster', ticket: t }
  return { ...d, ticket: t }
}

/** The printed ticket number in what was typed (spaces dropped, upper case), or null. */
export function ticketNumberFrom(typed: string): string | null {
  const n = typed.replace(/\s+/g, '').toUpperCase()
  return TICKET_NUMBER.test(n) && /\d/.test(n) ? n : null
}

/**
 * The verdict for a ticket number typed by hand: looked up in this room's roster, the same flow without the
 * signature (a number not on this roster cannot say its room: not_on_roster).
 */
export function decideByNumber(typed: string, pkg: RoomPackage, admissions: readonly KnownAdmission[], now: number): DoorDecision {
  const number = ticketNumberFrom(typed)
  if (!number) return { verdict: 'malformed', typed: true }
  const match = pkg.roster.find((e) => e.ticketNumber.toUpperCase() === number)
  return { ...decideFor(match?.ticketNumber ?? number, null, pkg, admissions, now), typed: true }
}

/** Whether a verdict lets the candidate in (only then does the ID check follow). */
export const admits = (v: Verdict): boolean => v === 'admitted'

/**
 * The ID check: the ID number typed or read from the card must match the ticket's identity bytes (with the
 * roster's name): those of the scanned ticket, or for a typed ticket number the roster's copy of them. Null when
 * there is nothing to compare with (the invigilator must override).
 */
export function idMatches(d: DoorDecision, idNumber: string): boolean | null {
  if (!d.entry) return null
  if (d.ticket) return ticketMatchesIdentity(d.ticket, d.entry.name, idNumber)
  if (!/^[0-9a-f]{32}$/.test(d.entry.identity ?? '')) return null
  return toHex(ticketIdentity(d.entry.ticketNumber, d.entry.name, idNumber)) === d.entry.identity
}

/**
 * Runs one signature check against the package's first key, so the verifier's tables are built before the first
 * candidate stands at the door (the first verification is the slow one).
 */
export function warmUp(pkg: RoomPackage): void {
  const key = ring(pkg)[0]
  if (key) verifyTicketRing(`CT2.${key.keyId}.AQE.${'A'.repeat(86)}`, [key])
}
