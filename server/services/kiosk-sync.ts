import type { Database } from 'bun:sqlite'
import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto'
import { type Canonical, canonicalJson } from '../../audit/index.ts'
import { decodeTicket, toHex } from '../../crypto/index.ts'
import { type Result, ok, refuse } from '../domain/_result.ts'
import type { Role } from '../domain/accounts/index.ts'
import type { Device, ReceivedRecord, RoomPackage } from '../domain/kiosk/index.ts'
import {
  FLAG_OFFLINE_CONFIRM,
  arrivalFlags,
  classifyArrival,
  doorsOpenAt,
  hashedPart,
  judgeAdmission,
  lateUntil,
  mergeFlags,
  wouldRefuse,
} from '../domain/kiosk/index.ts'
import type { Packet, Paper, RecoveryCounts } from '../domain/custody/index.ts'
import type { StaffAssignment } from '../domain/rooms/index.ts'
import type { ConflictKind, KioskRecordStore } from '../db/kiosk-record-store.ts'
import type { SessionInfo } from '../db/read-models/session-info.ts'
import type { RoomsStore } from '../db/rooms-store.ts'
import type { Ticket } from '../db/ticket-store.ts'
import type { Person } from './_acting.ts'
import { rosterPhoto } from './_kiosk-photo.ts'
import type { CustodyLog } from './custody-log.ts'
import type { Custody } from './custody.ts'
import type { RefusalLog } from './refusal-log.ts'

// ---------- shapes (server/domain/kiosk defines the package and the record; server/http/kiosk the zod schemas) ----------

/** The room package and a record as received: one definition each, in the domain (the browser imports the same types). */
export type { RoomPackage } from '../domain/kiosk/index.ts'
export type KioskRecordIn = ReceivedRecord

export interface SyncResult {
  id: string
  status: 'stored' | 'duplicate' | 'refused'
  flags: string[]
  code?: string
}

export interface ConfirmationClaim {
  userId: string
  check: 'online' | 'offline'
  token?: string
}

/** What a record handler is given: the time, the person logged in, the record's device, and the second-person check. */
export interface KioskRecordContext {
  now: number
  person: Person
  device: { id: string; revoked: boolean }
  /** 'online' for a valid server token, 'offline' for a device-checked one (kept, flagged), 'invalid' otherwise. */
  checkConfirmation(c: ConfirmationClaim, purpose: string): 'online' | 'offline' | 'invalid'
}

/** A handled record: its flags and what its `kiosk.<kind>` event carries; `afterStored` writes rows that point at it. */
export interface KioskRecordOutcome {
  flags: string[]
  data: { [k: string]: Canonical }
  afterStored?: () => void
}

/** Handles one kind of record inside the sync's transaction; a refusal writes nothing and stores nothing. */
export type KioskRecordHandler = (ctx: KioskRecordContext, record: KioskRecordIn) => Result<KioskRecordOutcome, { code: string }>

export type PackageRefusal =
  | { code: 'scope.not_assigned'; sessionId: string }
  | { code: 'session.not_found'; id: string }
  | { code: 'room.not_attached'; roomId: string }

export type SyncRefusalCode =
  | 'kiosk.record_id_reused'
  | 'kiosk.record_device_unknown'
  | 'kiosk.record_signature_invalid'
  | 'kiosk.record_not_yours'
  | 'kiosk.record_kind_unknown'
  | 'kiosk.record_invalid'
  | 'kiosk.confirmation_invalid'
  | 'scope.not_assigned'

export type ConfirmationPurpose = 'packet_open' | 'incident_confirm' | 'score_sign'

/** How long a second person's online confirmation stays good (decision 011). */
export const CONFIRMATION_TTL_MS = 10 * 60_000
/** A token issued a little after the record's kiosk time is still its own (kiosk clocks drift; requests allow 5 minutes). */
const CONFIRMATION_SKEW_MS = 5 * 60_000

/** Packet states a packet is in once it has been opened. */
const OPENED_OR_LATER = ['opened', 'recovered', 'returned', 'reconciled', 'archived', 'destroyed']

/** A practical subject with nothing to derive items from is scored as one total. */
const PRACTICAL_FALLBACK = [{ id: 'total', name: '总分/Total', max: 100 }]

/** What the sync service reads from other stores (each through its own store or service). */
export interface KioskSyncFacts {
  session(id: string): SessionInfo | null
  rooms: Pick<RoomsStore, 'room' | 'site' | 'sessionRooms' | 'seats' | 'seatOf' | 'staff' | 'staffOfUser' | 'isAttached'>
  liveTicketsOfSession(sessionId: string): Ticket[]
  ticket(number: string): Ticket | null
  candidateName(id: string): string | null
  candidatePhoto(id: string): { bytes: Uint8Array; type: string } | null
  userName(id: string): string | null
  userActive(id: string): { roles: Role[] } | null
  /** Every ticket key valid for the session. */
  keysForSession(sessionId: string): Array<{ keyId: string; publicKey: string }>
  revocations(sessionId: string): { note: string; numbers: string[] } | null
  packets(sessionId: string): Packet[]
  paper(id: string): Paper | null
  /** The practical subject's items ([] when it has none to derive; the service then gives one total item). */
  scoreItems(sessionId: string): Array<{ id: string; name: string; max: number }>
  device(id: string): Device | null
  verifyRecordSignature(device: Pick<Device, 'publicKey'>, record: { signature?: unknown; [k: string]: unknown }): boolean
}

const DUTIES = ['invigilator', 'examiner'] as const
const isDoorDuty = (d: string): d is 'invigilator' | 'examiner' => (DUTIES as readonly string[]).includes(d)
const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 && v.length <= 200 ? v : null)

/** A function wrapped by db.transaction: called inside a transaction it runs in a savepoint. */
type Tx<A extends unknown[], T> = ((...args: A) => T) & { immediate: (...args: A) => T }

/** What one sync batch reads many times, read once inside its transaction. */
class BatchReads {
  readonly sessions = new Map<string, SessionInfo | null>()
  readonly assigned = new Map<string, boolean>()
}

/** Thrown out of a record's savepoint so that it rolls back; carries the record's answer. */
class RecordRefused extends Error {
  constructor(readonly result: SyncResult) {
    super(`kiosk record refused: ${result.code}`)
    this.name = 'RecordRefused'
  }
}

/**
 * The server side of the door kiosk (decision 011): the room package a tablet downloads, the sync of the records
 * it made (idempotent by the client id alone; one transaction per upload, a savepoint and one `kiosk.<kind>` event
 * per record; door decisions made offline are kept and flagged, never undone), and second persons' confirmation tokens.
 */
export class KioskSync {
  private readonly handlers = new Map<string, KioskRecordHandler>()
  private readonly photos = new Map<string, string | null>()
  private readonly listeners: Array<(sessionId: string) => void> = []
  private readonly syncBatch: Tx<[Person, Device, readonly KioskRecordIn[]], SyncResult[]>
  private readonly syncRecord: Tx<[Person, Device, KioskRecordIn], SyncResult>
  /** Reads kept for the length of one batch's transaction (nothing in a batch changes them). */
  private reads: BatchReads | null = null

  constructor(
    db: Database,
    private readonly store: KioskRecordStore,
    private readonly log: CustodyLog,
    private readonly refusals: Pick<RefusalLog, 'record'>,
    private readonly clock: () => number,
    private readonly facts: KioskSyncFacts,
    private readonly custody: Pick<Custody, 'openWithin' | 'recoverWithin' | 'raiseAlertWithin'>,
    /** The key of the confirmation tokens' HMAC (32 bytes). */
    private readonly confirmationKey: Uint8Array,
  ) {
    this.syncBatch = db.transaction((person: Person, device: Device, records: readonly KioskRecordIn[]) => this.batchInTransaction(person, device, records))
    this.syncRecord = db.transaction((person: Person, device: Device, r: KioskRecordIn) => this.recordInSavepoint(person, device, r))
    this.register('admission', (ctx, r) => this.admission(ctx, r))
    this.register('packet_open', (ctx, r) => this.packetOpen(ctx, r))
    this.register('packet_recover', (ctx, r) => this.packetRecover(ctx, r))
  }

  /** Adds the handler of a record kind (incidents and score sheets are handled in services/kiosk-room.ts). */
  register(kind: string, handler: KioskRecordHandler): void {
    if (this.handlers.has(kind)) throw new Error(`kiosk record kind "${kind}" has a handler already`)
    this.handlers.set(kind, handler)
  }

  /** Called with the session after each sync that stored something (the supervisors' live view). */
  onStored(fn: (sessionId: string) => void): void {
    this.listeners.push(fn)
  }

  // ---------- the room package ----------

  /** Whether the person may hold this room's package: assigned to it (invigilator, examiner), or a supervisor. */
  private mayHold(v: { userId: string; roles: readonly Role[] }, sessionId: string, roomId: string): boolean {
    if (v.roles.includes('supervisor')) return true
    return this.facts.rooms
      .staffOfUser(v.userId, sessionId)
      .some((a) => (a.roomId === roomId || a.roomId === null) && isDoorDuty(a.duty) && v.roles.includes(a.duty as Role))
  }

  /** Everything a door needs to run the session offline; never a seal number. */
  roomPackage(v: { userId: string; roles: readonly Role[] }, sessionId: string, roomId: string): Result<RoomPackage, PackageRefusal> {
    // Scope first: someone not assigned learns nothing, not even whether the session or room exists.
    if (!this.mayHold(v, sessionId, roomId)) return refuse({ code: 'scope.not_assigned', sessionId })
    const session = this.facts.session(sessionId)
    if (!session) return refuse({ code: 'session.not_found', id: sessionId })
    const room = this.facts.rooms.room(roomId)
    if (!room || !this.facts.rooms.isAttached(sessionId, roomId)) return refuse({ code: 'room.not_attached', roomId })
    const site = this.facts.rooms.site(room.siteId)
    const rooms = this.facts.rooms.sessionRooms(sessionId)
    const roomName = new Map(rooms.map((r) => [r.id, r.name]))
    const seats = this.facts.rooms.seats(sessionId).filter((s) => s.room_id === roomId)
    const live = new Map(this.facts.liveTicketsOfSession(sessionId).map((t) => [t.candidateId, t]))
    const roster: RoomPackage['roster'] = []
    for (const s of seats.sort((a, b) => a.seat - b.seat)) {
      const t = live.get(s.candidate_id)
      if (!t || t.roomId !== roomId) continue
      roster.push({
        ticketNumber: t.number,
        candidateId: s.candidate_id,
        name: this.facts.candidateName(s.candidate_id) ?? '',
        seat: s.seat,
        identity: ticketIdentityHex(t.payload),
        photo: this.photo(s.candidate_id),
      })
    }
    const onRoster = new Set(roster.map((r) => r.candidateId))
    const revocations = this.facts.revocations(sessionId) ?? { note: '', numbers: [] }
    const packets = this.facts
      .packets(sessionId)
      .filter((p) => p.roomId === roomId)
      .map((p) => {
        const paper = this.facts.paper(p.paperId)
        const title = paper?.title ?? ''
        // Built field by field: the packet's seal numbers never leave the server this way.
        return {
          id: p.id,
          label: `${room.name} ${title} ${p.copies.first}–${p.copies.last}`.trim(),
          paper: title,
          state: p.state,
          copyFirst: p.copies.first,
          copyLast: p.copies.last,
        }
      })
    const staff: RoomPackage['staff'] = this.facts.rooms
      .staff(sessionId)
      .filter((a: StaffAssignment) => a.roomId === roomId && isDoorDuty(a.duty))
      .map((a) => ({ userId: a.userId, displayName: this.facts.userName(a.userId) ?? '', duty: a.duty as 'invigilator' | 'examiner' }))
    const admissions = this.store
      .admissionsOfSession(sessionId)
      .filter((a) => onRoster.has(a.candidateId))
      .map((a) => ({ ticketNumber: a.ticketNumber, at: a.at, door: roomName.get(a.roomId) ?? a.roomId }))
    let scoreItems: RoomPackage['scoreItems'] = []
    if (session.subjectKind === 'practical') {
      const items = this.facts.scoreItems(sessionId)
      scoreItems = items.length > 0 ? items : PRACTICAL_FALLBACK
    }
    const status = session.status === 'suspended' || session.status === 'completed' ? session.status : 'scheduled'
    return ok({
      version: 1,
      generatedAt: this.clock(),
      session: {
        id: session.id,
        subject: session.subjectName,
        batch: session.batchTitle,
        startsAt: session.startsAt,
        endsAt: session.endsAt,
        doorsOpenAt: doorsOpenAt(session.startsAt),
        lateUntil: lateUntil(session.startsAt),
        status,
      },
      site: { id: room.siteId, name: site?.name ?? '' },
      room: { id: room.id, name: room.name },
      rooms: rooms.map((r) => ({ id: r.id, name: r.name })),
      roster,
      keys: this.facts.keysForSession(sessionId),
      revocations,
      packets,
      staff,
      admissions,
      scoreItems,
    })
  }

  /** A candidate's roster photo, scaled once per stored photo (kept in memory by its hash). */
  private photo(candidateId: string): string | null {
    const p = this.facts.candidatePhoto(candidateId)
    if (!p) return null
    const key = createHash('sha256').update(p.bytes).digest('hex')
    if (!this.photos.has(key)) {
      if (this.photos.size >= 2000) this.photos.delete(this.photos.keys().next().value!)
      this.photos.set(key, rosterPhoto(p.bytes, p.type))
    }
    return this.photos.get(key) ?? null
  }

  // ---------- second persons (confirmations) ----------

  private mac(userId: string, deviceId: string, purpose: string, issuedAt: number): Buffer {
    return createHmac('sha256', this.confirmationKey)
      .update(canonicalJson(['custody/kiosk-confirmation/v1', userId, deviceId, purpose, issuedAt]))
      .digest()
  }

  /** The token a second person's online confirmation carries: issuedAt and the server's HMAC over (user, device, purpose, issuedAt). */
  confirmationToken(userId: string, deviceId: string, purpose: ConfirmationPurpose, issuedAt = this.clock()): string {
    return `${issuedAt}.${this.mac(userId, deviceId, purpose, issuedAt).toString('base64url')}`
  }

  /** Checks a confirmation in a record made at `madeAt` on `deviceId`. */
  checkConfirmation(c: ConfirmationClaim, purpose: string, deviceId: string, madeAt: number): 'online' | 'offline' | 'invalid' {
    if (!c || typeof c.userId !== 'string' || !this.facts.userActive(c.userId)) return 'invalid'
    if (c.check === 'offline') return 'offline'
    if (c.check !== 'online' || typeof c.token !== 'string') return 'invalid'
    const m = /^(\d{1,16})\.([A-Za-z0-9_-]{43})$/.exec(c.token)
    if (!m) return 'invalid'
    const issuedAt = Number(m[1])
    const given = Buffer.from(m[2]!, 'base64url')
    const want = this.mac(c.userId, deviceId, purpose, issuedAt)
    if (given.length !== want.length || !timingSafeEqual(given, want)) return 'invalid'
    return madeAt - issuedAt <= CONFIRMATION_TTL_MS && issuedAt - madeAt <= CONFIRMATION_SKEW_MS ? 'online' : 'invalid'
  }

  // ---------- sync ----------

  /**
   * Stores what it can of a batch in one transaction (one commit per upload), each record in a savepoint of its
   * own: a refused record is rolled back to nothing and its refusal logged in its place, and the records around it
   * are kept. Answers one result per record, in order.
   */
  sync(person: Person, requestDevice: Device, records: readonly KioskRecordIn[]): SyncResult[] {
    const results = this.syncBatch.immediate(person, requestDevice, records)
    const sessions = new Set(records.filter((_, i) => results[i]!.status === 'stored').map((r) => r.sessionId))
    for (const s of sessions) for (const fn of this.listeners) fn(s)
    return results
  }

  /** The batch's transaction (BEGIN IMMEDIATE … COMMIT); what it reads again and again is read once (BatchReads). */
  private batchInTransaction(person: Person, requestDevice: Device, records: readonly KioskRecordIn[]): SyncResult[] {
    this.reads = new BatchReads()
    try {
      return records.map((r) => {
        try {
          return this.syncRecord(person, requestDevice, r)
        } catch (e) {
          if (!(e instanceof RecordRefused)) throw e
          // The record's savepoint is rolled back; its refusal is the log's next event, as for one record alone.
          this.refusals.record({
            actor: person,
            action: 'kiosk.sync',
            subject: { type: 'kiosk_record', id: r.id },
            data: { code: e.result.code!, kind: String(r.kind).slice(0, 40), device: requestDevice.id },
          })
          return e.result
        }
      })
    } finally {
      this.reads = null
    }
  }

  /** One record, run in its savepoint (bun:sqlite nests transactions as savepoints): a refusal rolls back all it wrote. */
  private recordInSavepoint(person: Person, requestDevice: Device, r: KioskRecordIn): SyncResult {
    const result = this.decideOne(person, requestDevice, r)
    if (result.status === 'refused') throw new RecordRefused(result)
    return result
  }

  private session(id: string): SessionInfo | null {
    const m = this.reads?.sessions
    if (!m) return this.facts.session(id)
    if (!m.has(id)) m.set(id, this.facts.session(id))
    return m.get(id)!
  }

  private decideOne(person: Person, requestDevice: Device, r: KioskRecordIn): SyncResult {
    const bodyHash = createHash('sha256')
      .update(canonicalJson(hashedPart(r) as Canonical))
      .digest('hex')
    const stored = this.store.record(r.id)
    const arrival = classifyArrival(stored, bodyHash)
    if (arrival === 'duplicate') return { id: r.id, status: 'duplicate', flags: stored!.flags }
    if (arrival === 'reused') return { id: r.id, status: 'refused', flags: [], code: 'kiosk.record_id_reused' }
    const refused = (code: SyncRefusalCode | string): SyncResult => ({ id: r.id, status: 'refused', flags: [], code })
    // The record's own device signed it; a tablet may carry another tablet's queue of the same site.
    const device = r.deviceId === requestDevice.id ? requestDevice : this.facts.device(r.deviceId)
    if (!device || device.siteId !== requestDevice.siteId) return refused('kiosk.record_device_unknown')
    if (!this.facts.verifyRecordSignature(device, r as unknown as Record<string, unknown>)) return refused('kiosk.record_signature_invalid')
    if (r.userId !== person.user) return refused('kiosk.record_not_yours')
    const room = this.facts.rooms.room(r.roomId)
    if (!room || room.siteId !== device.siteId || !this.assigned(person, r.sessionId, r.roomId)) return refused('scope.not_assigned')
    const handler = this.handlers.get(r.kind)
    if (!handler) return refused('kiosk.record_kind_unknown')
    const now = this.clock()
    const revoked = device.state === 'revoked'
    let flags = arrivalFlags(r, now, { revoked })
    let data: { [k: string]: Canonical } = {}
    let after: (() => void) | undefined
    const ctx: KioskRecordContext = {
      now,
      person,
      device: { id: device.id, revoked },
      checkConfirmation: (c, purpose) => this.checkConfirmation(c, purpose, device.id, r.madeAt),
    }
    if (revoked) {
      // Kept and shown to supervisors, never applied: the tablet may be in the wrong hands.
      after = () => this.conflict(r, 'revoked_device', device.id, [r.id])
    } else {
      const outcome = handler(ctx, r)
      if (!outcome.ok) return refused(outcome.error.code)
      flags = mergeFlags(flags, outcome.value.flags)
      data = outcome.value.data
      after = outcome.value.afterStored
    }
    const event = this.log.append({
      actor: person,
      action: `kiosk.${r.kind}`,
      subject: { type: 'kiosk_record', id: r.id },
      where: { site: room.siteId, room: r.roomId },
      data: { ...data, session: r.sessionId, device: device.id, madeAt: r.madeAt, receivedAt: now, online: r.online, flags },
    })
    this.store.insertRecord({ ...r, receivedAt: now, bodyHash, flags, logIndex: event.index })
    after?.()
    return { id: r.id, status: 'stored', flags }
  }

  private assigned(person: Person, sessionId: string, roomId: string): boolean {
    const m = this.reads?.assigned
    const key = `${person.user}\n${person.roles.join(',')}\n${sessionId}\n${roomId}`
    const known = m?.get(key)
    if (known !== undefined) return known
    const yes = this.facts.rooms
      .staffOfUser(person.user, sessionId)
      .some((a) => (a.roomId === roomId || a.roomId === null) && isDoorDuty(a.duty) && person.roles.includes(a.duty))
    m?.set(key, yes)
    return yes
  }

  private conflict(r: KioskRecordIn, kind: ConflictKind, subject: string, recordIds: string[]): void {
    this.store.insertConflict({ id: randomUUID(), sessionId: r.sessionId, roomId: r.roomId, kind, subject, recordIds, createdAt: this.clock() })
  }

  // ---------- the kinds handled here ----------

  /** An admission is always kept; the server says what it would have refused online, and a second door is a conflict. */
  private admission(_ctx: KioskRecordContext, r: KioskRecordIn): Result<KioskRecordOutcome, { code: string }> {
    const b = r.body
    const ticketNumber = str(b.ticketNumber),
      candidateId = str(b.candidateId)
    const idCheck = b.idCheck === 'matched' || b.idCheck === 'override' ? b.idCheck : null
    const override = b.override && typeof b.override === 'object' ? (b.override as Record<string, unknown>) : null
    if (!ticketNumber || !candidateId || !idCheck || (idCheck === 'override' && !str(override?.reason))) return refuse({ code: 'kiosk.record_invalid' })
    const session = this.session(r.sessionId)
    if (!session) return refuse({ code: 'kiosk.record_invalid' })
    const t = this.facts.ticket(ticketNumber)
    const earlier = this.store.admissionsOfCandidate(r.sessionId, candidateId)
    const judged = judgeAdmission(
      { ticketNumber, candidateId, sessionId: r.sessionId, roomId: r.roomId, deviceId: r.deviceId, at: r.madeAt },
      {
        ticket: t && { candidateId: t.candidateId, sessionId: t.examSessionId, roomId: t.roomId, revoked: t.revokedAt !== null },
        session: { status: session.status, startsAt: session.startsAt },
        seatedHere: this.facts.rooms.seatOf(r.sessionId, candidateId)?.room_id === r.roomId,
        earlier: earlier.map((e) => ({ recordId: e.recordId, roomId: e.roomId, deviceId: e.deviceId, at: e.at })),
      },
    )
    const overrideReason = idCheck === 'override' ? str(override?.reason) : null
    const overrideNote = idCheck === 'override' ? (typeof override?.note === 'string' ? override.note.slice(0, 500) : null) : null
    return ok({
      flags: judged.wouldRefuse ? [wouldRefuse(judged.wouldRefuse)] : [],
      data: {
        candidate: candidateId,
        ticket: ticketNumber,
        idCheck,
        override: overrideReason,
        verdict: typeof b.verdict === 'string' ? b.verdict.slice(0, 40) : null,
        conflict: judged.otherDoor ? 'two_doors' : null,
      },
      afterStored: () => {
        this.store.insertAdmission({
          recordId: r.id,
          sessionId: r.sessionId,
          candidateId,
          ticketNumber,
          roomId: r.roomId,
          deviceId: r.deviceId,
          userId: r.userId,
          at: r.madeAt,
          idCheck,
          overrideReason,
          overrideNote,
        })
        if (judged.otherDoor) this.conflict(r, 'two_doors', candidateId, [judged.otherDoor.recordId, r.id])
      },
    })
  }

  /**
   * A packet opened in the room with the second invigilator's confirmation: applied through custody's own decision.
   * What custody would refuse is kept and flagged; a packet already opened is a conflict; a wrong seal raises the
   * same supervisors' alert as online, and a conflict.
   */
  private packetOpen(ctx: KioskRecordContext, r: KioskRecordIn): Result<KioskRecordOutcome, { code: string }> {
    const b = r.body
    const packetId = str(b.packetId)
    const sealSeen = typeof b.sealSeen === 'string' ? b.sealSeen.slice(0, 64) : null
    const second = b.second as ConfirmationClaim | undefined
    if (!packetId || sealSeen === null || !second) return refuse({ code: 'kiosk.record_invalid' })
    const check = ctx.checkConfirmation(second, 'packet_open')
    if (check === 'invalid') return refuse({ code: 'kiosk.confirmation_invalid' })
    const flags = check === 'offline' ? [FLAG_OFFLINE_CONFIRM] : []
    const data = { packet: packetId, second: second.userId, confirmation: check }
    const opener = this.facts.userActive(second.userId)!
    // Whether an earlier kiosk record already opened it (applied or not): a second opening is a conflict.
    const earlier = this.store.recordsOfSession(r.sessionId).filter((x) => x.kind === 'packet_open' && x.body.packetId === packetId)
    const d = this.custody.openWithin(ctx.person, packetId, { second: { userId: second.userId, roles: opener.roles }, sealSeen })
    if (d.ok) return ok({ flags, data: { ...data, applied: true } })
    const code = d.error.code
    const state = 'state' in d.error ? String(d.error.state) : ''
    const already = earlier.length > 0 || (code === 'packet.wrong_state' && OPENED_OR_LATER.includes(state))
    if (code === 'packet.seal_mismatch') this.custody.raiseAlertWithin(ctx.person, d.error)
    return ok({
      flags: [...flags, wouldRefuse(code)],
      data: { ...data, applied: false, refusal: code },
      afterStored: () => {
        if (code === 'packet.seal_mismatch') this.conflict(r, 'seal_mismatch', packetId, [r.id])
        else if (already) this.conflict(r, 'opened_twice', packetId, [...earlier.map((e) => e.id), r.id])
      },
    })
  }

  /** The room's count at recovery (R5.5), through custody's own decision; a refusal is kept and flagged. */
  private packetRecover(ctx: KioskRecordContext, r: KioskRecordIn): Result<KioskRecordOutcome, { code: string }> {
    const b = r.body
    const packetId = str(b.packetId)
    const counts = b.counts as RecoveryCounts | undefined
    if (!packetId || !counts || typeof counts !== 'object') return refuse({ code: 'kiosk.record_invalid' })
    const d = this.custody.recoverWithin(ctx.person, packetId, counts)
    if (d.ok) return ok({ flags: [], data: { packet: packetId, applied: true, balanced: d.value.packet.recovery?.balanced ?? null } })
    return ok({ flags: [wouldRefuse(d.error.code)], data: { packet: packetId, applied: false, refusal: d.error.code } })
  }

  // ---------- reads for the live view and the room record ----------

  /** What the doors already hold for a session (services/kiosk-room.ts DoorFacts). */
  doorFacts(): {
    admissions(sessionId: string): Array<{ roomId: string; candidateId: string; ticketNumber: string; at: number; door: string; override: string | null }>
    conflicts(sessionId: string): Array<{ roomId: string | null; kind: string; subject: string; at: number; resolved: boolean }>
  } {
    return {
      admissions: (sessionId) =>
        this.store.admissionsOfSession(sessionId).map((a) => ({
          roomId: a.roomId,
          candidateId: a.candidateId,
          ticketNumber: a.ticketNumber,
          at: a.at,
          door: this.facts.rooms.room(a.roomId)?.name ?? a.roomId,
          override: a.overrideReason,
        })),
      conflicts: (sessionId) =>
        this.store
          .conflictsOfSession(sessionId)
          .map((c) => ({ roomId: c.roomId, kind: c.kind, subject: c.subject, at: c.createdAt, resolved: c.resolvedAt !== null })),
    }
  }
}

/**
 * The 16 identity bytes of a ticket (hex), read from its own text: a ticket number typed at the door is ID-checked
 * against them just as a scanned QR code is (docs/ticket-format.md, "identity hash").
 */
export function ticketIdentityHex(text: string): string {
  const parts = text.split('.')
  const p = decodeTicket(new Uint8Array(Buffer.from(parts[parts.length - 2] ?? '', 'base64url')))
  if (p.type !== 'ticket') throw new Error('not an admission ticket')
  return toHex(p.identity)
}
