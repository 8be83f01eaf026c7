import { Database } from 'bun:sqlite'
import { describe, expect, test } from 'vitest'
import { migrate } from '../server/db/_migrate.ts'
import { StatisticsReads } from '../server/db/read-models/statistics.ts'
import { Statistics } from '../server/services/statistics.ts'
import { plannedCounts, planSources, seedStatistics } from './_statistics-fixture.ts'

function fresh(): Database {
  const db = new Database(':memory:', { strict: true })
  db.run('PRAGMA foreign_keys = ON')
  migrate(db)
  return db
}

describe('statistics on a generated batch checked against an independent count (R9.1)', () => {
  for (const seed of [1, 7, 42, 2026]) {
    test(`seed ${seed}: every batch, row and total equals what the plan generated`, () => {
      const db = fresh()
      const plan = seedStatistics(db, seed)
      const stats = new Statistics(new StatisticsReads(db), planSources(plan))
      const counted = plan.batches.filter((b) => b.status !== 'draft')
      expect(stats.years()).toEqual([...new Set(counted.map((b) => Number(b.examEndDate.slice(0, 4))))].sort((a, b) => b - a))

      for (const year of [2025, 2026, 2027]) {
        const r = stats.year(year)
        if (!r.ok) throw new Error(r.error.code)
        const mine = counted.filter((b) => b.examEndDate.startsWith(`${year}-`))
        // per batch
        expect(r.value.batches.map((b) => b.batchId).sort()).toEqual(mine.map((b) => b.id).sort())
        for (const b of mine) {
          const got = r.value.batches.find((x) => x.batchId === b.id)!
          expect({ id: b.id, ...got }).toMatchObject({ id: b.id, ...plannedCounts(b) })
        }
        // per occupation and level, and the totals, counted from the plan's candidates directly
        const people = mine.flatMap((b) => b.candidates.map((c) => ({ b, c })))
        for (const row of r.value.rows) {
          const inRow = people.filter(({ b }) => b.occupationCode === row.occupationCode && b.level === row.level)
          expect(row.registered).toBe(inRow.length)
          expect(row.sat).toBe(inRow.filter(({ c }) => c.admittedTo.length > 0).length)
          expect(row.passed).toBe(inRow.filter(({ b, c }) => b.published && c.passed).length)
        }
        const satPublished = people.filter(({ b, c }) => b.published && c.admittedTo.length > 0).length
        const passed = people.filter(({ b, c }) => b.published && c.passed).length
        expect(r.value.totals).toMatchObject({
          batches: mine.length,
          registered: people.length,
          approved: people.filter(({ c }) => c.status === 'approved').length,
          paid: people.filter(({ c }) => c.paid).length,
          sat: people.filter(({ c }) => c.admittedTo.length > 0).length,
          passed,
          certified: people.filter(({ c }) => c.certified).length,
          incidents: mine.reduce((s, b) => s + b.incidents, 0),
          leaks: mine.reduce((s, b) => s + b.leaks.filter((l) => l === 'confirmed').length, 0),
          unpublished: mine.filter((b) => !b.published).length,
          passRate: satPublished === 0 ? null : passed / satPublished,
        })
      }
    })
  }

  test('a candidate admitted at two doors of one session is counted once as sat', () => {
    const db = fresh()
    const plan = seedStatistics(db, 3, 30)
    const twice = plan.batches.find((b) => b.status !== 'draft' && b.candidates.some((c) => new Set(c.admittedTo).size < c.admittedTo.length))
    expect(twice, 'the plan has a candidate admitted twice').toBeDefined()
    const stats = new Statistics(new StatisticsReads(db), planSources(plan))
    const r = stats.year(Number(twice!.examEndDate.slice(0, 4)))
    if (!r.ok) throw new Error(r.error.code)
    expect(r.value.batches.find((b) => b.batchId === twice!.id)!.sat).toBe(twice!.candidates.filter((c) => c.admittedTo.length > 0).length)
  })

  test('draft plans are not counted, and a year is refused unless it is 2000–2100 (statistics.year_invalid)', () => {
    const db = fresh()
    const plan = seedStatistics(db, 11, 20)
    const stats = new Statistics(new StatisticsReads(db), planSources(plan))
    const drafts = plan.batches.filter((b) => b.status === 'draft').map((b) => b.id)
    const all = [2025, 2026, 2027].flatMap((y) => (stats.year(y) as { value: { batches: Array<{ batchId: string }> } }).value.batches.map((b) => b.batchId))
    for (const d of drafts) expect(all).not.toContain(d)
    for (const bad of [1999, 2101, 2026.5, Number.NaN]) expect(stats.year(bad)).toEqual({ ok: false, error: { code: 'statistics.year_invalid' } })
  })
})

describe('the CSV', () => {
  test('a name that starts like a formula is quoted so a spreadsheet shows it as text; commas and quotes are escaped', () => {
    const db = fresh()
    const plan = seedStatistics(db, 5, 6)
    db.query(`UPDATE occupations SET name = '=HYPERLINK("x"),1'`).run()
    const stats = new Statistics(new StatisticsReads(db), planSources(plan))
    const year = Number(plan.batches.find((b) => b.status !== 'draft')!.examEndDate.slice(0, 4))
    const r = stats.csvText(year)
    if (!r.ok) throw new Error(r.error.code)
    const line = r.value.split('\r\n')[1]!
    expect(line).toContain(`,"'=HYPERLINK(""x""),1",`)
  })
})
