/**
 * Yearly statistics fixtures: a seeded random plan of batches, candidates, payments, door admissions, room
 * incidents and leak reports written straight into the tables (what the lifecycle, kiosk and custody stores would
 * have written), and the plan's own counts to check the read model against.
 */
import type { Database } from 'bun:sqlite'
import { mulberry32 } from '../server/demo/photo.ts'
import type { StatisticsSources } from '../server/services/statistics.ts'

export interface PlannedCandidate {
  id: string
  status: 'registered' | 'approved' | 'rejected' | 'withdrawn'
  paid: boolean
  /** Sessions of the batch the candidate was admitted to (an entry twice: two doors). */
  admittedTo: string[]
  passed: boolean
  certified: boolean
}
export interface PlannedBatch {
  id: string
  occupationCode: string
  occupationName: string
  level: number
  status: string
  examEndDate: string
  sessions: string[]
  candidates: PlannedCandidate[]
  published: boolean
  incidents: number
  /** Leak reports by state, about a paper of one of the batch's sessions. */
  leaks: Array<'open' | 'confirmed' | 'dismissed'>
}
export interface Plan {
  batches: PlannedBatch[]
}

export const OCCUPATIONS = [
  { code: '4-01-02-01', name: '电工' },
  { code: '4-03-02-01', name: '中式烹调师' },
  { code: '4-10-01-02', name: '保育师' },
]
const STATUSES = ['registered', 'approved', 'approved', 'approved', 'rejected', 'withdrawn'] as const
const BATCH_STATUSES = ['filed', 'announced', 'in_progress', 'completed', 'results_published', 'results_published', 'draft'] as const
const DATES = ['2025-06-15', '2025-12-31', '2026-01-01', '2026-05-20', '2026-11-30', '2026-12-31', '2027-01-01']

/** Writes a random plan (by `seed`) into a migrated database and returns it. */
export function seedStatistics(db: Database, seed: number, batchCount = 12): Plan {
  const rnd = mulberry32(seed) // seeded, so a failing plan can be replayed by its seed
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1))
  const now = 1_780_000_000_000
  const run = (sql: string, ...args: Array<string | number | Uint8Array | null>) => db.query(sql).run(...args)

  run(
    `INSERT OR IGNORE INTO users (id, username, display_name, roles, password_hash, created_at, updated_at) VALUES ('u-stats', 'stats.inv', '监考甲', '["invigilator"]', 'x', ?, ?)`,
    now,
    now,
  )
  run(`INSERT OR IGNORE INTO sites (id, name, address, created_at) VALUES ('site-stats', '第一考点', '北京', ?)`, now)
  run(`INSERT OR IGNORE INTO rooms (id, site_id, name, kind, capacity, created_at) VALUES ('room-stats', 'site-stats', '101', 'theory', 40, ?)`, now)
  run(
    `INSERT OR IGNORE INTO kiosk_enrolments (id, site_id, label, code_hash, created_by, created_at, expires_at) VALUES ('enr-stats', 'site-stats', 'door', 'h-stats', 'u-stats', ?, ?)`,
    now,
    now,
  )
  const key = new Uint8Array(65).fill(4)
  key[1] = seed & 0xff
  run(
    `INSERT OR IGNORE INTO kiosk_devices (id, site_id, label, public_key, state, enrolment_id, enrolled_at) VALUES ('dev-stats', 'site-stats', 'door', ?, 'active', 'enr-stats', ?)`,
    key,
    now,
  )
  for (const o of OCCUPATIONS) {
    run('INSERT OR IGNORE INTO occupations (code, name, created_at) VALUES (?, ?, ?)', o.code, o.name, now)
    for (let level = 1; level <= 5; level++) {
      run('INSERT OR IGNORE INTO occupation_levels (occupation_code, level) VALUES (?, ?)', o.code, level)
      run(
        `INSERT OR IGNORE INTO subjects (id, occupation_code, level, kind, name, pass_mark, max_mark) VALUES (?, ?, ?, 'theory', '理论知识', 60, 100)`,
        `${o.code}/${level}/t`,
        o.code,
        level,
      )
    }
  }

  const plan: Plan = { batches: [] }
  let n = 0
  for (let b = 0; b < batchCount; b++) {
    const occ = pick(OCCUPATIONS)
    const level = int(1, 5)
    const id = `b${seed}-${b}`
    const examEndDate = pick(DATES)
    const status = pick(BATCH_STATUSES)
    run(
      `INSERT INTO batches (id, title, occupation_code, level, status, plan, exam_start_date, exam_end_date, created_at, updated_at) VALUES (?, ?, ?, ?, ?, '{"sessions":[],"changes":[]}', ?, ?, ?, ?)`,
      id,
      `${occ.name} ${level}级 第${b}批`,
      occ.code,
      level,
      status,
      examEndDate,
      examEndDate,
      now,
      now,
    )
    const sessions = Array.from({ length: int(1, 3) }, (_, i) => `${id}-s${i}`)
    for (const s of sessions) {
      run(
        `INSERT INTO exam_sessions (id, batch_id, subject_id, starts_at, ends_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
        s,
        id,
        `${occ.code}/${level}/t`,
        now,
        now + 7_200_000,
        now,
        now,
      )
    }
    const candidates: PlannedCandidate[] = []
    for (let c = 0, count = int(0, 25); c < count; c++) {
      const cid = `${id}-c${c}`
      const st = pick(STATUSES)
      run(
        `INSERT INTO candidates (id, batch_id, resident_id_hash, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
        cid,
        id,
        `h-${cid}`,
        st,
        now,
        now,
      )
      const paid = st === 'approved' ? rnd() < 0.85 : st === 'withdrawn' && rnd() < 0.3
      if (paid)
        run(
          'INSERT INTO payments (candidate_id, invoice_number, amount_cents, paid_on, recorded_at) VALUES (?, ?, 15000, ?, ?)',
          cid,
          `INV-${cid}`,
          examEndDate,
          now,
        )
      const admittedTo: string[] = []
      if (paid && st === 'approved') {
        for (const s of sessions) if (rnd() < 0.8) admittedTo.push(s)
        if (admittedTo.length > 0 && rnd() < 0.1) admittedTo.push(admittedTo[0]!) // the same session at a second door
      }
      for (const s of admittedTo) {
        const rec = `rec-${++n}-${seed}`
        run(
          `INSERT INTO kiosk_records (id, kind, device_id, session_id, room_id, user_id, made_at, received_at, online, body, signature, body_hash) VALUES (?, 'admission', 'dev-stats', ?, 'room-stats', 'u-stats', ?, ?, 1, '{}', 'sig', 'hash')`,
          rec,
          s,
          now,
          now,
        )
        run(
          `INSERT INTO admissions (record_id, session_id, candidate_id, ticket_number, room_id, device_id, user_id, at, id_check) VALUES (?, ?, ?, ?, 'room-stats', 'dev-stats', 'u-stats', ?, 'matched')`,
          rec,
          s,
          cid,
          `T${n}`,
          now,
        )
      }
      const passed = admittedTo.length > 0 && rnd() < 0.7
      candidates.push({ id: cid, status: st, paid, admittedTo, passed, certified: passed && rnd() < 0.9 })
    }
    const incidents = int(0, 3)
    for (let i = 0; i < incidents; i++) {
      run(
        `INSERT INTO kiosk_incidents (id, session_id, room_id, device_id, recorded_by, kind, at, description, made_at, stored_at) VALUES (?, ?, 'room-stats', 'dev-stats', 'u-stats', 'cheating', ?, '夹带', ?, ?)`,
        `inc-${id}-${i}`,
        pick(sessions),
        now,
        now,
        now,
      )
    }
    const leaks: PlannedBatch['leaks'] = []
    for (let i = 0, count = int(0, 2); i < count; i++) {
      const s = pick(sessions)
      const paper = `paper-${id}-${i}`
      run(`INSERT INTO papers (id, exam_session_id, kind, state, doc, updated_at) VALUES (?, ?, 'A', 'active', '{}', ?)`, paper, s, now)
      const state = pick(['open', 'confirmed', 'confirmed', 'dismissed'] as const)
      leaks.push(state)
      run(
        `INSERT INTO leak_reports (id, paper_id, state, doc, updated_at) VALUES (?, ?, ?, ?, ?)`,
        `leak-${id}-${i}`,
        paper,
        state,
        JSON.stringify({ examSessionId: s, state }),
        now,
      )
    }
    // Certificates follow published results only.
    const published = rnd() < 0.7
    if (!published) for (const c of candidates) c.certified = false
    plan.batches.push({ id, occupationCode: occ.code, occupationName: occ.name, level, status, examEndDate, sessions, candidates, published, incidents, leaks })
  }
  return plan
}

/** The results and certificates the plan says (a fake of what the lead wires from results and certificates). */
export function planSources(plan: Plan): StatisticsSources {
  const byId = new Map(plan.batches.map((b) => [b.id, b]))
  return {
    passedCandidates: (id) => {
      const b = byId.get(id)
      return b?.published ? b.candidates.filter((c) => c.passed).map((c) => c.id) : null
    },
    certifiedCandidates: (id) => (byId.get(id)?.candidates ?? []).filter((c) => c.certified).map((c) => c.id),
  }
}

/** What the plan says one batch counts (the independent count). */
export function plannedCounts(b: PlannedBatch) {
  return {
    registered: b.candidates.length,
    approved: b.candidates.filter((c) => c.status === 'approved').length,
    paid: b.candidates.filter((c) => c.paid).length,
    sat: b.candidates.filter((c) => c.admittedTo.length > 0).length,
    passed: b.published ? b.candidates.filter((c) => c.passed).length : null,
    certified: b.candidates.filter((c) => c.certified).length,
    incidents: b.incidents,
    leaks: b.leaks.filter((s) => s === 'confirmed').length,
  }
}
