import { type LogEvent, actionName, canonicalJson, decodeEvent, leafHash, openNote, parseCheckpoint, verifyInclusion } from '../../audit/index.ts'
import { equalBytes, fromBase64, toBase64 } from '../../crypto/index.ts'
import type { Packet, Paper } from '../domain/custody/index.ts'
import type { PacketStore } from '../db/packet-store.ts'
import type { LeakStore } from '../db/leak-store.ts'
import type { CustodyLog } from './custody-log.ts'
import type { CustodyFacts } from './_custody-facts.ts'

/**
 * Custody reports: the timeline of every custody event of a paper or a packet, stamped with the
 * log's current signed checkpoint, each event with its canonical bytes and its RFC 9162 inclusion proof
 * against that checkpoint. Anyone holding the log's public key can check the report offline
 * (`npm run verify-log -- --proof REPORT.json --key VKEY`, verifyCustodyReport below).
 */

export interface ReportEvent {
  index: number
  time: string
  actor: LogEvent['actor']
  action: string
  outcome: LogEvent['outcome']
  subject: LogEvent['subject']
  where: LogEvent['where']
  data: LogEvent['data']
  /** The canonical event bytes the log hashed (base64): the fields above are read from them. */
  bytes: string
  /** RFC 9162 leaf hash of `bytes`, base64. */
  leafHash: string
  /** Sibling hashes from the leaf to the checkpoint's root, base64 (RFC 9162 §2.1.3). */
  inclusionProof: string[]
}

export interface CustodyReport {
  kind: 'paper' | 'packet'
  subject: { type: 'paper' | 'packet'; id: string }
  generatedAt: string
  /** The signed checkpoint note (C2SP tlog-checkpoint) every proof leads to. */
  checkpoint: string
  /** The checkpoint's tree size. */
  size: number
  origin: string
  /** The log's public keys (for reference; a verifier pins its own). */
  vkeys: string[]
  paper: Paper | null
  packets: Packet[]
  events: ReportEvent[]
}

/** Every log entry whose subject is one of `subjects`, in log order, each once. */
export function eventsOfSubjects(log: CustodyLog, subjects: ReadonlyArray<{ type: string; id: string }>): LogEvent[] {
  const seen = new Set<number>()
  for (const s of subjects) for (const i of log.store.indicesForSubject(s.type, s.id)) seen.add(i)
  return [...seen].sort((a, b) => a - b).map((i) => log.entry(i)!.event)
}

export class CustodyReports {
  constructor(
    private readonly packets: PacketStore,
    private readonly leaks: LeakStore,
    private readonly log: CustodyLog,
    private readonly clock: () => number,
    /** Papers and their print jobs, from the paper store. */
    private readonly facts: Pick<CustodyFacts, 'paper' | 'printJobIdsOf'>,
  ) {}

  /**
   * Everything that happened to a paper: its own events (upload, freeze, retirement), its print jobs, every
   * packet and the incidents and disposal lists of those packets, its leak reports, and the session
   * decisions (停考, paper B) taken because of it.
   */
  paperReport(paperId: string): CustodyReport | null {
    const paper = this.facts.paper(paperId)
    if (!paper) return null
    const packets = this.packets.packetsOfPaper(paperId)
    const leaks = this.leaks.leaks({ paperId })
    const subjects = [
      { type: 'paper', id: paperId },
      ...this.facts.printJobIdsOf(paperId).map((id) => ({ type: 'print_job', id })),
      ...packets.flatMap((p) => this.packetSubjects(p)),
      ...leaks.map((l) => ({ type: 'leak', id: l.id })),
    ]
    const leakIds = new Set(leaks.map((l) => l.id))
    const sessionEvents = eventsOfSubjects(this.log, [{ type: 'exam_session', id: paper.examSessionId }]).filter(
      (e) => [e.data['paperId'], e.data['fromPaperId'], e.data['toPaperId']].includes(paperId) || leakIds.has(String(e.data['leakId'])),
    )
    const events = mergeByIndex(eventsOfSubjects(this.log, subjects), sessionEvents)
    return this.stamp('paper', paperId, paper, packets, events)
  }

  /** Everything that happened to one packet: its print job, its own moves, its incidents, disposal list and the leak reports naming it. */
  packetReport(packetId: string): CustodyReport | null {
    const packet = this.packets.packet(packetId)
    if (!packet) return null
    const leaks = this.leaks.leaks({ paperId: packet.paperId }).filter((l) => l.packetId === packetId)
    const subjects = [{ type: 'print_job', id: packet.printJobId }, ...this.packetSubjects(packet), ...leaks.map((l) => ({ type: 'leak', id: l.id }))]
    return this.stamp('packet', packetId, this.facts.paper(packet.paperId), [packet], eventsOfSubjects(this.log, subjects))
  }

  private packetSubjects(p: Packet): Array<{ type: string; id: string }> {
    return [
      { type: 'packet', id: p.id },
      ...this.packets.incidentsOf(p.id).map((i) => ({ type: 'incident', id: i.id })),
      ...this.packets.disposalsOf(p.id).map((d) => ({ type: 'disposal', id: d.id })),
    ]
  }

  private stamp(kind: 'paper' | 'packet', id: string, paper: Paper | null, packets: Packet[], events: LogEvent[]): CustodyReport {
    const cp = this.log.checkpoint()
    return {
      kind,
      subject: { type: kind, id },
      generatedAt: new Date(this.clock()).toISOString(),
      checkpoint: cp.note,
      size: cp.size,
      origin: this.log.origin,
      vkeys: this.log.vkeys(),
      paper,
      packets,
      events: events
        .filter((e) => e.index < cp.size)
        .map((e) => {
          const row = this.log.store.entry(e.index)!
          return {
            index: e.index,
            time: e.time,
            actor: e.actor,
            action: e.action,
            outcome: e.outcome,
            subject: e.subject,
            where: e.where,
            data: e.data,
            bytes: toBase64(row.bytes),
            leafHash: toBase64(row.leaf),
            inclusionProof: this.log.inclusionProof(e.index, cp.size).map(toBase64),
          }
        }),
    }
  }
}

function mergeByIndex(a: LogEvent[], b: LogEvent[]): LogEvent[] {
  const byIndex = new Map<number, LogEvent>()
  for (const e of [...a, ...b]) byIndex.set(e.index, e)
  return [...byIndex.values()].sort((x, y) => x.index - y.index)
}

// ---------- CSV ----------

const CSV_COLUMNS = [
  'index',
  'time',
  'actor_name',
  'actor',
  'roles',
  'action_name',
  'action',
  'outcome',
  'subject_type',
  'subject_id',
  'room_name',
  'room',
  'data',
  'leaf_hash',
] as const

/** Names for people and rooms by id (the CSV shows 张三 and 第一考点 101, the ids beside them). */
export interface ReportNames {
  person(id: string): string | null
  room(id: string): string | null
}
const NO_NAMES: ReportNames = { person: () => null, room: () => null }

/**
 * One CSV cell: quoted when it holds a comma, quote or line break; a cell a spreadsheet would read as a
 * formula (= + - @, tab, carriage return: OWASP "CSV injection") is prefixed with an apostrophe.
 */
export function csvCell(value: string | number | null): string {
  let s = value === null ? '' : String(value)
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/** The report's events as CSV for Excel: UTF-8 with a byte-order mark, CRLF line ends (RFC 4180). */
export function reportCsv(r: CustodyReport, names: ReportNames = NO_NAMES): string {
  const rows = r.events.map((e) => [
    e.index,
    e.time,
    'user' in e.actor ? (names.person(e.actor.user) ?? e.actor.name) : '系统',
    'user' in e.actor ? e.actor.name : e.actor.system,
    'user' in e.actor ? e.actor.roles.join(' ') : '',
    actionName(e.action)?.zh ?? '',
    e.action,
    e.outcome,
    e.subject?.type ?? '',
    e.subject?.id ?? '',
    e.where?.room ? (names.room(e.where.room) ?? '') : '',
    e.where?.room ?? '',
    canonicalJson(e.data),
    e.leafHash,
  ])
  return '\uFEFF' + [[...CSV_COLUMNS], ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n'
}

// ---------- offline verification ----------

export type ReportCheck = { ok: true; size: number; origin: string; events: number; keyName: string } | { ok: false; reason: string; index?: number }

/**
 * Checks a custody report without the server: the checkpoint carries a valid signature of one of
 * `trustedKeys`, its size is the report's, and every event's bytes hash to its leaf, agree with the fields
 * shown beside them, and are included in the checkpoint's tree by their proof.
 */
export function verifyCustodyReport(report: unknown, trustedKeys: readonly string[]): ReportCheck {
  try {
    if (typeof report !== 'object' || report === null) return { ok: false, reason: 'the report is not a JSON object' }
    const r = report as Partial<CustodyReport>
    if (typeof r.checkpoint !== 'string' || !Array.isArray(r.events) || typeof r.size !== 'number') {
      return { ok: false, reason: 'the report needs checkpoint, size and events' }
    }
    if (trustedKeys.length === 0) return { ok: false, reason: 'no trusted key given' }
    const opened = openNote(r.checkpoint, [...trustedKeys])
    const signer = opened.signatures.find((s) => s.verified)
    if (!signer) return { ok: false, reason: 'the checkpoint carries no valid signature of a trusted key' }
    if (opened.signatures.some((s) => s.known && !s.verified)) return { ok: false, reason: 'a signature of a trusted key does not verify' }
    const cp = parseCheckpoint(opened.text)
    if (cp.size !== r.size) return { ok: false, reason: `the report says size ${r.size}, its checkpoint ${cp.size}` }
    let last = -1
    for (const e of r.events as ReportEvent[]) {
      const at = typeof e?.index === 'number' ? e.index : undefined
      if (at === undefined || at <= last) return { ok: false, reason: 'events must be in increasing index order', ...(at === undefined ? {} : { index: at }) }
      last = at
      const bytes = fromBase64(e.bytes)
      const leaf = leafHash(bytes)
      if (!equalBytes(leaf, fromBase64(e.leafHash))) return { ok: false, index: at, reason: `event ${at}: its leaf hash is not the hash of its bytes` }
      const decoded = decodeEvent(bytes)
      const shown = { index: e.index, time: e.time, actor: e.actor, action: e.action, outcome: e.outcome, subject: e.subject, where: e.where, data: e.data }
      const signed = {
        index: decoded.index,
        time: decoded.time,
        actor: decoded.actor,
        action: decoded.action,
        outcome: decoded.outcome,
        subject: decoded.subject,
        where: decoded.where,
        data: decoded.data,
      }
      if (canonicalJson(shown) !== canonicalJson(signed)) return { ok: false, index: at, reason: `event ${at}: the fields shown differ from its signed bytes` }
      try {
        verifyInclusion(leaf, at, cp.size, e.inclusionProof.map(fromBase64), cp.rootHash)
      } catch (err) {
        return { ok: false, index: at, reason: `event ${at}: inclusion proof fails (${err instanceof Error ? err.message : String(err)})` }
      }
    }
    return { ok: true, size: cp.size, origin: cp.origin, events: r.events.length, keyName: signer.name }
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err) }
  }
}
