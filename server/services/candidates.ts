import type { Database } from 'bun:sqlite'
import { createHash, randomUUID } from 'node:crypto'
import { civilDateOf } from '../domain/calendar/index.ts'
import {
  type AttachmentInput,
  type Batch,
  type Candidate,
  type CandidateAction,
  type CandidateDetails,
  type ImportRowError,
  type Level,
  type LifecycleError,
  type PaymentCommand,
  type Sitting,
  catalogueOf,
  decideCandidateMove,
  decideDeskRegistration,
  decidePayment,
  decideRegistrationOpen,
  decideSitting,
  importCatalogue,
  importRowRefusal,
  notThisBatch,
} from '../domain/lifecycle/index.ts'
import {
  type Registration,
  type RegistrationInput,
  LEVEL_NAMES,
  decodeCsvBytes,
  inspectPhoto,
  parseCsv,
  parseImport,
  parseResidentId,
} from '../domain/registration/index.ts'
import { type Result, ok, refuse } from '../domain/_result.ts'
import type { BatchStore } from '../db/batch-store.ts'
import type { AttachmentMeta, CandidateSearch, CandidateStore, PaymentRow } from '../db/candidate-store.ts'
import type { OccupationStore } from '../db/occupation-store.ts'
import type { TicketStore } from '../db/ticket-store.ts'
import type { Actor, CustodyLog } from './custody-log.ts'
import { rolesOf } from './_acting.ts'
import type { RecordedAt } from './batches.ts'

/**
 * resident_id_hash (what the custody log carries instead of an ID number): hex SHA-256 of the 32 salt
 * bytes followed by the normalised number's ASCII. The salt (settings 'pii_salt') keeps the hash from
 * being reversed by hashing every possible number.
 */
export function residentIdHash(saltHex: string, residentId: string): string {
  return createHash('sha256').update(Buffer.from(saltHex, 'hex')).update(residentId, 'utf8').digest('hex')
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')

export interface DeskRegistration {
  input: RegistrationInput
  photo: Uint8Array | null
  attachments: AttachmentInput[]
}

export interface CandidateSummary extends Candidate {
  payment: PaymentRow | null
  hasPhoto: boolean
}
export interface CandidateView extends CandidateSummary {
  attachments: AttachmentMeta[]
}

export interface ImportOutcome {
  imported: number
  candidateIds: string[]
  encoding: string
  ignoredColumns: string[]
}

/** What issuing an admission ticket needs (R3.4): identity, photo, status, payment, and what and where. */
export interface CandidateForTicket {
  id: string
  name: string | null
  residentId: string | null
  photo: Uint8Array | null
  photoType: string | null
  status: Candidate['status']
  paid: boolean
  batch: { id: string; title: string; examStartDate: string; examEndDate: string; place: string | null }
  occupation: { code: string; name: string }
  level: Level
  /** '四级/中级工' */
  levelName: string
}

/** Registration (R3.1, R7.3), review (R3.2) and fees (R3.3): each change commits with its event. */
export class Candidates {
  constructor(
    private readonly db: Database,
    private readonly store: CandidateStore,
    private readonly batches: BatchStore,
    private readonly occupations: OccupationStore,
    /** The registrar's search finds a candidate by ticket number. */
    private readonly tickets: TicketStore,
    private readonly log: CustodyLog,
    private readonly clock: () => number,
  ) {}

  ofBatch(batchId: string): CandidateSummary[] {
    return this.store.ofBatch(batchId)
  }
  /** A page of the registrar's list (lists are masked whatever the query found, decision 007). */
  search(batchId: string, s: CandidateSearch): { total: number; candidates: CandidateSummary[] } {
    const ticket = s.query?.ticket ? this.tickets.byNumber(s.query.ticket) : null
    return this.store.search(batchId, { ...s, ticketHolder: ticket?.candidateId ?? null })
  }
  get(id: string): CandidateView | null {
    const c = this.store.summary(id)
    return c ? { ...c, attachments: this.store.attachments(id) } : null
  }
  photo(id: string): { bytes: Uint8Array; type: string } | null {
    return this.store.photo(id)
  }

  /**
   * A candidate with their personal data in full, for a role that needs it: the view is a custody event
   * (`candidate.personal_data_viewed`, by id only; decision 007). Lists show the data masked.
   */
  viewPersonalData(actor: Actor, id: string): CandidateView | null {
    const c = this.get(id)
    if (!c) return null
    this.log.appendAlone({ actor, action: 'candidate.personal_data_viewed', subject: { type: 'candidate', id }, data: { batch: c.batchId, view: 'candidate' } })
    return c
  }

  /** One attachment's bytes (an ID card copy carries the whole number): logged as a view of personal data. */
  viewAttachment(actor: Actor, candidateId: string, id: string): (AttachmentMeta & { bytes: Uint8Array }) | null {
    const a = this.store.attachment(candidateId, id)
    if (!a) return null
    this.log.appendAlone({
      actor,
      action: 'candidate.personal_data_viewed',
      subject: { type: 'candidate', id: candidateId },
      data: { view: 'attachment', attachment: id, kind: a.kind },
    })
    return a
  }

  /** A registration at the desk: identity, photo (required: the ticket prints it) and attachments. */
  register(actor: Actor, batchId: string, desk: DeskRegistration, at: RecordedAt = {}): Result<Candidate, LifecycleError> {
    return this.db
      .transaction((): Result<Candidate, LifecycleError> => {
        const now = this.nowFor(actor, at)
        const today = civilDateOf(now)
        const batch = this.batches.byId(batchId)
        if (!batch) return refuse({ code: 'batch.not_found', id: batchId })
        const decided = decideDeskRegistration(batch, this.batches.announcementOf(batchId), desk, { today, occupations: catalogueOf(this.occupations.all()) })
        if (!decided.ok) return decided
        const { registration: reg, photo } = decided.value
        const person = this.person(batch, reg.residentId)
        if (!person.ok) return person
        const c = this.insert(actor, batch, reg, person.value, 'desk', now, { bytes: desk.photo!, type: `image/${photo.format}` })
        for (const a of desk.attachments) {
          this.store.insertAttachment(
            { id: randomUUID(), candidateId: c.id, kind: a.kind, filename: a.filename, contentType: a.contentType, sha256: sha256(a.bytes), createdAt: now },
            a.bytes,
          )
        }
        return ok(c)
      })
      .immediate()
  }

  /** `asOf` only for the system itself (the demo loader building a past history; decision 007), as in Batches. */
  private nowFor(actor: Actor, at: RecordedAt): number {
    if (at.asOf === undefined) return this.clock()
    if (rolesOf(actor) !== null) throw new Error('only the system records an act as of another time')
    return at.asOf
  }

  /**
   * Bulk import of the municipal platform's CSV (docs/import-format.md): all or nothing. Any problem in
   * any row imports nothing and the whole report comes back; otherwise one event per candidate and one
   * `batch.import` summary, in one transaction.
   */
  importCsv(actor: Actor, batchId: string, bytes: Uint8Array): Result<ImportOutcome, LifecycleError> {
    return this.db
      .transaction((): Result<ImportOutcome, LifecycleError> => {
        const now = this.clock()
        const today = civilDateOf(now)
        const batch = this.batches.byId(batchId)
        if (!batch) return refuse({ code: 'batch.not_found', id: batchId })
        const open = decideRegistrationOpen(batch, this.batches.announcementOf(batchId), today)
        if (!open.ok) return open
        const occupation = this.occupations.byCode(batch.occupationCode)!
        const parsed = parseImport(bytes, { today, occupations: importCatalogue(batch, occupation), existingIds: this.store.residentIdsOfBatch(batchId) })
        if (!parsed.ok) return refuse({ code: 'import.invalid', errors: parsed.errors.map((e) => notThisBatch(e, batch, occupation)) })

        const people: Array<{ reg: Registration; person: { hash: string | null; sitting: Sitting } }> = []
        const errors: ImportRowError[] = []
        let rowOf: Map<string, number> | null = null
        for (const reg of parsed.rows) {
          const person = this.person(batch, reg.residentId)
          if (person.ok) {
            people.push({ reg, person: person.value })
            continue
          }
          rowOf ??= rowsOfIds(bytes, today)
          errors.push(importRowRefusal(rowOf.get(reg.residentId) ?? 0, person.error))
        }
        if (errors.length > 0) return refuse({ code: 'import.invalid', errors })

        const ids = people.map(({ reg, person }) => this.insert(actor, batch, reg, person, 'import', now, null).id)
        this.log.append({
          actor,
          action: 'batch.import',
          subject: { type: 'batch', id: batchId },
          data: { rows: ids.length, encoding: parsed.encoding, ignoredColumns: parsed.ignoredColumns.length },
        })
        return ok({ imported: ids.length, candidateIds: ids, encoding: parsed.encoding, ignoredColumns: parsed.ignoredColumns })
      })
      .immediate()
  }

  /** Sets or replaces a candidate's photo (imports carry none; the ticket needs one). */
  setPhoto(actor: Actor, id: string, bytes: Uint8Array): Result<Candidate, LifecycleError> {
    return this.db
      .transaction((): Result<Candidate, LifecycleError> => {
        const c = this.store.byId(id)
        if (!c) return refuse({ code: 'candidate.not_found', id })
        const photo = inspectPhoto(bytes)
        if (!photo.ok) return refuse({ code: 'registration.photo_invalid', photo: photo.error })
        const now = this.clock()
        this.store.setPhoto(id, bytes, `image/${photo.value.format}`, now)
        this.log.append({
          actor,
          action: 'candidate.photo_set',
          subject: { type: 'candidate', id },
          data: { batch: c.batchId, sha256: sha256(bytes), format: photo.value.format, width: photo.value.width, height: photo.value.height },
        })
        return ok({ ...c, photoType: `image/${photo.value.format}`, updatedAt: now })
      })
      .immediate()
  }

  /**
   * Review (R3.2) and withdrawal, by the CANDIDATE_MOVES table. The reason is stored with the candidate;
   * the log carries only its SHA-256, since free text about a person may hold personal data.
   */
  move(actor: Actor, id: string, action: CandidateAction, reason?: string): Result<Candidate, LifecycleError> {
    return this.db
      .transaction((): Result<Candidate, LifecycleError> => {
        const c = this.store.byId(id)
        if (!c) return refuse({ code: 'candidate.not_found', id })
        const batch = this.batches.byId(c.batchId)!
        const to = decideCandidateMove(batch.status, c.status, action, rolesOf(actor), reason)
        if (!to.ok) return to
        const now = this.clock()
        const text = reason?.trim() ? reason.trim() : null
        this.store.setStatus(id, to.value, text, now)
        this.log.append({
          actor,
          action: `candidate.${PAST[action]}`,
          subject: { type: 'candidate', id },
          data: { batch: c.batchId, from: c.status, to: to.value, ...(text ? { reasonSha256: createHash('sha256').update(text).digest('hex') } : {}) },
        })
        return ok({ ...c, status: to.value, reviewReason: text, updatedAt: now })
      })
      .immediate()
  }

  /** R3.3: records the fee payment; the invoice number is unique and is the voucher for the ticket. */
  pay(actor: Actor, id: string, cmd: PaymentCommand): Result<PaymentRow, LifecycleError> {
    return this.db
      .transaction((): Result<PaymentRow, LifecycleError> => {
        const c = this.store.byId(id)
        if (!c) return refuse({ code: 'candidate.not_found', id })
        const now = this.clock()
        const decided = decidePayment(
          c.status,
          this.store.payment(id)?.invoice_number ?? null,
          this.store.invoiceTaken(cmd.invoiceNumber.trim()),
          cmd,
          civilDateOf(now),
        )
        if (!decided.ok) return decided
        const p: PaymentRow = {
          candidate_id: id,
          invoice_number: decided.value.invoiceNumber,
          amount_cents: decided.value.amountCents,
          paid_on: decided.value.paidOn,
          recorded_at: now,
        }
        this.store.insertPayment(p)
        this.log.append({
          actor,
          action: 'payment.recorded',
          subject: { type: 'candidate', id },
          data: { batch: c.batchId, invoiceNumber: p.invoice_number, amountCents: p.amount_cents, paidOn: p.paid_on },
        })
        return ok(p)
      })
      .immediate()
  }

  /**
   * For seating and tickets: the approved, paid candidates who sit this exam session. A retake
   * candidate (R7.3) sits only the sessions of the subjects they failed.
   */
  paidCandidatesOfSession(examSessionId: string): Array<{ id: string; trainingUnit: string | null }> {
    const session = this.batches.session(examSessionId)
    const kind = session ? this.occupations.subject(session.subjectId)?.subject.kind : undefined
    if (!session || kind === undefined) return []
    return this.store
      .paidOfBatch(session.batchId)
      .filter((c) => c.details.sitting.kind === 'full' || c.details.sitting.subjects.includes(kind))
      .map((c) => ({ id: c.id, trainingUnit: c.trainingUnit }))
  }

  /** For rosters: the names of these candidates (null once erased); an unknown id is left out. */
  namesOf(ids: readonly string[]): Map<string, string | null> {
    return this.store.names(ids)
  }

  /** What an admission ticket prints (R3.4) and the facts it is issued on (approved, paid: R3.3). */
  candidateForTicket(id: string): CandidateForTicket | null {
    const c = this.store.forTicket(id)
    const b = c ? this.batches.byId(c.batchId) : null
    const o = b ? this.occupations.byCode(b.occupationCode) : null
    if (!c || !b || !o) return null
    return {
      id: c.id,
      name: c.name,
      residentId: c.residentId,
      photo: c.photo,
      photoType: c.photoType,
      status: c.status,
      paid: c.paid,
      batch: { id: b.id, title: b.title, examStartDate: b.examStartDate, examEndDate: b.examEndDate, place: b.plan.place ?? null },
      occupation: { code: o.code, name: o.name },
      level: b.level,
      levelName: LEVEL_NAMES[b.level],
    }
  }

  /**
   * The person's hash and what they sit (R7.3). Without a salt yet no hash exists anywhere, so nothing can
   * match; the salt is made only when a candidate is actually stored (a refusal changes nothing).
   */
  private person(batch: Batch, residentId: string): Result<{ hash: string | null; sitting: Sitting }, LifecycleError> {
    const salt = this.store.existingSalt()
    if (salt === null) return ok({ hash: null, sitting: { kind: 'full' } })
    const hash = residentIdHash(salt, residentId)
    const sitting = decideSitting(batch, { registered: this.store.hashTaken(batch.id, hash), results: this.store.results(hash) })
    return sitting.ok ? ok({ hash, sitting: sitting.value }) : sitting
  }

  private insert(
    actor: Actor,
    batch: Batch,
    reg: Registration,
    person: { hash: string | null; sitting: Sitting },
    source: 'desk' | 'import',
    now: number,
    photo: { bytes: Uint8Array; type: string } | null,
  ): Candidate {
    const hash = person.hash ?? residentIdHash(this.store.piiSalt(), reg.residentId)
    const details: CandidateDetails = {
      ...(reg.candidateId !== undefined && { candidateNumber: reg.candidateId }),
      ...(reg.education !== undefined && { education: reg.education }),
      ...(reg.workYears !== undefined && { workYears: reg.workYears }),
      ...(reg.occupationName !== undefined && { occupationName: reg.occupationName }),
      ...(reg.earlierCertificate !== undefined && { earlierCertificate: reg.earlierCertificate }),
      sitting: person.sitting,
      source,
    }
    const c: Candidate = {
      id: randomUUID(),
      batchId: batch.id,
      name: reg.name,
      residentId: reg.residentId,
      residentIdHash: hash,
      gender: reg.gender,
      birthDate: reg.birthDate,
      phone: reg.phone ?? null,
      trainingUnit: reg.trainingUnit ?? null,
      details,
      photoType: photo?.type ?? null,
      status: 'registered',
      reviewReason: null,
      erasedAt: null,
      createdAt: now,
      updatedAt: now,
    }
    this.store.insert(c, photo)
    this.log.append({
      actor,
      action: 'candidate.registered',
      subject: { type: 'candidate', id: c.id },
      data: {
        batch: batch.id,
        residentIdHash: hash,
        source,
        sitting: person.sitting.kind,
        ...(photo ? { photoSha256: sha256(photo.bytes) } : {}),
      },
    })
    return c
  }
}

const PAST: Record<CandidateAction, string> = { approve: 'approved', reject: 'rejected', withdraw: 'withdrawn', reopen: 'reopened' }

/**
 * The spreadsheet row of each resident ID number in the file (for refusals found after parseImport, which
 * returns rows without their numbers). Rows count as in docs/import-format.md: the first line is row 1.
 */
function rowsOfIds(bytes: Uint8Array, today: string): Map<string, number> {
  const out = new Map<string, number>()
  const parsed = parseCsv(decodeCsvBytes(bytes).text)
  if (!parsed.ok) return out
  parsed.value.forEach((cells, i) => {
    for (const cell of cells) {
      const id = parseResidentId(cell, today)
      if (id.ok && !out.has(id.value.number)) out.set(id.value.number, i + 1)
    }
  })
  return out
}
