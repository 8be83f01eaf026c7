import iconv from 'iconv-lite'
import type { BatchCounts, StatisticsReads } from '../db/read-models/statistics.ts'
import { type Result, ok, refuse } from '../domain/_result.ts'
import { type BatchFacts, type Counts, type YearSummary, type YearTable, formatRate, levelName, yearSummary, yearTable } from '../domain/statistics/index.ts'

/**
 * What statistics takes from the results and the certificates (the lead wires them in app.ts):
 * passedCandidates = overall 'passed' in the published results (null: not published); certifiedCandidates =
 * candidates holding a certificate of the batch.
 */
export interface StatisticsSources {
  passedCandidates(batchId: string): string[] | null
  certifiedCandidates(batchId: string): string[]
}

export type StatisticsCode = 'statistics.year_invalid' | 'statistics.encoding_invalid'
export interface StatisticsError {
  code: StatisticsCode
}

export type CsvEncoding = 'utf-8' | 'gb18030'
export const CSV_ENCODINGS: readonly CsvEncoding[] = ['utf-8', 'gb18030']

/** A year's statistics: the table, the batches it was built from and the summary report. */
export interface YearStatistics extends YearTable {
  batches: BatchFacts[]
  summary: YearSummary
}

/** Years a table may be asked for (a four-digit civil year). */
const MIN_YEAR = 2000
const MAX_YEAR = 2100

/** The CSV columns (Chinese headers, as the annual report's 综合统计表). */
const COLUMNS: Array<{ zh: string; value: (r: Counts) => string }> = [
  { zh: '批次数', value: (r) => String(r.batches) },
  { zh: '报名人数', value: (r) => String(r.registered) },
  { zh: '审核通过人数', value: (r) => String(r.approved) },
  { zh: '缴费人数', value: (r) => String(r.paid) },
  { zh: '实考人数', value: (r) => String(r.sat) },
  { zh: '合格人数', value: (r) => String(r.passed) },
  { zh: '合格率', value: (r) => formatRate(r.passRate) },
  { zh: '发证人数', value: (r) => String(r.certified) },
  { zh: '考场事件', value: (r) => String(r.incidents) },
  { zh: '泄密事件', value: (r) => String(r.leaks) },
  { zh: '成绩未公布批次', value: (r) => String(r.unpublished) },
]

/** RFC 4180 field; a text starting with = + - @ gets a leading apostrophe so a spreadsheet never runs it as a formula. */
const field = (s: string): string => {
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

/** Yearly statistics (R9.1): the comprehensive table, the summary report and their CSV. Reads only; logs nothing. */
export class Statistics {
  constructor(
    private readonly reads: StatisticsReads,
    private readonly sources: StatisticsSources,
  ) {}

  /** Years with batches, newest first. */
  years(): number[] {
    return this.reads.years()
  }

  /** The year's table, its batches and its summary; `year` must be a whole year 2000–2100. */
  year(year: number): Result<YearStatistics, StatisticsError> {
    if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) return refuse({ code: 'statistics.year_invalid' })
    const batches = this.reads.batchesOfYear(year).map((b) => this.facts(b))
    const table = yearTable(year, batches)
    return ok({ ...table, batches, summary: yearSummary(table) })
  }

  /** The year's table as CSV text (header, one line per occupation and level, the totals), CRLF line ends. */
  csvText(year: number): Result<string, StatisticsError> {
    const r = this.year(year)
    if (!r.ok) return r
    const t = r.value
    const lines = [
      ['年度', '职业编码', '职业（工种）', '等级', ...COLUMNS.map((c) => c.zh)],
      ...t.rows.map((row) => [String(year), row.occupationCode, row.occupationName, levelName(row.level), ...COLUMNS.map((c) => c.value(row))]),
      [String(year), '', '合计', '', ...COLUMNS.map((c) => c.value(t.totals))],
    ]
    return ok(`${lines.map((l) => l.map(field).join(',')).join('\r\n')}\r\n`)
  }

  /**
   * The CSV's bytes: UTF-8 with a byte-order mark (Excel then reads it as UTF-8), or GB18030 (what a Chinese
   * Windows Excel opens by default).
   */
  csv(year: number, encoding: string): Result<{ bytes: Uint8Array; filename: string; charset: CsvEncoding }, StatisticsError> {
    if (!CSV_ENCODINGS.includes(encoding as CsvEncoding)) return refuse({ code: 'statistics.encoding_invalid' })
    const r = this.csvText(year)
    if (!r.ok) return r
    const charset = encoding as CsvEncoding
    const bytes = charset === 'utf-8' ? new TextEncoder().encode(`\uFEFF${r.value}`) : new Uint8Array(iconv.encode(r.value, 'gb18030'))
    return ok({ bytes, filename: `statistics-${year}${charset === 'gb18030' ? '-gb18030' : ''}.csv`, charset })
  }

  private facts(b: BatchCounts): BatchFacts {
    const passed = this.sources.passedCandidates(b.batchId)
    return { ...b, passed: passed === null ? null : new Set(passed).size, certified: new Set(this.sources.certifiedCandidates(b.batchId)).size }
  }
}
