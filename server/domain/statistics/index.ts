/**
 * Yearly statistics (R9.1): the comprehensive table per occupation and level and the summary report, as plain
 * functions over per-batch counts (the read model counts; this decides how they add up).
 *
 * - A batch belongs to the year of its last exam day (exam_end_date, a civil date in CST).
 * - registered = every registration (rejected and withdrawn included); approved = status approved;
 *   paid = a fee payment recorded; sat = admitted by a door to at least one session of the batch.
 * - pass rate = passed ÷ sat over batches with published results; '—' when that sat is 0.
 */
export { formatRate, passRate, sumCounts, yearOf, yearTable } from './_aggregate.ts'
export { levelName, type YearSummary, yearSummary } from './_summary.ts'
export type { BatchFacts, Counts, StatisticsRow, YearTable } from './_types.ts'
