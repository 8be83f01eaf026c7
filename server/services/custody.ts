import type { Database } from 'bun:sqlite'
import { randomUUID } from 'node:crypto'
import type { LogEvent } from '../../audit/index.ts'
import { type Result, ok, refuse } from '../domain/_result.ts'
import type { Role } from '../domain/accounts/index.ts'
import { civilDateOf } from '../domain/calendar/index.ts'
import {
  type Actor as DomainActor,
  type Condition,
  type CustodyEventDraft,
  type CustodyRefusal,
  type DisposalList,
  type Handover,
  type HandoverAction,
  type Incident,
  type Packet,
  type PacketDecision,
  type PacketMove,
  type Paper,
  type RecoveryCounts,
  type ScreenedPacket,
  ALERT_PREFIX,
  alertFor,
  closeHandover,
  confirmHandover,
  decideArchive,
  decideDispose,
  decideOpen,
  decideReconcile,
  decideRecovery,
  decideReseal,
  decideSeal,
  decideStore,
  decideVoid,
  earliestOpening,
  hideSeal,
  isAlert,
  movesFor,
  normalizeSeal,
  offerHandover,
  screenPacket,
  sealHiddenFrom,
} from '../domain/custody/index.ts'
import type { PacketFilter, PacketStore } from '../db/packet-store.ts'
import type { RoomsStore } from '../db/rooms-store.ts'
import type { SessionInfoReads } from '../db/read-models/session-info.ts'
import { LEVEL_NAMES, type Level } from '../domain/registration/index.ts'
import type { CustodyAlert, LeakStore } from '../db/leak-store.ts'
import type { Accounts, WitnessError } from './accounts.ts'
import type { Actor, CustodyLog } from './custody-log.ts'
import { type Person, domainActor } from './_acting.ts'
import type { CustodyFacts } from './_custody-facts.ts'

/** A person making a custody call: the log's actor for a logged-in user (actorOf), never the system. */

/** Who reads custody records, in the roles the route accepted them in. */
export interface Viewer {
  userId: string
  roles: readonly Role[]
}

/** A second person's own credentials, given in the same request (a witness, a second opener). */
export interface Credentials {
  username: string
  password: string
}

export type CustodyError =
  | CustodyRefusal
  | WitnessError
  | { code: 'packet.not_found'; id: string }
  | { code: 'paper.not_found'; id: string }
  | { code: 'session.not_found'; id: string }
  | { code: 'handover.not_found'; id: string }
  | { code: 'handover.receiver_unknown'; username: string }
  | { code: 'alert.not_found'; id: string }
  | { code: 'alert.already_acknowledged'; id: string }
  | { code: 'packet.seal_hidden'; packetId: string }

/** The witnessed or single-person moves of POST /api/packets/{id}/moves (handovers, opening, recovery, disposal and leaks have their own calls). */
export const MOVE_ACTIONS = ['seal', 'store', 'reseal', 'reconcile', 'archive', 'void'] as const
export type MoveAction = (typeof MOVE_ACTIONS)[number]

export interface MoveCommand {
  action: MoveAction
  /** The new seal (seal, reseal); for store and reconcile, the seal seen when `sealSeen` is not given. */
  sealNumber?: string
  sealSeen?: string
  witness?: Credentials
  reason?: string
}

export interface HandoverCommand {
  action: HandoverAction
  receiver: string
  place: string
  sealSeen: string | null
  condition: Condition
}

/** What the packet page shows: the record, its paper, the moves the caller could start, the open offer. */
/** Where a packet belongs, by name, for people (the packet itself holds ids). */
export interface PacketPlace {
  session: { id: string; occupationName: string; level: number; levelName: string; subjectName: string; startsAt: number } | null
  room: { id: string; name: string } | null
  site: { id: string; name: string } | null
}

/** The rooms store's reads that name a packet's place (custody decides nothing with them). */
export type PlaceNames = Pick<RoomsStore, 'room' | 'site'> & Pick<SessionInfoReads, 'session'>

export interface PacketView {
  /** Screened for the viewer: a seal they still have to check blind is left out (decision record 006). */
  packet: ScreenedPacket
  paper: Paper | null
  place: PacketPlace
  moves: PacketMove[]
  pendingHandover: Handover | null
  handovers: Handover[]
  incidents: Incident[]
  /** When the packet may be opened in its room (the session's start less the batch's opening lead), epoch ms; null without a session. */
  opensAt: number | null
}

/** Someone who may receive a packet's next handover, by name (decision record 010). */
export interface Receiver {
  id: string
  username: string
  displayName: string
  roles: Role[]
  /** An invigilator assigned to the packet's own room in its session. */
  assigned: boolean
}

/** An alert with the custody event that raised it (R5.4: supervisors see it at once). */
export interface AlertView extends CustodyAlert {
  acknowledged: boolean
  action: string
  time: string
  subject: { type: string; id: string } | null
  where: { site?: string; room?: string } | null
  data: LogEvent['data']
}

/** Roles that see every packet; invigilators see the packets of their rooms, the ones they hold and the ones offered to them. */
export const ALL_PACKETS_ROLES: readonly Role[] = ['custodian', 'supervisor', 'admin']

/**
 * Appends a decision's event drafts as `actor` (inside the caller's transaction) and raises a supervisor
 * alert row for each alert event, pointing at its log index. Shared by the packet and leak services.
 */
export function appendCustodyEvents(log: CustodyLog, alerts: LeakStore, actor: Actor, drafts: readonly CustodyEventDraft[], now: number): LogEvent[] {
  return drafts.map((d) => {
    const event = log.append({ actor, action: d.action, subject: d.subject, where: d.where, data: d.data })
    if (isAlert(d)) {
      alerts.insertAlert({
        id: randomUUID(),
        kind: d.action.slice(ALERT_PREFIX.length),
        logIndex: event.index,
        subjectType: d.subject.type,
        subjectId: d.subject.id,
        createdAt: now,
      })
    }
    return event
  })
}

/**
 * Packet custody after printing (R5.2–R5.5): witnessed moves, two-sided handovers, opening and recovery in
 * the room, archive and disposal, and the supervisors' alerts. Each call decides with the custody domain
 * and commits the records, their events and any alert rows in ONE transaction; a refusal changes nothing,
 * and a refusal that is also an alarm (a seal that does not match, a damaged packet) appends its alert in a
 * transaction of its own.
 */
export class Custody {
  constructor(
    private readonly db: Database,
    private readonly store: PacketStore,
    private readonly desk: LeakStore,
    private readonly accounts: Pick<Accounts, 'verifyCredentials' | 'list'>,
    private readonly log: CustodyLog,
    private readonly clock: () => number,
    private readonly places: PlaceNames,
    /** Its paper, session, batch settings, room staff and accounts, each from its own store. */
    private readonly facts: CustodyFacts,
  ) {}

  // ---------- reading ----------

  packet(id: string): Packet | null {
    return this.store.packet(id)
  }

  /** Whether the viewer may see this packet (invigilators: their rooms, what they hold, what is offered to them). */
  canSee(v: Viewer, p: Packet): boolean {
    if (v.roles.some((r) => ALL_PACKETS_ROLES.includes(r))) return true
    if ('userId' in p.holder && p.holder.userId === v.userId) return true
    if (this.store.pendingHandover(p.id)?.receiver === v.userId) return true
    return p.roomId !== null && this.facts.invigilatedRooms(v.userId).some((a) => a.sessionId === p.examSessionId && a.roomId === p.roomId)
  }

  packets(v: Viewer, filter: PacketFilter): ScreenedPacket[] {
    const all = this.store.packets(filter)
    const seen = v.roles.some((r) => ALL_PACKETS_ROLES.includes(r)) ? all : all.filter((p) => this.canSee(v, p))
    return seen.map((p) => this.screen(v, p))
  }

  view(v: Viewer, id: string): PacketView | null {
    const packet = this.store.packet(id)
    if (!packet || !this.canSee(v, packet)) return null
    const hidden = this.sealHidden(v, packet)
    const screen = <T>(x: T): T => (hidden && packet.sealNumber !== null ? hideSeal(x, packet.sealNumber) : x)
    return {
      packet: screenPacket(packet, hidden),
      paper: this.facts.paper(packet.paperId),
      place: this.placeOf(packet),
      // Freezing and thawing follow a leak report and its decision (R5.4); they are not started from a packet.
      moves: movesFor(packet, { userId: v.userId, roles: v.roles }).filter((m) => m.action !== 'freeze' && m.action !== 'unfreeze'),
      pendingHandover: screen(this.store.pendingHandover(id)),
      handovers: screen(this.store.handoversOf(id)),
      incidents: this.store.incidentsOf(id),
      opensAt: this.opensAt(packet),
    }
  }

  /** When the packet's room may open it (R5.3: not before the set time), epoch ms. */
  opensAt(packet: Packet): number | null {
    const session = this.facts.session(packet.examSessionId)
    return session ? earliestOpening(session.startsAt, this.facts.settings(session.batchId).openMinutesBefore) : null
  }

  /**
   * The people who may receive this packet's `action` handover from the viewer (R5.3): enabled accounts in a role
   * the move lets receive, other than the viewer; invigilators of the packet's room first. Null when the viewer
   * may not see the packet; an empty list when the move is not theirs to offer now.
   */
  receivers(v: Viewer, packetId: string, action: HandoverAction): Receiver[] | null {
    const packet = this.store.packet(packetId)
    if (!packet || !this.canSee(v, packet)) return null
    const move = movesFor(packet, { userId: v.userId, roles: v.roles }).find((m) => m.action === action && m.receiver)
    if (!move) return []
    const room = new Set(packet.roomId === null ? [] : this.facts.roomInvigilators(packet.examSessionId, packet.roomId))
    return this.accounts
      .list()
      .filter((u) => !u.disabled && u.id !== v.userId && u.roles.some((r) => move.receiver!.includes(r)))
      .map((u) => ({ id: u.id, username: u.username, displayName: u.displayName, roles: u.roles, assigned: room.has(u.id) && u.roles.includes('invigilator') }))
      .sort((a, b) => Number(b.assigned) - Number(a.assigned) || a.displayName.localeCompare(b.displayName, 'zh-CN'))
  }

  // ---------- blind seal checks (R5.3, decision record 006) ----------

  /** Whether the viewer still has a blind check of this packet's seal to make: its open offer's receiver, or an invigilator of its room before opening. */
  sealHidden(v: Pick<Viewer, 'userId'>, p: Packet): boolean {
    if (p.sealNumber === null) return false
    return sealHiddenFrom(p, v.userId, {
      offeredTo: this.store.pendingHandover(p.id)?.receiver ?? null,
      roomInvigilators: p.roomId === null ? [] : this.facts.roomInvigilators(p.examSessionId, p.roomId),
    })
  }

  /** The packet as this viewer may read it: without a seal they have yet to check blind. */
  screen(v: Pick<Viewer, 'userId'>, p: Packet): ScreenedPacket {
    return screenPacket(p, this.sealHidden(v, p))
  }

  /** A handover as this viewer may read it: the seal the giver saw is left out while it is the viewer's to check. */
  screenHandover(v: Pick<Viewer, 'userId'>, h: Handover): Handover {
    const p = this.store.packet(h.packetId)
    return p && p.sealNumber !== null && this.sealHidden(v, p) ? hideSeal(h, p.sealNumber) : h
  }

  /** The first of these packets whose seal is hidden from the viewer (a signed report cannot be cut: it is refused). */
  firstHidden(v: Pick<Viewer, 'userId'>, packets: readonly Packet[]): Packet | null {
    return packets.find((p) => this.sealHidden(v, p)) ?? null
  }

  /** The names of a packet's session, room and site. */
  placeOf(packet: Pick<Packet, 'examSessionId' | 'roomId'>): PacketPlace {
    const session = this.places.session(packet.examSessionId)
    const room = packet.roomId ? this.places.room(packet.roomId) : null
    const site = room ? this.places.site(room.siteId) : null
    return {
      session: session && {
        id: session.id,
        occupationName: session.occupationName,
        level: session.level,
        levelName: LEVEL_NAMES[session.level as Level] ?? String(session.level),
        subjectName: session.subjectName,
        startsAt: session.startsAt,
      },
      room: room && { id: room.id, name: room.name },
      site: site && { id: site.id, name: site.name },
    }
  }

  /** A session by name (occupation, level, subject, start), for reports. */
  sessionPlace(sessionId: string): PacketPlace['session'] {
    return this.placeOf({ examSessionId: sessionId, roomId: null }).session
  }

  /** The names of the packets' rooms, "site room", by room id (for lists; custodians cannot list rooms). */
  roomNames(packets: readonly Packet[]): Record<string, string> {
    const out: Record<string, string> = {}
    for (const p of packets) {
      if (p.roomId === null || p.roomId in out) continue
      const { room, site } = this.placeOf(p)
      if (room) out[room.id] = site ? `${site.name} ${room.name}` : room.name
    }
    return out
  }

  /** Open offers for `receiver` (or all, for custodians and supervisors), and the ones `giver` made. */
  pendingHandovers(receiver?: string): Handover[] {
    return this.store.pendingHandovers(receiver)
  }
  offeredBy(giver: string): Handover[] {
    return this.store.pendingHandovers().filter((h) => h.giver === giver)
  }
  handover(id: string): Handover | null {
    return this.store.handover(id)
  }

  /** R5.5: archived packets whose 3 years are over on the CST date of `now` (default: the clock). */
  disposalsDue(now = this.clock()): { today: string; packets: Packet[] } {
    const today = civilDateOf(now)
    return { today, packets: this.store.archived().filter((p) => p.retention !== null && p.retention.disposableFrom <= today) }
  }

  // ---------- moves ----------

  /** Seal, store, reseal, reconcile, archive or void: one person, witnessed where the table says so. */
  async move(caller: Person, packetId: string, cmd: MoveCommand, address: string): Promise<Result<PacketDecision, CustodyError>> {
    const witness = cmd.witness ? await this.witness(cmd.witness, address) : ok(null)
    if (!witness.ok) return witness
    return this.decide(caller, (): Result<PacketDecision, CustodyError> => {
      const packet = this.store.packet(packetId)
      if (!packet) return refuse({ code: 'packet.not_found', id: packetId })
      const now = this.clock()
      const actor = domainActor(caller)
      // A missing witness is passed on as null: the domain refuses it (twoperson.second_required) after the
      // state and role checks and before it reads the witness.
      const w = witness.value as DomainActor
      const seen = cmd.sealSeen ?? cmd.sealNumber ?? ''
      const fresh = (s: string | undefined) => ({ sealTaken: this.store.sealTaken(normalizeSeal(s ?? '')) })
      let d: Result<PacketDecision, CustodyRefusal>
      switch (cmd.action) {
        case 'seal':
          d = decideSeal(packet, { actor, witness: w, sealNumber: cmd.sealNumber ?? '' }, fresh(cmd.sealNumber), now)
          break
        case 'store':
          d = decideStore(packet, { actor, witness: w, sealSeen: seen }, now)
          break
        case 'reseal':
          d = decideReseal(packet, { actor, witness: w, sealNumber: cmd.sealNumber ?? '' }, fresh(cmd.sealNumber), now)
          break
        case 'reconcile':
          d = decideReconcile(packet, { actor, sealSeen: seen }, now)
          break
        case 'void':
          d = decideVoid(packet, { actor, witness: witness.value, reason: cmd.reason ?? '' }, now)
          break
        case 'archive': {
          const session = this.facts.session(packet.examSessionId)
          if (!session) return refuse({ code: 'session.not_found', id: packet.examSessionId })
          d = decideArchive(packet, { actor, witness: w, examDate: civilDateOf(session.startsAt) }, now)
          break
        }
      }
      if (!d.ok) return d
      this.store.savePacket(d.value.packet, packet)
      appendCustodyEvents(this.log, this.desk, caller, d.value.events, now)
      return d
    })
  }

  // ---------- handovers (R5.3) ----------

  /** The giver (the caller) offers the packet to a named receiver, recording the seal seen, condition and place. */
  offerHandover(caller: Person, packetId: string, cmd: HandoverCommand): Result<Handover, CustodyError> {
    return this.decide(caller, (): Result<Handover, CustodyError> => {
      const packet = this.store.packet(packetId)
      if (!packet) return refuse({ code: 'packet.not_found', id: packetId })
      const paper = this.facts.paper(packet.paperId)
      if (!paper) return refuse({ code: 'paper.not_found', id: packet.paperId })
      const receiver = this.facts.account(cmd.receiver)
      if (!receiver || receiver.disabled) return refuse({ code: 'handover.receiver_unknown', username: cmd.receiver })
      const now = this.clock()
      const d = offerHandover(
        packet,
        paper,
        {
          id: randomUUID(),
          action: cmd.action,
          giver: domainActor(caller),
          receiver: { userId: receiver.id, roles: receiver.roles },
          place: cmd.place,
          sealSeen: cmd.sealSeen,
          condition: cmd.condition,
        },
        { pending: this.store.pendingHandover(packet.id) },
        now,
      )
      if (!d.ok) return d
      this.store.insertHandover(d.value.handover)
      appendCustodyEvents(this.log, this.desk, caller, d.value.events, now)
      return ok(d.value.handover)
    })
  }

  /** The receiver, logged in themself, confirms what they see: the packet moves to them. */
  confirmHandover(
    caller: Person,
    handoverId: string,
    cmd: { sealSeen: string | null; condition: Condition },
  ): Result<{ handover: Handover; packet: Packet }, CustodyError> {
    return this.decide(caller, (): Result<{ handover: Handover; packet: Packet }, CustodyError> => {
      const handover = this.store.handover(handoverId)
      if (!handover) return refuse({ code: 'handover.not_found', id: handoverId })
      const packet = this.store.packet(handover.packetId)
      if (!packet) return refuse({ code: 'packet.not_found', id: handover.packetId })
      const paper = this.facts.paper(packet.paperId)
      if (!paper) return refuse({ code: 'paper.not_found', id: packet.paperId })
      const now = this.clock()
      const d = confirmHandover(packet, paper, handover, { actor: domainActor(caller), sealSeen: cmd.sealSeen, condition: cmd.condition }, now)
      if (!d.ok) return d
      this.store.savePacket(d.value.packet, packet)
      this.store.saveHandover(d.value.handover)
      appendCustodyEvents(this.log, this.desk, caller, d.value.events, now)
      return ok({ handover: d.value.handover, packet: d.value.packet })
    })
  }

  /** The receiver declines, or the giver withdraws, an open offer. */
  closeHandover(caller: Person, handoverId: string, reason: string): Result<Handover, CustodyError> {
    return this.decide(caller, (): Result<Handover, CustodyError> => {
      const handover = this.store.handover(handoverId)
      if (!handover) return refuse({ code: 'handover.not_found', id: handoverId })
      const now = this.clock()
      const d = closeHandover(handover, { actor: domainActor(caller), reason }, now)
      if (!d.ok) return d
      this.store.saveHandover(d.value.handover)
      appendCustodyEvents(this.log, this.desk, caller, d.value.events, now)
      return ok(d.value.handover)
    })
  }

  // ---------- in the room ----------

  /** Two invigilators of the room open the packet: the caller, and a second who proves it is them with their password. */
  async open(caller: Person, packetId: string, cmd: { sealSeen: string; second: Credentials }, address: string): Promise<Result<PacketDecision, CustodyError>> {
    const second = await this.witness(cmd.second, address)
    if (!second.ok) return second
    return this.decide(caller, () => this.openWithin(caller, packetId, { second: second.value, sealSeen: cmd.sealSeen }))
  }

  /**
   * The opening decided and written inside the caller's transaction (the door kiosk's sync records it with its
   * own event); the second opener was checked by the caller. A refusal writes nothing: see raiseAlertWithin.
   */
  openWithin(caller: Person, packetId: string, cmd: { second: DomainActor; sealSeen: string }): Result<PacketDecision, CustodyError> {
    const packet = this.store.packet(packetId)
    if (!packet) return refuse({ code: 'packet.not_found', id: packetId })
    const paper = this.facts.paper(packet.paperId)
    if (!paper) return refuse({ code: 'paper.not_found', id: packet.paperId })
    const session = this.facts.session(packet.examSessionId)
    if (!session) return refuse({ code: 'session.not_found', id: packet.examSessionId })
    const now = this.clock()
    const d = decideOpen(
      packet,
      paper,
      { actor: domainActor(caller), second: cmd.second, sealSeen: cmd.sealSeen },
      {
        roomInvigilators: packet.roomId === null ? [] : this.facts.roomInvigilators(session.id, packet.roomId),
        sessionStartsAt: session.startsAt,
        openMinutesBefore: this.facts.settings(session.batchId).openMinutesBefore,
      },
      now,
    )
    if (!d.ok) return d
    this.store.savePacket(d.value.packet, packet)
    appendCustodyEvents(this.log, this.desk, caller, d.value.events, now)
    return d
  }

  /** R5.5: an invigilator of the room counts what comes back; a difference is an incident and an alert. */
  recover(caller: Person, packetId: string, counts: RecoveryCounts): Result<{ packet: Packet; incident: Incident | null }, CustodyError> {
    return this.decide(caller, () => this.recoverWithin(caller, packetId, counts))
  }

  /** The recovery decided and written inside the caller's transaction (the door kiosk's sync). */
  recoverWithin(caller: Person, packetId: string, counts: RecoveryCounts): Result<{ packet: Packet; incident: Incident | null }, CustodyError> {
    const packet = this.store.packet(packetId)
    if (!packet) return refuse({ code: 'packet.not_found', id: packetId })
    const now = this.clock()
    const d = decideRecovery(
      packet,
      { actor: domainActor(caller), counts, incidentId: randomUUID() },
      {
        roomInvigilators: packet.roomId === null ? [] : this.facts.roomInvigilators(packet.examSessionId, packet.roomId),
      },
      now,
    )
    if (!d.ok) return d
    this.store.savePacket(d.value.packet, packet)
    if (d.value.incident) this.store.insertIncident(d.value.incident)
    appendCustodyEvents(this.log, this.desk, caller, d.value.events, now)
    return ok({ packet: d.value.packet, incident: d.value.incident })
  }

  /**
   * The supervisors' alert a refusal raises (a seal that does not match, a damaged packet), appended inside the
   * caller's transaction: the door kiosk keeps an offline opening with a wrong seal and alerts as online does.
   */
  raiseAlertWithin(caller: Person, refusal: CustodyError): void {
    if (refusal.code !== 'packet.seal_mismatch' && refusal.code !== 'packet.damaged') return
    const packet = this.store.packet(refusal.packetId)
    const draft = alertFor(refusal, packet?.sealNumber ?? null)
    if (!draft) return
    const room = packet?.roomId ?? null
    appendCustodyEvents(this.log, this.desk, caller, [{ ...draft, where: draft.where ?? (room === null ? null : { room }) }], this.clock())
  }

  // ---------- disposal (R5.5) ----------

  /** A witnessed disposal list: every packet archived and due, or nothing is disposed of. */
  async dispose(
    caller: Person,
    cmd: { packetIds: string[]; method: string; witness: Credentials },
    address: string,
  ): Promise<Result<{ list: DisposalList; packets: Packet[] }, CustodyError>> {
    const witness = await this.witness(cmd.witness, address)
    if (!witness.ok) return witness
    return this.decide(caller, (): Result<{ list: DisposalList; packets: Packet[] }, CustodyError> => {
      const before: Packet[] = []
      for (const id of cmd.packetIds) {
        const p = this.store.packet(id)
        if (!p) return refuse({ code: 'packet.not_found', id })
        before.push(p)
      }
      const now = this.clock()
      const d = decideDispose(before, { actor: domainActor(caller), witness: witness.value, listId: randomUUID(), method: cmd.method }, now)
      if (!d.ok) return d
      d.value.packets.forEach((p, i) => this.store.savePacket(p, before[i]!))
      this.store.insertDisposal(d.value.list)
      appendCustodyEvents(this.log, this.desk, caller, d.value.events, now)
      return ok({ list: d.value.list, packets: d.value.packets })
    })
  }

  // ---------- alerts ----------

  alerts(onlyOpen: boolean): AlertView[] {
    return this.desk.alerts(onlyOpen).map((a) => {
      const e = this.log.entry(a.logIndex)?.event
      return {
        ...a,
        acknowledged: a.acknowledgedAt !== null,
        action: e?.action ?? `${ALERT_PREFIX}${a.kind}`,
        time: e?.time ?? new Date(a.createdAt).toISOString(),
        subject: e?.subject ?? { type: a.subjectType, id: a.subjectId },
        where: e?.where ?? null,
        data: e?.data ?? {},
      }
    })
  }

  /** A supervisor has seen the alert: recorded, and logged against the alert's subject. */
  acknowledgeAlert(caller: Person, id: string): Result<CustodyAlert, CustodyError> {
    return this.db
      .transaction((): Result<CustodyAlert, CustodyError> => {
        const alert = this.desk.alert(id)
        if (!alert) return refuse({ code: 'alert.not_found', id })
        const now = this.clock()
        if (!this.desk.acknowledge(id, caller.user, now)) return refuse({ code: 'alert.already_acknowledged', id })
        // Not 'custody.alert.*': an acknowledgement is not itself an alarm (isAlert).
        this.log.append({
          actor: caller,
          action: 'custody.alert_acknowledged',
          subject: { type: alert.subjectType, id: alert.subjectId },
          data: { alertId: id, kind: alert.kind, logIndex: alert.logIndex },
        })
        return ok({ ...alert, acknowledgedBy: caller.user, acknowledgedAt: now })
      })
      .immediate()
  }

  // ---------- helpers ----------

  private async witness(c: Credentials, address: string): Promise<Result<DomainActor, CustodyError>> {
    const r = await this.accounts.verifyCredentials(c.username, c.password, address)
    return r.ok ? ok({ userId: r.value.userId, roles: r.value.roles }) : r
  }

  /**
   * Runs a decision in one BEGIN IMMEDIATE transaction. A refused seal or a damaged packet changed nothing,
   * so its alert (alertFor) is appended afterwards in a transaction of its own, with an alert row.
   */
  private decide<T>(caller: Person, fn: () => Result<T, CustodyError>): Result<T, CustodyError> {
    const r = this.db.transaction(fn).immediate()
    if (!r.ok && (r.error.code === 'packet.seal_mismatch' || r.error.code === 'packet.damaged')) {
      // The refusal changed nothing, so the packet read now is the one checked: its seal is what was expected.
      const packet = this.store.packet(r.error.packetId)
      const draft = alertFor(r.error, packet?.sealNumber ?? null)
      if (draft) {
        const room = packet?.roomId ?? null
        const where = draft.where ?? (room === null ? null : { room })
        this.db.transaction(() => appendCustodyEvents(this.log, this.desk, caller, [{ ...draft, where }], this.clock())).immediate()
      }
    }
    return r
  }
}
