import { type Result, ok, refuse } from '../domain/_result.ts'
import type { CandidateStore } from '../db/candidate-store.ts'
import type { SessionInfo, SessionInfoReads } from '../db/read-models/session-info.ts'
import type { RoomsStore } from '../db/rooms-store.ts'
import type { Ticket, TicketStore } from '../db/ticket-store.ts'

/** settings key naming the drill session (written by the demo loader, server/demo/drill.ts). */
export const DRILL_SESSION_SETTING = 'demo.drill_session'

/** What the kiosk must answer for a sample (the `data-verdict` codes of docs/decisions/011-door-kiosk.md). */
export type DrillExpectation = 'admitted' | 'already_admitted' | 'revoked' | 'wrong_room' | 'wrong_session' | 'forged' | 'malformed'

export interface DrillSample {
  expect: DrillExpectation
  /** The QR text to scan. */
  text: string
  ticketNumber: string | null
  /** For admitted samples: what the ID check needs (fictional demo people). */
  holder: { name: string; residentId: string; seat: number } | null
  note: { zh: string; en: string }
}

export interface DrillSheet {
  session: SessionInfo
  room: { id: string; name: string }
  samples: DrillSample[]
}

export type DrillError = { code: 'drill.not_loaded' }

/** A valid ticket text with one payload byte changed and the signature kept: well-formed, but its signature fails. */
export function forgeTicketText(text: string): string {
  const parts = text.split('.')
  const i = parts.length - 2 // the payload is the part before the signature (CT1 and CT2 alike)
  const bytes = Buffer.from(parts[i]!, 'base64url')
  bytes[bytes.length - 1]! ^= 0x01 // the last byte of the identity hash
  parts[i] = bytes.toString('base64url')
  return parts.join('.')
}

/**
 * The door drill's printable sheet (demo only): the drill room's valid tickets with the holders' (fictional) ID
 * numbers, then one revoked ticket, one of another room, one of another session, one forged and one malformed,
 * each with the verdict the kiosk must give. Training for invigilators: every verdict within a minute.
 */
export class DoorDrill {
  constructor(
    private readonly candidates: CandidateStore,
    private readonly tickets: TicketStore,
    private readonly rooms: RoomsStore,
    private readonly sessions: SessionInfoReads,
  ) {}

  sessionId(): string | null {
    return this.candidates.setting(DRILL_SESSION_SETTING)
  }

  sheet(): Result<DrillSheet, DrillError> {
    const sessionId = this.sessionId()
    const session = sessionId ? this.sessions.session(sessionId) : null
    if (!sessionId || !session) return refuse({ code: 'drill.not_loaded' })
    const all = this.tickets.ofSession(sessionId)
    // The drill room is where the demo invigilators stand: the room with the most seats taken comes first.
    const byRoom = new Map<string, Ticket[]>()
    for (const t of all) byRoom.set(t.roomId, [...(byRoom.get(t.roomId) ?? []), t])
    const [roomId, other] = [...byRoom.keys()].sort((a, b) => (this.rooms.room(a)?.name ?? '').localeCompare(this.rooms.room(b)?.name ?? ''))
    const room = roomId ? this.rooms.room(roomId) : null
    if (!roomId || !room) return refuse({ code: 'drill.not_loaded' })
    const inRoom = byRoom
      .get(roomId)!
      .slice()
      .sort((a, b) => a.seat - b.seat)
    const live = inRoom.filter((t) => t.revokedAt === null)
    const samples: DrillSample[] = []
    for (const t of live.slice(0, 4)) {
      const h = this.candidates.holder(t.candidateId)
      samples.push({
        expect: 'admitted',
        text: t.payload,
        ticketNumber: t.number,
        holder: h?.name && h.residentId ? { name: h.name, residentId: h.residentId, seat: t.seat } : null,
        note: { zh: '有效：核对照片，输入身份证号后准许入场', en: 'Valid: compare the photo, type the ID number, admit' },
      })
    }
    const first = live[0]
    if (first) {
      samples.push({
        expect: 'already_admitted',
        text: first.payload,
        ticketNumber: first.number,
        holder: null,
        note: { zh: '与第一张相同：入场后再扫一次，应提示已入场（时间与考场门）', en: 'Same as the first: scan it again after admitting it' },
      })
      samples.push({
        expect: 'forged',
        text: forgeTicketText(first.payload),
        ticketNumber: null,
        holder: null,
        note: { zh: '伪造：内容被改动，签名不符', en: 'Forged: the content was changed, the signature fails' },
      })
    }
    const revoked = inRoom.find((t) => t.revokedAt !== null)
    if (revoked) {
      samples.push({
        expect: 'revoked',
        text: revoked.payload,
        ticketNumber: revoked.number,
        holder: null,
        note: { zh: '已作废（补办后原证作废）', en: 'Revoked (replaced by a new ticket)' },
      })
    }
    const elsewhere = other ? byRoom.get(other)!.find((t) => t.revokedAt === null) : undefined
    if (elsewhere) {
      samples.push({
        expect: 'wrong_room',
        text: elsewhere.payload,
        ticketNumber: elsewhere.number,
        holder: null,
        note: {
          zh: `走错考场：应去 ${this.rooms.room(elsewhere.roomId)?.name ?? ''} 考场`,
          en: `Wrong room: belongs in room ${this.rooms.room(elsewhere.roomId)?.name ?? ''}`,
        },
      })
    }
    const otherSession = this.otherSessionTicket(session)
    if (otherSession) {
      samples.push({
        expect: 'wrong_session',
        text: otherSession.payload,
        ticketNumber: otherSession.number,
        holder: null,
        note: { zh: '其他场次的准考证（明天的考试）', en: "Another session's ticket (tomorrow's exam)" },
      })
    }
    samples.push({
      expect: 'malformed',
      text: 'CT1.这不是准考证',
      ticketNumber: null,
      holder: null,
      note: { zh: '不是准考证二维码', en: 'Not a ticket QR code' },
    })
    return ok({ session, room: { id: room.id, name: room.name }, samples })
  }

  /** A live ticket of another theory session (the demo's exam tomorrow). */
  private otherSessionTicket(drill: SessionInfo): Ticket | undefined {
    for (const s of this.sessions.sessions()) {
      if (s.id === drill.id || s.subjectKind !== drill.subjectKind) continue
      const t = this.tickets.liveOfSession(s.id)[0]
      if (t) return t
    }
    return undefined
  }
}
