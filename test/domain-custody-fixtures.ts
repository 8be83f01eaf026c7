// Shared fixtures of the custody tests (not a test file itself): people, a paper, packets in any state.
import { ROLES, type Role } from '../server/domain/accounts/index.ts'
import type { Result } from '../server/domain/_result.ts'
import type { Actor, CustodyRefusal, Packet, PacketState, Paper, PrintJob, TraceEvent, CustodyEventDraft } from '../server/domain/custody/index.ts'

/** The session starts at 09:00 CST on 2026-06-15 (01:00 UTC). */
export const START = Date.UTC(2026, 5, 15, 1, 0)
export const HOUR = 3_600_000
export const MINUTE = 60_000

export const person = (userId: string, ...roles: Role[]): Actor => ({ userId, roles })
/** One account holding every role there is. */
export const everything = (userId: string): Actor => ({ userId, roles: [...ROLES] })

export const PRINTER = person('c-printer', 'custodian')
/** Whoever has a person-held packet in these fixtures; holds every role so that as a witness or receiver they always qualify. */
export const HOLDER = everything('h-holder')

export function paper(over: Partial<Paper> = {}): Paper {
  return { id: 'paper-A', examSessionId: 'sess-1', kind: 'paper_a', title: '理论知识 A 卷', state: 'active', frozenBy: [], updatedAt: 0, ...over }
}

export function printJob(over: Partial<PrintJob> = {}): PrintJob {
  return {
    id: 'job-1',
    paperId: 'paper-A',
    examSessionId: 'sess-1',
    state: 'requested',
    requestedBy: 'c-1',
    requestedAt: 0,
    targets: [
      { roomId: 'R1', seats: 30 },
      { roomId: 'R2', seats: 28 },
    ],
    sparesPerRoom: 2,
    perCopy: { answerSheets: 1, scratchPaper: 2 },
    firstCopy: 1,
    approvals: [],
    decryptedBy: null,
    decryptedAt: null,
    printedBy: null,
    printedAt: null,
    copies: null,
    updatedAt: 0,
    ...over,
  }
}

const base: Packet = {
  id: 'pk-1',
  paperId: 'paper-A',
  printJobId: 'job-1',
  examSessionId: 'sess-1',
  roomId: 'R1',
  copies: { first: 1, last: 32 },
  contents: { copies: 32, answerSheets: 32, scratchPaper: 64 },
  state: 'printed',
  sealNumber: null,
  seals: [],
  holder: { userId: PRINTER.userId },
  printedBy: PRINTER.userId,
  printedAt: 0,
  openedBy: [],
  openedAt: null,
  recovery: null,
  retention: null,
  frozenFrom: null,
  voidReason: null,
  updatedAt: 0,
}

export const SEAL = 'SEAL-0001'
export const RESEAL = 'SEAL-0002'

const balancedRecovery = {
  counts: { used: 30, blank: 2, spoiled: 0, answerSheets: 32, scratchPaper: 64 },
  expected: { copies: 32, answerSheets: 32, scratchPaper: 64 },
  difference: { copies: 0, answerSheets: 0, scratchPaper: 0 },
  balanced: true,
  incidentId: null,
  recoveredBy: 'i-1',
  recoveredAt: 0,
}

/** A packet as it would be in `state`: seals, holder and records consistent with how it got there. */
export function packetIn(state: PacketState, over: Partial<Packet> = {}): Packet {
  const p: Packet = { ...base, state }
  switch (state) {
    case 'printed':
      p.holder = { userId: HOLDER.userId }
      break
    case 'sealed':
      Object.assign(p, { sealNumber: SEAL, seals: [SEAL], holder: { userId: HOLDER.userId } })
      break
    case 'in_vault':
      Object.assign(p, { sealNumber: SEAL, seals: [SEAL], holder: { place: 'vault' } })
      break
    case 'issued':
    case 'received':
      Object.assign(p, { sealNumber: SEAL, seals: [SEAL], holder: { userId: HOLDER.userId } })
      break
    case 'opened':
      Object.assign(p, { seals: [SEAL], holder: { place: 'room:R1' }, openedBy: ['i-1', 'i-2'], openedAt: START })
      break
    case 'recovered':
      Object.assign(p, { seals: [SEAL], holder: { place: 'room:R1' }, openedBy: ['i-1', 'i-2'], recovery: balancedRecovery })
      break
    case 'reconciled':
      Object.assign(p, { sealNumber: RESEAL, seals: [SEAL, RESEAL], holder: { userId: HOLDER.userId }, recovery: balancedRecovery })
      break
    case 'archived':
      Object.assign(p, {
        sealNumber: RESEAL,
        seals: [SEAL, RESEAL],
        holder: { place: 'archive' },
        recovery: balancedRecovery,
        retention: { examDate: '2026-06-15', keptUntil: '2029-06-15', disposableFrom: '2029-06-16' },
      })
      break
    case 'destroyed':
      Object.assign(p, { seals: [SEAL, RESEAL], holder: { place: 'destroyed' } })
      break
    case 'frozen':
      Object.assign(p, { sealNumber: SEAL, seals: [SEAL], holder: { userId: HOLDER.userId }, frozenFrom: 'issued' })
      break
    case 'voided':
      Object.assign(p, { sealNumber: SEAL, seals: [SEAL], holder: { userId: HOLDER.userId }, voidReason: 'misprint' })
      break
  }
  return { ...p, ...over }
}

export function value<T, E = CustodyRefusal>(r: Result<T, E>): T {
  if (!r.ok) throw new Error(`unexpected refusal ${JSON.stringify(r.error)}`)
  return r.value
}

export function refusal<T, E = CustodyRefusal>(r: Result<T, E>): E {
  if (r.ok) throw new Error(`expected a refusal, got ${JSON.stringify(r.value).slice(0, 300)}`)
  return r.error
}

/** What the custody log would make of drafts appended by `by`: indexed entries the trace can read. */
export class FakeLog {
  readonly events: TraceEvent[] = []
  append(by: Actor, drafts: readonly CustodyEventDraft[], at: number): void {
    for (const d of drafts) {
      this.events.push({
        index: this.events.length,
        time: new Date(at).toISOString(),
        action: d.action,
        actor: { user: by.userId },
        subject: d.subject,
        data: d.data,
      })
    }
  }
}
