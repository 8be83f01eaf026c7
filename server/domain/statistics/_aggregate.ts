import type { BatchFacts, Counts, StatisticsRow, YearTable } from './_types.ts'

const ZERO: Omit<Counts, 'passRate'> = {
  batches: 0,
  registered: 0,
  approved: 0,
  paid: 0,
  sat: 0,
  passed: 0,
  certified: 0,
  incidents: 0,
  leaks: 0,
  satPublished: 0,
  unpublished: 0,
}

/** The year a batch is counted in: the year of its last exam day (a civil date in CST). */
export const yearOf = (examEndDate: string): number => Number(examEndDate.slice(0, 4))

/**
 * Pass rate (R9.1) = passed ÷ sat, both over batches whose results are published, so an unpublished batch does not
 * lower the rate; null (shown '—') when no one sat a published batch.
 */
export const passRate = (passed: number, satPublished: number): number | null => (satPublished === 0 ? null : passed / satPublished)

function add(into: Omit<Counts, 'passRate'>, b: BatchFacts): void {
  into.batches += 1
  into.registered += b.registered
  into.approved += b.approved
  into.paid += b.paid
  into.sat += b.sat
  into.certified += b.certified
  into.incidents += b.incidents
  into.leaks += b.leaks
  if (b.passed === null) into.unpublished += 1
  else {
    into.passed += b.passed
    into.satPublished += b.sat
  }
}

const withRate = <C extends Omit<Counts, 'passRate'>>(c: C): C & { passRate: number | null } => ({ ...c, passRate: passRate(c.passed, c.satPublished) })

/** Sums counts over a list of batches. */
export function sumCounts(batches: readonly BatchFacts[]): Counts {
  const c = { ...ZERO }
  for (const b of batches) add(c, b)
  return withRate(c)
}

/**
 * The comprehensive table (综合统计表) of one year: one row per occupation and level with a batch whose last exam
 * day falls in `year`, and the totals. Batches of other years are left out.
 */
export function yearTable(year: number, batches: readonly BatchFacts[]): YearTable {
  const ofYear = batches.filter((b) => yearOf(b.examEndDate) === year)
  const groups = new Map<string, { occupationCode: string; occupationName: string; level: number; list: BatchFacts[] }>()
  for (const b of ofYear) {
    const key = `${b.occupationCode}\u0000${b.level}`
    const g = groups.get(key) ?? { occupationCode: b.occupationCode, occupationName: b.occupationName, level: b.level, list: [] }
    g.list.push(b)
    groups.set(key, g)
  }
  const rows: StatisticsRow[] = [...groups.values()]
    .map((g) => ({ occupationCode: g.occupationCode, occupationName: g.occupationName, level: g.level, ...sumCounts(g.list) }))
    .sort((a, b) => (a.occupationCode < b.occupationCode ? -1 : a.occupationCode > b.occupationCode ? 1 : b.level - a.level))
  return { year, rows, totals: sumCounts(ofYear), occupations: new Set(ofYear.map((b) => b.occupationCode)).size }
}

/** A rate as a percent with one decimal ('87.5%'), or '—' when there is none. */
export const formatRate = (rate: number | null): string => (rate === null ? '—' : `${(Math.round(rate * 1000) / 10).toFixed(1)}%`)
