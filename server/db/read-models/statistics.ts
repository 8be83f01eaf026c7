import type { Database, Statement } from 'bun:sqlite'
import type { BatchFacts } from '../../domain/statistics/index.ts'

/*
 * A read model (read-only) for the yearly statistics (R9.1): per batch of a year, the counts the tables of
 * several aggregates hold (candidates, payments, door admissions, room incidents, leak reports). Passed and
 * certified come from the results and certificates through the service's StatisticsSources.
 *
 * Counting rules: a batch belongs to the year of exam_end_date (a CST civil date); draft plans are left out
 * (not filed, nothing to report). registered = every candidates row of the batch; approved = status 'approved';
 * paid = a payments row; sat = distinct candidates with an admission to any session of the batch; incidents =
 * kiosk_incidents in its sessions; leaks = distinct confirmed leak reports whose paper or session is the batch's.
 */

/** One batch's own counts: the domain's facts except passed and certified (those come from the service's sources). */
export type BatchCounts = Omit<BatchFacts, 'passed' | 'certified'>

/** The counted columns, named as in BatchCounts. */
type CountColumns = Pick<BatchCounts, 'registered' | 'approved' | 'paid' | 'sat' | 'incidents' | 'leaks'>

interface Row extends CountColumns {
  id: string
  title: string
  occupation_code: string
  occupation_name: string | null
  level: number
  exam_end_date: string
}

const BATCHES_OF_YEAR = `
SELECT b.id, b.title, b.occupation_code, o.name AS occupation_name, b.level, b.exam_end_date,
  (SELECT COUNT(*) FROM candidates c WHERE c.batch_id = b.id) AS registered,
  (SELECT COUNT(*) FROM candidates c WHERE c.batch_id = b.id AND c.status = 'approved') AS approved,
  (SELECT COUNT(*) FROM payments p JOIN candidates c ON c.id = p.candidate_id WHERE c.batch_id = b.id) AS paid,
  (SELECT COUNT(DISTINCT a.candidate_id) FROM admissions a JOIN exam_sessions s ON s.id = a.session_id WHERE s.batch_id = b.id) AS sat,
  (SELECT COUNT(*) FROM kiosk_incidents i JOIN exam_sessions s ON s.id = i.session_id WHERE s.batch_id = b.id) AS incidents,
  (SELECT COUNT(*) FROM leak_reports l WHERE l.state = 'confirmed' AND (
      l.paper_id IN (SELECT p.id FROM papers p JOIN exam_sessions s ON s.id = p.exam_session_id WHERE s.batch_id = b.id)
      OR json_extract(l.doc, '$.examSessionId') IN (SELECT s.id FROM exam_sessions s WHERE s.batch_id = b.id))) AS leaks
FROM batches b LEFT JOIN occupations o ON o.code = b.occupation_code
WHERE b.status <> 'draft' AND substr(b.exam_end_date, 1, 4) = ?
ORDER BY b.occupation_code, b.level DESC, b.exam_end_date, b.id`

const toCounts = ({ id, title, occupation_code, occupation_name, level, exam_end_date, ...counts }: Row): BatchCounts => ({
  batchId: id,
  title,
  occupationCode: occupation_code,
  occupationName: occupation_name ?? occupation_code,
  level,
  examEndDate: exam_end_date,
  ...counts,
})

export class StatisticsReads {
  private readonly q: {
    batchesOfYear: Statement<Row, [string]>
    years: Statement<{ year: string }, []>
  }

  constructor(db: Database) {
    this.q = {
      batchesOfYear: db.query(BATCHES_OF_YEAR),
      years: db.query(`SELECT DISTINCT substr(exam_end_date, 1, 4) AS year FROM batches WHERE status <> 'draft' ORDER BY year DESC`),
    }
  }

  /** The batches whose last exam day falls in `year`, with their counts. */
  batchesOfYear(year: number): BatchCounts[] {
    return this.q.batchesOfYear.all(String(year).padStart(4, '0')).map(toCounts)
  }

  /** Years with at least one (non-draft) batch, newest first. */
  years(): number[] {
    return this.q.years
      .all()
      .map((r) => Number(r.year))
      .filter((y) => Number.isInteger(y))
  }
}
