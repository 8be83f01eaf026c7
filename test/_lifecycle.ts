/** Fixtures for the lifecycle tests: an occupation, a complete draft plan, and instants in CST. */
import type { Batch, Occupation } from '../server/domain/lifecycle/index.ts'

/** Epoch ms of a CST wall-clock time: cstAt('2026-10-12', '09:00'). */
export const cstAt = (date: string, time: string): number => Date.parse(`${date}T${time}:00+08:00`)

export const ELECTRICIAN: Occupation = {
  code: '6-31-01-03',
  name: '电工',
  hazardous: true,
  createdAt: 0,
  levels: [
    {
      level: 5,
      conditions: '累计从事本职业工作1年（含）以上',
      subjects: [
        { id: 'sub-5-theory', kind: 'theory', name: '理论知识', passMark: 60, maxMark: 100 },
        { id: 'sub-5-practical', kind: 'practical', name: '操作技能', passMark: 60, maxMark: 100 },
      ],
    },
    {
      level: 4,
      conditions: '取得本职业五级证书后，累计从事本职业工作4年（含）以上',
      subjects: [
        { id: 'sub-4-theory', kind: 'theory', name: '理论知识', passMark: 60, maxMark: 100 },
        { id: 'sub-4-practical', kind: 'practical', name: '操作技能', passMark: 60, maxMark: 100 },
      ],
    },
  ],
}
export const LEVEL4 = ELECTRICIAN.levels[1]!.subjects

/** A draft with every R2.2 field, exam on `date` (theory 09:00–10:30, practical 14:00–17:00 CST). */
export function completeDraft(date: string, overrides: Partial<Batch> = {}): Batch {
  return {
    id: 'batch-1',
    title: '2026年第四批电工认定',
    occupationCode: ELECTRICIAN.code,
    level: 4,
    status: 'draft',
    examStartDate: date,
    examEndDate: date,
    filedOn: null,
    filedOnDocumented: null,
    centreReference: null,
    feeCents: 26000,
    createdAt: 0,
    updatedAt: 0,
    plan: {
      place: '重庆工业职业技术学院 实训楼',
      method: '理论知识考试（闭卷笔试）和操作技能考核（实际操作）',
      candidates: { scope: '社会人员及合作培训机构学员', expected: 90 },
      staffing: { examiners: 6, invigilators: 6, supervisors: 1 },
      sessions: [
        { subjectId: 'sub-4-theory', startsAt: cstAt(date, '09:00'), endsAt: cstAt(date, '10:30'), siteId: null },
        { subjectId: 'sub-4-practical', startsAt: cstAt(date, '14:00'), endsAt: cstAt(date, '17:00'), siteId: null },
      ],
      changes: [],
    },
    ...overrides,
  }
}
