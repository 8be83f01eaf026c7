import type { Database } from 'bun:sqlite'

/*
 * A read model (read-only): the batches results concern, with their occupation's name, as the results page lists
 * them. Batches belong to batch-store and occupations to occupation-store (STYLE.md: a store runs SQL for its own
 * aggregate only); the rest results read of other aggregates they ask those stores for.
 */

/** A batch whose exam is over, as the results page lists it. */
export interface ResultBatchRow {
  id: string
  title: string
  status: string
  examEndDate: string
  level: number
  occupationCode: string
  /** The occupation's name, or its code when the occupation is unknown. */
  occupationName: string
}

type Row = { id: string; title: string; status: string; exam_end_date: string; level: number; occupation_code: string; occupation_name: string | null }

/** Batches whose exam is over, with their occupation's name (read-only). */
export class ResultFacts {
  private readonly q

  constructor(db: Database) {
    this.q = {
      resultBatches: db.query<Row, []>(`SELECT b.id, b.title, b.status, b.exam_end_date, b.level, b.occupation_code, o.name AS occupation_name
        FROM batches b LEFT JOIN occupations o ON o.code = b.occupation_code
        WHERE b.status IN ('completed', 'results_published') ORDER BY b.exam_end_date DESC, b.id`),
    }
  }

  /** Batches whose exam is over (completed or published): the ones results concern, newest exam first. */
  resultBatches(): ResultBatchRow[] {
    return this.q.resultBatches.all().map((r) => ({
      id: r.id,
      title: r.title,
      status: r.status,
      examEndDate: r.exam_end_date,
      level: r.level,
      occupationCode: r.occupation_code,
      occupationName: r.occupation_name ?? r.occupation_code,
    }))
  }
}
