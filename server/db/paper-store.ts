import type { Database, Statement } from 'bun:sqlite'
import type { Holder, Packet, Paper, PaperKind, PrintJob, PrintWindowConfig } from '../domain/custody/index.ts'

/** The encrypted file of a paper (0005 paper_files): where its ciphertext is and its data key, wrapped. */
export interface PaperFile {
  paperId: string
  /** The blob's name in the paper store and the container's authenticated label; context of the wrapped key. */
  fileId: string
  filename: string
  contentType: string
  plaintextBytes: number
  cipherBytes: number
  /** SHA-256 (hex) of the stored ciphertext: a swapped blob is caught before decryption. */
  cipherSha256: string
  wrappedKey: Uint8Array
  masterKeyId: string
  uploadedBy: string
  uploadedAt: number
}

/** A batch's custody settings (0005 custody_settings); `DEFAULT_CUSTODY_SETTINGS` when it has no row. */
export interface CustodySettings extends PrintWindowConfig {
  /** Packets may be opened in the room from this many minutes before the start (R5.3). */
  openMinutesBefore: number
  sparesPerRoom: number
}

export const DEFAULT_CUSTODY_SETTINGS: Readonly<CustodySettings> = {
  opensMinutesBefore: 1440, closesMinutesBefore: 60, openMinutesBefore: 15, sparesPerRoom: 2,
}

interface FileRow {
  paper_id: string; file_id: string; filename: string; content_type: string; plaintext_bytes: number; cipher_bytes: number
  cipher_sha256: string; wrapped_key: Uint8Array; master_key_id: string; uploaded_by: string; uploaded_at: number
}
interface SettingsRow { opens_minutes_before: number; closes_minutes_before: number; open_minutes_before: number; spares_per_room: number }

const toFile = (r: FileRow): PaperFile => ({
  paperId: r.paper_id, fileId: r.file_id, filename: r.filename, contentType: r.content_type, plaintextBytes: r.plaintext_bytes,
  cipherBytes: r.cipher_bytes, cipherSha256: r.cipher_sha256, wrappedKey: new Uint8Array(r.wrapped_key), masterKeyId: r.master_key_id,
  uploadedBy: r.uploaded_by, uploadedAt: r.uploaded_at,
})

/** The packets.holder column: 'user:<id>' or 'place:<place>' (0005). */
export const holderColumn = (h: Holder): string => ('userId' in h ? `user:${h.userId}` : `place:${h.place}`)

const docOf = <T>(row: { doc: string } | null): T | null => (row ? (JSON.parse(row.doc) as T) : null)

/**
 * SQL for papers, their encrypted files, print jobs, the packets a print creates and the batches' custody
 * settings. Domain records are kept whole as JSON in `doc`; the other columns are copies for lookups.
 */
export class PaperStore {
  private readonly q: {
    paper: Statement<{ doc: string }, [string]>
    papersOfSession: Statement<{ doc: string }, [string]>
    insertPaper: Statement<unknown, [string, string, string, string, string, number]>
    updatePaper: Statement<unknown, [string, string, number, string]>
    file: Statement<FileRow, [string]>
    files: Statement<FileRow, []>
    saveFile: Statement<unknown, [string, string, string, string, number, number, string, Uint8Array, string, string, number]>
    rewrap: Statement<unknown, [Uint8Array, string, string]>
    keyUse: Statement<{ master_key_id: string; n: number }, []>
    job: Statement<{ doc: string }, [string]>
    jobsOfPaper: Statement<{ doc: string }, [string]>
    openJobsOfBatch: Statement<{ doc: string }, [string]>
    insertJob: Statement<unknown, [string, string, string, string, number]>
    updateJob: Statement<unknown, [string, string, number, string]>
    packet: Statement<{ doc: string }, [string]>
    packetsOfPaper: Statement<{ doc: string }, [string]>
    packetsOfJob: Statement<{ doc: string }, [string]>
    insertPacket: Statement<unknown, [string, string, string, string, string | null, string, string | null, number, number, string, string, number]>
    settings: Statement<SettingsRow, [string]>
    saveSettings: Statement<unknown, [string, number, number, number, number]>
    batch: Statement<{ id: string }, [string]>
    insertAlert: Statement<unknown, [string, string, number, string, string, number]>
  }

  constructor(db: Database) {
    this.q = {
      paper: db.query('SELECT doc FROM papers WHERE id = ?'),
      papersOfSession: db.query('SELECT doc FROM papers WHERE exam_session_id = ? ORDER BY rowid'),
      insertPaper: db.query('INSERT INTO papers (id, exam_session_id, kind, state, doc, updated_at) VALUES (?, ?, ?, ?, ?, ?)'),
      updatePaper: db.query('UPDATE papers SET state = ?, doc = ?, updated_at = ? WHERE id = ?'),
      file: db.query('SELECT * FROM paper_files WHERE paper_id = ?'),
      files: db.query('SELECT * FROM paper_files ORDER BY paper_id'),
      saveFile: db.query(`INSERT INTO paper_files (paper_id, file_id, filename, content_type, plaintext_bytes, cipher_bytes, cipher_sha256,
          wrapped_key, master_key_id, uploaded_by, uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (paper_id) DO UPDATE SET file_id = excluded.file_id, filename = excluded.filename, content_type = excluded.content_type,
          plaintext_bytes = excluded.plaintext_bytes, cipher_bytes = excluded.cipher_bytes, cipher_sha256 = excluded.cipher_sha256,
          wrapped_key = excluded.wrapped_key, master_key_id = excluded.master_key_id, uploaded_by = excluded.uploaded_by,
          uploaded_at = excluded.uploaded_at`),
      rewrap: db.query('UPDATE paper_files SET wrapped_key = ?, master_key_id = ? WHERE paper_id = ?'),
      keyUse: db.query('SELECT master_key_id, count(*) AS n FROM paper_files GROUP BY master_key_id ORDER BY master_key_id'),
      job: db.query('SELECT doc FROM print_jobs WHERE id = ?'),
      jobsOfPaper: db.query('SELECT doc FROM print_jobs WHERE paper_id = ? ORDER BY rowid'),
      openJobsOfBatch: db.query(`SELECT j.doc FROM print_jobs j JOIN papers p ON p.id = j.paper_id JOIN exam_sessions s ON s.id = p.exam_session_id
        WHERE s.batch_id = ? AND j.state IN ('requested', 'approved') ORDER BY j.rowid`),
      insertJob: db.query('INSERT INTO print_jobs (id, paper_id, state, doc, updated_at) VALUES (?, ?, ?, ?, ?)'),
      updateJob: db.query('UPDATE print_jobs SET state = ?, doc = ?, updated_at = ? WHERE id = ?'),
      packet: db.query('SELECT doc FROM packets WHERE id = ?'),
      packetsOfPaper: db.query('SELECT doc FROM packets WHERE paper_id = ? ORDER BY copy_first'),
      packetsOfJob: db.query('SELECT doc FROM packets WHERE print_job_id = ? ORDER BY copy_first'),
      insertPacket: db.query(`INSERT INTO packets (id, paper_id, print_job_id, exam_session_id, room_id, state, seal_number, copy_first, copy_last,
          holder, doc, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      settings: db.query('SELECT opens_minutes_before, closes_minutes_before, open_minutes_before, spares_per_room FROM custody_settings WHERE batch_id = ?'),
      saveSettings: db.query(`INSERT INTO custody_settings (batch_id, opens_minutes_before, closes_minutes_before, open_minutes_before, spares_per_room)
        VALUES (?, ?, ?, ?, ?) ON CONFLICT (batch_id) DO UPDATE SET opens_minutes_before = excluded.opens_minutes_before,
          closes_minutes_before = excluded.closes_minutes_before, open_minutes_before = excluded.open_minutes_before,
          spares_per_room = excluded.spares_per_room`),
      batch: db.query('SELECT id FROM batches WHERE id = ?'),
      insertAlert: db.query(`INSERT INTO custody_alerts (id, kind, log_index, subject_type, subject_id, created_at) VALUES (?, ?, ?, ?, ?, ?)`),
    }
  }

  // ---------- papers ----------
  paper(id: string): Paper | null { return docOf<Paper>(this.q.paper.get(id)) }
  papersOfSession(sessionId: string): Paper[] { return this.q.papersOfSession.all(sessionId).map((r) => JSON.parse(r.doc) as Paper) }
  insertPaper(p: Paper): void { this.q.insertPaper.run(p.id, p.examSessionId, p.kind, p.state, JSON.stringify(p), p.updatedAt) }
  updatePaper(p: Paper): void { this.q.updatePaper.run(p.state, JSON.stringify(p), p.updatedAt, p.id) }
  /** Papers of a session of one kind that are not retired. */
  liveOfKind(sessionId: string, kind: PaperKind): Paper[] { return this.papersOfSession(sessionId).filter((p) => p.kind === kind && p.state !== 'retired') }

  // ---------- files ----------
  file(paperId: string): PaperFile | null { const r = this.q.file.get(paperId); return r ? toFile(r) : null }
  files(): PaperFile[] { return this.q.files.all().map(toFile) }
  saveFile(f: PaperFile): void {
    this.q.saveFile.run(f.paperId, f.fileId, f.filename, f.contentType, f.plaintextBytes, f.cipherBytes, f.cipherSha256, f.wrappedKey,
      f.masterKeyId, f.uploadedBy, f.uploadedAt)
  }
  rewrap(paperId: string, wrappedKey: Uint8Array, masterKeyId: string): void { this.q.rewrap.run(wrappedKey, masterKeyId, paperId) }
  /** How many files each master key wraps. */
  masterKeyUse(): Array<{ masterKeyId: string; files: number }> { return this.q.keyUse.all().map((r) => ({ masterKeyId: r.master_key_id, files: r.n })) }

  // ---------- print jobs ----------
  job(id: string): PrintJob | null { return docOf<PrintJob>(this.q.job.get(id)) }
  jobsOfPaper(paperId: string): PrintJob[] { return this.q.jobsOfPaper.all(paperId).map((r) => JSON.parse(r.doc) as PrintJob) }
  /** Requested or approved print jobs of the batch's sessions: the ones whose approvals a new window lapses. */
  openJobsOfBatch(batchId: string): PrintJob[] { return this.q.openJobsOfBatch.all(batchId).map((r) => JSON.parse(r.doc) as PrintJob) }
  insertJob(j: PrintJob): void { this.q.insertJob.run(j.id, j.paperId, j.state, JSON.stringify(j), j.updatedAt) }
  updateJob(j: PrintJob): void { this.q.updateJob.run(j.state, JSON.stringify(j), j.updatedAt, j.id) }

  // ---------- packets (created by printing; their moves belong to the packet store) ----------
  packet(id: string): Packet | null { return docOf<Packet>(this.q.packet.get(id)) }
  packetsOfPaper(paperId: string): Packet[] { return this.q.packetsOfPaper.all(paperId).map((r) => JSON.parse(r.doc) as Packet) }
  packetsOfJob(jobId: string): Packet[] { return this.q.packetsOfJob.all(jobId).map((r) => JSON.parse(r.doc) as Packet) }
  insertPacket(p: Packet): void {
    this.q.insertPacket.run(p.id, p.paperId, p.printJobId, p.examSessionId, p.roomId, p.state, p.sealNumber, p.copies.first, p.copies.last,
      holderColumn(p.holder), JSON.stringify(p), p.updatedAt)
  }

  // ---------- custody settings ----------
  settings(batchId: string): CustodySettings {
    const r = this.q.settings.get(batchId)
    return r
      ? { opensMinutesBefore: r.opens_minutes_before, closesMinutesBefore: r.closes_minutes_before, openMinutesBefore: r.open_minutes_before, sparesPerRoom: r.spares_per_room }
      : { ...DEFAULT_CUSTODY_SETTINGS }
  }
  hasSettings(batchId: string): boolean { return this.q.settings.get(batchId) !== null }
  batchExists(batchId: string): boolean { return this.q.batch.get(batchId) !== null }
  saveSettings(batchId: string, s: CustodySettings): void {
    this.q.saveSettings.run(batchId, s.opensMinutesBefore, s.closesMinutesBefore, s.openMinutesBefore, s.sparesPerRoom)
  }

  // ---------- alerts (R5.4: supervisors see them at once; the packet side adds its own) ----------
  insertAlert(a: { id: string; kind: string; logIndex: number; subject: { type: string; id: string }; createdAt: number }): void {
    this.q.insertAlert.run(a.id, a.kind, a.logIndex, a.subject.type, a.subject.id, a.createdAt)
  }
}
