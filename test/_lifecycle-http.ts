/** HTTP fixtures for the lifecycle tests: an occupation and a batch taken to "announced" through the API. */
import { expect } from 'vitest'
import { makeResidentId } from '../server/domain/registration/index.ts'
import { makeDemoPhotoPng } from '../server/demo/photo.ts'
import type { TestApp } from './_app.ts'

/** The test clock (T0) is 2026-11-25 09:00 CST; this exam lies beyond R2.1 and R2.3 of the dates below. */
export const EXAM = '2026-12-28'
export const at = (date: string, time: string) => `${date}T${time}:00+08:00`

export const OCCUPATION = {
  code: '6-31-01-03',
  name: '电工',
  hazardous: true,
  levels: [
    {
      level: 5,
      conditions: '从事本职业1年以上',
      subjects: [
        { kind: 'theory', name: '理论知识', passMark: 60, maxMark: 100 },
        { kind: 'practical', name: '操作技能', passMark: 60, maxMark: 100 },
      ],
    },
    {
      level: 4,
      conditions: '取得五级证书后从事本职业4年以上',
      subjects: [
        { kind: 'theory', name: '理论知识', passMark: 60, maxMark: 100 },
        { kind: 'practical', name: '操作技能', passMark: 60, maxMark: 100 },
      ],
    },
  ],
}

export const photoBase64 = (seed: string | number = 1) => Buffer.from(makeDemoPhotoPng(240, 320, seed, 'TEST')).toString('base64')
export const idOf = (i: number, birth = '1990-03-07') => makeResidentId('500103', birth, 101 + i * 2) // odd sequence: male

export async function json<T = Record<string, unknown>>(res: Response, status: number): Promise<T> {
  const body = (await res.json()) as T
  expect(res.status, JSON.stringify(body)).toBe(status)
  return body
}

export interface Announced {
  batchId: string
  announcementId: string
  sessions: Array<{ id: string; subjectId: string }>
  subjects: { theory: string; practical: string }
}

/**
 * Occupation → draft → complete plan → filed → announced, as a registrar. The plan is made on 2026-10-14,
 * filed on 2026-10-15 and announced on 2026-10-20 (the clock is moved there: an act is recorded on the
 * server's date), then the clock returns to where it was.
 */
export async function announcedBatch(app: TestApp, cookie: string): Promise<Announced> {
  const back = app.clock.now
  app.clock.now = Date.parse('2026-10-14T09:00:00+08:00')
  try {
    return await announcedOnPastDays(app, cookie)
  } finally {
    app.clock.now = back
  }
}

async function announcedOnPastDays(app: TestApp, cookie: string): Promise<Announced> {
  const occupation = await json<{ levels: Array<{ level: number; subjects: Array<{ id: string; kind: string }> }> }>(
    await app.call('POST', '/api/occupations', { cookie, body: OCCUPATION }),
    201,
  )
  const subjects = occupation.levels.find((l) => l.level === 4)!.subjects
  const subject = { theory: subjects.find((s) => s.kind === 'theory')!.id, practical: subjects.find((s) => s.kind === 'practical')!.id }
  const draft = await json<{ id: string }>(
    await app.call('POST', '/api/batches', {
      cookie,
      body: { title: '2026年第四批电工（四级）认定', occupationCode: OCCUPATION.code, level: 4, examStartDate: EXAM, examEndDate: EXAM, feeCents: 26000 },
    }),
    201,
  )
  await json(
    await app.call('PATCH', `/api/batches/${draft.id}`, {
      cookie,
      body: {
        place: '重庆工业职业技术学院 电气实训楼',
        method: '理论知识闭卷笔试 + 操作技能实际操作',
        candidates: { scope: '社会人员', expected: 60 },
        staffing: { examiners: 4, invigilators: 4, supervisors: 1 },
        sessions: [
          { subjectId: subject.theory, startsAt: at(EXAM, '09:00'), endsAt: at(EXAM, '10:30') },
          { subjectId: subject.practical, startsAt: at(EXAM, '14:00'), endsAt: at(EXAM, '17:00') },
        ],
      },
    }),
    200,
  )
  app.clock.now = Date.parse('2026-10-15T09:00:00+08:00')
  const filed = await json<{ sessions: Array<{ id: string; subjectId: string }> }>(
    await app.call('POST', `/api/batches/${draft.id}/file`, { cookie, body: { centreReference: '渝职鉴备〔2026〕108号' } }),
    200,
  )
  app.clock.now = Date.parse('2026-10-20T09:00:00+08:00')
  const a = await json<{ id: string }>(
    await app.call('POST', `/api/batches/${draft.id}/announcement`, {
      cookie,
      body: {
        contentAndMethod: '依据国家职业技能标准（电工）进行理论知识考试和操作技能考核',
        registration: { place: '继续教育与培训学院 101室', until: '2026-12-10', how: '携带身份证、原证书和工作年限证明，填写呈报表' },
      },
    }),
    201,
  )
  return { batchId: draft.id, announcementId: a.id, sessions: filed.sessions, subjects: subject }
}

export const CSV_HEADER = '姓名,身份证号,性别,联系电话,培训机构,职业编码,职业名称,申报等级,从业年限'
export const csvRow = (name: string, id: string, unit = '重庆某职业培训学校', level = '四级') =>
  `${name},${id},男,13800138000,${unit},6-31-01-03,电工,${level},5`

/** Posts a CSV file as the import body (text/csv). */
export function importCsv(app: TestApp, cookie: string, batchId: string, csv: string | Uint8Array, type = 'text/csv; charset=utf-8') {
  return app.app.request(`http://localhost/api/batches/${batchId}/candidates/import`, {
    method: 'POST',
    headers: { Origin: 'http://localhost', Cookie: cookie, 'Content-Type': type },
    body: typeof csv === 'string' ? csv : new Uint8Array(csv),
  })
}

/** Everything the lifecycle writes, to show that a refusal changed nothing (the log is checked separately). */
export function lifecycleState(app: TestApp): string {
  const db = app.services.db
  const tables = [
    'settings',
    'occupations',
    'occupation_levels',
    'subjects',
    'holiday_years',
    'batches',
    'exam_sessions',
    'announcements',
    'candidates',
    'candidate_attachments',
    'payments',
  ]
  return JSON.stringify(Object.fromEntries(tables.map((t) => [t, db.query(`SELECT * FROM ${t} ORDER BY rowid`).all()])), (_k, v) =>
    v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v,
  )
}
