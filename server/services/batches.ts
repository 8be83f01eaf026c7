import type { Database } from 'bun:sqlite'
import { randomUUID } from 'node:crypto'
import { civilDateOf, earliestExamDate } from '../domain/calendar/index.ts'
import {
  type Announcement,
  type AnnouncementInput,
  type Batch,
  type ChangeRecord,
  type ExamSession,
  type FileCommand,
  type LifecycleError,
  type PlanInput,
  type SessionChange,
  decideAnnouncement,
  decideDraft,
  decideFile,
  decideSessionChange,
  decideVenueChange,
  sessionsFromPlan,
  subjectsOf,
} from '../domain/lifecycle/index.ts'
import { type Result, ok, refuse } from '../domain/_result.ts'
import type { BatchStore } from '../db/batch-store.ts'
import type { OccupationStore } from '../db/occupation-store.ts'
import type { RoomsStore } from '../db/rooms-store.ts'
import type { CalendarAdmin } from './calendar.ts'
import type { Actor, CustodyLog } from './custody-log.ts'
import { iso, rolesOf } from './_acting.ts'

export interface BatchView {
  batch: Batch
  sessions: ExamSession[]
  announcement: Announcement | null
}

/**
 * `asOf`: the instant the act is recorded at. Only the system itself (the demo loader, building a history
 * that lies in the past) may name one; a request's act is always recorded at the clock's time (decision 007).
 */
export interface RecordedAt {
  asOf?: number
}

const changeData = (r: ChangeRecord['old']) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'number' && k !== 'place' ? iso(v) : v]))

/** Batch plans (认定计划), their filing, sessions, announcement and approved changes. */
export class Batches {
  constructor(
    private readonly db: Database,
    private readonly store: BatchStore,
    private readonly occupations: OccupationStore,
    private readonly calendar: CalendarAdmin,
    private readonly log: CustodyLog,
    private readonly clock: () => number,
    /** Sites belong to the rooms module: read from its store. */
    private readonly sites: Pick<RoomsStore, 'site'>,
  ) {}

  /** Which of these site ids exist. */
  private knownSites(ids: Iterable<string | null>): Set<string> {
    const out = new Set<string>()
    for (const id of ids) if (id !== null && this.sites.site(id)) out.add(id)
    return out
  }

  list(): Batch[] {
    return this.store.all()
  }
  get(id: string): BatchView | null {
    const batch = this.store.byId(id)
    return batch ? { batch, sessions: this.store.sessionsOf(id), announcement: this.store.announcementOf(id) } : null
  }
  session(id: string): ExamSession | null {
    return this.store.session(id)
  }
  announcement(id: string): Announcement | null {
    return this.store.announcement(id)
  }
  announcements(): Announcement[] {
    return this.store.announcements()
  }
  siteName(id: string): string | null {
    return this.sites.site(id)?.name ?? null
  }

  /** A new plan, as a draft (R2.2 fields may still be missing). */
  create(
    actor: Actor,
    input: PlanInput & Required<Pick<PlanInput, 'title' | 'occupationCode' | 'level' | 'examStartDate' | 'examEndDate'>>,
    at: RecordedAt = {},
  ): Result<Batch, LifecycleError> {
    return this.db
      .transaction((): Result<Batch, LifecycleError> => {
        const decided = this.draft(null, input, this.nowFor(actor, at))
        if (!decided.ok) return decided
        const b = decided.value
        this.store.insert(b)
        this.log.append({
          actor,
          action: 'batch.created',
          subject: { type: 'batch', id: b.id },
          data: {
            title: b.title,
            occupation: b.occupationCode,
            level: b.level,
            examStartDate: b.examStartDate,
            examEndDate: b.examEndDate,
            feeCents: b.feeCents,
          },
        })
        return ok(b)
      })
      .immediate()
  }

  /** Edits a draft; a filed plan changes only through R4.4 (changeSession, changeVenue). */
  updateDraft(actor: Actor, id: string, input: PlanInput): Result<Batch, LifecycleError> {
    return this.db
      .transaction((): Result<Batch, LifecycleError> => {
        const current = this.store.byId(id)
        if (!current) return refuse({ code: 'batch.not_found', id })
        const decided = this.draft(current, input, this.clock())
        if (!decided.ok) return decided
        const b = decided.value
        this.store.update(b)
        this.log.append({
          actor,
          action: 'batch.updated',
          subject: { type: 'batch', id },
          data: { fields: Object.keys(input).sort(), occupation: b.occupationCode, level: b.level, examStartDate: b.examStartDate, examEndDate: b.examEndDate },
        })
        return ok(b)
      })
      .immediate()
  }

  private nowFor(actor: Actor, at: RecordedAt): number {
    if (at.asOf === undefined) return this.clock()
    if (rolesOf(actor) !== null) throw new Error('only the system records an act as of another time')
    return at.asOf
  }

  private draft(current: Batch | null, input: PlanInput, now: number): Result<Batch, LifecycleError> {
    const code = input.occupationCode ?? current!.occupationCode
    const occupation = this.occupations.byCode(code)
    if (!occupation) return refuse({ code: 'plan.invalid', field: 'occupationCode', message: `no occupation ${code}` })
    const knownSites = this.knownSites((input.sessions ?? current?.plan.sessions ?? []).map((s) => s.siteId ?? null))
    return decideDraft(current, input, randomUUID(), { subjects: subjectsOf(occupation, input.level ?? current!.level), knownSites, now })
  }

  /** R2.1/R2.2: records the filing with the municipal centre on today's date; the plan's sessions become exam sessions. */
  file(actor: Actor, id: string, cmd: FileCommand, at: RecordedAt = {}): Result<BatchView, LifecycleError> {
    return this.db
      .transaction((): Result<BatchView, LifecycleError> => {
        const current = this.store.byId(id)
        if (!current) return refuse({ code: 'batch.not_found', id })
        const occupation = this.occupations.byCode(current.occupationCode)!
        const now = this.nowFor(actor, at)
        const cal = this.calendar.calendar()
        const decided = decideFile(current, cmd, {
          today: civilDateOf(now),
          calendar: cal,
          subjects: subjectsOf(occupation, current.level),
          roles: rolesOf(actor),
          now,
        })
        if (!decided.ok) return decided
        const b = decided.value
        this.store.update(b)
        const first = earliestExamDate(b.filedOn!, cal)
        this.log.append({
          actor,
          action: 'batch.filed',
          subject: { type: 'batch', id },
          data: {
            filedOn: b.filedOn!,
            centreReference: b.centreReference!,
            ...(b.filedOnDocumented && { documentedOn: b.filedOnDocumented.date, documentReference: b.filedOnDocumented.reference }),
            examStartDate: b.examStartDate,
            earliestExamDate: first.date,
            provisional: first.provisional,
            sessions: b.plan.sessions.length,
          },
        })
        const sessions = sessionsFromPlan(b, randomUUID, now)
        for (const s of sessions) {
          this.store.insertSession(s)
          this.log.append({
            actor,
            action: 'exam_session.created',
            subject: { type: 'exam_session', id: s.id },
            data: { batch: id, subject: s.subjectId, startsAt: iso(s.startsAt), endsAt: iso(s.endsAt), site: s.siteId },
          })
        }
        return ok({ batch: b, sessions: this.store.sessionsOf(id), announcement: null })
      })
      .immediate()
  }

  /** R2.3: publishes the announcement on today's date (the batch moves filed → announced). */
  announce(actor: Actor, id: string, input: AnnouncementInput, at: RecordedAt = {}): Result<{ batch: Batch; announcement: Announcement }, LifecycleError> {
    return this.db
      .transaction((): Result<{ batch: Batch; announcement: Announcement }, LifecycleError> => {
        const current = this.store.byId(id)
        if (!current) return refuse({ code: 'batch.not_found', id })
        const occupation = this.occupations.byCode(current.occupationCode)!
        const now = this.nowFor(actor, at)
        const decided = decideAnnouncement(current, input, randomUUID(), { today: civilDateOf(now), occupation, roles: rolesOf(actor), now })
        if (!decided.ok) return decided
        const { batch, announcement } = decided.value
        this.store.update(batch)
        this.store.insertAnnouncement(announcement)
        this.log.append({
          actor,
          action: 'announcement.published',
          subject: { type: 'announcement', id: announcement.id },
          data: {
            batch: id,
            publishedOn: announcement.publishedOn,
            ...(announcement.publishedOnDocumented && {
              documentedOn: announcement.publishedOnDocumented.date,
              documentReference: announcement.publishedOnDocumented.reference,
            }),
            examStartDate: batch.examStartDate,
            registrationUntil: announcement.content.registration.until,
          },
        })
        return ok(decided.value)
      })
      .immediate()
  }

  /** R4.4: a session's new time or site, with the centre's approval reference. */
  changeSession(actor: Actor, sessionId: string, change: SessionChange): Result<{ batch: Batch; session: ExamSession }, LifecycleError> {
    return this.db
      .transaction((): Result<{ batch: Batch; session: ExamSession }, LifecycleError> => {
        const session = this.store.session(sessionId)
        if (!session) return refuse({ code: 'session.not_found', id: sessionId })
        const batch = this.store.byId(session.batchId)!
        const knownSites = this.knownSites([change.siteId ?? null])
        const decided = decideSessionChange(batch, session, this.store.sessionsOf(batch.id), change, { roles: rolesOf(actor), now: this.clock(), knownSites })
        if (!decided.ok) return decided
        const { record } = decided.value
        this.store.updateSession(decided.value.session)
        this.store.update(decided.value.batch)
        this.log.append({
          actor,
          action: 'exam_session.changed',
          subject: { type: 'exam_session', id: sessionId },
          data: { batch: batch.id, approvalReference: record.approvalReference, old: changeData(record.old), new: changeData(record.new) },
        })
        return ok({ batch: decided.value.batch, session: decided.value.session })
      })
      .immediate()
  }

  /** R4.4: the plan's venue, with the centre's approval reference. */
  changeVenue(actor: Actor, id: string, change: { place: string; approvalReference?: string }): Result<Batch, LifecycleError> {
    return this.db
      .transaction((): Result<Batch, LifecycleError> => {
        const current = this.store.byId(id)
        if (!current) return refuse({ code: 'batch.not_found', id })
        const decided = decideVenueChange(current, change, { roles: rolesOf(actor), now: this.clock() })
        if (!decided.ok) return decided
        const { batch, record } = decided.value
        this.store.update(batch)
        this.log.append({
          actor,
          action: 'batch.venue_changed',
          subject: { type: 'batch', id },
          data: { approvalReference: record.approvalReference, old: changeData(record.old), new: changeData(record.new) },
        })
        return ok(batch)
      })
      .immediate()
  }
}
