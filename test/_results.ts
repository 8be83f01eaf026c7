/** Results fixtures: a completed batch written straight into a test app's database, a fake scores port, the service. */
import type { LogEvent } from '../audit/index.ts'
import { residentIdHash } from '../server/services/candidates.ts'
import type { Person } from '../server/services/_acting.ts'
import { type BatchResultsView, Results, type ResultsScoresPort } from '../server/services/results.ts'
import { type TestApp, makeTestApp } from './_app.ts'

export const SALT = 'ab'.repeat(32)
export const cst = (date: string, time = '09:00') => Date.parse(`${date}T${time}:00+08:00`)

export interface Seed {
  batchId: string
  examEnd: string
  candidates: Array<{ id: string; name: string; residentId: string; ticket: string; theory: number | null; practical: number | null; retake?: boolean }>
}

/** Batch b1 of 电工 level 4, exam 2025-01-17 (the Friday before 春节 2025), completed; theory and practical sessions. */
export function seedBatch(app: TestApp, seed: Partial<Seed> = {}): Seed {
  const s: Seed = {
    batchId: seed.batchId ?? 'b1',
    examEnd: seed.examEnd ?? '2025-01-17',
    candidates: seed.candidates ?? [
      { id: 'c1', name: '张三', residentId: '11010519491231002X', ticket: 'T0001', theory: 72, practical: 80 },
      { id: 'c2', name: '李小明', residentId: '500101199001010015', ticket: 'T0002', theory: 55, practical: 90 },
    ],
  }
  const db = app.services.db
  const now = app.clock.now
  db.run("INSERT OR IGNORE INTO settings (key, value) VALUES ('pii_salt', ?)", [SALT])
  db.run("INSERT OR IGNORE INTO occupations (code, name, hazardous, created_at) VALUES ('6-31-01-03', '电工', 0, ?)", [now])
  db.run("INSERT OR IGNORE INTO occupation_levels (occupation_code, level) VALUES ('6-31-01-03', 4)")
  db.run("INSERT OR IGNORE INTO subjects VALUES ('s-theory', '6-31-01-03', 4, 'theory', '理论知识', 60, 100)")
  db.run("INSERT OR IGNORE INTO subjects VALUES ('s-practical', '6-31-01-03', 4, 'practical', '操作技能', 60, 100)")
  db.run(
    `INSERT INTO batches (id, title, occupation_code, level, status, plan, exam_start_date, exam_end_date, created_at, updated_at)
     VALUES (?, '电工四级 2025 第一批', '6-31-01-03', 4, 'completed', '{}', ?, ?, ?, ?)`,
    [s.batchId, s.examEnd, s.examEnd, now, now],
  )
  for (const k of ['theory', 'practical'])
    db.run(
      "INSERT INTO exam_sessions (id, batch_id, subject_id, starts_at, ends_at, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'completed', ?, ?)",
      [
        `${s.batchId}-${k}`,
        s.batchId,
        `s-${k}`,
        cst(s.examEnd, k === 'theory' ? '09:00' : '14:00'),
        cst(s.examEnd, k === 'theory' ? '11:00' : '16:00'),
        now,
        now,
      ],
    )
  db.run("INSERT OR IGNORE INTO sites (id, name, address, created_at) VALUES ('site1', '考点一', '重庆', ?)", [now])
  db.run("INSERT OR IGNORE INTO rooms (id, site_id, name, kind, capacity, created_at) VALUES ('room1', 'site1', '101', 'theory', 30, ?)", [now])
  for (const c of s.candidates) {
    const sitting = c.retake ? { kind: 'retake', subjects: ['practical'], carried: ['theory'] } : { kind: 'full' }
    db.run(
      `INSERT INTO candidates (id, batch_id, name, resident_id, resident_id_hash, details, status, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, 'approved', ?, ?)`,
      [c.id, s.batchId, c.name, c.residentId, residentIdHash(SALT, c.residentId), JSON.stringify({ sitting }), now, now],
    )
    db.run("INSERT INTO tickets (number, candidate_id, exam_session_id, room_id, seat, payload, issued_at) VALUES (?, ?, ?, 'room1', 1, 'x', ?)", [
      c.ticket,
      c.id,
      `${s.batchId}-theory`,
      now,
    ])
  }
  return s
}

const status = (score: number | null) => (score === null ? 'absent' : score >= 60 ? 'passed' : 'failed')

/** A scores service as results sees it: a plain object over the seed, with complete switchable and a log of calls. */
export function fakeScores(seed: Seed) {
  const state = {
    complete: true,
    scores: new Map<string, number | null>(),
    pending: new Map<string, { candidateId: string; subjectId: string; score: number; by: string }>(),
    calls: [] as string[],
  }
  for (const c of seed.candidates) {
    state.scores.set(`${c.id}/s-theory`, c.theory)
    state.scores.set(`${c.id}/s-practical`, c.practical)
  }
  const view = (): BatchResultsView => ({
    batchId: seed.batchId,
    complete: state.complete,
    unfinished: state.complete ? [] : [{ sessionId: `${seed.batchId}-practical`, subjectId: 's-practical', state: 'entered' }],
    candidates: seed.candidates.map((c) => {
      const subjects = (['theory', 'practical'] as const).map((k) => {
        const score = state.scores.get(`${c.id}/s-${k}`) ?? null
        const carried = c.retake === true && k === 'theory'
        return {
          subjectId: `s-${k}`,
          kind: k,
          name: k === 'theory' ? '理论知识' : '操作技能',
          status: status(score),
          score,
          passMark: 60,
          maxMark: 100,
          sessionId: carried ? null : `${seed.batchId}-${k}`,
          ...(carried && { carried: true }),
        } as const
      })
      return { candidateId: c.id, subjects: [...subjects], overall: subjects.every((x) => x.status === 'passed') ? 'passed' : 'failed' } as const
    }),
  })
  const port: ResultsScoresPort = {
    batchResults: (id) => (id === seed.batchId ? view() : null),
    reviseForReview: (input, actor) => {
      state.calls.push(`revise ${input.candidateId}/${input.subjectId} ${input.score}`)
      const changeId = `chg-${state.pending.size + 1}`
      state.pending.set(changeId, { ...input, by: actor.user })
      return { ok: true, value: { changeId, sessionId: `${seed.batchId}-practical` } }
    },
    confirmReviewRevision: (changeId, actor) => {
      const p = state.pending.get(changeId)
      if (!p) return { ok: false, error: { code: 'score.change_not_found' } }
      if (p.by === actor.user) return { ok: false, error: { code: 'score.same_person' } }
      state.calls.push(`confirm ${changeId}`)
      state.scores.set(`${p.candidateId}/${p.subjectId}`, p.score)
      state.pending.delete(changeId)
      return { ok: true, value: { sessionId: `${seed.batchId}-practical` } }
    },
  }
  return { port, state }
}

export const person = (user: string, roles: string[]): Person => ({ user, name: user, roles })
export const REGISTRAR = person('u-reg', ['registrar'])
export const REGISTRAR2 = person('u-reg2', ['registrar'])
export const VERIFIER = person('u-ver', ['verifier'])

/** The service on a test app (no floor delay unless asked), routes registered unless createApp did. */
export function resultsFixture(opts: { app?: TestApp; seed?: Partial<Seed>; floorMs?: number } = {}) {
  const app = opts.app ?? makeTestApp()
  const seed = seedBatch(app, opts.seed)
  const scores = fakeScores(seed)
  const results = new Results(
    app.services.db,
    app.services.log,
    () => app.clock.now,
    () => app.services.lifecycle.calendar.calendar(),
    scores.port,
    {
      lookupFloorMs: opts.floorMs ?? 0,
    },
  )
  const s = app.services
  s.results = results
  const events = (from: number): LogEvent[] => Array.from({ length: app.services.log.size() - from }, (_, i) => app.services.log.entry(from + i)!.event)
  const setToday = (date: string) => {
    app.clock.now = cst(date, '10:00')
  }
  return { app, seed, scores, results, events, setToday }
}

/** resident_id_hash of an ID number under the fixture's salt (what subject_results is keyed by). */
export const residentHashOf = (residentId: string) => residentIdHash(SALT, residentId)
