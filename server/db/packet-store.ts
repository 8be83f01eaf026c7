import type { Database, Statement } from 'bun:sqlite'
import type { DisposalList, Handover, Holder, Incident, Packet, PacketState } from '../domain/custody/index.ts'

/** The packets.holder column: 'user:<id>' or 'place:<place>' (0005). */
export const holderColumn = (h: Holder): string => ('userId' in h ? `user:${h.userId}` : `place:${h.place}`)

/**
 * SQL for packets and what moves them (0005): packets, the seal-number index, handovers, incidents and
 * disposal lists. Domain records are kept whole as JSON in `doc`; the other columns are copies for lookups.
 * No rules here, and no other aggregate's tables: the facts a packet decision needs of its paper, session,
 * room staff and accounts are read from their own stores (services/_custody-facts.ts).
 */

export interface PacketFilter {
  paperId?: string
  sessionId?: string
  state?: PacketState
}

interface DocRow {
  doc: string
}

const parse = <T>(r: DocRow | null | undefined): T | null => (r ? (JSON.parse(r.doc) as T) : null)

export class PacketStore {
  private readonly q: {
    packet: Statement<DocRow, [string]>
    packetsOfPaper: Statement<DocRow, [string]>
    packetsOfJob: Statement<DocRow, [string]>
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
  }

  constructor(db: Database) {
    this.q = {
      packet: db.query('SELECT doc FROM packets WHERE id = ?'),
      packetsOfPaper: db.query('SELECT doc FROM packets WHERE paper_id = ? ORDER BY copy_first, id'),
      packetsOfJob: db.query('SELECT doc FROM packets WHERE print_job_id = ? ORDER BY copy_first, id'),
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
    }
  }

  // ---------- packets ----------

  packet(id: string): Packet | null {
    return parse<Packet>(this.q.packet.get(id))
  }
  packetsOfPaper(paperId: string): Packet[] {
    return this.q.packetsOfPaper.all(paperId).map((r) => JSON.parse(r.doc) as Packet)
  }
  /** The packets one print job made, in copy order. */
  packetsOfJob(jobId: string): Packet[] {
    return this.q.packetsOfJob.all(jobId).map((r) => JSON.parse(r.doc) as Packet)
  }
  packets(f: PacketFilter = {}): Packet[] {
    return this.q.filtered.all(f.paperId ?? null, f.sessionId ?? null, f.state ?? null).map((r) => JSON.parse(r.doc) as Packet)
  }
  /** Archived packets, soonest disposable first (the caller compares with today). */
  archived(): Packet[] {
    return this.q.archivedDue.all().map((r) => JSON.parse(r.doc) as Packet)
  }

  /** A new packet (the print flow makes them; tests and the demo too). Its seal, if any, enters the seal index. */
  insertPacket(p: Packet): void {
    this.q.insertPacket.run(
      p.id,
      p.paperId,
      p.printJobId,
      p.examSessionId,
      p.roomId,
      p.state,
      p.sealNumber,
      p.copies.first,
      p.copies.last,
      holderColumn(p.holder),
      JSON.stringify(p),
      p.updatedAt,
    )
    for (const s of p.seals) this.q.insertSeal.run(s, p.id, p.updatedAt)
  }

  /** Saves the packet's new state; seals it gained since `before` enter the seal index (single use, ever). */
  savePacket(next: Packet, before: Packet): void {
    this.q.updatePacket.run(next.state, next.sealNumber, holderColumn(next.holder), JSON.stringify(next), next.updatedAt, next.id)
    for (const s of next.seals.slice(before.seals.length)) this.q.insertSeal.run(s, next.id, next.updatedAt)
  }

  sealTaken(sealNumber: string): boolean {
    return (this.q.sealTaken.get(sealNumber)?.n ?? 0) > 0
  }

  // ---------- handovers ----------

  handover(id: string): Handover | null {
    return parse<Handover>(this.q.handover.get(id))
  }
  pendingHandover(packetId: string): Handover | null {
    return parse<Handover>(this.q.pendingOfPacket.get(packetId))
  }
  handoversOf(packetId: string): Handover[] {
    return this.q.handoversOfPacket.all(packetId).map((r) => JSON.parse(r.doc) as Handover)
  }
  /** Offers waiting for `receiver`, or every open offer when receiver is omitted. */
  pendingHandovers(receiver?: string): Handover[] {
    return (receiver === undefined ? this.q.pending.all() : this.q.pendingForReceiver.all(receiver)).map((r) => JSON.parse(r.doc) as Handover)
  }
  insertHandover(h: Handover): void {
    this.q.insertHandover.run(h.id, h.packetId, h.state, h.receiver, JSON.stringify(h), h.closedAt ?? h.offeredAt)
  }
  saveHandover(h: Handover): void {
    this.q.updateHandover.run(h.state, JSON.stringify(h), h.closedAt ?? h.offeredAt, h.id)
  }

  // ---------- incidents and disposal lists ----------

  insertIncident(i: Incident): void {
    this.q.insertIncident.run(i.id, i.packetId, JSON.stringify(i), i.recordedAt)
  }
  incidentsOf(packetId: string): Incident[] {
    return this.q.incidentsOfPacket.all(packetId).map((r) => JSON.parse(r.doc) as Incident)
  }
  insertDisposal(l: DisposalList): void {
    this.q.insertDisposal.run(l.id, JSON.stringify(l), l.disposedAt)
  }
  disposal(id: string): DisposalList | null {
    return parse<DisposalList>(this.q.disposal.get(id))
  }
  disposalsOf(packetId: string): DisposalList[] {
    return this.q.disposalsOfPacket.all(packetId).map((r) => JSON.parse(r.doc) as DisposalList)
  }
}
