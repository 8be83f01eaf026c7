/**
 * Lifecycle rows for the rooms and ticket tests: an occupation, a batch with a theory and a practical
 * session, and candidates (approved and paid unless told otherwise). Written with SQL into the 0002
 * tables, as the lifecycle's own services would leave them, so these tests do not depend on how a plan
 * gets filed; the rooms, seating, staff and ticket steps under test go through the HTTP API.
 */
import { createHash } from 'node:crypto'
import type { LogEvent } from '../audit/index.ts'
import { makeResidentId } from '../server/domain/registration/index.ts'
import { makeDemoPhotoPng } from '../server/demo/photo.ts'
import type { TestApp } from './_app.ts'

export const THEORY_START = Date.parse('2026-12-12T01:00:00Z') // 09:00 CST
export const PRACTICAL_START = Date.parse('2026-12-12T06:00:00Z') // 14:00 CST

export interface LifecycleFixture {
  batchId: string
  sessions: { theory: string; practical: string }
  occupationCode: string
}

export interface FixtureCandidate {
  id: string
  name: string
  residentId: string
  trainingUnit: string | null
}

const FAMILY = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗'
const GIVEN = ['伟', '芳', '娜', '敏', '静', '强', '磊', '洋', '艳', '勇', '军', '杰', '娟', '涛', '明', '超', '秀英', '建华', '志强', '丽华']

export function seedLifecycle(app: TestApp, opts: { hazardous?: boolean; batchId?: string } = {}): LifecycleFixture {
  const db = app.services.db
  const now = app.clock.now
  const code = '6-31-01-03'
  const batchId = opts.batchId ?? '3f9a1c00-0000-4000-8000-000000000001'
  db.run('INSERT OR IGNORE INTO occupations (code, name, hazardous, created_at) VALUES (?, ?, ?, ?)', [code, '电工', opts.hazardous ? 1 : 0, now])
  db.run('INSERT OR IGNORE INTO occupation_levels (occupation_code, level) VALUES (?, 4)', [code])
  db.run(
    `INSERT OR IGNORE INTO subjects (id, occupation_code, level, kind, name, pass_mark, max_mark) VALUES
    ('subj-theory', ?, 4, 'theory', '理论知识', 60, 100), ('subj-practical', ?, 4, 'practical', '操作技能', 60, 100)`,
    [code, code],
  )
  db.run(
    `INSERT INTO batches (id, title, occupation_code, level, status, plan, exam_start_date, exam_end_date, created_at, updated_at)
    VALUES (?, '2026 年第四批 电工（四级）', ?, 4, 'announced', '{"sessions":[],"changes":[]}', '2026-12-12', '2026-12-12', ?, ?)`,
    [batchId, code, now, now],
  )
  const sessions = { theory: `${batchId.slice(0, 8)}-theory`, practical: `${batchId.slice(0, 8)}-practical` }
  db.run(
    `INSERT INTO exam_sessions (id, batch_id, subject_id, starts_at, ends_at, status, created_at, updated_at) VALUES
    (?, ?, 'subj-theory', ?, ?, 'scheduled', ?, ?), (?, ?, 'subj-practical', ?, ?, 'scheduled', ?, ?)`,
    [
      sessions.theory,
      batchId,
      THEORY_START,
      THEORY_START + 2 * 3600_000,
      now,
      now,
      sessions.practical,
      batchId,
      PRACTICAL_START,
      PRACTICAL_START + 3 * 3600_000,
      now,
      now,
    ],
  )
  return { batchId, sessions, occupationCode: code }
}

let serial = 0

/** Adds n candidates to the batch; status 'approved' and paid unless told otherwise. */
export function addCandidates(
  app: TestApp,
  batchId: string,
  n: number,
  opts: { status?: string; paid?: boolean; units?: number; photo?: boolean } = {},
): FixtureCandidate[] {
  const db = app.services.db
  const now = app.clock.now
  const out: FixtureCandidate[] = []
  const insert = db.prepare(`INSERT INTO candidates (id, batch_id, name, resident_id, resident_id_hash, gender, birth_date, details, training_unit,
    photo, photo_type, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'male', '1990-01-01', ?, ?, ?, ?, ?, ?, ?)`)
  const pay = db.prepare('INSERT INTO payments (candidate_id, invoice_number, amount_cents, paid_on, recorded_at) VALUES (?, ?, 30000, ?, ?)')
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const k = ++serial
      const id = `cand-${String(k).padStart(5, '0')}`
      const name = FAMILY[k % FAMILY.length]! + GIVEN[(k * 7) % GIVEN.length]!
      const residentId = makeResidentId('110105', '1990-01-01', k % 1000)
      const unit = opts.units ? `培训学校${k % opts.units}` : null
      const photo = opts.photo === false ? null : makeDemoPhotoPng(60, 80, k)
      insert.run(
        id,
        batchId,
        name,
        residentId,
        createHash('sha256').update(`salt${residentId}`).digest('hex'),
        '{"sitting":{"kind":"full"},"source":"desk"}',
        unit,
        photo,
        photo ? 'image/png' : null,
        opts.status ?? 'approved',
        now,
        now,
      )
      if (opts.paid ?? true) pay.run(id, `INV-${k}`, '2026-11-20', now)
      out.push({ id, name, residentId, trainingUnit: unit })
    }
  })()
  return out
}

/** Creates a site with rooms through the API (as a registrar); returns their ids by name. */
export async function makeRooms(
  app: TestApp,
  cookie: string,
  rooms: Array<{ name: string; kind: 'theory' | 'practical' | 'nonstandard'; capacity: number; hazardous?: boolean; equipment?: string[] }>,
  siteName = '第一考点',
): Promise<{ siteId: string; rooms: Record<string, string> }> {
  const site = await app.call('POST', '/api/sites', { cookie, body: { name: siteName, address: '北京市东城区示例路 1 号' } })
  if (site.status !== 201) throw new Error(`site: ${site.status} ${await site.text()}`)
  const siteId = ((await site.json()) as { id: string }).id
  const ids: Record<string, string> = {}
  for (const r of rooms) {
    const res = await app.call('POST', `/api/sites/${siteId}/rooms`, { cookie, body: r })
    if (res.status !== 201) throw new Error(`room ${r.name}: ${res.status} ${await res.text()}`)
    ids[r.name] = ((await res.json()) as { id: string }).id
  }
  return { siteId, rooms: ids }
}

export async function attach(app: TestApp, cookie: string, sessionId: string, roomIds: string[]): Promise<void> {
  for (const id of roomIds) {
    const res = await app.call('PUT', `/api/sessions/${sessionId}/rooms/${id}`, { cookie })
    if (res.status !== 200) throw new Error(`attach ${id}: ${res.status} ${await res.text()}`)
  }
}

/** The events appended since `from`, oldest first. */
export function eventsSince(app: TestApp, from: number): LogEvent[] {
  const out: LogEvent[] = []
  for (let i = from; i < app.services.log.size(); i++) out.push(app.services.log.entry(i)!.event)
  return out
}
