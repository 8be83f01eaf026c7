import type { Services } from '../app.ts'
import type { Result } from '../domain/_result.ts'
import type { Person } from '../services/index.ts'
import { type PapersError, plannedCopies } from '../services/papers.ts'
import { makeDemoPdf } from './_pdf.ts'

export interface PapersDemo {
  paperIds: { a: string; b: string; practical: string }
  printJobId: string
  /** The printed packets of paper A, one per theory room; empty if the window was not open (see below). */
  packetIds: string[]
}

/** The demo's decryption window: from 7 days to 1 hour before a session (wider than the 24 h default, see below). */
export const DEMO_CUSTODY_SETTINGS = { opensMinutesBefore: 7 * 1440, closesMinutesBefore: 60, openMinutesBefore: 15, sparesPerRoom: 2 }

const must = <T, E = PapersError>(r: Result<T, E>, what: string): T => {
  if (!r.ok) throw new Error(`papers demo: ${what}: ${JSON.stringify(r.error)}`)
  return r.value
}

const questions = (paper: string): string[] => [
  'DEMO DATA - NOT A REAL EXAMINATION PAPER',
  '',
  `Electrician (Level 4) - theory, ${paper}. Time allowed: 90 minutes. Closed book.`,
  '',
  'Part I. True or false (1 point each)',
  '1. A residual current device must be tested by pressing its test button every month.',
  '2. The protective earth conductor may be switched by a single-pole switch.',
  '3. Insulation resistance is measured with the circuit de-energised.',
  '',
  'Part II. Single choice (2 points each)',
  '4. The rated sensitivity of an RCD protecting people is: (A) 30 mA (B) 300 mA (C) 3 A',
  '5. Before working on a circuit, the FIRST step is: (A) isolate (B) test (C) earth',
  '6. A 2.5 mm2 copper conductor in conduit carries at most about: (A) 10 A (B) 20 A (C) 63 A',
  '',
  'Part III. Short answer (10 points each)',
  '7. Describe the safe isolation procedure for a three-phase motor circuit.',
  '8. Explain why a star-delta starter reduces the starting current.',
]

/** One of the demo's accounts, acting with its own roles (the custody log names them). */
function person(s: Services, username: string): Person {
  const u = s.accounts.list().find((x) => x.username === username)
  if (!u) throw new Error(`papers demo: no demo user ${username} (load the users demo first)`)
  return { user: u.id, name: u.username, roles: [...u.roles] }
}

async function upload(s: Services, who: Person, paperId: string, filename: string, pdf: Uint8Array): Promise<void> {
  must(await s.papers.upload(who, paperId, { filename, contentType: 'application/pdf', body: [pdf] }), `upload ${filename}`)
}

/**
 * The papers demo on top of the rooms demo: papers A and B of the theory session and the practical tasks,
 * each a small generated PDF, encrypted; a print job for paper A approved by custodian and custodian2,
 * decrypted and printed by custodian, so the theory rooms have their packets (state printed, awaiting seal).
 *
 * The demo's exam is TOMORROW, and "now" is whenever the demo loads: the default window (24 h to 1 h
 * before the start) may not be open yet. So the batch's window is set wide, 7 days to 1 hour before
 * (DEMO_CUSTODY_SETTINGS), through the service like any custodian would, and logged. Every step runs at
 * the real clock and is the named person's own step: nothing is backdated. If the window is still shut
 * (a session that starts within the hour), the job stays approved and no packet is printed.
 */
export async function loadPapersDemo(
  s: Services,
  ctx: { sessionIds: { theory: string; practical: string }; password: string; passphrases: Readonly<Record<string, string>> },
): Promise<PapersDemo> {
  const { theory, practical } = ctx.sessionIds
  const custodian = person(s, 'custodian')
  const custodian2 = person(s, 'custodian2')
  await dealDemoKey(s, ctx.passphrases)
  const session = s.rooms.session(theory)
  if (!session) throw new Error(`papers demo: no session ${theory} (load the lifecycle demo first)`)
  must(s.papers.setSettings(custodian, session.batchId, DEMO_CUSTODY_SETTINGS), 'custody settings')

  const a = must(s.papers.create(custodian, theory, { kind: 'paper_a', title: '电工（四级）理论知识 A 卷（演示）' }), 'paper A')
  const b = must(s.papers.create(custodian, theory, { kind: 'paper_b', title: '电工（四级）理论知识 B 卷（备用，演示）' }), 'paper B')
  const tasks = must(s.papers.create(custodian, practical, { kind: 'practical_tasks', title: '电工（四级）操作技能考核试题（演示）' }), 'practical tasks')
  await upload(s, custodian, a.id, 'electrician-L4-theory-A.pdf', makeDemoPdf('Electrician L4 - Theory - Paper A (DEMO)', questions('paper A')))
  await upload(
    s,
    custodian,
    b.id,
    'electrician-L4-theory-B.pdf',
    makeDemoPdf('Electrician L4 - Theory - Paper B (DEMO, reserve)', questions('paper B (reserve)')),
  )
  await upload(
    s,
    custodian,
    tasks.id,
    'electrician-L4-practical.pdf',
    makeDemoPdf('Electrician L4 - Practical tasks (DEMO)', [
      'DEMO DATA - NOT A REAL EXAMINATION PAPER',
      '',
      'Task 1 (60 min). Wire and commission a star-delta starter for a 7.5 kW motor.',
      'Task 2 (40 min). Find and repair two faults in the given lighting circuit.',
      'Task 3 (20 min). Measure insulation and earth-loop resistance; record the results.',
    ]),
  )

  const job = must(s.papers.requestPrint(custodian, a.id, { perCopy: { answerSheets: 1, scratchPaper: 2 } }), 'print request')
  must(await s.papers.approve(custodian, job.id, ctx.passphrases.custodian), 'first approval (unlocks a key share)')
  must(await s.papers.approve(custodian2, job.id, ctx.passphrases.custodian2), 'second approval (two-person rule, the second share)')

  const window = s.papers.windowOf(session)
  const now = s.clock()
  if (now < window.opensAt || now >= window.closesAt) return { paperIds: { a: a.id, b: b.id, practical: tasks.id }, printJobId: job.id, packetIds: [] }
  const released = must(await s.papers.decrypt(custodian, job.id), 'decryption')
  for await (const chunk of released.body) void chunk // the demo "printer": read to the end, so the file is checked whole
  const printed = must(s.papers.printed(custodian, job.id, plannedCopies(released.job)), 'print output')
  await moveDemoPackets(
    s,
    printed.packets.map((p) => p.id),
    ctx.password,
  )
  return { paperIds: { a: a.id, b: b.id, practical: tasks.id }, printJobId: job.id, packetIds: printed.packets.map((p) => p.id) }
}

/**
 * The demo's key ceremony (008): the administrator names the three demo custodians, 2 of 3; each sets their
 * demo share passphrase with their own account, and the last one's registration deals the shares.
 */
async function dealDemoKey(s: Services, passphrases: Readonly<Record<string, string>>): Promise<void> {
  const holders = ['custodian', 'custodian2', 'custodian3'].filter((u) => passphrases[u] && s.accounts.list().some((x) => x.username === u))
  must(s.keyCeremonies.start(person(s, 'admin'), { holders: holders.map((u) => person(s, u).user), threshold: 2 }), 'key ceremony')
  for (const u of holders) must(await s.keyCeremonies.register(person(s, u), passphrases[u]!), `share passphrase of ${u}`)
}

/**
 * Packets in different custody states, each step the named person's own (the witness and the receiver with
 * their own credentials or login): room 101's packet sealed, stored and issued to its invigilator, who
 * confirmed it; the next one sealed and in the vault; the last one as printed, waiting for its seal.
 */
async function moveDemoPackets(s: Services, packetIds: readonly string[], password: string): Promise<void> {
  const custodian = person(s, 'custodian')
  const witness = { username: 'custodian2', password }
  const invigilator = person(s, 'invigilator')
  const [toRoom, inVault] = packetIds
  for (const [i, id] of [toRoom, inVault].entries()) {
    if (!id) continue
    const seal = `DEMO-${String(i + 1).padStart(4, '0')}`
    must(await s.custody.move(custodian, id, { action: 'seal', sealNumber: seal, witness }, 'demo'), `seal ${seal}`)
    must(await s.custody.move(custodian, id, { action: 'store', sealSeen: seal, witness }, 'demo'), `store ${seal}`)
  }
  if (!toRoom) return
  const offer = must(
    s.custody.offerHandover(custodian, toRoom, { action: 'issue', receiver: 'invigilator', place: '保密室', sealSeen: 'DEMO-0001', condition: 'intact' }),
    'issue offer',
  )
  must(s.custody.confirmHandover(invigilator, offer.id, { sealSeen: 'DEMO-0001', condition: 'intact' }), 'issue receipt')
}
