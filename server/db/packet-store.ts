import type { Database, Statement } from 'bun:sqlite'
import type { Role } from '../domain/accounts/index.ts'
import type { DisposalList, Handover, Incident, Packet, PacketState, Paper } from '../domain/custody/index.ts'
import { type CustodySettings, DEFAULT_CUSTODY_SETTINGS, holderColumn } from './paper-store.ts'

/**
 * SQL for packets and what moves them (0005): packets, the seal-number index, handovers, incidents and
 * disposal lists; plus the few facts of other aggregates a packet decision needs (its paper, the session's
 * start and batch settings, the room's invigilators, an account by username). Domain records are kept whole
 * as JSON in `doc`; the other columns are copies for lookups. No rules here.
 */

/** The slice of an exam session custody reads. */
export interface SessionFacts { id: string; batchId: string; startsAt: number; endsAt: number; status: string }

/** An account as a custody step sees it: who, in which roles, and whether it may still act. */
export interface AccountFacts { id: string; username: string; roles: Role[]; disabled: boolean }

export interface PacketFilter { paperId?: string; sessionId?: string; state?: PacketState }

interface DocRow { doc: string }
interface SettingsRow { opens_minutes_before: number; closes_minutes_before: number; open_minutes_before: number; spares_per_room: number }
interface SessionRow { id: string; batch_id: string; starts_at: number; ends_at: number; status: string }
interface AccountRow { id: string; username: string; roles: string; disabled: number }

const parse = <T>(r: DocRow | null | undefined): T | null => (r ? JSON.parse(r.doc) as T : null)

export class PacketStore {
  private readonly q: {
    paper: Statement<DocRow, [string]>
    packet: Statement<DocRow, [string]>
    packetsOfPaper: Statement<DocRow, [string]>
    filtered: Statement<DocRow, [string | null, string | null, string | null]>
    archivedDue: Statement<DocRow, []>
    insertPacket: Statement<unknown, [string, string, string, string, string | null, string, string | null, number, number, string, string, number]>
    updatePacket: Statement<unknown, [string, string | null, string, string, number, string]>
    sealTaken: Statement<{ n: number }, [string]>
    insertSeal: Statement<unknown, [string, string, number]>
    handover: Statement<DocRow, [string]>
    pendingOfPacket: Statement<DocRow, [string]>
    handoversOfPacket: Statement<DocRow, [string]>
    pendingForReceiver: Statement<DocRow, [string]>
    pending: Statement<DocRow, []>
    insertHandover: Statement<unknown, [string, string, string, string, string, number]>
    updateHandover: Statement<unknown, [string, string, number, string]>
    insertIncident: Statement<unknown, [string, string, string, number]>
    incidentsOfPacket: Statement<DocRow, [string]>
    insertDisposal: Statement<unknown, [string, string, number]>
    disposal: Statement<DocRow, [string]>
    disposalsOfPacket: Statement<DocRow, [string]>
    printJobIdsOfPaper: Statement<{ id: string }, [string]>
    session: Statement<SessionRow, [string]>
    settings: Statement<SettingsRow, [string]>
    roomInvigilators: Statement<{ user_id: string }, [string, string]>
    invigilatedRooms: Statement<{ exam_session_id: string; room_id: string }, [string]>
    account: Statement<AccountRow, [string]>
    accountById: Statement<AccountRow, [string]>
  }

  constructor(db: Database) {
    this.q = {
      paper: db.query('SELECT doc FROM papers WHERE id = ?'),
      packet: db.query('SELECT doc FROM packets WHERE id = ?'),
      packetsOfPaper: db.query('SELECT doc FROM packets WHERE paper_id = ? ORDER BY copy_first, id'),
      filtered: db.query(`SELECT doc FROM packets WHERE (?1 IS NULL OR paper_id = ?1) AND (?2 IS NULL OR exam_session_id = ?2)
        AND (?3 IS NULL OR state = ?3) ORDER BY exam_session_id, paper_id, copy_first, id`),
      archivedDue: db.query(`SELECT doc FROM packets WHERE state = 'archived' ORDER BY json_extract(doc, '$.retention.disposableFrom'), copy_first, id`),
      insertPacket: db.query(`INSERT INTO packets (id, paper_id, print_job_id, exam_session_id, room_id, state, seal_number, copy_first, copy_last,
        holder, doc, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      updatePacket: db.query('UPDATE packets SET state = ?, seal_number = ?, holder = ?, doc = ?, updated_at = ? WHERE id = ?'),
      sealTaken: db.query('SELECT count(*) AS n FROM seal_numbers WHERE seal_number = ?'),
      insertSeal: db.query('INSERT INTO seal_numbers (seal_number, packet_id, applied_at) VALUES (?, ?, ?)'),
      handover: db.query('SELECT doc FROM handovers WHERE id = ?'),
      pendingOfPacket: db.query(`SELECT doc FROM handovers WHERE packet_id = ? AND state = 'offered' ORDER BY updated_at DESC LIMIT 1`),
      handoversOfPacket: db.query(`SELECT doc FROM handovers WHERE packet_id = ? ORDER BY json_extract(doc, '$.offeredAt'), id`),
      pendingForReceiver: db.query(`SELECT doc FROM handovers WHERE receiver = ? AND state = 'offered' ORDER BY updated_at, id`),
      pending: db.query(`SELECT doc FROM handovers WHERE state = 'offered' ORDER BY updated_at, id`),
      insertHandover: db.query('INSERT INTO handovers (id, packet_id, state, receiver, doc, updated_at) VALUES (?, ?, ?, ?, ?, ?)'),
      updateHandover: db.query('UPDATE handovers SET state = ?, doc = ?, updated_at = ? WHERE id = ?'),
      insertIncident: db.query('INSERT INTO custody_incidents (id, packet_id, doc, created_at) VALUES (?, ?, ?, ?)'),
      incidentsOfPacket: db.query('SELECT doc FROM custody_incidents WHERE packet_id = ? ORDER BY created_at, id'),
      insertDisposal: db.query('INSERT INTO disposal_lists (id, doc, created_at) VALUES (?, ?, ?)'),
      disposal: db.query('SELECT doc FROM disposal_lists WHERE id = ?'),
      disposalsOfPacket: db.query(`SELECT doc FROM disposal_lists WHERE EXISTS (SELECT 1 FROM json_each(disposal_lists.doc, '$.packetIds') WHERE value = ?)
        ORDER BY created_at, id`),
      printJobIdsOfPaper: db.query('SELECT id FROM print_jobs WHERE paper_id = ? ORDER BY id'),
      session: db.query('SELECT id, batch_id, starts_at, ends_at, status FROM exam_sessions WHERE id = ?'),
      settings: db.query('SELECT opens_minutes_before, closes_minutes_before, open_minutes_before, spares_per_room FROM custody_settings WHERE batch_id = ?'),
      roomInvigilators: db.query(`SELECT DISTINCT user_id FROM staff_assignments WHERE exam_session_id = ? AND room_id = ? AND duty = 'invigilator' ORDER BY user_id`),
      invigilatedRooms: db.query(`SELECT DISTINCT exam_session_id, room_id FROM staff_assignments WHERE user_id = ? AND duty = 'invigilator' AND room_id IS NOT NULL`),
      account: db.query('SELECT id, username, roles, disabled FROM users WHERE username = ?'),
      accountById: db.query('SELECT id, username, roles, disabled FROM users WHERE id = ?'),
    }
  }

  // ---------- papers (read only: papers belong to the print flow) ----------

  paper(id: string): Paper | null { return parse<Paper>(this.q.paper.get(id)) }

  // ---------- packets ----------

  packet(id: string): Packet | null { return parse<Packet>(this.q.packet.get(id)) }
  packetsOfPaper(paperId: string): Packet[] { return this.q.packetsOfPaper.all(paperId).map((r) => JSON.parse(r.doc) as Packet) }
  packets(f: PacketFilter = {}): Packet[] {
    return this.q.filtered.all(f.paperId ?? null, f.sessionId ?? null, f.state ?? null).map((r) => JSON.parse(r.doc) as Packet)
  }
  /** Archived packets, soonest disposable first (the caller compares with today). */
  archived(): Packet[] { return this.q.archivedDue.all().map((r) => JSON.parse(r.doc) as Packet) }

  /** A new packet (the print flow makes them; tests and the demo too). Its seal, if any, enters the seal index. */
  insertPacket(p: Packet): void {
    this.q.insertPacket.run(p.id, p.paperId, p.printJobId, p.examSessionId, p.roomId, p.state, p.sealNumber, p.copies.first, p.copies.last,
      holderColumn(p.holder), JSON.stringify(p), p.updatedAt)
    for (const s of p.seals) this.q.insertSeal.run(s, p.id, p.updatedAt)
  }

  /** Saves the packet's new state; seals it gained since `before` enter the seal index (single use, ever). */
  savePacket(next: Packet, before: Packet): void {
    this.q.updatePacket.run(next.state, next.sealNumber, holderColumn(next.holder), JSON.stringify(next), next.updatedAt, next.id)
    for (const s of next.seals.slice(before.seals.length)) this.q.insertSeal.run(s, next.id, next.updatedAt)
  }

  sealTaken(sealNumber: string): boolean { return (this.q.sealTaken.get(sealNumber)?.n ?? 0) > 0 }

  // ---------- handovers ----------

  handover(id: string): Handover | null { return parse<Handover>(this.q.handover.get(id)) }
  pendingHandover(packetId: string): Handover | null { return parse<Handover>(this.q.pendingOfPacket.get(packetId)) }
  handoversOf(packetId: string): Handover[] { return this.q.handoversOfPacket.all(packetId).map((r) => JSON.parse(r.doc) as Handover) }
  /** Offers waiting for `receiver`, or every open offer when receiver is omitted. */
  pendingHandovers(receiver?: string): Handover[] {
    return (receiver === undefined ? this.q.pending.all() : this.q.pendingForReceiver.all(receiver)).map((r) => JSON.parse(r.doc) as Handover)
  }
  insertHandover(h: Handover): void {
    this.q.insertHandover.run(h.id, h.packetId, h.state, h.receiver, JSON.stringify(h), h.closedAt ?? h.offeredAt)
  }
  saveHandover(h: Handover): void { this.q.updateHandover.run(h.state, JSON.stringify(h), h.closedAt ?? h.offeredAt, h.id) }

  // ---------- incidents and disposal lists ----------

  insertIncident(i: Incident): void { this.q.insertIncident.run(i.id, i.packetId, JSON.stringify(i), i.recordedAt) }
  incidentsOf(packetId: string): Incident[] { return this.q.incidentsOfPacket.all(packetId).map((r) => JSON.parse(r.doc) as Incident) }
  insertDisposal(l: DisposalList): void { this.q.insertDisposal.run(l.id, JSON.stringify(l), l.disposedAt) }
  disposal(id: string): DisposalList | null { return parse<DisposalList>(this.q.disposal.get(id)) }
  disposalsOf(packetId: string): DisposalList[] { return this.q.disposalsOfPacket.all(packetId).map((r) => JSON.parse(r.doc) as DisposalList) }

  /** Every print job of a paper, printed or not (their events touched the paper: R5.4 trace, reports). */
  printJobIdsOf(paperId: string): string[] { return this.q.printJobIdsOfPaper.all(paperId).map((r) => r.id) }

  // ---------- facts of other aggregates ----------

  session(id: string): SessionFacts | null {
    const r = this.q.session.get(id)
    return r ? { id: r.id, batchId: r.batch_id, startsAt: r.starts_at, endsAt: r.ends_at, status: r.status } : null
  }

  /** The batch's custody settings (custody_settings; the defaults when it has no row). */
  settings(batchId: string): CustodySettings {
    const r = this.q.settings.get(batchId)
    return r
      ? { opensMinutesBefore: r.opens_minutes_before, closesMinutesBefore: r.closes_minutes_before, openMinutesBefore: r.open_minutes_before, sparesPerRoom: r.spares_per_room }
      : { ...DEFAULT_CUSTODY_SETTINGS }
  }

  /** Account ids of the invigilators assigned to the room for the session (staff_assignments, R4.3). */
  roomInvigilators(sessionId: string, roomId: string): string[] { return this.q.roomInvigilators.all(sessionId, roomId).map((r) => r.user_id) }

  /** The (session, room) pairs a user invigilates: what an invigilator may see of custody. */
  invigilatedRooms(userId: string): Array<{ sessionId: string; roomId: string }> {
    return this.q.invigilatedRooms.all(userId).map((r) => ({ sessionId: r.exam_session_id, roomId: r.room_id }))
  }

  account(username: string): AccountFacts | null { return toAccount(this.q.account.get(username)) }
  accountById(id: string): AccountFacts | null { return toAccount(this.q.accountById.get(id)) }
}

const toAccount = (r: AccountRow | null | undefined): AccountFacts | null =>
  r ? { id: r.id, username: r.username, roles: JSON.parse(r.roles) as Role[], disabled: r.disabled === 1 } : null
