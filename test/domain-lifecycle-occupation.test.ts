import { describe, expect, test } from 'vitest'
import { type OccupationInput, catalogueOf, decideOccupationUpdate, validateOccupation } from '../server/domain/lifecycle/index.ts'

let n = 0
const ids = () => `id${++n}`
const input: OccupationInput = {
  code: '6-31-01-03',
  name: '电工',
  hazardous: true,
  levels: [
    {
      level: 4,
      conditions: '四级条件',
      subjects: [
        { kind: 'practical', name: '操作技能', passMark: 60, maxMark: 100 },
        { kind: 'theory', name: '理论知识', passMark: 60, maxMark: 100 },
      ],
    },
    { level: 5, subjects: [{ kind: 'theory', name: '理论知识', passMark: 60, maxMark: 100 }] },
  ],
}

describe('occupations (职业/工种)', () => {
  test('a valid definition is normalised: levels 五级 first, subjects theory before practical, ids assigned', () => {
    n = 0
    const r = validateOccupation(input, null, ids, 42)
    expect(r).toEqual({
      ok: true,
      value: {
        code: '6-31-01-03',
        name: '电工',
        hazardous: true,
        createdAt: 42,
        levels: [
          { level: 5, conditions: '', subjects: [{ id: 'id3', kind: 'theory', name: '理论知识', passMark: 60, maxMark: 100 }] },
          {
            level: 4,
            conditions: '四级条件',
            subjects: [
              { id: 'id2', kind: 'theory', name: '理论知识', passMark: 60, maxMark: 100 },
              { id: 'id1', kind: 'practical', name: '操作技能', passMark: 60, maxMark: 100 },
            ],
          },
        ],
      },
    })
  })

  test.each([
    [{ code: 'a/b' }, 'code'],
    [{ name: ' ' }, 'name'],
    [{ levels: [] }, 'levels'],
    [{ levels: [{ level: 6, subjects: [{ kind: 'theory', name: 'x', passMark: 1, maxMark: 2 }] }] }, 'levels[0].level'],
    [{ levels: [{ level: 4, subjects: [] }] }, 'levels[0].subjects'],
    [{ levels: [input.levels[1]!, input.levels[1]!] }, 'levels[1].level'],
    [
      {
        levels: [
          {
            level: 4,
            subjects: [
              { kind: 'theory', name: 'a', passMark: 60, maxMark: 100 },
              { kind: 'theory', name: 'b', passMark: 60, maxMark: 100 },
            ],
          },
        ],
      },
      'levels[0].subjects[1].kind',
    ],
    [{ levels: [{ level: 4, subjects: [{ kind: 'theory', name: 'a', passMark: 101, maxMark: 100 }] }] }, 'levels[0].subjects[0].passMark'],
    [{ levels: [{ level: 4, subjects: [{ kind: 'exam', name: 'a', passMark: 1, maxMark: 100 }] }] }, 'levels[0].subjects[0].kind'],
    [{ levels: [{ level: 4, subjects: [{ id: 'unknown', kind: 'theory', name: 'a', passMark: 1, maxMark: 100 }] }] }, 'levels[0].subjects[0].id'],
  ])('%j is refused at %s (occupation.invalid)', (change, field) => {
    expect(validateOccupation({ ...input, ...change } as OccupationInput, null, ids, 0)).toMatchObject({
      ok: false,
      error: { code: 'occupation.invalid', field },
    })
  })

  test('an update keeps subject ids that are sent back, and cannot change the code', () => {
    const current = validateOccupation(input, null, ids, 1)
    if (!current.ok) throw new Error('fixture')
    const theory4 = current.value.levels[1]!.subjects[0]!
    const next = decideOccupationUpdate(
      current.value,
      {
        ...input,
        name: '电工（维修）',
        levels: [
          {
            level: 4,
            subjects: [
              { ...theory4, passMark: 70 },
              { kind: 'practical', name: '操作技能', passMark: 60, maxMark: 100 },
            ],
          },
        ],
      },
      { subjectIds: new Set(), levels: new Set() },
      ids,
      2,
    )
    expect(next.ok && next.value.levels[0]!.subjects[0]).toEqual({ ...theory4, passMark: 70 })
    expect(next.ok && next.value.createdAt).toBe(1)
    expect(decideOccupationUpdate(current.value, { ...input, code: '6-31-01-04' }, { subjectIds: new Set(), levels: new Set() }, ids, 2)).toMatchObject({
      ok: false,
      error: { code: 'occupation.invalid', field: 'code' },
    })
  })

  test('an update may not drop a subject an exam session sits, nor a level a batch plans (occupation.in_use)', () => {
    const current = validateOccupation(input, null, ids, 1)
    if (!current.ok) throw new Error('fixture')
    const used = current.value.levels[0]!.subjects[0]!.id // level 5 theory
    const r = decideOccupationUpdate(current.value, { ...input, levels: [input.levels[0]!] }, { subjectIds: new Set([used]), levels: new Set([5]) }, ids, 2)
    expect(r).toEqual({ ok: false, error: { code: 'occupation.in_use', subjects: [used], levels: [5] } })
  })

  test('the registration catalogue lists codes with their levels and names', () => {
    const o = validateOccupation(input, null, ids, 1)
    expect(o.ok && catalogueOf([o.value]).get('6-31-01-03')).toEqual({ name: '电工', levels: [5, 4] })
  })
})
