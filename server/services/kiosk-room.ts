import type { Database } from 'bun:sqlite'
import type { Canonical } from '../../audit/index.ts'
import { type Result, ok, refuse } from '../domain/_result.ts'
import {
  type Incident,
  type IncidentConfirmation,
  type IncidentStatus,
  type ReceivedRecord,
  type RoomRefusal,
  type ScoreItem,
  type ScoreSheet,
  currentSheet,
  decideConfirmation,
  decideIncident,
  decideScoreSheet,
  finishAfterStops,
  incidentKind,
  incidentStatus,
} from '../domain/kiosk/index.ts'
import type { KioskRoomStore } from '../db/kiosk-room-store.ts'
import type { RoomsStore } from '../db/rooms-store.ts'
import type { SessionInfo } from '../db/read-models/session-info.ts'
import type { Person } from './_acting.ts'

/** A record as the kiosk made it (decision 011), after the sync service checked its device signature. */
export type RoomRecord = ReceivedRecord

export interface ConfirmationClaim {
  userId: string
  check: 'online' | 'offline'
  token?: string
}

/**
 * What the sync service hands a record handler: the time, the person logged in, the device, and its own check
 * of a second person's confirmation (the online token again, or an offline one, which is kept but flagged).
 */
export interface RoomRecordContext {
  now: number
  person: Person
  device: { id: string }
  checkConfirmation(c: ConfirmationClaim, purpose: 'incident_confirm' | 'score_sign'): 'online' | 'offline' | 'invalid'
}

export type RoomRecordRefusal = RoomRefusal | { code: 'kiosk.confirmation_invalid'; userId: string }

/** What a stored record adds to its custody-log event (`kiosk.<kind>`), and its flags. */
export interface RoomOutcome {
  flags: string[]
  data: { [k: string]: Canonical }
}

export type RoomRecordHandler = (ctx: RoomRecordContext, record: RoomRecord) => Result<RoomOutcome, RoomRecordRefusal>

/**
 * What the door already holds for a session, read from the sync service's tables (migration 0012): admissions
 * with their overrides, conflicts, and packet states. Absent tables read as nothing.
 */
export interface DoorFacts {
  admissions(sessionId: string): Array<{ roomId: string; candidateId: string; ticketNumber: string; at: number; door: string; override: string | null }>
  conflicts(sessionId: string): Array<{ roomId: string | null; kind: string; subject: string; at: number; resolved: boolean }>
}

/** A tiny in-process bus: the sync service says "a batch of this session was stored"; live streams listen. */
export class KioskEvents {
  private readonly listeners = new Map<string, Set<() => void>>()

  on(sessionId: string, fn: () => void): () => void {
    const set = this.listeners.get(sessionId) ?? new Set()
    set.add(fn)
    this.listeners.set(sessionId, set)
    return () => {
      set.delete(fn)
      if (set.size === 0) this.listeners.delete(sessionId)
    }
  }

  emit(sessionId: string): void {
    for (const fn of [...(this.listeners.get(sessionId) ?? [])]) {
      try {
        fn()
      } catch (err) {
        console.error('[custody] kiosk event listener:', err)
      }
    }
  }

  /** How many listeners a session has (closed streams must leave none behind). */
  count(sessionId?: string): number {
    if (sessionId !== undefined) return this.listeners.get(sessionId)?.size ?? 0
    let n = 0
    for (const s of this.listeners.values()) n += s.size
    return n
  }
}

export interface IncidentView extends Incident {
  status: IncidentStatus
  group: string
  second: IncidentConfirmation | null
  candidateRefused: IncidentConfirmation | null
}

export interface RoomLive {
  room: { id: string; name: string }
  expected: number
  admitted: number
  overrides: number
  incidents: { total: number; violations: number; awaitingSecond: number }
  conflicts: number
  packets: Array<{ id: string; state: string }>
  /** The finish in this room after evacuations. */
  finishesAt: number
}

export interface LiveSnapshot {
  session: { id: string; name: string; startsAt: number; endsAt: number; status: string }
  generatedAt: number
  rooms: RoomLive[]
  conflicts: Array<{ roomId: string | null; kind: string; subject: string; at: number; resolved: boolean }>
}

export interface RoomRecordSheet {
  session: SessionInfo
  room: { id: string; name: string }
  site: { id: string; name: string } | null
  finishesAt: number
  staff: Array<{ userId: string; displayName: string; duty: string }>
  attendance: Array<{
    seat: number
    candidateId: string
    name: string
    ticketNumber: string | null
    state: 'present' | 'late' | 'absent'
    at: number | null
    override: string | null
  }>
  incidents: IncidentView[]
  people: ReadonlyMap<string, string>
}

const NOTHING: DoorFacts = { admissions: () => [], conflicts: () => [] }

/**
 * What happens inside the room (R6.3, R7.1): incidents and their confirmations, practical score sheets, the
 * printable room record and the supervisors' live view. Records arrive through the sync service, which calls
 * the handlers here inside its transaction and appends the `kiosk.<kind>` event with the data they return.
 */
export class KioskRoom {
  readonly events = new KioskEvents()

  constructor(
    private readonly db: Database,
    private readonly store: KioskRoomStore,
    private readonly rooms: Pick<RoomsStore, 'seats' | 'seatOf' | 'staff' | 'room' | 'site' | 'sessionRooms'>,
    private readonly sessions: { session(id: string): SessionInfo | null },
    private readonly facts: {
      candidateName(id: string): string | null
      ticketOf(sessionId: string, candidateId: string): string | null
      userName(id: string): string | null
      scoreItems(sessionId: string): ScoreItem[]
      packets(sessionId: string): Array<{ id: string; roomId: string | null; state: string }>
    },
    private door: DoorFacts = NOTHING,
  ) {}

  /**
   * The items a practical session is scored on (the room package carries the same list): the subject, out of its
   * maximum mark; none for other sessions.
   */
  scoreItems(sessionId: string): ScoreItem[] {
    return this.facts.scoreItems(sessionId)
  }

  /** The sync service's read of admissions and conflicts (set once it exists). */
  useDoorFacts(door: DoorFacts): void {
    this.door = door
  }

  /** The named candidate if seated in this room (one primary-key read: a session may seat 30,000 people). */
  private seatedHere(sessionId: string, roomId: string, candidateId: string | null): Set<string> {
    const seat = candidateId ? this.rooms.seatOf(sessionId, candidateId) : null
    return new Set(seat && seat.room_id === roomId ? [seat.candidate_id] : [])
  }

  private staffOf(sessionId: string, roomId: string, duty: 'invigilator' | 'examiner'): string[] {
    return this.rooms
      .staff(sessionId)
      .filter((a) => a.roomId === roomId && a.duty === duty)
      .map((a) => a.userId)
  }

  /** The record handlers, by kind, for the sync service's registry. */
  readonly handlers: Readonly<Record<'incident' | 'incident_confirm' | 'score_sheet', RoomRecordHandler>> = {
    incident: (ctx, r) => this.incident(ctx, r),
    incident_confirm: (ctx, r) => this.incidentConfirm(ctx, r),
    score_sheet: (ctx, r) => this.scoreSheet(ctx, r),
  }

  /** An incident: checked against the room's roster and stored with its seized items. */
  incident(ctx: RoomRecordContext, r: RoomRecord): Result<RoomOutcome, RoomRecordRefusal> {
    const b = r.body
    const d = decideIncident(
      {
        candidateId: typeof b.candidateId === 'string' ? b.candidateId : null,
        kind: String(b.kind ?? ''),
        at: b.at as number,
        description: typeof b.description === 'string' ? b.description : '',
        photo: typeof b.photo === 'string' ? b.photo : null,
        seized: Array.isArray(b.seized) ? (b.seized as Array<{ item: string; count: number }>) : [],
        receiptNumber: typeof b.receiptNumber === 'string' ? b.receiptNumber : null,
        stoppedAt: (b.stoppedAt as number | undefined) ?? null,
        restartedAt: (b.restartedAt as number | undefined) ?? null,
      },
      { id: r.id, sessionId: r.sessionId, roomId: r.roomId, recordedBy: r.userId, madeAt: r.madeAt },
      { candidateIds: this.seatedHere(r.sessionId, r.roomId, typeof b.candidateId === 'string' ? b.candidateId : null) },
    )
    if (!d.ok) return d
    const i = d.value
    this.store.insertIncident(i, ctx.device.id, ctx.now)
    const spec = incidentKind(i.kind)!
    return ok({
      flags: [],
      data: {
        incident: i.id,
        kind: i.kind,
        group: spec.group,
        article: spec.cite ? `${spec.cite.article}.${spec.cite.item}` : null,
        candidate: i.candidateId,
        at: i.at,
        seized: i.seized.length,
        receipt: i.receiptNumber,
        photo: i.photo !== null,
      },
    })
  }

  /** A second invigilator's signature on a violation, or the candidate's refusal to sign. */
  incidentConfirm(ctx: RoomRecordContext, r: RoomRecord): Result<RoomOutcome, RoomRecordRefusal> {
    const b = r.body
    const incidentId = String(b.incidentId ?? '')
    const incident = this.store.incident(incidentId)
    // An incident of another room or session is not found here: a record speaks only for its own room.
    const mine = incident && incident.sessionId === r.sessionId && incident.roomId === r.roomId ? incident : null
    const refused = b.refusedToSign === true
    let second: { userId: string; check: 'online' | 'offline' } | undefined
    const flags: string[] = []
    if (!refused && b.second && typeof b.second === 'object') {
      const claim = b.second as ConfirmationClaim
      const check = ctx.checkConfirmation(claim, 'incident_confirm')
      if (check === 'invalid') return refuse({ code: 'kiosk.confirmation_invalid', userId: String(claim.userId) })
      if (check === 'offline') flags.push('offline_confirm')
      second = { userId: claim.userId, check }
    }
    const d = decideConfirmation(
      mine,
      incidentId,
      { id: r.id, by: r.userId, second, refusedToSign: refused, madeAt: r.madeAt },
      mine ? this.store.confirmations(mine.id) : [],
      this.staffOf(r.sessionId, r.roomId, 'invigilator'),
    )
    if (!d.ok) return d
    this.store.insertConfirmation(d.value, ctx.now)
    return ok({ flags, data: { incident: incidentId, type: d.value.type, second: d.value.type === 'second' ? d.value.userId : null } })
  }

  /** A signed score sheet, or a correction replacing the one in force. */
  scoreSheet(ctx: RoomRecordContext, r: RoomRecord): Result<RoomOutcome, RoomRecordRefusal> {
    const b = r.body
    const claim = (b.examiner ?? {}) as ConfirmationClaim
    const check = ctx.checkConfirmation(claim, 'score_sign')
    if (check === 'invalid') return refuse({ code: 'kiosk.confirmation_invalid', userId: String(claim.userId ?? '') })
    const candidateId = String(b.candidateId ?? '')
    const d = decideScoreSheet(
      {
        candidateId,
        items: Array.isArray(b.items) ? (b.items as ScoreSheet['items']) : [],
        examiner: { userId: claim.userId, check },
        replaces: typeof b.replaces === 'string' ? b.replaces : null,
        reason: typeof b.reason === 'string' ? b.reason : null,
      },
      { id: r.id, sessionId: r.sessionId, roomId: r.roomId, recordedBy: r.userId, madeAt: r.madeAt },
      {
        candidateIds: this.seatedHere(r.sessionId, r.roomId, candidateId),
        scoreItems: this.scoreItems(r.sessionId),
        roomExaminers: this.staffOf(r.sessionId, r.roomId, 'examiner'),
        sheetsOfCandidate: this.store.sheetsOfCandidate(r.sessionId, candidateId),
      },
    )
    if (!d.ok) return d
    this.store.insertSheet(d.value, ctx.device.id, r.signature, ctx.now)
    return ok({
      flags: check === 'offline' ? ['offline_confirm'] : [],
      data: {
        sheet: d.value.id,
        candidate: candidateId,
        examiner: d.value.examinerId,
        items: d.value.items.map((i) => ({ itemId: i.itemId, score: i.score })),
        replaces: d.value.replaces,
        reason: d.value.reason,
      },
    })
  }

  /** A session's incidents (of one room or all) with where each stands. */
  incidents(sessionId: string, roomId: string | null = null): IncidentView[] {
    const confirmations = this.store.confirmationsOfSession(sessionId)
    return this.store.incidents(sessionId, roomId).map((i) => {
      const mine = confirmations.filter((c) => c.incidentId === i.id)
      return {
        ...i,
        group: incidentKind(i.kind)?.group ?? 'event',
        status: incidentStatus(i, mine),
        second: mine.find((c) => c.type === 'second') ?? null,
        candidateRefused: mine.find((c) => c.type === 'refused') ?? null,
      }
    })
  }

  /** Score sheets of a room: each candidate's sheet in force, and the replaced ones (kept). */
  scoreSheets(sessionId: string, roomId: string): { current: ScoreSheet[]; replaced: ScoreSheet[] } {
    const all = this.store.sheets(sessionId, roomId)
    const byCandidate = new Map<string, ScoreSheet[]>()
    for (const s of all) byCandidate.set(s.candidateId, [...(byCandidate.get(s.candidateId) ?? []), s])
    const current = [...byCandidate.values()].map((l) => currentSheet(l)).filter((s): s is ScoreSheet => s !== null)
    const ids = new Set(current.map((s) => s.id))
    return { current, replaced: all.filter((s) => !ids.has(s.id)) }
  }

  private sessionName(s: SessionInfo): string {
    return [s.occupationName, s.subjectName].filter(Boolean).join(' · ') || s.id
  }

  /** The supervisors' live view of a session: each room's door, incidents, conflicts and packets. */
  live(sessionId: string, now: number): LiveSnapshot | null {
    const session = this.sessions.session(sessionId)
    if (!session) return null
    const seats = this.rooms.seats(sessionId)
    const admissions = this.door.admissions(sessionId)
    const conflicts = this.door.conflicts(sessionId)
    const incidents = this.incidents(sessionId)
    const packets = this.facts.packets(sessionId)
    const rooms = this.rooms.sessionRooms(sessionId).map((room): RoomLive => {
      const admittedHere = new Set(admissions.filter((a) => a.roomId === room.id).map((a) => a.candidateId))
      const inc = incidents.filter((i) => i.roomId === room.id)
      return {
        room: { id: room.id, name: room.name },
        expected: seats.filter((s) => s.room_id === room.id).length,
        admitted: admittedHere.size,
        overrides: admissions.filter((a) => a.roomId === room.id && a.override !== null).length,
        incidents: {
          total: inc.length,
          violations: inc.filter((i) => i.group !== 'event').length,
          awaitingSecond: inc.filter((i) => i.status === 'awaiting_second').length,
        },
        conflicts: conflicts.filter((c) => c.roomId === room.id && !c.resolved).length,
        packets: packets.filter((p) => p.roomId === room.id).map((p) => ({ id: p.id, state: p.state })),
        finishesAt: finishAfterStops(session.endsAt, inc),
      }
    })
    return {
      session: { id: session.id, name: this.sessionName(session), startsAt: session.startsAt, endsAt: session.endsAt, status: session.status },
      generatedAt: now,
      rooms,
      conflicts,
    }
  }

  /** The room record (考场记录表, R6.3) of one room of a session, or null if the room is not the session's. */
  roomRecord(sessionId: string, roomId: string): RoomRecordSheet | null {
    const session = this.sessions.session(sessionId)
    const room = this.rooms.sessionRooms(sessionId).find((r) => r.id === roomId)
    if (!session || !room) return null
    const people = new Map<string, string>()
    const nameOf = (id: string) => {
      if (!people.has(id)) people.set(id, this.facts.userName(id) ?? id)
      return people.get(id)!
    }
    const staff = this.rooms
      .staff(sessionId)
      .filter((a) => a.roomId === roomId || a.roomId === null)
      .map((a) => ({ userId: a.userId, displayName: nameOf(a.userId), duty: a.duty }))
    const admissions = this.door.admissions(sessionId).filter((a) => a.roomId === roomId)
    const lateAfter = session.startsAt
    const attendance = this.rooms
      .seats(sessionId)
      .filter((s) => s.room_id === roomId)
      .map((s) => {
        const a = admissions.filter((x) => x.candidateId === s.candidate_id).sort((x, y) => x.at - y.at)[0]
        return {
          seat: s.seat,
          candidateId: s.candidate_id,
          name: this.facts.candidateName(s.candidate_id) ?? s.candidate_id,
          ticketNumber: this.facts.ticketOf(sessionId, s.candidate_id),
          state: (!a ? 'absent' : a.at > lateAfter ? 'late' : 'present') as 'present' | 'late' | 'absent',
          at: a?.at ?? null,
          override: a?.override ?? null,
        }
      })
    const incidents = this.incidents(sessionId, roomId)
    for (const i of incidents) {
      nameOf(i.recordedBy)
      if (i.second) nameOf(i.second.userId)
      if (i.candidateRefused) nameOf(i.candidateRefused.userId)
    }
    const site = room.siteId ? this.rooms.site(room.siteId) : null
    return {
      session,
      room: { id: room.id, name: room.name },
      site: site ? { id: site.id, name: site.name } : null,
      finishesAt: finishAfterStops(session.endsAt, incidents),
      staff,
      attendance,
      incidents,
      people,
    }
  }

  /** Runs a handler in its own transaction (tests, and the sync service if it prefers not to nest). */
  inTransaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate()
  }
}
