import type { Database, Statement } from 'bun:sqlite'
import { randomBytes } from 'node:crypto'
import type { Candidate, CandidateDetails, CandidateStatus, SubjectKind, SubjectResult } from '../domain/lifecycle/index.ts'
import type { CandidateFilter, CandidateQuery, Gender } from '../domain/registration/index.ts'

interface CandidateRow {
  id: string
  batch_id: string
  name: string | null
  resident_id: string | null
  resident_id_hash: string
  gender: string | null
  birth_date: string | null
  phone: string | null
  details: string
  training_unit: string | null
  photo_type: string | null
  status: string
  review_reason: string | null
  erased_at: number | null
  created_at: number
  updated_at: number
}
export interface PaymentRow {
  candidate_id: string
  invoice_number: string
  amount_cents: number
  paid_on: string
  recorded_at: number
}
export interface AttachmentMeta {
  id: string
  candidateId: string
  kind: string
  filename: string
  contentType: string
  size: number
  sha256: string
  createdAt: number
}
interface AttachmentRow {
  id: string
  candidate_id: string
  kind: string
  filename: string
  content_type: string
  size: number
  sha256: string
  created_at: number
}
interface ResultRow {
  occupation_code: string
  level: number
  subject_kind: string
  exam_date: string
  passed: number
  attempt: number
}

/** Every column but the photo bytes (lists never carry photos). */
const COLUMNS = `id, batch_id, name, resident_id, resident_id_hash, gender, birth_date, phone, details, training_unit, photo_type,
  status, review_reason, erased_at, created_at, updated_at`

const toCandidate = (r: CandidateRow): Candidate => ({
  id: r.id,
  batchId: r.batch_id,
  name: r.name,
  residentId: r.resident_id,
  residentIdHash: r.resident_id_hash,
  gender: r.gender as Gender | null,
  birthDate: r.birth_date,
  phone: r.phone,
  trainingUnit: r.training_unit,
  details: JSON.parse(r.details) as CandidateDetails,
  photoType: r.photo_type,
  status: r.status as CandidateStatus,
  reviewReason: r.review_reason,
  erasedAt: r.erased_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
})
const toMeta = (r: AttachmentRow): AttachmentMeta => ({
  id: r.id,
  candidateId: r.candidate_id,
  kind: r.kind,
  filename: r.filename,
  contentType: r.content_type,
  size: r.size,
  sha256: r.sha256,
  createdAt: r.created_at,
})

type SummaryRow = CandidateRow & {
  invoice_number: string | null
  amount_cents: number | null
  paid_on: string | null
  recorded_at: number | null
  has_photo: number
}
export type CandidateWithPayment = Candidate & { payment: PaymentRow | null; hasPhoto: boolean }
const SUMMARY = `SELECT ${COLUMNS.replace(/(\w+)/g, 'c.$1')}, p.invoice_number, p.amount_cents, p.paid_on, p.recorded_at, c.photo IS NOT NULL AS has_photo
  FROM candidates c LEFT JOIN payments p ON p.candidate_id = c.id`
const toSummary = (r: SummaryRow): CandidateWithPayment => ({
  ...toCandidate(r),
  hasPhoto: r.has_photo === 1,
  payment:
    r.invoice_number === null
      ? null
      : { candidate_id: r.id, invoice_number: r.invoice_number, amount_cents: r.amount_cents!, paid_on: r.paid_on!, recorded_at: r.recorded_at! },
})

/** A page of the registrar's list: filter, search (domain readCandidateQuery) and where the page starts. */
export interface CandidateSearch {
  filter: CandidateFilter | null
  query: CandidateQuery | null
  offset: number
  limit: number
}
/** The candidate whose ticket number the query names (looked up in the ticket store by the service), if any. */
export interface TicketHolderMatch {
  ticketHolder: string | null
}
type SearchParams = {
  batch: string
  status: string | null
  paid: number | null
  like: string | null
  tail: string | null
  full: string | null
  ticketHolder: string | null
}
// One prepared statement serves every filter: a NULL parameter switches its condition off.
const SEARCH_WHERE = `WHERE c.batch_id = $batch
  AND ($status IS NULL OR c.status = $status)
  AND ($paid IS NULL OR (p.invoice_number IS NOT NULL) = $paid)
  AND ($like IS NULL OR c.name LIKE $like ESCAPE '\\' OR c.training_unit LIKE $like ESCAPE '\\'
    OR ($tail IS NOT NULL AND substr(c.resident_id, -length($tail)) = $tail)
    OR ($full IS NOT NULL AND c.resident_id = $full)
    OR c.id = $ticketHolder)`
const likeOf = (text: string): string => `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`

interface TicketRow extends CandidateRow {
  photo: Uint8Array | null
  paid: number
}

/** What a ticket print shows of its candidate (R3.4): personal data, read here and never logged. */
export interface TicketHolder {
  id: string
  batchId: string
  name: string | null
  residentId: string | null
  residentIdHash: string
  status: string
  paid: boolean
  hasPhoto: boolean
}

/** SQL for candidates, their attachments and payments, earlier subject results (R7.3) and the PII salt. */
export class CandidateStore {
  private readonly q: {
    byId: Statement<CandidateRow, [string]>
    ofBatch: Statement<SummaryRow, [string]>
    search: Statement<SummaryRow, [SearchParams & { limit: number; offset: number }]>
    searchCount: Statement<{ n: number }, [SearchParams]>
    summary: Statement<SummaryRow, [string]>
    idsOfBatch: Statement<{ resident_id: string }, [string]>
    byHash: Statement<{ id: string }, [string, string]>
    insert: Statement<
      unknown,
      [
        string,
        string,
        string | null,
        string | null,
        string,
        string | null,
        string | null,
        string | null,
        string,
        string | null,
        Uint8Array | null,
        string | null,
        string,
        number,
        number,
      ]
    >
    setStatus: Statement<unknown, [string, string | null, number, string]>
    photo: Statement<{ photo: Uint8Array | null; photo_type: string | null }, [string]>
    setPhoto: Statement<unknown, [Uint8Array, string, number, string]>
    insertAttachment: Statement<unknown, [string, string, string, string, string, Uint8Array, string, number]>
    attachments: Statement<AttachmentRow, [string]>
    attachment: Statement<AttachmentRow & { bytes: Uint8Array }, [string, string]>
    payment: Statement<PaymentRow, [string]>
    invoice: Statement<PaymentRow, [string]>
    insertPayment: Statement<unknown, [string, string, number, string, number]>
    results: Statement<ResultRow, [string]>
    insertResult: Statement<unknown, [string, string, string, number, string, string, number, number, number]>
    setResultPassed: Statement<unknown, [number, string]>
    salt: Statement<{ value: string }, []>
    insertSalt: Statement<unknown, [string]>
    paidOfBatch: Statement<{ id: string; training_unit: string | null; details: string }, [string]>
    forTicket: Statement<TicketRow, [string]>
    names: Statement<{ id: string; name: string | null }, [string]>
    holder: Statement<
      {
        id: string
        batch_id: string
        name: string | null
        resident_id: string | null
        resident_id_hash: string
        status: string
        paid: number
        has_photo: number
      },
      [string]
    >
    livePhoto: Statement<{ photo: Uint8Array | null; photo_type: string | null }, [string]>
    setting: Statement<{ value: string }, [string]>
    saveSetting: Statement<unknown, [string, string]>
  }

  constructor(db: Database) {
    this.q = {
      byId: db.query(`SELECT ${COLUMNS} FROM candidates WHERE id = ?`),
      ofBatch: db.query(`${SUMMARY} WHERE c.batch_id = ? ORDER BY c.created_at, c.rowid`),
      search: db.query(`${SUMMARY} ${SEARCH_WHERE} ORDER BY c.created_at, c.rowid LIMIT $limit OFFSET $offset`),
      searchCount: db.query(`SELECT count(*) AS n FROM candidates c LEFT JOIN payments p ON p.candidate_id = c.id ${SEARCH_WHERE}`),
      summary: db.query(`${SUMMARY} WHERE c.id = ?`),
      idsOfBatch: db.query('SELECT resident_id FROM candidates WHERE batch_id = ? AND resident_id IS NOT NULL'),
      byHash: db.query('SELECT id FROM candidates WHERE batch_id = ? AND resident_id_hash = ?'),
      insert:
        db.query(`INSERT INTO candidates (id, batch_id, name, resident_id, resident_id_hash, gender, birth_date, phone, details, training_unit, photo, photo_type, status, created_at, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      setStatus: db.query('UPDATE candidates SET status = ?, review_reason = ?, updated_at = ? WHERE id = ?'),
      photo: db.query('SELECT photo, photo_type FROM candidates WHERE id = ?'),
      setPhoto: db.query('UPDATE candidates SET photo = ?, photo_type = ?, updated_at = ? WHERE id = ?'),
      insertAttachment: db.query(
        'INSERT INTO candidate_attachments (id, candidate_id, kind, filename, content_type, bytes, sha256, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      attachments: db.query(
        'SELECT id, candidate_id, kind, filename, content_type, length(bytes) AS size, sha256, created_at FROM candidate_attachments WHERE candidate_id = ? ORDER BY created_at, id',
      ),
      attachment: db.query(
        'SELECT id, candidate_id, kind, filename, content_type, length(bytes) AS size, sha256, created_at, bytes FROM candidate_attachments WHERE id = ? AND candidate_id = ?',
      ),
      payment: db.query('SELECT * FROM payments WHERE candidate_id = ?'),
      invoice: db.query('SELECT * FROM payments WHERE invoice_number = ?'),
      insertPayment: db.query('INSERT INTO payments (candidate_id, invoice_number, amount_cents, paid_on, recorded_at) VALUES (?, ?, ?, ?, ?)'),
      results: db.query(
        'SELECT occupation_code, level, subject_kind, exam_date, passed, attempt FROM subject_results WHERE resident_id_hash = ? ORDER BY exam_date',
      ),
      insertResult: db.query(`INSERT INTO subject_results (id, resident_id_hash, occupation_code, level, subject_kind, exam_date, passed, attempt, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      setResultPassed: db.query('UPDATE subject_results SET passed = ? WHERE id = ?'),
      holder: db.query(`SELECT c.id, c.batch_id, c.name, c.resident_id, c.resident_id_hash, c.status,
          EXISTS (SELECT 1 FROM payments p WHERE p.candidate_id = c.id) AS paid, (c.photo IS NOT NULL) AS has_photo
        FROM candidates c WHERE c.id = ? AND c.erased_at IS NULL`),
      livePhoto: db.query('SELECT photo, photo_type FROM candidates WHERE id = ? AND erased_at IS NULL'),
      setting: db.query('SELECT value FROM settings WHERE key = ?'),
      saveSetting: db.query('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
      salt: db.query("SELECT value FROM settings WHERE key = 'pii_salt'"),
      insertSalt: db.query("INSERT OR IGNORE INTO settings (key, value) VALUES ('pii_salt', ?)"),
      paidOfBatch: db.query(`SELECT c.id, c.training_unit, c.details FROM candidates c
        JOIN payments p ON p.candidate_id = c.id
        WHERE c.batch_id = ? AND c.status = 'approved' AND c.erased_at IS NULL ORDER BY c.created_at, c.rowid`),
      names: db.query('SELECT id, name FROM candidates WHERE id IN (SELECT value FROM json_each(?))'),
      forTicket: db.query('SELECT c.*, (SELECT count(*) FROM payments p WHERE p.candidate_id = c.id) AS paid FROM candidates c WHERE c.id = ?'),
    }
  }

  byId(id: string): Candidate | null {
    const r = this.q.byId.get(id)
    return r ? toCandidate(r) : null
  }

  /** The batch's candidates with their payment, for the registrar's list. */
  ofBatch(batchId: string): CandidateWithPayment[] {
    return this.q.ofBatch.all(batchId).map(toSummary)
  }
  /** One page of the batch's list (in registration order) and how many match in all. */
  search(batchId: string, s: CandidateSearch & TicketHolderMatch): { total: number; candidates: CandidateWithPayment[] } {
    const f = s.filter
    const params: SearchParams = {
      batch: batchId,
      status: f === null || f === 'paid' || f === 'unpaid' ? (f === 'unpaid' ? 'approved' : null) : f,
      paid: f === 'paid' ? 1 : f === 'unpaid' ? 0 : null,
      like: s.query ? likeOf(s.query.text) : null,
      tail: s.query?.idTail ?? null,
      full: s.query?.fullId ?? null,
      ticketHolder: s.ticketHolder,
    }
    return {
      total: this.q.searchCount.get(params)!.n,
      candidates: this.q.search.all({ ...params, limit: s.limit, offset: s.offset }).map(toSummary),
    }
  }
  /** One candidate with payment and whether a photo is stored. */
  summary(id: string): CandidateWithPayment | null {
    const r = this.q.summary.get(id)
    return r ? toSummary(r) : null
  }
  residentIdsOfBatch(batchId: string): Set<string> {
    return new Set(this.q.idsOfBatch.all(batchId).map((r) => r.resident_id))
  }
  hashTaken(batchId: string, hash: string): boolean {
    return Boolean(this.q.byHash.get(batchId, hash))
  }

  insert(c: Candidate, photo: { bytes: Uint8Array; type: string } | null): void {
    this.q.insert.run(
      c.id,
      c.batchId,
      c.name,
      c.residentId,
      c.residentIdHash,
      c.gender,
      c.birthDate,
      c.phone,
      JSON.stringify(c.details),
      c.trainingUnit,
      photo?.bytes ?? null,
      photo?.type ?? null,
      c.status,
      c.createdAt,
      c.updatedAt,
    )
  }
  setStatus(id: string, status: CandidateStatus, reason: string | null, now: number): void {
    this.q.setStatus.run(status, reason, now, id)
  }

  photo(id: string): { bytes: Uint8Array; type: string } | null {
    const r = this.q.photo.get(id)
    return r?.photo && r.photo_type ? { bytes: r.photo, type: r.photo_type } : null
  }
  setPhoto(id: string, bytes: Uint8Array, type: string, now: number): void {
    this.q.setPhoto.run(bytes, type, now, id)
  }

  insertAttachment(a: Omit<AttachmentMeta, 'size'>, bytes: Uint8Array): void {
    this.q.insertAttachment.run(a.id, a.candidateId, a.kind, a.filename, a.contentType, bytes, a.sha256, a.createdAt)
  }
  attachments(candidateId: string): AttachmentMeta[] {
    return this.q.attachments.all(candidateId).map(toMeta)
  }
  attachment(candidateId: string, id: string): (AttachmentMeta & { bytes: Uint8Array }) | null {
    const r = this.q.attachment.get(id, candidateId)
    return r ? { ...toMeta(r), bytes: r.bytes } : null
  }

  payment(candidateId: string): PaymentRow | null {
    return this.q.payment.get(candidateId) ?? null
  }
  invoiceTaken(invoiceNumber: string): boolean {
    return Boolean(this.q.invoice.get(invoiceNumber))
  }
  insertPayment(p: PaymentRow): void {
    this.q.insertPayment.run(p.candidate_id, p.invoice_number, p.amount_cents, p.paid_on, p.recorded_at)
  }

  /** The candidate a ticket is printed for (none once erased). */
  holder(candidateId: string): TicketHolder | null {
    const r = this.q.holder.get(candidateId)
    return r
      ? {
          id: r.id,
          batchId: r.batch_id,
          name: r.name,
          residentId: r.resident_id,
          residentIdHash: r.resident_id_hash,
          status: r.status,
          paid: r.paid === 1,
          hasPhoto: r.has_photo === 1,
        }
      : null
  }
  /** The photo printed on a ticket (none once the candidate is erased). */
  holderPhoto(candidateId: string): { bytes: Uint8Array; type: string } | null {
    const r = this.q.livePhoto.get(candidateId)
    return r?.photo && r.photo_type ? { bytes: r.photo, type: r.photo_type } : null
  }
  /** A body-wide setting (settings table), e.g. 'body_name'. */
  setting(key: string): string | null {
    return this.q.setting.get(key)?.value ?? null
  }
  /** Writes a body-wide setting; the caller logs the change in the same transaction. */
  saveSetting(key: string, value: string): void {
    this.q.saveSetting.run(key, value)
  }

  /** R7.3: earlier subject results of one person (by salted ID hash). */
  results(residentIdHash: string): SubjectResult[] {
    return this.q.results.all(residentIdHash).map((r) => ({
      occupationCode: r.occupation_code,
      level: r.level,
      subjectKind: r.subject_kind as SubjectKind,
      examDate: r.exam_date,
      passed: r.passed === 1,
      attempt: r.attempt,
    }))
  }
  /** R7.3: a final subject result, written when results are published (what registration's retake check reads). */
  insertResult(id: string, residentIdHash: string, r: SubjectResult, at: number): void {
    this.q.insertResult.run(id, residentIdHash, r.occupationCode, r.level, r.subjectKind, r.examDate, r.passed ? 1 : 0, r.attempt, at)
  }
  /** R7.3: a review's verified change turns a published result into a pass or a fail. */
  setResultPassed(id: string, passed: boolean): void {
    this.q.setResultPassed.run(passed ? 1 : 0, id)
  }

  /**
   * The salt of resident_id_hash: 32 random bytes (hex) in settings 'pii_salt', created on first need.
   * Call inside the write transaction that needs it, so a salt and the first hash made with it commit together.
   */
  piiSalt(): string {
    const found = this.existingSalt()
    if (found !== null) return found
    this.q.insertSalt.run(randomBytes(32).toString('hex'))
    return this.existingSalt()!
  }

  /** The salt if one was made; none means no hash exists yet (so nothing can match one). */
  existingSalt(): string | null {
    return this.q.salt.get()?.value ?? null
  }

  /** Approved, paid candidates of the batch, in registration order (the service filters retakes by subject, R7.3). */
  paidOfBatch(batchId: string): Array<{ id: string; trainingUnit: string | null; details: CandidateDetails }> {
    return this.q.paidOfBatch.all(batchId).map((r) => ({ id: r.id, trainingUnit: r.training_unit, details: JSON.parse(r.details) as CandidateDetails }))
  }

  /** The names of these candidates (null once erased); an unknown id is left out. */
  names(ids: readonly string[]): Map<string, string | null> {
    return new Map(this.q.names.all(JSON.stringify(ids)).map((r) => [r.id, r.name]))
  }

  /** The candidate with photo bytes and whether a payment is recorded (what a ticket prints, R3.4). */
  forTicket(id: string): (Candidate & { photo: Uint8Array | null; paid: boolean }) | null {
    const r = this.q.forTicket.get(id)
    return r ? { ...toCandidate(r), photo: r.photo, paid: r.paid > 0 } : null
  }
}
