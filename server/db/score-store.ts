import type { Database, Statement } from 'bun:sqlite'
import type { ScoreLine, Tally, TallyAction } from '../domain/scores/index.ts'

/** A theory import as recorded: the file's hash, who, when, how many rows, which sessions it filled. */
export interface ScoreImportRecord {
  id: string
  batchId: string
  fileSha256: string
  encoding: string
  rowCount: number
  sessions: string[]
  importedBy: string
  importedAt: number
}

export interface ScoreLineRecord {
  tallyId: string
  version: number
  kind: TallyAction
  candidateId: string
  items: ScoreLine['items']
  sheetId: string | null
  by: string
  at: number
  reason: string | null
}

export interface ReviewChangeRecord {
  id: string
  reviewId: string
  tallyId: string
  sessionId: string
  candidateId: string
  subjectId: string
  score: number
  previous: number | null
  reason: string
  proposedBy: string
  proposedAt: number
  confirmedBy: string | null
  confirmedAt: number | null
}

type TallyRow = { id: string; doc: string }
type LineRow = {
  tally_id: string
  version: number
  kind: TallyAction
  candidate_id: string
  items: string
  sheet_id: string | null
  by_user: string
  at: number
  reason: string | null
}
type ChangeRow = {
  id: string
  review_id: string
  tally_id: string
  session_id: string
  candidate_id: string
  subject_id: string
  score: number
  previous: number | null
  reason: string
  proposed_by: string
  proposed_at: number
  confirmed_by: string | null
  confirmed_at: number | null
}
const toChange = (r: ChangeRow): ReviewChangeRecord => ({
  id: r.id,
  reviewId: r.review_id,
  tallyId: r.tally_id,
  sessionId: r.session_id,
  candidateId: r.candidate_id,
  subjectId: r.subject_id,
  score: r.score,
  previous: r.previous,
  reason: r.reason,
  proposedBy: r.proposed_by,
  proposedAt: r.proposed_at,
  confirmedBy: r.confirmed_by,
  confirmedAt: r.confirmed_at,
})

/**
 * SQL for scores: imports, tallies with their events and lines, review changes. No rules here. What scores read of
 * the batch, candidates and kiosk is in read-models/score-facts.ts and read-models/kiosk-score-facts.ts.
 */
export class ScoreStore {
  private readonly q: {
    tally: Statement<TallyRow, [string]>
    insertTally: Statement<unknown, [string, string, string, string, number, string, number, number]>
    updateTally: Statement<unknown, [string, number, string, number, string]>
    nextSeq: Statement<{ seq: number }, [string]>
    insertEvent: Statement<unknown, [string, number, number, string, string, number, string | null, string, string | null, string]>
    insertLine: Statement<unknown, [string, number, string, string, string, string | null, string, number, string | null]>
    lines: Statement<LineRow, [string]>
    insertImport: Statement<unknown, [string, string, string, string, number, string, string, number]>
    imports: Statement<
      { id: string; batch_id: string; file_sha256: string; encoding: string; row_count: number; sessions: string; imported_by: string; imported_at: number },
      [string]
    >
    insertChange: Statement<unknown, [string, string, string, string, string, string, number, number | null, string, string, number]>
    change: Statement<ChangeRow, [string]>
    openChange: Statement<ChangeRow, [string, string]>
    confirmChange: Statement<unknown, [string, number, string]>
  }

  constructor(db: Database) {
    this.q = {
      tally: db.query('SELECT id, doc FROM score_tallies WHERE session_id = ?'),
      insertTally: db.query(
        'INSERT INTO score_tallies (id, session_id, subject_id, state, version, doc, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      updateTally: db.query('UPDATE score_tallies SET state = ?, version = ?, doc = ?, updated_at = ? WHERE id = ?'),
      nextSeq: db.query('SELECT COALESCE(MAX(seq), 0) + 1 AS seq FROM score_tally_events WHERE tally_id = ?'),
      insertEvent: db.query(
        'INSERT INTO score_tally_events (tally_id, seq, version, action, by_user, at, reason, state, import_id, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      insertLine: db.query(
        'INSERT INTO score_lines (tally_id, version, kind, candidate_id, items, sheet_id, by_user, at, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      lines: db.query('SELECT * FROM score_lines WHERE tally_id = ? ORDER BY id'),
      insertImport: db.query(
        'INSERT INTO score_imports (id, batch_id, file_sha256, encoding, row_count, sessions, imported_by, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      imports: db.query('SELECT * FROM score_imports WHERE batch_id = ? ORDER BY imported_at, rowid'),
      insertChange: db.query(
        `INSERT INTO score_review_changes (id, review_id, tally_id, session_id, candidate_id, subject_id, score, previous, reason, proposed_by, proposed_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      change: db.query('SELECT * FROM score_review_changes WHERE id = ?'),
      openChange: db.query('SELECT * FROM score_review_changes WHERE candidate_id = ? AND subject_id = ? AND confirmed_at IS NULL'),
      confirmChange: db.query('UPDATE score_review_changes SET confirmed_by = ?, confirmed_at = ? WHERE id = ? AND confirmed_at IS NULL'),
    }
  }

  // ---------- tallies ----------

  tally(sessionId: string): Tally | null {
    const r = this.q.tally.get(sessionId)
    return r ? (JSON.parse(r.doc) as Tally) : null
  }
  insertTally(t: Tally, at: number): void {
    this.q.insertTally.run(t.id, t.sessionId, t.subjectId, t.state, t.version, JSON.stringify(t), at, at)
  }
  /** The tally's new state, and the event that made it (with the tally as it stood after). */
  saveTally(t: Tally, at: number, importId: string | null = null): void {
    const doc = JSON.stringify(t)
    this.q.updateTally.run(t.state, t.version, doc, at, t.id)
    const last = t.history[t.history.length - 1]!
    const seq = this.q.nextSeq.get(t.id)!.seq
    this.q.insertEvent.run(t.id, seq, last.version, last.action, last.by, last.at, last.reason ?? null, t.state, importId, doc)
  }
  insertLine(l: ScoreLineRecord): void {
    this.q.insertLine.run(l.tallyId, l.version, l.kind, l.candidateId, JSON.stringify(l.items), l.sheetId, l.by, l.at, l.reason)
  }
  lines(tallyId: string): ScoreLineRecord[] {
    return this.q.lines.all(tallyId).map((r) => ({
      tallyId: r.tally_id,
      version: r.version,
      kind: r.kind,
      candidateId: r.candidate_id,
      items: JSON.parse(r.items),
      sheetId: r.sheet_id,
      by: r.by_user,
      at: r.at,
      reason: r.reason,
    }))
  }

  // ---------- imports ----------

  insertImport(i: ScoreImportRecord): void {
    this.q.insertImport.run(i.id, i.batchId, i.fileSha256, i.encoding, i.rowCount, JSON.stringify(i.sessions), i.importedBy, i.importedAt)
  }
  imports(batchId: string): ScoreImportRecord[] {
    return this.q.imports.all(batchId).map((r) => ({
      id: r.id,
      batchId: r.batch_id,
      fileSha256: r.file_sha256,
      encoding: r.encoding,
      rowCount: r.row_count,
      sessions: JSON.parse(r.sessions),
      importedBy: r.imported_by,
      importedAt: r.imported_at,
    }))
  }

  // ---------- review changes ----------

  insertChange(c: Omit<ReviewChangeRecord, 'confirmedBy' | 'confirmedAt'>): void {
    this.q.insertChange.run(c.id, c.reviewId, c.tallyId, c.sessionId, c.candidateId, c.subjectId, c.score, c.previous, c.reason, c.proposedBy, c.proposedAt)
  }
  change(id: string): ReviewChangeRecord | null {
    const r = this.q.change.get(id)
    return r ? toChange(r) : null
  }
  openChange(candidateId: string, subjectId: string): ReviewChangeRecord | null {
    const r = this.q.openChange.get(candidateId, subjectId)
    return r ? toChange(r) : null
  }
  confirmChange(id: string, by: string, at: number): boolean {
    return this.q.confirmChange.run(by, at, id).changes === 1
  }
}
