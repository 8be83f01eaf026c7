import { describe, expect, test } from 'vitest'
import {
  DEFAULT_PRINT_WINDOW,
  approvePrint,
  cancelPrint,
  decideDecrypt,
  decidePrint,
  lapseApprovals,
  packetOfCopy,
  planPackets,
  printWindow,
  requestPrint,
  type PrintJob,
} from '../server/domain/custody/index.ts'
import { HOUR, START, paper, person, printJob, refusal, value } from './domain-custody-fixtures.ts'

const c1 = person('c-1', 'custodian')
const c2 = person('c-2', 'custodian')
const invigilator = person('i-1', 'invigilator')
const WINDOW = printWindow(START, DEFAULT_PRINT_WINDOW) // from 24 h to 1 h before the start
const approved = (over: Partial<PrintJob> = {}) => printJob({ state: 'approved', approvals: ['c-1', 'c-2'], approvalWindow: WINDOW, ...over })

describe('planning packets', () => {
  test('one packet per room, seats plus spares, copy numbers consecutive from 1', () => {
    const plans = planPackets(
      [
        { roomId: 'R1', seats: 30 },
        { roomId: 'R2', seats: 28 },
        { roomId: 'R3', seats: 1 },
      ],
      2,
      { perCopy: { answerSheets: 1, scratchPaper: 2 } },
    )
    expect(plans).toEqual([
      { roomId: 'R1', seats: 30, spares: 2, copies: { first: 1, last: 32 }, contents: { copies: 32, answerSheets: 32, scratchPaper: 64 } },
      { roomId: 'R2', seats: 28, spares: 2, copies: { first: 33, last: 62 }, contents: { copies: 30, answerSheets: 30, scratchPaper: 60 } },
      { roomId: 'R3', seats: 1, spares: 2, copies: { first: 63, last: 65 }, contents: { copies: 3, answerSheets: 3, scratchPaper: 6 } },
    ])
  })

  test('a later job of the same paper continues the numbering; room-less material gets no spares', () => {
    const plans = planPackets([{ roomId: null, seats: 3 }], 5, { firstCopy: 66 })
    expect(plans[0]).toMatchObject({ roomId: null, spares: 0, copies: { first: 66, last: 68 } })
  })

  test.each([
    ['no rooms', [], 0],
    ['a room with 0 seats', [{ roomId: 'R1', seats: 0 }], 0],
    [
      'the same room twice',
      [
        { roomId: 'R1', seats: 3 },
        { roomId: 'R1', seats: 3 },
      ],
      0,
    ],
    ['negative spares', [{ roomId: 'R1', seats: 3 }], -1],
    ['fractional seats', [{ roomId: 'R1', seats: 2.5 }], 0],
  ])('%s is a programming error (RangeError)', (_n, targets, spares) => {
    expect(() => planPackets(targets, spares)).toThrow(RangeError)
  })

  test('the copy number names its packet; numbers outside every packet name none', () => {
    const plans = planPackets(
      [
        { roomId: 'R1', seats: 30 },
        { roomId: 'R2', seats: 28 },
      ],
      2,
    )
    expect(packetOfCopy(plans, 1)?.roomId).toBe('R1')
    expect(packetOfCopy(plans, 32)?.roomId).toBe('R1')
    expect(packetOfCopy(plans, 33)?.roomId).toBe('R2')
    expect(packetOfCopy(plans, 62)?.roomId).toBe('R2')
    expect(packetOfCopy(plans, 0)).toBeNull()
    expect(packetOfCopy(plans, 63)).toBeNull()
  })
})

describe('requesting and approving a print job', () => {
  const request = { id: 'job-9', actor: c1, targets: [{ roomId: 'R1', seats: 30 }], sparesPerRoom: 2 }

  test('a custodian requests; copy numbers start after the last one printed of the paper', () => {
    const { job, events } = value(requestPrint(paper(), request, { lastCopyNumber: 65 }, START - 48 * HOUR))
    expect(job).toMatchObject({
      id: 'job-9',
      paperId: 'paper-A',
      examSessionId: 'sess-1',
      state: 'requested',
      requestedBy: 'c-1',
      firstCopy: 66,
      approvals: [],
    })
    expect(events).toEqual([expect.objectContaining({ action: 'custody.print.requested', subject: { type: 'print_job', id: 'job-9' } })])
    expect(events[0]!.data).toMatchObject({ plannedCopies: 32, firstCopy: 66, people: ['c-1'] })
  })

  test('only a custodian requests (print.not_allowed_for_role)', () => {
    expect(refusal(requestPrint(paper(), { ...request, actor: invigilator }, { lastCopyNumber: 0 }, 0))).toMatchObject({
      code: 'print.not_allowed_for_role',
      action: 'print.request',
    })
  })

  test('a frozen paper is not printed (paper.frozen); a retired one neither (paper.retired)', () => {
    expect(refusal(requestPrint(paper({ state: 'frozen', frozenBy: ['leak-1'] }), request, { lastCopyNumber: 0 }, 0))).toEqual({
      code: 'paper.frozen',
      paperId: 'paper-A',
      leakIds: ['leak-1'],
    })
    expect(refusal(requestPrint(paper({ state: 'retired' }), request, { lastCopyNumber: 0 }, 0)).code).toBe('paper.retired')
  })

  test('an invalid room list is refused (print.targets_invalid)', () => {
    expect(refusal(requestPrint(paper(), { ...request, targets: [] }, { lastCopyNumber: 0 }, 0))).toEqual({ code: 'print.targets_invalid', reason: 'empty' })
    expect(
      refusal(
        requestPrint(
          paper(),
          {
            ...request,
            targets: [
              { roomId: 'R1', seats: 3 },
              { roomId: 'R1', seats: 4 },
            ],
          },
          { lastCopyNumber: 0 },
          0,
        ),
      ),
    ).toEqual({ code: 'print.targets_invalid', reason: 'duplicate_room', roomId: 'R1' })
    expect(refusal(requestPrint(paper(), { ...request, perCopy: { answerSheets: -1, scratchPaper: 0 } }, { lastCopyNumber: 0 }, 0)).code).toBe(
      'print.targets_invalid',
    )
  })

  test('two different custodians approve; the requester may be one of them', () => {
    const once = value(approvePrint(printJob({ requestedBy: 'c-1' }), paper(), c1, WINDOW, 1))
    expect(once.job).toMatchObject({ state: 'requested', approvals: ['c-1'] })
    const twice = value(approvePrint(once.job, paper(), c2, WINDOW, 2))
    expect(twice.job).toMatchObject({ state: 'approved', approvals: ['c-1', 'c-2'] })
    expect(twice.events[0]).toMatchObject({ action: 'custody.print.approved', data: { approvals: ['c-1', 'c-2'], window: WINDOW, people: ['c-2'] } })
    expect(twice.job.approvalWindow).toEqual(WINDOW)
  })

  test('a third approval is refused: the job is already approved (print.wrong_state)', () => {
    expect(refusal(approvePrint(approved(), paper(), person('c-3', 'custodian'), WINDOW, 3))).toMatchObject({
      code: 'print.wrong_state',
      state: 'approved',
      action: 'approve',
    })
  })

  test('only custodians approve (print.not_allowed_for_role)', () => {
    expect(refusal(approvePrint(printJob(), paper(), person('s', 'supervisor', 'admin'), WINDOW, 1)).code).toBe('print.not_allowed_for_role')
  })

  test('approvals are bound to their window: one given under another window lapses, and the approval starts over', () => {
    const moved = { opensAt: WINDOW.opensAt - HOUR, closesAt: WINDOW.closesAt }
    const once = value(approvePrint(printJob(), paper(), c1, WINDOW, 1)).job
    const r = value(approvePrint(once, paper(), c2, moved, 2))
    expect(r.job).toMatchObject({ state: 'requested', approvals: ['c-2'], approvalWindow: moved })
    expect(r.events.map((e) => e.action)).toEqual(['custody.print.approvals_lapsed', 'custody.print.approved'])
    expect(r.events[0]!.data).toMatchObject({ from: 'requested', lapsed: ['c-1'], approvedWindow: WINDOW, window: moved, people: ['c-2'] })
  })

  test('lapseApprovals: an approved job under a moved window goes back to requested with no approvals; one under its own window is left alone', () => {
    const moved = { opensAt: WINDOW.opensAt, closesAt: WINDOW.closesAt + 30 * 60_000 }
    const l = lapseApprovals(approved(), moved, 'c-3', 5)!
    expect(l.job).toMatchObject({ state: 'requested', approvals: [], approvalWindow: null, updatedAt: 5 })
    expect(l.events[0]).toMatchObject({
      action: 'custody.print.approvals_lapsed',
      subject: { type: 'print_job', id: 'job-1' },
      data: { from: 'approved', lapsed: ['c-1', 'c-2'], people: ['c-3'] },
    })
    expect(lapseApprovals(approved(), WINDOW, 'c-3', 5)).toBeNull()
    expect(lapseApprovals(printJob(), moved, 'c-3', 5)).toBeNull() // nothing approved, nothing to lapse
    expect(lapseApprovals(approved({ state: 'decrypted' }), moved, 'c-3', 5)).toBeNull() // released already: the window no longer gates it
  })

  test("a frozen paper's job is not approved (paper.frozen)", () => {
    expect(refusal(approvePrint(printJob(), paper({ state: 'frozen', frozenBy: ['l'] }), c1, WINDOW, 1)).code).toBe('paper.frozen')
  })
})

describe('decrypting for printing (R5.2 +)', () => {
  test('the window is 24 h to 1 h before the start by default', () => {
    expect(WINDOW).toEqual({ opensAt: START - 24 * HOUR, closesAt: START - HOUR })
    expect(() => printWindow(START, { opensMinutesBefore: 60, closesMinutesBefore: 60 })).toThrow(RangeError)
    expect(() => printWindow(START, { opensMinutesBefore: 60, closesMinutesBefore: -1 })).toThrow(RangeError)
  })

  test.each([
    ['exactly when the window opens', START - 24 * HOUR, true],
    ['a millisecond before it opens', START - 24 * HOUR - 1, false],
    ['a millisecond before it closes', START - HOUR - 1, true],
    ['exactly when it closes', START - HOUR, false],
    ['after the session started', START + 1, false],
    ['two days early', START - 48 * HOUR, false],
  ])('%s: allowed = %s', (_n, now, allowed) => {
    const r = decideDecrypt(approved(), paper(), c1, WINDOW, now)
    if (allowed) expect(value(r).job).toMatchObject({ state: 'decrypted', decryptedBy: 'c-1', decryptedAt: now })
    else expect(refusal(r)).toEqual({ code: 'print.window_closed', jobId: 'job-1', opensAt: WINDOW.opensAt, closesAt: WINDOW.closesAt, now })
  })

  test('two approvals given under another window are not enough: the window moved after them (print.approvals_lapsed)', () => {
    const earlier = { opensAt: WINDOW.opensAt, closesAt: WINDOW.closesAt - 30 * 60_000 }
    expect(refusal(decideDecrypt(approved({ approvalWindow: earlier }), paper(), c1, WINDOW, START - 2 * HOUR))).toEqual({
      code: 'print.approvals_lapsed',
      jobId: 'job-1',
    })
    // a job approved before approvals were bound to a window counts as lapsed
    expect(refusal(decideDecrypt(approved({ approvalWindow: undefined }), paper(), c1, WINDOW, START - 2 * HOUR)).code).toBe('print.approvals_lapsed')
  })

  test('one approval is not enough (print.needs_second_approval)', () => {
    expect(refusal(decideDecrypt(printJob({ approvals: ['c-1'] }), paper(), c1, WINDOW, START - 2 * HOUR))).toEqual({
      code: 'print.needs_second_approval',
      jobId: 'job-1',
      approvals: 1,
    })
  })

  test('an "approved" job whose two approvals are one person is still refused (print.needs_second_approval)', () => {
    expect(refusal(decideDecrypt(approved({ approvals: ['c-1', 'c-1'] }), paper(), c1, WINDOW, START - 2 * HOUR)).code).toBe('print.needs_second_approval')
  })

  test('a frozen paper is not decrypted, even in the window with two approvals (paper.frozen)', () => {
    expect(refusal(decideDecrypt(approved(), paper({ state: 'frozen', frozenBy: ['leak-1'] }), c1, WINDOW, START - 2 * HOUR)).code).toBe('paper.frozen')
  })

  test('a job is decrypted once (print.wrong_state)', () => {
    const d = value(decideDecrypt(approved(), paper(), c1, WINDOW, START - 2 * HOUR)).job
    expect(refusal(decideDecrypt(d, paper(), c1, WINDOW, START - 2 * HOUR))).toMatchObject({ code: 'print.wrong_state', action: 'decrypt' })
  })

  test('the decryption is logged with its approvals and window', () => {
    const { events } = value(decideDecrypt(approved(), paper(), c2, WINDOW, START - 2 * HOUR))
    expect(events).toEqual([
      {
        action: 'custody.paper.decrypted',
        subject: { type: 'print_job', id: 'job-1' },
        where: null,
        data: {
          paperId: 'paper-A',
          state: 'decrypted',
          approvals: ['c-1', 'c-2'],
          window: { opensAt: WINDOW.opensAt, closesAt: WINDOW.closesAt },
          people: ['c-2'],
        },
      },
    ])
  })
})

describe('recording the print output', () => {
  const decrypted = () => approved({ state: 'decrypted', decryptedBy: 'c-1', decryptedAt: START - 2 * HOUR })

  test('printing makes the planned packets, numbered, held by the printer, and records the copy count', () => {
    const { job, packets, events } = value(decidePrint(decrypted(), paper(), { actor: c1, packetIds: ['pk-1', 'pk-2'] }, START - 2 * HOUR + 5))
    expect(job).toMatchObject({ state: 'printed', printedBy: 'c-1', copies: 62 })
    expect(packets.map((p) => [p.id, p.roomId, p.copies, p.state, p.holder, p.printedBy])).toEqual([
      ['pk-1', 'R1', { first: 1, last: 32 }, 'printed', { userId: 'c-1' }, 'c-1'],
      ['pk-2', 'R2', { first: 33, last: 62 }, 'printed', { userId: 'c-1' }, 'c-1'],
    ])
    expect(packets[0]!.contents).toEqual({ copies: 32, answerSheets: 32, scratchPaper: 64 })
    expect(events.map((e) => e.action)).toEqual(['custody.print.printed', 'custody.packet.printed', 'custody.packet.printed'])
    expect(events[1]!.data).toMatchObject({ copies: { first: 1, last: 32 }, holder: { userId: 'c-1' }, people: ['c-1'] })
  })

  test('only the custodian who decrypted it records the print (print.not_decrypter)', () => {
    expect(refusal(decidePrint(decrypted(), paper(), { actor: c2, packetIds: ['a', 'b'] }, 0))).toEqual({
      code: 'print.not_decrypter',
      jobId: 'job-1',
      userId: 'c-2',
      decryptedBy: 'c-1',
    })
  })

  test('a job not decrypted prints nothing (print.wrong_state)', () => {
    expect(refusal(decidePrint(approved(), paper(), { actor: c1, packetIds: ['a', 'b'] }, 0))).toMatchObject({
      code: 'print.wrong_state',
      state: 'approved',
      action: 'print',
    })
  })

  test('a paper frozen between decryption and printing prints nothing (paper.frozen)', () => {
    expect(refusal(decidePrint(decrypted(), paper({ state: 'frozen', frozenBy: ['l'] }), { actor: c1, packetIds: ['a', 'b'] }, 0)).code).toBe('paper.frozen')
  })

  test('a wrong number of packet ids is a programming error', () => {
    expect(() => decidePrint(decrypted(), paper(), { actor: c1, packetIds: ['only-one'] }, 0)).toThrow(RangeError)
  })

  test('a job not yet printed can be cancelled; a printed one cannot', () => {
    expect(value(cancelPrint(approved(), c2, '考场调整', 0)).job.state).toBe('cancelled')
    expect(refusal(cancelPrint(approved({ state: 'printed' }), c2, 'x', 0)).code).toBe('print.wrong_state')
  })
})
