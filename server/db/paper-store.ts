import type { Database, Statement } from 'bun:sqlite'
import { type CustodySettings, type Paper, type PrintJob, DEFAULT_CUSTODY_SETTINGS } from '../domain/custody/index.ts'

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

/** A batch's custody settings (0005 custody_settings), `DEFAULT_CUSTODY_SETTINGS` when it has no row: the domain's type. */
export type { CustodySettings } from '../domain/custody/index.ts'
export { DEFAULT_CUSTODY_SETTINGS } from '../domain/custody/index.ts'

interface FileRow {
  paper_id: string
  file_id: string
  filename: string
  content_type: string
  plaintext_bytes: number
  cipher_bytes: number
  cipher_sha256: string
  wrapped_key: Uint8Array
  master_key_id: string
  uploaded_by: string
  uploaded_at: number
}
interface SettingsRow {
  opens_minutes_before: number
  closes_minutes_before: number
  open_minutes_before: number
  spares_per_room: number
}

const toFile = (r: FileRow): PaperFile => ({
  paperId: r.paper_id,
  fileId: r.file_id,
  filename: r.filename,
  contentType: r.content_type,
  plaintextBytes: r.plaintext_bytes,
  cipherBytes: r.cipher_bytes,
  cipherSha256: r.cipher_sha256,
  wrappedKey: new Uint8Array(r.wrapped_key),
  masterKeyId: r.master_key_id,
  uploadedBy: r.uploaded_by,
  uploadedAt: r.uploaded_at,
})

const docOf = <T>(row: { doc: string } | null): T | null => (row ? (JSON.parse(row.doc) as T) : null)

/**
 * SQL for papers, their encrypted files, print jobs and the batches' custody settings. Domain records are kept
 * whole as JSON in `doc`; the other columns are copies for lookups. The packets a print makes are the packet
 * store's, and alerts the leak store's.
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
    openJobsOfPaper: Statement<{ doc: string }, [string]>
    insertJob: Statement<unknown, [string, string, string, string, number]>
    updateJob: Statement<unknown, [string, string, number, string]>
    settings: Statement<SettingsRow, [string]>
    saveSettings: Statement<unknown, [string, number, number, number, number]>
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
      openJobsOfPaper: db.query(`SELECT doc FROM print_jobs WHERE paper_id = ? AND state IN ('requested', 'approved') ORDER BY rowid`),
      insertJob: db.query('INSERT INTO print_jobs (id, paper_id, state, doc, updated_at) VALUES (?, ?, ?, ?, ?)'),
      updateJob: db.query('UPDATE print_jobs SET state = ?, doc = ?, updated_at = ? WHERE id = ?'),
      settings: db.query('SELECT opens_minutes_before, closes_minutes_before, open_minutes_before, spares_per_room FROM custody_settings WHERE batch_id = ?'),
      saveSettings: db.query(`INSERT INTO custody_settings (batch_id, opens_minutes_before, closes_minutes_before, open_minutes_before, spares_per_room)
        VALUES (?, ?, ?, ?, ?) ON CONFLICT (batch_id) DO UPDATE SET opens_minutes_before = excluded.opens_minutes_before,
          closes_minutes_before = excluded.closes_minutes_before, open_minutes_before = excluded.open_minutes_before,
          spares_per_room = excluded.spares_per_room`),
    }
  }

  // ---------- papers ----------
  paper(id: string): Paper | null {
    return docOf<Paper>(this.q.paper.get(id))
  }
  papersOfSession(sessionId: string): Paper[] {
    return this.q.papersOfSession.all(sessionId).map((r) => JSON.parse(r.doc) as Paper)
  }
  insertPaper(p: Paper): void {
    this.q.insertPaper.run(p.id, p.examSessionId, p.kind, p.state, JSON.stringify(p), p.updatedAt)
  }
  updatePaper(p: Paper): void {
    this.q.updatePaper.run(p.state, JSON.stringify(p), p.updatedAt, p.id)
  }

  // ---------- files ----------
  file(paperId: string): PaperFile | null {
    const r = this.q.file.get(paperId)
    return r ? toFile(r) : null
  }
  files(): PaperFile[] {
    return this.q.files.all().map(toFile)
  }
  saveFile(f: PaperFile): void {
    this.q.saveFile.run(
      f.paperId,
      f.fileId,
      f.filename,
      f.contentType,
      f.plaintextBytes,
      f.cipherBytes,
      f.cipherSha256,
      f.wrappedKey,
      f.masterKeyId,
      f.uploadedBy,
      f.uploadedAt,
    )
  }
  rewrap(paperId: string, wrappedKey: Uint8Array, masterKeyId: string): void {
    this.q.rewrap.run(wrappedKey, masterKeyId, paperId)
  }
  /** How many files each master key wraps. */
  masterKeyUse(): Array<{ masterKeyId: string; files: number }> {
    return this.q.keyUse.all().map((r) => ({ masterKeyId: r.master_key_id, files: r.n }))
  }

  // ---------- print jobs ----------
  job(id: string): PrintJob | null {
    return docOf<PrintJob>(this.q.job.get(id))
  }
  jobsOfPaper(paperId: string): PrintJob[] {
    return this.q.jobsOfPaper.all(paperId).map((r) => JSON.parse(r.doc) as PrintJob)
  }
  /** Requested or approved print jobs of a paper: the ones whose approvals a new window lapses. */
  openJobsOfPaper(paperId: string): PrintJob[] {
    return this.q.openJobsOfPaper.all(paperId).map((r) => JSON.parse(r.doc) as PrintJob)
  }
  insertJob(j: PrintJob): void {
    this.q.insertJob.run(j.id, j.paperId, j.state, JSON.stringify(j), j.updatedAt)
  }
  updateJob(j: PrintJob): void {
    this.q.updateJob.run(j.state, JSON.stringify(j), j.updatedAt, j.id)
  }

  // ---------- custody settings ----------
  settings(batchId: string): CustodySettings {
    const r = this.q.settings.get(batchId)
    return r
      ? {
          opensMinutesBefore: r.opens_minutes_before,
          closesMinutesBefore: r.closes_minutes_before,
          openMinutesBefore: r.open_minutes_before,
          sparesPerRoom: r.spares_per_room,
        }
      : { ...DEFAULT_CUSTODY_SETTINGS }
  }
  hasSettings(batchId: string): boolean {
    return this.q.settings.get(batchId) !== null
  }
  saveSettings(batchId: string, s: CustodySettings): void {
    this.q.saveSettings.run(batchId, s.opensMinutesBefore, s.closesMinutesBefore, s.openMinutesBefore, s.sparesPerRoom)
  }
}
