/**
 * Yearly statistics (R9.1): what one batch contributes, and the comprehensive table (综合统计表) built from them.
 * Counting rules (docs in index.ts): registered = every registration of the batch (whatever became of it);
 * approved = candidates in status approved; paid = candidates with a fee payment recorded; sat = candidates
 * admitted by a door to at least one session of the batch; passed = overall 'passed' in the published results;
 * certified = candidates holding a certificate of the batch; incidents = incidents recorded in its rooms;
 * leaks = confirmed leak reports about its papers or sessions.
 */
export interface BatchFacts {
  batchId: string
  title: string
  occupationCode: string
  occupationName: string
  level: number
  /** 'YYYY-MM-DD' (China Standard Time): the batch belongs to this date's year. */
  examEndDate: string
  registered: number
  approved: number
  paid: number
  sat: number
  /** null: results not published yet (the batch's sat then does not enter the pass rate). */
  passed: number | null
  certified: number
  incidents: number
  leaks: number
}

/** The counts of one row of the table (an occupation and level, or the totals). */
export interface Counts {
  batches: number
  registered: number
  approved: number
  paid: number
  sat: number
  passed: number
  certified: number
  incidents: number
  leaks: number
  /** Sat in batches whose results are published: the pass rate's denominator. */
  satPublished: number
  /** Batches whose results are not published yet. */
  unpublished: number
  /** passed ÷ satPublished, in [0, 1]; null when satPublished is 0 (shown as '—'). */
  passRate: number | null
}

export interface StatisticsRow extends Counts {
  occupationCode: string
  occupationName: string
  level: number
}

export interface YearTable {
  year: number
  /** By occupation code, then level from 5 (五级) down to 1 (一级). */
  rows: StatisticsRow[]
  totals: Counts
  /** Distinct occupations with a batch this year. */
  occupations: number
}
