/**
 * Archive and disposal (R5.5): everything is kept until 3 years after the exam, then disposed of as a
 * listed, witnessed act. Dates are CST civil dates; the 3 years are counted as the Civil Code counts a
 * period in years (民法典 Arts. 201–203): counting starts the day after the exam, the period's last day is
 * the anniversary (the month's last day when there is no such day) and it ends at 24:00, so disposal is
 * allowed from the day after the anniversary.
 */
import { type Result, ok, refuse } from '../_result.ts'
import { addDays, addMonths, civilDateOf } from '../calendar/index.ts'
import { blank, packetEvent } from './_events.ts'
import { checkMove, checkSecond, targetState } from './_moves.ts'
import { checkPresent, type PacketDecision, type WitnessedCmd } from './_packets.ts'
import type { CustodyRefusal } from './_refusals.ts'
import type { CivilDate, CustodyEventDraft, DisposalList, Instant, Packet, Retention } from './_types.ts'

export const RETENTION_YEARS = 3

/** retentionOf('2026-06-15') → { keptUntil: '2029-06-15', disposableFrom: '2029-06-16' }; '2028-02-29' is kept until '2031-02-28'. */
export function retentionOf(examDate: CivilDate): Retention {
  const keptUntil = addMonths(examDate, RETENTION_YEARS * 12)
  return { examDate, keptUntil, disposableFrom: addDays(keptUntil, 1) }
}

/**
 * Into the archive, witnessed: a reconciled packet, a voided one, or one never issued (a backup not used;
 * not before the exam date, while it may still be needed). `examDate`: the CST date of the packet's session.
 */
export function decideArchive(packet: Packet, cmd: WitnessedCmd & { examDate: CivilDate }, now: Instant): Result<PacketDecision, CustodyRefusal> {
  const move = checkMove(packet, 'archive', cmd.actor)
  if (!move.ok) return move
  const second = checkSecond(packet, move.value, cmd.actor, cmd.witness)
  if (!second.ok) return second
  const present = checkPresent(packet, [cmd.actor.userId, cmd.witness.userId])
  if (!present.ok) return present
  const today = civilDateOf(now)
  if (packet.state === 'in_vault' && today < cmd.examDate) {
    return refuse({ code: 'archive.before_exam', packetId: packet.id, examDate: cmd.examDate, today })
  }
  const retention = retentionOf(cmd.examDate)
  const next: Packet = { ...packet, state: targetState(packet, move.value), holder: { place: 'archive' }, retention, updatedAt: now }
  return ok({
    packet: next,
    events: [packetEvent('archive', packet, next, [cmd.actor.userId, cmd.witness.userId], { witness: cmd.witness.userId, ...retention })],
  })
}

/**
 * A disposal list (销毁清单): every packet on it must be archived and due; one that is not refuses the
 * whole list, so a disposal is never half done. Done by a custodian, witnessed by a second person.
 */
export function decideDispose(
  packets: readonly Packet[],
  cmd: WitnessedCmd & { listId: string; method: string },
  now: Instant,
): Result<{ packets: Packet[]; list: DisposalList; events: CustodyEventDraft[] }, CustodyRefusal> {
  if (packets.length === 0) return refuse({ code: 'dispose.list_invalid', reason: 'empty' })
  const ids = new Set<string>()
  for (const p of packets) {
    if (ids.has(p.id)) return refuse({ code: 'dispose.list_invalid', reason: 'duplicate', packetId: p.id })
    ids.add(p.id)
  }
  if (blank(cmd.method)) return refuse({ code: 'dispose.list_invalid', reason: 'method_required' })
  const today = civilDateOf(now)
  const people = [cmd.actor.userId, cmd.witness.userId]
  const out: Packet[] = []
  const events: CustodyEventDraft[] = []
  for (const p of packets) {
    const move = checkMove(p, 'dispose', cmd.actor)
    if (!move.ok) return move
    const second = checkSecond(p, move.value, cmd.actor, cmd.witness)
    if (!second.ok) return second
    if (p.retention === null) throw new Error(`archived packet ${p.id} has no retention record`)
    if (today < p.retention.disposableFrom) {
      return refuse({ code: 'dispose.too_early', packetId: p.id, keptUntil: p.retention.keptUntil, disposableFrom: p.retention.disposableFrom, today })
    }
    const next: Packet = { ...p, state: targetState(p, move.value), holder: { place: 'destroyed' }, sealNumber: null, updatedAt: now }
    out.push(next)
    events.push(packetEvent('dispose', p, next, people, { listId: cmd.listId, witness: cmd.witness.userId, method: cmd.method.trim() }))
  }
  const list: DisposalList = {
    id: cmd.listId,
    packetIds: out.map((p) => p.id),
    method: cmd.method.trim(),
    disposedBy: cmd.actor.userId,
    witnessedBy: cmd.witness.userId,
    disposedAt: now,
  }
  events.unshift({
    action: 'custody.disposal.listed',
    subject: { type: 'disposal', id: list.id },
    where: null,
    data: { packetIds: [...list.packetIds], method: list.method, witness: list.witnessedBy, people },
  })
  return ok({ packets: out, list, events })
}
