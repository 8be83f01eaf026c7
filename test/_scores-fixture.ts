/**
 * A batch ready for scores: the rooms fixture's batch (a theory and a practical session), approved candidates
 * with live tickets for both sessions, the doors' admissions, the examiners' signed practical sheets and a
 * confirmed cheating incident. The kiosk rows are written with SQL as the kiosk sync leaves them (foreign keys
 * to devices and records are off while seeding: no tablet is enrolled here).
 */
import { ScoreStore } from '../server/db/score-store.ts'
import { ScoreFacts } from '../server/db/read-models/score-facts.ts'
import { sqlKioskScoreFacts } from '../server/db/read-models/kiosk-score-facts.ts'
import type { Person } from '../server/services/_acting.ts'
import { Scores } from '../server/services/scores.ts'
import type { CustodyApp } from '../server/app.ts'
import { type TestApp, makeTestApp } from './_app.ts'
import { type FixtureCandidate, type LifecycleFixture, addCandidates, seedLifecycle } from './_rooms-fixture.ts'

export interface ScoresWorld {
  app: TestApp
  scores: Scores
  fx: LifecycleFixture
  /** c[0], c[1] sit both; c[2] sits both and is caught cheating in the practical (confirmed); c[3] misses the theory. */
  candidates: FixtureCandidate[]
  tickets: { theory: string[]; practical: string[] }
  registrar: Person & { cookie: string }
  verifier: Person & { cookie: string }
  verifier2: Person & { cookie: string }
  supervisor: Person & { cookie: string }
  examiner: Person & { cookie: string }
  roomId: string
}

export async function scoresWorld(opts: { app?: TestApp } = {}): Promise<ScoresWorld> {
  const app = opts.app ?? makeTestApp()
  // Routes first: Hono builds its matcher on the first request (the logins below).
  const scores = withScores(app, () => app.clock.now)
  const db = app.services.db
  const now = app.clock.now
  const fx = seedLifecycle(app)
  const candidates = addCandidates(app, fx.batchId, 4)
  const person = async (roles: Array<'registrar' | 'verifier' | 'supervisor' | 'examiner'>) => {
    const u = await app.userWith(roles)
    return { user: u.id, name: u.username, roles: [...roles], cookie: u.cookie }
  }
  const registrar = await person(['registrar'])
  const verifier = await person(['verifier'])
  const verifier2 = await person(['verifier'])
  const supervisor = await person(['supervisor'])
  const examiner = await person(['examiner'])
  const roomId = 'room-scores-101'
  const tickets = { theory: [] as string[], practical: [] as string[] }
  db.run('PRAGMA foreign_keys = OFF')
  try {
    db.transaction(() => {
      db.run("INSERT INTO sites (id, name, address, created_at) VALUES ('site-scores', '第一考点', '重庆市示例路 1 号', ?)", [now])
      db.run("INSERT INTO rooms (id, site_id, name, kind, capacity, created_at) VALUES (?, 'site-scores', '101', 'theory', 30, ?)", [roomId, now])
      candidates.forEach((c, i) => {
        for (const kind of ['theory', 'practical'] as const) {
          const number = `2026-SC${kind === 'theory' ? 'T' : 'P'}-${String(i + 1).padStart(5, '0')}`
          tickets[kind].push(number)
          db.run("INSERT INTO tickets (number, candidate_id, exam_session_id, room_id, seat, payload, issued_at) VALUES (?, ?, ?, ?, ?, 'test', ?)", [
            number,
            c.id,
            fx.sessions[kind],
            roomId,
            i + 1,
            now,
          ])
          if (kind === 'theory' && i === 3) continue // absent from the theory
          db.run(
            `INSERT INTO admissions (record_id, session_id, candidate_id, ticket_number, room_id, device_id, user_id, at, id_check)
             VALUES (?, ?, ?, ?, ?, 'dev-1', ?, ?, 'matched')`,
            [`adm-${kind}-${i}`, fx.sessions[kind], c.id, number, roomId, examiner.user, now],
          )
        }
      })
      // The exam is over: both sittings completed (a missing admission is an absence only then).
      db.run("UPDATE exam_sessions SET status = 'completed' WHERE batch_id = ?", [fx.batchId])
      // Signed practical sheets: 80, 55, 90, 70.
      ;[80, 55, 90, 70].forEach((score, i) => {
        db.run(
          `INSERT INTO kiosk_score_sheets (id, session_id, room_id, candidate_id, items, examiner_id, check_kind, recorded_by, device_id, signature, made_at, stored_at)
           VALUES (?, ?, ?, ?, ?, ?, 'online', ?, 'dev-1', 'sig', ?, ?)`,
          [
            `sheet-${i}`,
            fx.sessions.practical,
            roomId,
            candidates[i]!.id,
            JSON.stringify([{ itemId: 'subj-practical', score }]),
            examiner.user,
            examiner.user,
            now,
            now,
          ],
        )
      })
      // c[2] copied in the practical; a second invigilator confirmed it.
      db.run(
        `INSERT INTO kiosk_incidents (id, session_id, room_id, device_id, recorded_by, candidate_id, kind, at, description, made_at, stored_at)
         VALUES ('inc-1', ?, ?, 'dev-1', ?, ?, 'copying', ?, '抄袭', ?, ?)`,
        [fx.sessions.practical, roomId, examiner.user, candidates[2]!.id, now, now, now],
      )
      db.run("INSERT INTO kiosk_incident_confirmations (id, incident_id, type, user_id, made_at, stored_at) VALUES ('conf-1', 'inc-1', 'second', ?, ?, ?)", [
        supervisor.user,
        now,
        now,
      ])
    })()
  } finally {
    db.run('PRAGMA foreign_keys = ON')
  }
  return { app, scores, fx, candidates, tickets, registrar, verifier, verifier2, supervisor, examiner, roomId }
}

/** A theory CSV for the world: c[0] 85, c[1] 59.5, c[2] 72 (c[3] was absent, so not in the file). */
export function theoryCsv(w: ScoresWorld, scores: Array<number | string> = [85, 59.5, 72]): string {
  const rows = scores.map((s, i) => `${w.tickets.theory[i]},${w.candidates[i]!.name},理论知识,${s}`)
  return ['准考证号,姓名,科目,成绩', ...rows].join('\r\n')
}

/** The scores service and routes on an app, as the lead wires them in app.ts (Services.scores); a no-op once app.ts does. */
export function withScores(custody: CustodyApp, clock: () => number): Scores {
  const db = custody.services.db
  custody.services.scores = new Scores(db, new ScoreStore(db), new ScoreFacts(db), sqlKioskScoreFacts(db), custody.services.log, clock)
  return custody.services.scores
}
