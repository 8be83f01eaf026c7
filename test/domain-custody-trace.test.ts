import { describe, expect, test } from 'vitest'
import {
  DEFAULT_PRINT_WINDOW,
  approvePrint,
  confirmHandover,
  decideArchive,
  decideDecrypt,
  decideOpen,
  decidePrint,
  decideReconcile,
  decideRecovery,
  decideReseal,
  decideSeal,
  decideStore,
  exposureTrace,
  fileLeak,
  offerHandover,
  printWindow,
  requestPrint,
  traceCopy,
  type Actor,
  type CustodyEventDraft,
  type CustodyRefusal,
  type HandoverAction,
  type Packet,
  type Paper,
} from '../server/domain/custody/index.ts'
import type { Result } from '../server/domain/_result.ts'
import { FakeLog, HOUR, MINUTE, START, paper, person, refusal, value } from './domain-custody-fixtures.ts'

const c1 = person('c-1', 'custodian')
const c2 = person('c-2', 'custodian')
const courier = person('c-courier', 'custodian')
const keeper = person('c-keeper', 'custodian')
const i1 = person('i-1', 'invigilator')
const i2 = person('i-2', 'invigilator')
const s1 = person('s-1', 'supervisor')

/** The whole line for one paper, every decision's events appended to a log as the service would. */
function run(): { paper: Paper; packets: Packet[]; log: FakeLog } {
  const log = new FakeLog()
  let t = START - 3 * HOUR
  const step = <T extends { events: CustodyEventDraft[] }>(by: Actor, r: Result<T, CustodyRefusal>): T => {
    const v = value(r)
    log.append(by, v.events, (t += MINUTE))
    return v
  }
  const p = paper()
  let job = step(
    c1,
    requestPrint(
      p,
      {
        id: 'job-1',
        actor: c1,
        targets: [
          { roomId: 'R1', seats: 30 },
          { roomId: 'R2', seats: 28 },
        ],
        sparesPerRoom: 2,
        perCopy: { answerSheets: 1, scratchPaper: 2 },
      },
      { lastCopyNumber: 0 },
      t,
    ),
  ).job
  job = step(c1, approvePrint(job, p, c1, printWindow(START, DEFAULT_PRINT_WINDOW), t)).job
  job = step(c2, approvePrint(job, p, c2, printWindow(START, DEFAULT_PRINT_WINDOW), t)).job
  job = step(c1, decideDecrypt(job, p, c1, printWindow(START, DEFAULT_PRINT_WINDOW), t)).job
  let [a, b] = step(c1, decidePrint(job, p, { actor: c1, packetIds: ['pk-1', 'pk-2'] }, t)).packets as [Packet, Packet]
  a = step(c1, decideSeal(a, { actor: c1, witness: c2, sealNumber: 'SEAL-0001' }, { sealTaken: false }, t)).packet
  b = step(c1, decideSeal(b, { actor: c1, witness: c2, sealNumber: 'SEAL-0002' }, { sealTaken: false }, t)).packet
  a = step(c1, decideStore(a, { actor: c1, witness: c2, sealSeen: 'SEAL-0001' }, t)).packet
  b = step(c1, decideStore(b, { actor: c1, witness: c2, sealSeen: 'SEAL-0002' }, t)).packet
  const hand = (pk: Packet, action: HandoverAction, giver: Actor, receiver: Actor, seal: string): Packet => {
    const h = step(
      giver,
      offerHandover(
        pk,
        p,
        { id: `h-${log.events.length}`, action, giver, receiver, place: '第一考点', sealSeen: seal, condition: 'intact' },
        { pending: null },
        t,
      ),
    ).handover
    return step(receiver, confirmHandover(pk, p, h, { actor: receiver, sealSeen: seal, condition: 'intact' }, t)).packet
  }
  a = hand(a, 'issue', c2, courier, 'SEAL-0001')
  a = hand(a, 'receive', courier, i1, 'SEAL-0001')
  t = START - 10 * MINUTE
  a = step(
    i1,
    decideOpen(a, p, { actor: i1, second: i2, sealSeen: 'SEAL-0001' }, { roomInvigilators: ['i-1', 'i-2'], sessionStartsAt: START, openMinutesBefore: 30 }, t),
  ).packet
  t = START + 2 * HOUR
  a = step(
    i1,
    decideRecovery(
      a,
      { actor: i1, counts: { used: 29, blank: 3, spoiled: 0, answerSheets: 32, scratchPaper: 64 }, incidentId: 'inc-1' },
      { roomInvigilators: ['i-1', 'i-2'] },
      t,
    ),
  ).packet
  a = step(i1, decideReseal(a, { actor: i1, witness: i2, sealNumber: 'SEAL-1001' }, { sealTaken: false }, t)).packet
  a = hand(a, 'return', i1, keeper, 'SEAL-1001')
  a = step(keeper, decideReconcile(a, { actor: keeper, sealSeen: 'SEAL-1001' }, t)).packet
  a = step(keeper, decideArchive(a, { actor: keeper, witness: s1, examDate: '2026-06-15' }, t)).packet
  return { paper: p, packets: [a, b], log }
}

describe('the exposure trace (R5.4 +)', () => {
  test('a whole line, printed to archived, is what the log says happened', () => {
    const { packets, log } = run()
    expect(packets.map((p) => [p.id, p.state])).toEqual([
      ['pk-1', 'archived'],
      ['pk-2', 'in_vault'],
    ])
    expect(log.events.filter((e) => e.subject?.id === 'pk-1').map((e) => e.action)).toEqual([
      'custody.packet.printed',
      'custody.packet.sealed',
      'custody.packet.stored',
      'custody.handover.offered',
      'custody.packet.issued',
      'custody.handover.offered',
      'custody.packet.received',
      'custody.packet.opened',
      'custody.packet.recovered',
      'custody.packet.resealed',
      'custody.handover.offered',
      'custody.packet.returned',
      'custody.packet.reconciled',
      'custody.packet.archived',
    ])
  })

  test('every packet of the paper, its holder now, and every person and step that touched it', () => {
    const { paper: p, packets, log } = run()
    const trace = exposureTrace(p, packets, log.events)
    const [one, two] = trace.packets
    expect(one).toMatchObject({ packetId: 'pk-1', roomId: 'R1', copies: { first: 1, last: 32 }, state: 'archived', holder: { place: 'archive' } })
    expect(one!.holders).toEqual([
      { userId: 'c-1' },
      { place: 'vault' },
      { userId: 'c-courier' },
      { userId: 'i-1' },
      { place: 'room:R1' },
      { userId: 'i-1' },
      { userId: 'c-keeper' },
      { place: 'archive' },
    ])
    expect(one!.people).toEqual(['c-1', 'c-2', 'c-courier', 'i-1', 'i-2', 'c-keeper', 's-1'])
    // the print job's own steps (request, approvals, decryption, print) count for every packet it made
    expect(one!.steps.slice(0, 5).map((s) => s.action)).toEqual([
      'custody.print.requested',
      'custody.print.approved',
      'custody.print.approved',
      'custody.paper.decrypted',
      'custody.print.printed',
    ])
    expect(one!.steps.every((s, k) => k === 0 || s.index > one!.steps[k - 1]!.index)).toBe(true)
    expect(two).toMatchObject({ packetId: 'pk-2', roomId: 'R2', state: 'in_vault', holder: { place: 'vault' }, people: ['c-1', 'c-2'] })
    expect(trace.people).toEqual(['c-1', 'c-2', 'c-courier', 'i-1', 'i-2', 'c-keeper', 's-1'])
  })

  test('after a report the trace shows the freeze and who filed it', () => {
    const { paper: p, packets, log } = run()
    const filed = value(
      fileLeak(
        p,
        packets,
        { id: 'leak-1', actor: i2, level: 'suspected', description: '照片', copyNumber: 40 },
        { rooms: [{ sessionId: 'sess-1', roomId: 'R2' }] },
        START + 3 * HOUR,
      ),
    )
    log.append(i2, filed.events, START + 3 * HOUR)
    const now = packets.map((x) => filed.packets.find((f) => f.id === x.id) ?? x)
    const two = exposureTrace(filed.paper, now, log.events).packets[1]!
    expect(two.state).toBe('frozen')
    expect(two.steps.at(-1)).toMatchObject({ action: 'custody.packet.frozen', people: ['i-2'] })
  })

  test("one leaked copy's number names its packet, room and every holder in one step", () => {
    const { packets, log } = run()
    const t = value(traceCopy(17, packets, log.events))
    expect(t).toMatchObject({ copyNumber: 17, packetId: 'pk-1', roomId: 'R1', holderIds: ['c-1', 'c-courier', 'i-1', 'c-keeper'] })
    expect(value(traceCopy(33, packets, log.events))).toMatchObject({ packetId: 'pk-2', roomId: 'R2', holderIds: ['c-1'] })
  })

  test('a copy number no packet holds is said so (trace.copy_unknown)', () => {
    const { packets, log } = run()
    expect(refusal(traceCopy(63, packets, log.events))).toEqual({ code: 'trace.copy_unknown', copyNumber: 63 })
    expect(refusal(traceCopy(0, packets, log.events)).code).toBe('trace.copy_unknown')
  })

  test("with no log at hand, the trace still names each packet's holder now", () => {
    const { paper: p, packets } = run()
    expect(exposureTrace(p, packets, []).packets.map((x) => x.holders)).toEqual([[{ place: 'archive' }], [{ place: 'vault' }]])
  })
})
