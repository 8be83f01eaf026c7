import { describe, expect, test } from 'vitest'
import { type BatchFacts, formatRate, levelName, passRate, sumCounts, yearOf, yearSummary, yearTable } from '../server/domain/statistics/index.ts'

const batch = (over: Partial<BatchFacts> & { batchId: string }): BatchFacts => ({
  title: over.batchId,
  occupationCode: '4-01-02-01',
  occupationName: '电工',
  level: 4,
  examEndDate: '2026-06-20',
  registered: 0,
  approved: 0,
  paid: 0,
  sat: 0,
  passed: 0,
  certified: 0,
  incidents: 0,
  leaks: 0,
  ...over,
})

// Known answers: three batches of 2026 in two occupation-levels, one of 2025, one unpublished.
const BATCHES: BatchFacts[] = [
  batch({ batchId: 'a', registered: 40, approved: 35, paid: 33, sat: 30, passed: 24, certified: 22, incidents: 2, leaks: 0 }),
  batch({ batchId: 'b', examEndDate: '2026-12-31', registered: 20, approved: 18, paid: 18, sat: 16, passed: 12, certified: 12, incidents: 0, leaks: 1 }),
  batch({
    batchId: 'c',
    occupationCode: '4-03-02-01',
    occupationName: '中式烹调师',
    level: 5,
    registered: 10,
    approved: 9,
    paid: 9,
    sat: 8,
    passed: null,
    certified: 0,
  }),
  batch({ batchId: 'old', examEndDate: '2025-12-31', registered: 99, sat: 99, passed: 99, certified: 99 }),
]

describe('the comprehensive table (R9.1)', () => {
  test('a batch counts in the year of its last exam day', () => {
    expect(yearOf('2026-01-01')).toBe(2026)
    expect(yearOf('2025-12-31')).toBe(2025)
    expect(yearTable(2025, BATCHES).totals.registered).toBe(99)
  })

  test('rows per occupation and level, summed, with the known totals', () => {
    const t = yearTable(2026, BATCHES)
    expect(t.rows.map((r) => [r.occupationCode, r.level, r.batches, r.registered, r.sat, r.passed, r.certified])).toEqual([
      ['4-01-02-01', 4, 2, 60, 46, 36, 34],
      ['4-03-02-01', 5, 1, 10, 8, 0, 0],
    ])
    expect(t.totals).toMatchObject({ batches: 3, registered: 70, approved: 62, paid: 60, sat: 54, passed: 36, certified: 34, incidents: 2, leaks: 1 })
    expect(t.totals.satPublished).toBe(46)
    expect(t.totals.unpublished).toBe(1)
    expect(t.occupations).toBe(2)
  })

  test('pass rate = passed ÷ sat of published batches: 36 / 46', () => {
    const t = yearTable(2026, BATCHES)
    expect(t.totals.passRate).toBeCloseTo(36 / 46, 12)
    expect(formatRate(t.totals.passRate)).toBe('78.3%')
    expect(t.rows[1]!.passRate).toBeNull() // unpublished only: no rate
    expect(formatRate(t.rows[1]!.passRate)).toBe('—')
  })

  test('no one sat: the pass rate is undefined, shown as —', () => {
    expect(passRate(0, 0)).toBeNull()
    expect(formatRate(null)).toBe('—')
    expect(formatRate(1)).toBe('100.0%')
    expect(formatRate(2 / 3)).toBe('66.7%')
    expect(sumCounts([]).passRate).toBeNull()
  })

  test('levels are ordered 五级 first within an occupation', () => {
    const t = yearTable(2026, [batch({ batchId: 'x', level: 1 }), batch({ batchId: 'y', level: 5 }), batch({ batchId: 'z', level: 3 })])
    expect(t.rows.map((r) => r.level)).toEqual([5, 3, 1])
    expect(levelName(5)).toBe('五级')
    expect(levelName(1)).toBe('一级')
  })
})

describe('the summary report (统计分析报告)', () => {
  test('says the numbers of the table', () => {
    const s = yearSummary(yearTable(2026, BATCHES))
    expect(s).toMatchObject({
      year: 2026,
      batches: 3,
      occupations: 2,
      categories: 2,
      registered: 70,
      sat: 54,
      passed: 36,
      certified: 34,
      incidents: 2,
      leaks: 1,
      unpublished: 1,
    })
    expect(s.text.zh).toContain('2026 年共组织认定批次 3 个')
    expect(s.text.zh).toContain('合格率 78.3%')
    expect(s.text.zh).toContain('颁发证书 34 本')
    expect(s.text.zh).toContain('1 个批次成绩尚未公布')
    expect(s.text.zh).toContain('经确认的试卷泄密 1 起')
    expect(s.text.en).toContain('a pass rate of 78.3%')
  })

  test('a year without batches says so', () => {
    const s = yearSummary(yearTable(2024, BATCHES))
    expect(s.batches).toBe(0)
    expect(s.text.zh).toBe('2024 年没有认定批次。')
    expect(s.passRate).toBeNull()
  })
})
