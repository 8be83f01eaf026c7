import type { Database, Statement } from 'bun:sqlite'
import type { Announcement, AnnouncementContent, Batch, BatchStatus, ExamSession, ExamSessionStatus, Level, Plan } from '../domain/lifecycle/index.ts'

interface BatchRow {
  id: string
  title: string
  occupation_code: string
  level: number
  status: string
  plan: string
  exam_start_date: string
  exam_end_date: string
  filed_on: string | null
  centre_reference: string | null
  fee_cents: number
  created_at: number
  updated_at: number
  filed_documented_on: string | null
  filed_document_reference: string | null
}
interface SessionRow {
  id: string
  batch_id: string
  subject_id: string
  site_id: string | null
  starts_at: number
  ends_at: number
  status: string
  created_at: number
  updated_at: number
}
interface AnnouncementRow {
  id: string
  batch_id: string
  published_on: string
  content: string
  created_at: number
  documented_on: string | null
  document_reference: string | null
}
const documented = (date: string | null, reference: string | null) => (date !== null && reference !== null ? { date, reference } : null)

const toBatch = (r: BatchRow): Batch => ({
  id: r.id,
  title: r.title,
  occupationCode: r.occupation_code,
  level: r.level as Level,
  status: r.status as BatchStatus,
  plan: JSON.parse(r.plan) as Plan,
  examStartDate: r.exam_start_date,
  examEndDate: r.exam_end_date,
  filedOn: r.filed_on,
  filedOnDocumented: documented(r.filed_documented_on, r.filed_document_reference),
  centreReference: r.centre_reference,
  feeCents: r.fee_cents,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
})
const toSession = (r: SessionRow): ExamSession => ({
  id: r.id,
  batchId: r.batch_id,
  subjectId: r.subject_id,
  siteId: r.site_id,
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  status: r.status as ExamSessionStatus,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
})
const toAnnouncement = (r: AnnouncementRow): Announcement => ({
  id: r.id,
  batchId: r.batch_id,
  publishedOn: r.published_on,
  publishedOnDocumented: documented(r.documented_on, r.document_reference),
  content: JSON.parse(r.content) as AnnouncementContent,
  createdAt: r.created_at,
})

type BatchParams = [
  string,
  string,
  string,
  number,
  string,
  string,
  string,
  string,
  string | null,
  string | null,
  number,
  number,
  number,
  string | null,
  string | null,
]
const batchParams = (b: Batch): BatchParams => [
  b.title,
  b.occupationCode,
  b.status,
  b.level,
  JSON.stringify(b.plan),
  b.examStartDate,
  b.examEndDate,
  b.id,
  b.filedOn,
  b.centreReference,
  b.feeCents,
  b.createdAt,
  b.updatedAt,
  b.filedOnDocumented?.date ?? null,
  b.filedOnDocumented?.reference ?? null,
]

/** SQL for batch plans (认定计划), their exam sessions and their announcement. */
export class BatchStore {
  private readonly q: {
    all: Statement<BatchRow, []>
    byId: Statement<BatchRow, [string]>
    insert: Statement<unknown, BatchParams>
    update: Statement<unknown, BatchParams>
    sessions: Statement<SessionRow, [string]>
    session: Statement<SessionRow, [string]>
    insertSession: Statement<unknown, [string, string, string, string | null, number, number, string, number, number]>
    updateSession: Statement<unknown, [string | null, number, number, string, number, string]>
    announcementOf: Statement<AnnouncementRow, [string]>
    announcement: Statement<AnnouncementRow, [string]>
    announcements: Statement<AnnouncementRow, []>
    insertAnnouncement: Statement<unknown, [string, string, string, string, number, string | null, string | null]>
    subjectsSat: Statement<{ subject_id: string }, [string]>
    levelsPlanned: Statement<{ level: number }, [string]>
  }

  constructor(db: Database) {
    // One parameter order for insert and update (batchParams), so the two cannot drift apart.
    this.q = {
      all: db.query('SELECT * FROM batches ORDER BY exam_start_date DESC, created_at DESC'),
      byId: db.query('SELECT * FROM batches WHERE id = ?'),
      insert:
        db.query(`INSERT INTO batches (title, occupation_code, status, level, plan, exam_start_date, exam_end_date, id, filed_on, centre_reference, fee_cents, created_at, updated_at,
        filed_documented_on, filed_document_reference)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)`),
      update: db.query(`UPDATE batches SET title = ?1, occupation_code = ?2, status = ?3, level = ?4, plan = ?5, exam_start_date = ?6, exam_end_date = ?7,
        filed_on = ?9, centre_reference = ?10, fee_cents = ?11, created_at = ?12, updated_at = ?13, filed_documented_on = ?14, filed_document_reference = ?15 WHERE id = ?8`),
      sessions: db.query('SELECT * FROM exam_sessions WHERE batch_id = ? ORDER BY starts_at, id'),
      session: db.query('SELECT * FROM exam_sessions WHERE id = ?'),
      insertSession: db.query(
        'INSERT INTO exam_sessions (id, batch_id, subject_id, site_id, starts_at, ends_at, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      updateSession: db.query('UPDATE exam_sessions SET site_id = ?, starts_at = ?, ends_at = ?, status = ?, updated_at = ? WHERE id = ?'),
      announcementOf: db.query('SELECT * FROM announcements WHERE batch_id = ?'),
      announcement: db.query('SELECT * FROM announcements WHERE id = ?'),
      announcements: db.query('SELECT * FROM announcements ORDER BY published_on DESC, created_at DESC'),
      subjectsSat: db.query('SELECT DISTINCT e.subject_id FROM exam_sessions e JOIN batches b ON b.id = e.batch_id WHERE b.occupation_code = ?'),
      levelsPlanned: db.query('SELECT DISTINCT level FROM batches WHERE occupation_code = ?'),
      insertAnnouncement: db.query(
        'INSERT INTO announcements (id, batch_id, published_on, content, created_at, documented_on, document_reference) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
    }
  }

  all(): Batch[] {
    return this.q.all.all().map(toBatch)
  }
  byId(id: string): Batch | null {
    const r = this.q.byId.get(id)
    return r ? toBatch(r) : null
  }
  insert(b: Batch): void {
    this.q.insert.run(...batchParams(b))
  }
  update(b: Batch): void {
    this.q.update.run(...batchParams(b))
  }

  sessionsOf(batchId: string): ExamSession[] {
    return this.q.sessions.all(batchId).map(toSession)
  }
  session(id: string): ExamSession | null {
    const r = this.q.session.get(id)
    return r ? toSession(r) : null
  }
  insertSession(s: ExamSession): void {
    this.q.insertSession.run(s.id, s.batchId, s.subjectId, s.siteId, s.startsAt, s.endsAt, s.status, s.createdAt, s.updatedAt)
  }
  updateSession(s: ExamSession): void {
    this.q.updateSession.run(s.siteId, s.startsAt, s.endsAt, s.status, s.updatedAt, s.id)
  }

  announcementOf(batchId: string): Announcement | null {
    const r = this.q.announcementOf.get(batchId)
    return r ? toAnnouncement(r) : null
  }
  announcement(id: string): Announcement | null {
    const r = this.q.announcement.get(id)
    return r ? toAnnouncement(r) : null
  }
  announcements(): Announcement[] {
    return this.q.announcements.all().map(toAnnouncement)
  }

  /** What an occupation update may not remove: subjects that its batches' exam sessions sit, levels that batches plan. */
  occupationUsage(code: string): { subjectIds: Set<string>; levels: Set<number> } {
    return {
      subjectIds: new Set(this.q.subjectsSat.all(code).map((r) => r.subject_id)),
      levels: new Set(this.q.levelsPlanned.all(code).map((r) => r.level)),
    }
  }
  insertAnnouncement(a: Announcement): void {
    this.q.insertAnnouncement.run(
      a.id,
      a.batchId,
      a.publishedOn,
      JSON.stringify(a.content),
      a.createdAt,
      a.publishedOnDocumented?.date ?? null,
      a.publishedOnDocumented?.reference ?? null,
    )
  }
}
