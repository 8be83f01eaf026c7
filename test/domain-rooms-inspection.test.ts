import { describe, expect, test } from 'vitest'
import {
  type InspectionRecord,
  type InspectionState,
  INSPECTION_ITEMS,
  INSPECTION_MOVES,
  checklistFor,
  checklistState,
  decideInspection,
  inspectionSummary,
} from '../server/domain/rooms/index.ts'

const record = (state: InspectionState, over: Partial<InspectionRecord> = {}): InspectionRecord => ({
  item: 'desks_spaced',
  state,
  defect: state === 'defect' || state === 'rectified' ? '两桌间距 60 厘米' : null,
  rectification: state === 'rectified' ? '已调整' : null,
  rectifiedBy: state === 'rectified' ? '后勤 张师傅' : null,
  recordedBy: 'u0',
  updatedAt: 1,
  ...over,
})
const THEORY = checklistFor({ kind: 'theory', hazardous: false }, false)
const full = { defect: '两桌间距 60 厘米', rectification: '重新摆放，间距 90 厘米', rectifiedBy: '后勤 张师傅' }

describe('checklists (R6.1, R4.2, R6.5)', () => {
  test('a theory room checks single desks more than 80 cm apart and no tiered hall (R4.1)', () => {
    expect(THEORY).toEqual(['desks_single', 'desks_spaced', 'not_tiered', 'room_cleared', 'rules_posted'])
    expect(INSPECTION_ITEMS.desks_spaced.zh).toContain('80 厘米')
  })

  test('a practical room checks equipment, instruments and the preparation notice (R4.2)', () => {
    expect(checklistFor({ kind: 'practical', hazardous: false }, false)).toEqual([
      'equipment_ready',
      'instruments_checked',
      'materials_ready',
      'stations_numbered',
      'rules_posted',
    ])
  })

  test('a hazardous room, or a practical exam of a hazardous occupation, adds safety measures and a safety briefing (R6.5)', () => {
    for (const [roomHazard, occupationHazard] of [
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      const list = checklistFor({ kind: 'practical', hazardous: roomHazard }, occupationHazard)
      expect(list.slice(-2)).toEqual(['safety_measures', 'safety_briefing'])
    }
    expect(checklistFor({ kind: 'practical', hazardous: false }, false)).not.toContain('safety_briefing')
  })

  test('every item names the rule it serves and reads in both languages', () => {
    for (const [code, item] of Object.entries(INSPECTION_ITEMS)) {
      expect(item.rule, code).toMatch(/^R\d\.\d$/)
      expect(item.zh.length, code).toBeGreaterThan(1)
      expect(item.en.length, code).toBeGreaterThan(1)
    }
  })
})

describe('item moves: the table is the rule', () => {
  const states: InspectionState[] = ['pending', 'ok', 'defect', 'rectified']
  test('every listed move is accepted and every other (from, to) pair is refused (inspection.move_invalid)', () => {
    let checked = 0
    for (const from of states)
      for (const to of ['ok', 'defect', 'rectified'] as const) {
        const current = from === 'pending' ? null : record(from)
        const r = decideInspection({ item: 'desks_spaced', state: to, ...full }, THEORY, current, 'u1', 9)
        const listed = INSPECTION_MOVES.some((m) => m.from === from && m.to === to)
        if (listed) expect(r, `${from} -> ${to}`).toMatchObject({ ok: true, value: { state: to, recordedBy: 'u1', updatedAt: 9 } })
        else expect(r, `${from} -> ${to}`).toEqual({ ok: false, error: { code: 'inspection.move_invalid', item: 'desks_spaced', from, to } })
        checked++
      }
    expect(checked).toBe(12)
  })

  test('a defect is closed only by rectifying it, never by marking it ok (R6.1)', () => {
    expect(decideInspection({ item: 'desks_spaced', state: 'ok' }, THEORY, record('defect'), 'u1', 9).ok).toBe(false)
  })

  test('a defect needs its description (inspection.defect_required)', () => {
    expect(decideInspection({ item: 'desks_spaced', state: 'defect', defect: '  ' }, THEORY, null, 'u1', 9)).toEqual({
      ok: false,
      error: { code: 'inspection.defect_required', item: 'desks_spaced' },
    })
  })

  test('a rectification needs what was done and by whom (inspection.rectification_required), and keeps the defect', () => {
    expect(decideInspection({ item: 'desks_spaced', state: 'rectified', rectification: '已调整' }, THEORY, record('defect'), 'u1', 9)).toEqual({
      ok: false,
      error: { code: 'inspection.rectification_required', item: 'desks_spaced' },
    })
    expect(
      decideInspection({ item: 'desks_spaced', state: 'rectified', rectification: ' 已调整 ', rectifiedBy: ' 张师傅 ' }, THEORY, record('defect'), 'u1', 9),
    ).toEqual({
      ok: true,
      value: {
        item: 'desks_spaced',
        state: 'rectified',
        defect: '两桌间距 60 厘米',
        rectification: '已调整',
        rectifiedBy: '张师傅',
        recordedBy: 'u1',
        updatedAt: 9,
      },
    })
  })

  test("an item not on this room's checklist is refused (inspection.item_unknown)", () => {
    expect(decideInspection({ item: 'equipment_ready', state: 'ok' }, THEORY, null, 'u1', 9)).toMatchObject({
      ok: false,
      error: { code: 'inspection.item_unknown', item: 'equipment_ready' },
    })
  })
})

describe('completeness', () => {
  test('pending items and open defects keep a checklist incomplete; ok and rectified complete it', () => {
    const stored = [record('ok', { item: 'desks_single' }), record('defect', { item: 'desks_spaced' })]
    const state = checklistState(THEORY, stored)
    expect(state.map((r) => r.state)).toEqual(['ok', 'defect', 'pending', 'pending', 'pending'])
    expect(inspectionSummary(state)).toEqual({ complete: false, pending: ['not_tiered', 'room_cleared', 'rules_posted'], openDefects: ['desks_spaced'] })
    const done = checklistState(
      THEORY,
      THEORY.map((item) => record(item === 'desks_spaced' ? 'rectified' : 'ok', { item })),
    )
    expect(inspectionSummary(done)).toEqual({ complete: true, pending: [], openDefects: [] })
  })
})
