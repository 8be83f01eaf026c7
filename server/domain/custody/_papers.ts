/**
 * Papers, their files and the batches' custody settings (R5.1–R5.2): who manages them, a paper's title, one
 * paper A and one paper B per session (R5.4: switching to paper B needs to know which one), the file a print
 * job binds, the rooms a print is for, the copy numbers already claimed, and the settings' bounds.
 * Pure: the service loads the records, asks here, and saves what comes back with its events.
 */
import type { Role } from '../accounts/index.ts'
import { type Result, ok, refuse } from '../_result.ts'
import { holdsAny } from './_moves.ts'
import { checkPaperActive } from './_print.ts'
import type { CustodyRefusal } from './_refusals.ts'
import type { Actor, CustodyEventDraft, Instant, Packet, Paper, PaperKind, PacketPlan, PrintJob, PrintTarget, PrintWindowConfig } from './_types.ts'

/** A batch's custody settings: the decryption window, when packets may be opened in the room (R5.3), spares per room. */
export interface CustodySettings extends PrintWindowConfig {
  /** Packets may be opened in the room from this many minutes before the start (R5.3). */
  openMinutesBefore: number
  sparesPerRoom: number
}

/** A batch's settings when none were set: decryption from 24 h to 1 h before, opening 15 min before, 2 spares. */
export const DEFAULT_CUSTODY_SETTINGS: Readonly<CustodySettings> = {
  opensMinutesBefore: 1440,
  closesMinutesBefore: 60,
  openMinutesBefore: 15,
  sparesPerRoom: 2,
}

/** Who may do what to papers and settings. The decryption window is the custodians' (R5.2), not the administrator's (decision record 006). */
export const PAPER_ROLES = {
  'paper.create': ['custodian'],
  'paper.upload': ['custodian'],
  'print.share': ['custodian'],
  'custody.settings': ['custodian'],
} as const satisfies Record<string, readonly Role[]>
export type PaperAction = keyof typeof PAPER_ROLES

export const MAX_TITLE_LENGTH = 200
/** Material for no room: one stack for the custodian's safe, not one packet per room (R5.1). */
export const ROOMLESS_KINDS: readonly PaperKind[] = ['answer_key', 'exam_data']
/** The kinds a session has at most one live paper of: switching to paper B needs to know which one (R5.4). */
export const ONE_PER_SESSION: readonly PaperKind[] = ['paper_a', 'paper_b']
/** Print jobs that bind the file: their approvals were given for it, or its plaintext was released (R5.2). */
export const BINDING_JOB_STATES: ReadonlyArray<PrintJob['state']> = ['requested', 'approved', 'decrypted', 'printed']

/** The refusals of this file, with the stable codes the papers service has always answered. */
export type PaperRefusal =
  | { code: 'paper.not_allowed_for_role'; action: PaperAction; userId: string; allowed: readonly Role[] }
  | { code: 'paper.not_found'; id: string }
  | { code: 'session.not_found'; id: string }
  | { code: 'session.not_scheduled'; status: string }
  | { code: 'paper.title_invalid' }
  | { code: 'paper.kind_taken'; kind: PaperKind; paperId: string }
  | { code: 'paper.file_locked'; paperId: string; jobId: string; state: PrintJob['state'] }
  | { code: 'paper.no_paper_key' }
  | { code: 'print.copies_mismatch'; jobId: string; expected: number; got: number }
  | { code: 'settings.invalid'; field: keyof CustodySettings; reason: string }

/** Whether `actor` may do `action` (PAPER_ROLES). */
export function checkPaperRole(action: PaperAction, actor: Actor): Result<Actor, PaperRefusal> {
  const allowed = PAPER_ROLES[action]
  return holdsAny(actor, allowed) ? ok(actor) : refuse({ code: 'paper.not_allowed_for_role', action, userId: actor.userId, allowed })
}

export interface NewPaper {
  id: string
  actor: Actor
  sessionId: string
  kind: PaperKind
  title: string
}

/**
 * A custodian adds a paper to a scheduled session. `session` is null when there is none; `sameKind` are the
 * session's papers of the new paper's kind. The role is checked first: a stranger learns nothing of the session.
 */
export function decideCreatePaper(
  cmd: NewPaper,
  ctx: { session: { status: string } | null; sameKind: readonly Paper[] },
  now: Instant,
): Result<{ paper: Paper; events: CustodyEventDraft[] }, PaperRefusal> {
  const who = checkPaperRole('paper.create', cmd.actor)
  if (!who.ok) return who
  const title = cmd.title.trim()
  if (title.length === 0 || title.length > MAX_TITLE_LENGTH) return refuse({ code: 'paper.title_invalid' })
  if (!ctx.session) return refuse({ code: 'session.not_found', id: cmd.sessionId })
  if (ctx.session.status !== 'scheduled') return refuse({ code: 'session.not_scheduled', status: ctx.session.status })
  if (ONE_PER_SESSION.includes(cmd.kind)) {
    const taken = ctx.sameKind.find((p) => p.kind === cmd.kind && p.examSessionId === cmd.sessionId && p.state !== 'retired')
    if (taken) return refuse({ code: 'paper.kind_taken', kind: cmd.kind, paperId: taken.id })
  }
  const paper: Paper = { id: cmd.id, examSessionId: cmd.sessionId, kind: cmd.kind, title, state: 'active', frozenBy: [], updatedAt: now }
  return ok({
    paper,
    events: [
      {
        action: 'custody.paper.created',
        subject: { type: 'paper', id: paper.id },
        where: null,
        data: { examSessionId: cmd.sessionId, kind: paper.kind, title, people: [cmd.actor.userId] },
      },
    ],
  })
}

/**
 * Whether the paper's file may be (re)placed now: by a custodian, once there is a key to wrap to (decision
 * record 008), while the paper is active, and while no print job binds the file — approvals were given for
 * the file as it is, and a released plaintext is out there: it stays (R5.2).
 */
export function checkFileChange(
  actor: Actor,
  ctx: { paperId: string; paper: Paper | null; jobs: readonly PrintJob[]; keyReady: boolean },
): Result<Paper, PaperRefusal | CustodyRefusal> {
  const who = checkPaperRole('paper.upload', actor)
  if (!who.ok) return who
  if (!ctx.keyReady) return refuse({ code: 'paper.no_paper_key' })
  if (!ctx.paper) return refuse({ code: 'paper.not_found', id: ctx.paperId })
  const active = checkPaperActive(ctx.paper)
  if (!active.ok) return active
  const binding = ctx.jobs.find((j) => BINDING_JOB_STATES.includes(j.state))
  if (binding) return refuse({ code: 'paper.file_locked', paperId: ctx.paper.id, jobId: binding.id, state: binding.state })
  return ok(ctx.paper)
}

/**
 * The rooms to print a paper for: each room's seated candidates, or its capacity while nobody in the session
 * is seated yet; rooms with no one are left out. Room-less material is one stack of `copies` (default 1).
 */
export function printTargets(
  paper: Pick<Paper, 'kind'>,
  rooms: ReadonlyArray<{ id: string; capacity: number }>,
  seatedRoomIds: Iterable<string>,
  copies?: number,
): PrintTarget[] {
  if (ROOMLESS_KINDS.includes(paper.kind)) return [{ roomId: null, seats: copies ?? 1 }]
  const seated = new Map<string, number>()
  for (const id of seatedRoomIds) seated.set(id, (seated.get(id) ?? 0) + 1)
  return rooms.map((r) => ({ roomId: r.id, seats: seated.size > 0 ? (seated.get(r.id) ?? 0) : r.capacity })).filter((t) => t.seats > 0)
}

/** Copies a job's plan numbers: firstCopy .. firstCopy + planned - 1. */
export function plannedCopies(job: Pick<PrintJob, 'targets' | 'sparesPerRoom'>): number {
  return job.targets.reduce((n, t) => n + t.seats + (t.roomId === null ? 0 : job.sparesPerRoom), 0)
}

/** The highest copy number any job of the paper has claimed (printed, or planned and still live); 0 if none. */
export function lastCopyNumber(jobs: readonly PrintJob[], packets: readonly Pick<Packet, 'copies'>[]): number {
  let last = 0
  for (const j of jobs) {
    if (j.state === 'cancelled' && j.decryptedAt === null) continue // never released: its numbers were never on paper
    last = Math.max(last, j.firstCopy + plannedCopies(j) - 1)
  }
  for (const p of packets) last = Math.max(last, p.copies.last)
  return last
}

/**
 * The print output counted matches the plan (R5.2). Checked after the print decision, so a stranger learns
 * nothing of the plan from a refusal.
 */
export function checkCopiesPrinted(jobId: string, plans: readonly PacketPlan[], copies: number): Result<number, PaperRefusal> {
  const expected = plans.reduce((n, p) => n + p.contents.copies, 0)
  return copies === expected ? ok(copies) : refuse({ code: 'print.copies_mismatch', jobId, expected, got: copies })
}

/** The settings' own bounds: whole minutes, a window that opens before it closes, at most 30 days early. */
export function checkCustodySettings(s: CustodySettings): Result<CustodySettings, Extract<PaperRefusal, { code: 'settings.invalid' }>> {
  const whole = (n: number, min: number, max: number) => Number.isSafeInteger(n) && n >= min && n <= max
  const invalid = (field: keyof CustodySettings, reason: string) => refuse({ code: 'settings.invalid' as const, field, reason })
  if (!whole(s.closesMinutesBefore, 0, 30 * 1440)) return invalid('closesMinutesBefore', '0..43200 minutes')
  if (!whole(s.opensMinutesBefore, 1, 30 * 1440)) return invalid('opensMinutesBefore', '1..43200 minutes')
  if (s.opensMinutesBefore <= s.closesMinutesBefore) return invalid('opensMinutesBefore', 'the window must open before it closes')
  if (!whole(s.openMinutesBefore, 0, 240)) return invalid('openMinutesBefore', '0..240 minutes')
  if (!whole(s.sparesPerRoom, 0, 50)) return invalid('sparesPerRoom', '0..50 copies')
  // Only the four fields are kept, whatever else came with them.
  return ok({
    opensMinutesBefore: s.opensMinutesBefore,
    closesMinutesBefore: s.closesMinutesBefore,
    openMinutesBefore: s.openMinutesBefore,
    sparesPerRoom: s.sparesPerRoom,
  })
}

/** A custodian sets a batch's custody settings (R5.2, decision record 006): the role, then the bounds. */
export function decideSettings(actor: Actor, next: CustodySettings): Result<CustodySettings, PaperRefusal> {
  const who = checkPaperRole('custody.settings', actor)
  if (!who.ok) return who
  return checkCustodySettings(next)
}
