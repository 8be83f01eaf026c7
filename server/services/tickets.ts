import type { Database } from 'bun:sqlite'
import { formatVkey, keyId, keyIdHex, signNote } from '../../audit/index.ts'
import {
  type BadgePayload,
  type TicketErrorCode,
  type TicketPayload,
  signTicketV2,
  ticketIdentity,
  ticketMatchesIdentity,
  toBase64,
  verifyTicketRing,
} from '../../crypto/index.ts'
import { type Result, ok, refuse } from '../domain/_result.ts'
import { civilDateOf } from '../domain/calendar/index.ts'
import type { Room, Site, StaffAssignment } from '../domain/rooms/index.ts'
import { type TicketError, decideTicket, formatTicketNumber, revocationNoteText, ticketPrefix, ticketSeq } from '../domain/tickets/index.ts'
import type { CandidateStore } from '../db/candidate-store.ts'
import type { RoomsStore } from '../db/rooms-store.ts'
import type { SessionInfo, SessionInfoReads } from '../db/read-models/session-info.ts'
import type { Ticket, TicketStore } from '../db/ticket-store.ts'
import type { Actor, CustodyLog } from './custody-log.ts'
import type { TicketKeys } from './ticket-keys.ts'

export type TicketsError = TicketError | { code: 'session.not_found'; id: string } | { code: 'room.not_attached'; roomId: string }

export interface IssueSummary {
  issued: Ticket[]
  /** Bulk runs skip seated candidates who may not have a ticket (named, with the reason). */
  skipped: Array<{ candidateId: string; code: TicketError['code'] }>
}

export interface TicketKeyInfo {
  keyId: string
  publicKey: string
  algorithm: 'Ed25519'
  name: string
  vkey: string
}

/** Everything an A4 ticket shows (R3.4). Personal data: rendered for the registrar, never logged. */
export interface PrintableTicket {
  ticket: Ticket
  holder: { name: string; residentId: string; hasPhoto: boolean }
  session: SessionInfo
  room: Room
  site: Site | null
  body: string
}

export interface Badge {
  assignment: StaffAssignment
  user: { username: string; displayName: string }
  room: Room | null
  payload: BadgePayload
  text: string
}

export interface TicketCheck {
  code: 'ok' | TicketErrorCode | 'ticket.unknown_key' | 'ticket.revoked' | 'ticket.not_found' | 'ticket.identity_mismatch'
  payload: TicketPayload | null
  /** Whether the name and ID number given match the ticket's holder; null when none were given. */
  identityMatches: boolean | null
}

/** The default issuing body on the ticket, until settings.body_name says otherwise. */
export const DEFAULT_BODY_NAME = '职业技能等级评价机构'

/**
 * Admission tickets (R3.3–R3.5): issued to approved, paid, seated candidates with a QR payload signed
 * by the ticket key; revoked with a reason; a signed revocation list per session for the doors; and
 * staff badges (R4.3) signed with the same key under a different type tag.
 */
export class Tickets {
  constructor(
    private readonly db: Database,
    private readonly store: TicketStore,
    private readonly rooms: RoomsStore,
    /** The session with its batch, subject and occupation names (a read model). */
    private readonly sessionInfo: SessionInfoReads,
    /** The candidates tickets are printed for, and the body's name (settings). */
    private readonly candidates: CandidateStore,
    private readonly users: { get(id: string): { username: string; displayName: string } | null },
    private readonly log: CustodyLog,
    private readonly clock: () => number,
    /** The ticket key ring (decision 011): the active key signs; every key valid for a session verifies. */
    private readonly keys: TicketKeys,
  ) {}

  /** The active key (the one signing now). */
  keyInfo(): TicketKeyInfo {
    const key = this.keys.active().key
    return {
      keyId: keyIdHex(keyId(key.name, key.publicKey)),
      publicKey: toBase64(key.publicKey),
      algorithm: 'Ed25519',
      name: key.name,
      vkey: formatVkey(key.name, key.publicKey),
    }
  }

  get publicKey(): Uint8Array {
    return this.keys.active().key.publicKey
  }
  byNumber(number: string): Ticket | null {
    return this.store.byNumber(number)
  }
  ofSession(sessionId: string): Result<Array<Ticket & { name: string | null }>, TicketsError> {
    if (!this.sessionInfo.session(sessionId)) return refuse({ code: 'session.not_found', id: sessionId })
    return ok(this.store.ofSession(sessionId).map((t) => ({ ...t, name: this.candidates.holder(t.candidateId)?.name ?? null })))
  }

  /**
   * Issues tickets for a session. With candidate ids: exactly those, all or nothing (the first refusal
   * names its candidate). Without: every seated candidate lacking a live ticket; those who may not
   * have one are skipped and named. One `ticket.issued` event per ticket (subject: its number).
   */
  issue(actor: Actor, sessionId: string, candidateIds?: readonly string[]): Result<IssueSummary, TicketsError> {
    return this.db
      .transaction((): Result<IssueSummary, TicketsError> => {
        const session = this.sessionInfo.session(sessionId)
        if (!session) return refuse({ code: 'session.not_found', id: sessionId })
        if (session.status !== 'scheduled') return refuse({ code: 'ticket.session_closed', status: session.status })
        const seats = new Map(this.rooms.seats(sessionId).map((s) => [s.candidate_id, { roomId: s.room_id, seat: s.seat }]))
        const live = new Map(this.store.liveOfSession(sessionId).map((t) => [t.candidateId, t]))
        const targets = candidateIds ? [...new Set(candidateIds)] : [...seats.keys()].filter((id) => !live.has(id)).sort()
        const prefix = ticketPrefix(Number(civilDateOf(session.startsAt).slice(0, 4)), session.batchId)
        let seq = this.store.numbersWithPrefix(prefix).reduce((m, n) => Math.max(m, ticketSeq(prefix, n) ?? 0), 0)
        const now = this.clock()
        const skipped: IssueSummary['skipped'] = []
        const signer = this.keys.signer()
        // Decide every candidate before writing anything: a named list is all or nothing.
        const accepted: Array<{ candidateId: string; residentIdHash: string; roomId: string; seat: number; name: string; residentId: string }> = []
        for (const candidateId of targets) {
          const holder = this.candidates.holder(candidateId)
          const inBatch = holder && holder.batchId === session.batchId ? holder : null
          const decided = decideTicket(inBatch, candidateId, seats.get(candidateId) ?? null, live.get(candidateId) ?? null)
          if (decided.ok) accepted.push({ candidateId, residentIdHash: holder!.residentIdHash, ...decided.value })
          else if (candidateIds) return decided
          else skipped.push({ candidateId, code: decided.error.code })
        }
        const issued: Ticket[] = []
        for (const { candidateId, residentIdHash, roomId, seat, name, residentId } of accepted) {
          const number = formatTicketNumber(prefix, ++seq)
          const payload: TicketPayload = {
            type: 'ticket',
            number,
            candidateId,
            examSessionId: sessionId,
            roomId,
            seat,
            identity: ticketIdentity(number, name, residentId),
          }
          const ticket: Ticket = {
            number,
            candidateId,
            examSessionId: sessionId,
            roomId,
            seat,
            payload: signTicketV2(payload, signer.keyId, signer.sign),
            issuedAt: now,
            revokedAt: null,
            revokeReason: null,
            keyId: signer.keyId,
          }
          this.store.insert(ticket)
          issued.push(ticket)
          this.log.append({
            actor,
            action: 'ticket.issued',
            subject: { type: 'ticket', id: number },
            where: session.siteId ? { site: session.siteId, room: roomId } : { room: roomId },
            data: { candidate: candidateId, session: sessionId, room: roomId, seat, residentIdHash },
          })
        }
        return ok({ issued, skipped })
      })
      .immediate()
  }

  /** Revokes a ticket (withdrawal, reissue); doors learn it from the session's signed revocation list. */
  revoke(actor: Actor, number: string, reason: string): Result<Ticket, TicketsError> {
    return this.db
      .transaction((): Result<Ticket, TicketsError> => {
        const t = this.store.byNumber(number)
        if (!t) return refuse({ code: 'ticket.not_found', number })
        if (t.revokedAt !== null) return refuse({ code: 'ticket.already_revoked', number })
        const now = this.clock()
        this.store.revoke(number, now, reason.trim())
        this.log.append({
          actor,
          action: 'ticket.revoked',
          subject: { type: 'ticket', id: number },
          where: { room: t.roomId },
          data: { candidate: t.candidateId, session: t.examSessionId, reason: reason.trim() },
        })
        return ok({ ...t, revokedAt: now, revokeReason: reason.trim() })
      })
      .immediate()
  }

  /** The session's revocation list, signed now as a note with the active ticket key (docs/ticket-format.md). */
  revocations(
    sessionId: string,
  ): Result<{ sessionId: string; issuedAt: string; revoked: Array<{ number: string; revokedAt: string }>; note: string }, TicketsError> {
    if (!this.sessionInfo.session(sessionId)) return refuse({ code: 'session.not_found', id: sessionId })
    const revoked = this.store.revokedOfSession(sessionId)
    const issuedAt = new Date(this.clock()).toISOString()
    const text = revocationNoteText({ sessionId, issuedAt, numbers: revoked.map((t) => t.number) })
    return ok({
      sessionId,
      issuedAt,
      revoked: revoked.map((t) => ({ number: t.number, revokedAt: new Date(t.revokedAt!).toISOString() })),
      note: signNote(text, this.keys.active().key.name, this.keys.active().key.privateKey),
    })
  }

  /** What the A4 ticket prints; a revoked ticket is not printed again. */
  printable(number: string): Result<PrintableTicket, TicketsError> {
    const ticket = this.store.byNumber(number)
    if (!ticket) return refuse({ code: 'ticket.not_found', number })
    if (ticket.revokedAt !== null) return refuse({ code: 'ticket.revoked', number })
    const holder = this.candidates.holder(ticket.candidateId)
    const session = this.sessionInfo.session(ticket.examSessionId)
    const room = this.rooms.room(ticket.roomId)
    if (!holder || holder.name === null || holder.residentId === null || !session || !room) return refuse({ code: 'ticket.not_found', number })
    return ok({
      ticket,
      holder: { name: holder.name, residentId: holder.residentId, hasPhoto: holder.hasPhoto },
      session,
      room,
      site: this.rooms.site(room.siteId),
      body: this.candidates.setting('body_name') ?? DEFAULT_BODY_NAME,
    })
  }

  /** Every live ticket of a session, printable, in room and seat order. */
  printableOfSession(sessionId: string): Result<PrintableTicket[], TicketsError> {
    if (!this.sessionInfo.session(sessionId)) return refuse({ code: 'session.not_found', id: sessionId })
    const out: PrintableTicket[] = []
    for (const t of this.store.liveOfSession(sessionId)) {
      const p = this.printable(t.number)
      if (p.ok) out.push(p.value)
    }
    return ok(out)
  }

  /** The live tickets of one room of a session, in seat order: a room's stack of tickets. */
  printableOfRoom(sessionId: string, roomId: string): Result<{ room: PrintableTicket['room']; tickets: PrintableTicket[] }, TicketsError> {
    if (!this.sessionInfo.session(sessionId)) return refuse({ code: 'session.not_found', id: sessionId })
    const room = this.rooms.room(roomId)
    if (!room || !this.rooms.isAttached(sessionId, roomId)) return refuse({ code: 'room.not_attached', roomId })
    const all = this.printableOfSession(sessionId)
    if (!all.ok) return all
    return ok({ room, tickets: all.value.filter((t) => t.ticket.roomId === roomId) })
  }

  photo(number: string): { ticket: Ticket; bytes: Uint8Array; type: string } | null {
    const ticket = this.store.byNumber(number)
    const photo = ticket ? this.candidates.holderPhoto(ticket.candidateId) : null
    return ticket && photo ? { ticket, ...photo } : null
  }

  /** Staff badges of a session (R4.3): one per assignment, a QR signed with the ticket key (type badge), valid until the session ends. */
  badges(sessionId: string): Result<Badge[], TicketsError> {
    const session = this.sessionInfo.session(sessionId)
    if (!session) return refuse({ code: 'session.not_found', id: sessionId })
    const out: Badge[] = []
    const signer = this.keys.signer()
    for (const a of this.rooms.staff(sessionId)) {
      const user = this.users.get(a.userId)
      if (!user) continue
      const payload: BadgePayload = {
        type: 'badge',
        userId: a.userId,
        examSessionId: sessionId,
        roomId: a.roomId,
        duty: a.duty,
        name: user.displayName,
        validUntil: session.endsAt,
      }
      out.push({ assignment: a, user, room: a.roomId ? this.rooms.room(a.roomId) : null, payload, text: signTicketV2(payload, signer.keyId, signer.sign) })
    }
    return ok(out)
  }

  /**
   * What a door would conclude from a scanned text (R6.2 does the full door; this is the same check
   * online): signature under a key valid for the ticket's session (decision 011: a key the ring never had, or one
   * no longer valid for that session, is `ticket.unknown_key`), known and live, and the holder's name and ID number.
   */
  check(text: string, identity?: { name: string; residentId: string }): TicketCheck {
    const v = verifyTicketRing(text, this.keys.allKeys())
    if (!v.ok) return { code: v.error.code, payload: null, identityMatches: null }
    if (v.payload.type !== 'ticket') return { code: 'ticket.malformed', payload: null, identityMatches: null }
    const p = v.payload
    if (!this.keys.ringForSession(p.examSessionId).some((k) => k.keyId === v.keyId)) return { code: 'ticket.unknown_key', payload: null, identityMatches: null }
    const stored = this.store.byNumber(p.number)
    const identityMatches = identity ? ticketMatchesIdentity(p, identity.name, identity.residentId) : null
    const code =
      !stored || stored.payload !== text
        ? 'ticket.not_found'
        : stored.revokedAt !== null
          ? 'ticket.revoked'
          : identityMatches === false
            ? 'ticket.identity_mismatch'
            : 'ok'
    return { code, payload: p, identityMatches }
  }
}
