/**
 * The server for bench/kiosk.ts's exam-day burst, run as a child process (as bench/_http-server.ts):
 * `bun bench/_kiosk-server.ts DATA_DIR SETUP_JSON`. It builds an exam day on DATA_DIR/custody.db: the demo (its
 * door-drill session is today, doors open now), then ROOMS more 30-seat theory rooms attached to that session,
 * one invigilator account per room, 30 approved and paid candidates seated in each room with live tickets (the
 * first room's candidates have registration photos), and one enrolled device per public key in SETUP_JSON (through
 * the service, one enrolment code each). It writes DATA_DIR/world.json (what the load needs: device ids, rooms,
 * invigilators, tickets), then listens on 127.0.0.1 on a free port and prints { "url": ... }. SIGTERM stops it.
 * Passwords are hashed with the tests' cheap scrypt cost: logins are not what the burst measures.
 */
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createApp } from '../server/app.ts'
import { TEST_SCRYPT } from '../server/auth/_password.ts'
import { RoomsStore } from '../server/db/rooms-store.ts'
import { loadDemo } from '../server/demo.ts'
import { makeDemoPhotoPng } from '../server/demo/photo.ts'
import { makeResidentId } from '../server/domain/registration/index.ts'
import { benchKeys } from './_fixtures.ts'

export const INVIGILATOR_PASSWORD = 'bench invigilator password 2026'
const ACTOR = { system: 'bench' } as const
const SEATS = 30
const FAMILY = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '周', '吴', '徐', '孙', '马', '朱', '胡', '郭']
const GIVEN = ['建国', '秀英', '伟', '洋', '静', '帆', '磊', '敏', '杰', '芳', '强', '丽', '超', '婷', '军', '霞']

export interface KioskWorldSetup {
  /** Device public keys (raw uncompressed P-256, base64), one device each, in rooms round-robin. */
  publicKeys: string[]
  rooms: number
}

export interface KioskWorldRoom {
  id: string
  name: string
  invigilator: { id: string; username: string }
  candidates: Array<{ id: string; ticket: string }>
}

export interface KioskWorldFile {
  sessionId: string
  siteId: string
  rooms: KioskWorldRoom[]
  deviceIds: string[]
  before: { records: number; events: number }
}

const must = <T>(r: { ok: true; value: T } | { ok: false; error: unknown }, what: string): T => {
  if (!r.ok) throw new Error(`kiosk bench world: ${what}: ${JSON.stringify(r.error)}`)
  return r.value
}

async function buildWorld(dir: string, setup: KioskWorldSetup, origins: () => readonly string[]) {
  const custody = createApp({ db: join(dir, 'custody.db'), ...benchKeys(), scrypt: TEST_SCRYPT, publicOrigins: origins })
  const s = custody.services
  await loadDemo(s)
  const sessionId = s.doorDrill.sessionId()!
  const db = s.db
  const batchId = db.query<{ batch_id: string }, [string]>('SELECT batch_id FROM exam_sessions WHERE id = ?').get(sessionId)!.batch_id
  const siteId = s.rooms.sites()[0]!.id
  const admin = s.accounts.list().find((u) => u.username === 'admin')!
  const adminPerson = { user: admin.id, name: admin.username, roles: ['admin'] }

  const rooms: KioskWorldRoom[] = []
  for (let r = 0; r < setup.rooms; r++) {
    const name = `B${String(r + 1).padStart(4, '0')}`
    const room = must(s.rooms.createRoom(ACTOR, siteId, { name, kind: 'theory', capacity: SEATS, layout: '6 行 × 5 列，单人单桌' }), `room ${name}`)
    must(s.rooms.attachRoom(ACTOR, sessionId, room.id), `attach ${name}`)
    const username = `bench.inv${r + 1}`
    const u = must(
      await s.accounts.create(ACTOR, { username, displayName: `监考 ${name}`, roles: ['invigilator'], password: INVIGILATOR_PASSWORD }),
      `invigilator ${username}`,
    )
    must(s.rooms.assignStaff(ACTOR, sessionId, { userId: u.id, duty: 'invigilator', roomId: room.id }), `staff ${name}`)
    rooms.push({ id: room.id, name, invigilator: { id: u.id, username }, candidates: [] })
  }

  // Candidates straight into their tables (as the tests' fixture does): registration is not what is measured.
  const now = Date.now()
  const insert = db.prepare(`INSERT INTO candidates (id, batch_id, name, resident_id, resident_id_hash, gender, birth_date, details, training_unit,
    photo, photo_type, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'male', '1990-01-01', ?, NULL, ?, ?, 'approved', ?, ?)`)
  const pay = db.prepare('INSERT INTO payments (candidate_id, invoice_number, amount_cents, paid_on, recorded_at) VALUES (?, ?, 100, ?, ?)')
  const seats: Array<{ candidateId: string; roomId: string; seat: number }> = new RoomsStore(db)
    .seats(sessionId)
    .map((x) => ({ candidateId: x.candidate_id, roomId: x.room_id, seat: x.seat }))
  const today = new Date(now + 8 * 3600_000).toISOString().slice(0, 10)
  db.transaction(() => {
    let k = 0
    for (const room of rooms) {
      for (let seat = 1; seat <= SEATS; seat++) {
        k++
        const id = `bench-cand-${String(k).padStart(6, '0')}`
        const residentId = makeResidentId('500112', '1990-01-01', k % 1000)
        // The first room is the package benchmark's: its candidates carry a registration photo (240 × 320).
        const photo = rooms.indexOf(room) === 0 ? makeDemoPhotoPng(240, 320, `bench-${k}`) : null
        insert.run(
          id,
          batchId,
          FAMILY[k % FAMILY.length]! + GIVEN[(k * 7) % GIVEN.length]!,
          residentId,
          createHash('sha256').update(`bench${residentId}${k}`).digest('hex'),
          '{"sitting":{"kind":"full"},"source":"desk"}',
          photo,
          photo ? 'image/png' : null,
          now,
          now,
        )
        pay.run(id, `BENCH-${k}`, today, now)
        seats.push({ candidateId: id, roomId: room.id, seat })
        room.candidates.push({ id, ticket: '' })
      }
    }
  })()
  new RoomsStore(db).replaceSeats({ id: crypto.randomUUID(), exam_session_id: sessionId, seed: 'bench', keep_ticketed: 1, created_at: now }, seats)
  const issued = must(
    s.tickets.issue(
      ACTOR,
      sessionId,
      rooms.flatMap((r) => r.candidates.map((c) => c.id)),
    ),
    'tickets',
  ).issued
  const ticketOf = new Map(issued.map((t) => [t.candidateId, t.number]))
  for (const r of rooms) for (const c of r.candidates) c.ticket = ticketOf.get(c.id) ?? ''
  if (rooms.some((r) => r.candidates.some((c) => !c.ticket))) throw new Error('kiosk bench world: a candidate got no ticket')

  const deviceIds: string[] = []
  for (const [i, publicKey] of setup.publicKeys.entries()) {
    const label = `${rooms[i % rooms.length]!.name} 门口 ${Math.floor(i / rooms.length) + 1}`
    const opened = must(s.kioskDevices.openEnrolment(adminPerson, { siteId, label }), `enrolment ${i}`)
    const d = must(s.kioskDevices.enrol(`10.9.${i >> 8}.${i & 255}`, { code: opened.code, publicKey, label }), `device ${i}`)
    deviceIds.push(d.deviceId)
  }
  const count = (sql: string) => db.query<{ n: number }, []>(sql).get()!.n
  const world: KioskWorldFile = {
    sessionId,
    siteId,
    rooms,
    deviceIds,
    before: {
      records: count('SELECT count(*) AS n FROM kiosk_records'),
      events: count("SELECT count(*) AS n FROM log_entries WHERE action = 'kiosk.admission'"),
    },
  }
  writeFileSync(join(dir, 'world.json'), JSON.stringify(world))
  const timer = setInterval(() => {
    const last = s.log.store.latestCheckpoint()
    if (s.log.size() !== (last?.size ?? -1)) s.log.signCheckpoint()
  }, 2000)
  return {
    fetch: custody.app.fetch,
    stop: () => {
      clearInterval(timer)
      custody.close()
    },
  }
}

if (import.meta.main) {
  const [dir, setupPath] = process.argv.slice(2)
  if (!dir || !setupPath) {
    console.error('usage: bun bench/_kiosk-server.ts DATA_DIR SETUP_JSON')
    process.exit(2)
  }
  let origins: readonly string[] = []
  const handler = await buildWorld(dir, JSON.parse(readFileSync(setupPath, 'utf8')) as KioskWorldSetup, () => origins)
  const server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: handler.fetch, idleTimeout: 0 })
  origins = [`http://127.0.0.1:${server.port}`]
  console.log(JSON.stringify({ url: `http://127.0.0.1:${server.port}` }))
  process.on('SIGTERM', () => {
    server.stop(true)
    handler.stop()
    process.exit(0)
  })
}
