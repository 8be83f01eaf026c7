/**
 * A custody world for the packet, leak and report tests: a batch with a theory session (12 Dec 2026, 09:00
 * CST), two rooms with their invigilators, custodians and supervisors with their own logins, paper A and
 * paper B, and one printed job of paper A with a packet per room. Papers, the job and the packets are written
 * straight into the 0005 tables (as the print flow leaves them), so these tests do not depend on printing.
 */
import { type PacketPlan, type Packet, type Paper, type PrintJob, planPackets } from '../server/domain/custody/index.ts'
import { PacketStore } from '../server/db/packet-store.ts'
import { type TestApp, TEST_PASSWORD } from './_app.ts'
import { THEORY_START, attach, makeRooms, seedLifecycle } from './_rooms-fixture.ts'

export { THEORY_START }
export const MINUTE = 60_000

export interface Person {
  cookie: string
  id: string
  username: string
}

export interface CustodyWorld {
  sessionId: string
  batchId: string
  rooms: { r101: string; r102: string }
  printer: Person
  keeper: Person
  inv1: Person
  inv2: Person
  inv3: Person
  inv4: Person
  sup1: Person
  sup2: Person
  admin: Person
  paperA: Paper
  paperB: Paper
  job: PrintJob
  /** Paper A's packets: room 101 (copies 1–30), room 102 (31–57). */
  p101: Packet
  p102: Packet
  store: PacketStore
}

export const witness = (p: Person) => ({ username: p.username, password: TEST_PASSWORD })

let worlds = 0

export async function custodyWorld(app: TestApp): Promise<CustodyWorld> {
  const n = ++worlds
  const lc = seedLifecycle(app, { batchId: `3f9a1c00-0000-4000-8000-${String(n).padStart(12, '0')}` })
  const sessionId = lc.sessions.theory
  const registrar = await app.userWith(['registrar'])
  const made = await makeRooms(
    app,
    registrar.cookie,
    [
      { name: '101', kind: 'theory', capacity: 30 },
      { name: '102', kind: 'theory', capacity: 30 },
    ],
    `考点${n}`,
  )
  const rooms = { r101: made.rooms['101']!, r102: made.rooms['102']! }
  await attach(app, registrar.cookie, sessionId, [rooms.r101, rooms.r102])
  const [printer, keeper, inv1, inv2, inv3, inv4, sup1, sup2, admin] = [
    await app.userWith(['custodian'], `printer${n}`),
    await app.userWith(['custodian'], `keeper${n}`),
    await app.userWith(['invigilator'], `inv1w${n}`),
    await app.userWith(['invigilator'], `inv2w${n}`),
    await app.userWith(['invigilator'], `inv3w${n}`),
    await app.userWith(['invigilator'], `inv4w${n}`),
    await app.userWith(['supervisor'], `sup1w${n}`),
    await app.userWith(['supervisor'], `sup2w${n}`),
    await app.userWith(['admin'], `admin${n}`),
  ] as const
  const db = app.services.db
  const now = app.clock.now
  const staff = db.prepare(`INSERT INTO staff_assignments (id, exam_session_id, room_id, user_id, duty, created_at) VALUES (?, ?, ?, ?, 'invigilator', ?)`)
  staff.run(`sa-${n}-1`, sessionId, rooms.r101, inv1.id, now)
  staff.run(`sa-${n}-2`, sessionId, rooms.r101, inv2.id, now)
  staff.run(`sa-${n}-3`, sessionId, rooms.r102, inv3.id, now)
  staff.run(`sa-${n}-4`, sessionId, rooms.r102, inv4.id, now)

  const paper = (kind: 'paper_a' | 'paper_b'): Paper => ({
    id: `paper-${kind === 'paper_a' ? 'A' : 'B'}-${n}`,
    examSessionId: sessionId,
    kind,
    title: `理论知识${kind === 'paper_a' ? ' A' : ' B'} 卷`,
    state: 'active',
    frozenBy: [],
    updatedAt: now,
  })
  const paperA = paper('paper_a'),
    paperB = paper('paper_b')
  const insertPaper = db.prepare('INSERT INTO papers (id, exam_session_id, kind, state, doc, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
  for (const p of [paperA, paperB]) insertPaper.run(p.id, p.examSessionId, p.kind, p.state, JSON.stringify(p), now)

  const targets = [
    { roomId: rooms.r101, seats: 28 },
    { roomId: rooms.r102, seats: 25 },
  ]
  const perCopy = { answerSheets: 1, scratchPaper: 2 }
  const plans = planPackets(targets, 2, { perCopy })
  const job: PrintJob = {
    id: `job-${n}`,
    paperId: paperA.id,
    examSessionId: sessionId,
    state: 'printed',
    requestedBy: printer.id,
    requestedAt: now,
    targets,
    sparesPerRoom: 2,
    perCopy,
    firstCopy: 1,
    approvals: [printer.id, keeper.id],
    decryptedBy: printer.id,
    decryptedAt: now,
    printedBy: printer.id,
    printedAt: now,
    copies: 57,
    updatedAt: now,
  }
  db.prepare('INSERT INTO print_jobs (id, paper_id, state, doc, updated_at) VALUES (?, ?, ?, ?, ?)').run(
    job.id,
    job.paperId,
    job.state,
    JSON.stringify(job),
    now,
  )
  const store = new PacketStore(db)
  const packetOf = (plan: PacketPlan, id: string): Packet => ({
    id,
    paperId: paperA.id,
    printJobId: job.id,
    examSessionId: sessionId,
    roomId: plan.roomId,
    copies: plan.copies,
    contents: plan.contents,
    state: 'printed',
    sealNumber: null,
    seals: [],
    holder: { userId: printer.id },
    printedBy: printer.id,
    printedAt: now,
    openedBy: [],
    openedAt: null,
    recovery: null,
    retention: null,
    frozenFrom: null,
    voidReason: null,
    updatedAt: now,
  })
  const p101 = packetOf(plans[0]!, `pk-${n}-101`),
    p102 = packetOf(plans[1]!, `pk-${n}-102`)
  store.insertPacket(p101)
  store.insertPacket(p102)
  return { sessionId, batchId: lc.batchId, rooms, printer, keeper, inv1, inv2, inv3, inv4, sup1, sup2, admin, paperA, paperB, job, p101, p102, store }
}

/** Moves the clock and logs everyone in again (sessions last 12 hours). */
export async function at(app: TestApp, w: CustodyWorld, time: number): Promise<void> {
  app.clock.now = time
  for (const p of [w.printer, w.keeper, w.inv1, w.inv2, w.inv3, w.inv4, w.sup1, w.sup2, w.admin]) p.cookie = await app.login(p.username)
}

/** Answers the body of a response, failing with its text when the status is not the one expected. */
export async function expectStatus<T = Record<string, unknown>>(res: Response, status: number): Promise<T> {
  const text = await res.text()
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${text}`)
  return (text ? JSON.parse(text) : null) as T
}

type Call = TestApp['call']

/** Drives a packet along the table through the HTTP API from where it is up to `until` (inclusive), as the people of the world. */
export async function drive(
  app: TestApp,
  w: CustodyWorld,
  packet: Packet,
  until: 'sealed' | 'in_vault' | 'issued' | 'received' | 'opened' | 'recovered' | 'returned' | 'reconciled' | 'archived',
): Promise<Packet> {
  const call: Call = app.call
  const order = ['sealed', 'in_vault', 'issued', 'received', 'opened', 'recovered', 'returned', 'reconciled', 'archived'] as const
  const seal = packet.seals[0] ?? `S${packet.id.toUpperCase()}`,
    reseal = `R${packet.id.toUpperCase()}`
  const done: Partial<Record<string, number>> = { sealed: 0, in_vault: 1, issued: 2, received: 3, opened: 4, recovered: 5, reconciled: 7, archived: 8 }
  const [a, b] = packet.roomId === w.rooms.r101 ? [w.inv1, w.inv2] : [w.inv3, w.inv4]
  let last: Packet = packet
  const step = async (res: Promise<Response>, status = 200) => {
    const body = await expectStatus<{ packet?: Packet }>(await res, status)
    if (body.packet) last = body.packet
    return body
  }
  const handover = async (from: Person, to: Person, action: string, sealSeen: string) => {
    const h = await expectStatus<{ id: string }>(
      await call('POST', `/api/packets/${packet.id}/handovers`, {
        cookie: from.cookie,
        body: { action, receiver: to.username, place: '保密室', sealSeen, condition: 'intact' },
      }),
      201,
    )
    await step(call('POST', `/api/handovers/${h.id}/confirm`, { cookie: to.cookie, body: { sealSeen, condition: 'intact' } }))
  }
  for (const stage of order.slice((done[packet.state] ?? -1) + 1)) {
    if (stage === 'sealed')
      await step(
        call('POST', `/api/packets/${packet.id}/moves`, { cookie: w.printer.cookie, body: { action: 'seal', sealNumber: seal, witness: witness(w.keeper) } }),
      )
    if (stage === 'in_vault')
      await step(
        call('POST', `/api/packets/${packet.id}/moves`, { cookie: w.printer.cookie, body: { action: 'store', sealSeen: seal, witness: witness(w.keeper) } }),
      )
    if (stage === 'issued') await handover(w.keeper, a, 'issue', seal)
    if (stage === 'received') await handover(a, b, 'receive', seal)
    if (stage === 'opened') {
      if (app.clock.now < THEORY_START - 10 * MINUTE) await at(app, w, THEORY_START - 10 * MINUTE)
      await step(call('POST', `/api/packets/${packet.id}/open`, { cookie: b.cookie, body: { sealSeen: seal, second: witness(a) } }))
    }
    if (stage === 'recovered') {
      if (app.clock.now < THEORY_START + 2 * 3600_000) await at(app, w, THEORY_START + 2 * 3600_000)
      const c = last.contents
      await step(
        call('POST', `/api/packets/${packet.id}/recover`, {
          cookie: a.cookie,
          body: { counts: { used: c.copies - 2, blank: 2, spoiled: 0, answerSheets: c.answerSheets, scratchPaper: c.scratchPaper } },
        }),
      )
      await step(call('POST', `/api/packets/${packet.id}/moves`, { cookie: a.cookie, body: { action: 'reseal', sealNumber: reseal, witness: witness(b) } }))
    }
    if (stage === 'returned') await handover(a, w.keeper, 'return', reseal)
    if (stage === 'reconciled')
      await step(call('POST', `/api/packets/${packet.id}/moves`, { cookie: w.keeper.cookie, body: { action: 'reconcile', sealSeen: reseal } }))
    if (stage === 'archived')
      await step(call('POST', `/api/packets/${packet.id}/moves`, { cookie: w.keeper.cookie, body: { action: 'archive', witness: witness(w.sup1) } }))
    if (stage === until) break
  }
  return last
}
