import type { StatisticsCode } from '../services/statistics.ts'
import type { ErrorEntry } from './_errors.ts'

/** Yearly statistics (R9.1): bad input only (the statistics change nothing). */
export const STATISTICS_ERRORS: Record<StatisticsCode, ErrorEntry> = {
  'statistics.year_invalid': { status: 400, zh: '年度须为 2000–2100 之间的四位数字', en: 'The year must be four digits between 2000 and 2100' },
  'statistics.encoding_invalid': { status: 400, zh: '编码须为 utf-8 或 gb18030', en: 'The encoding must be utf-8 or gb18030' },
}
