import { toBase64 } from '../../crypto/index.ts'
import type { Services } from '../app.ts'
import { BatchStore } from '../db/batch-store.ts'
import type { Result } from '../domain/_result.ts'
import type { Role } from '../domain/accounts/index.ts'
import { type CivilDate, addDays, civilDateOf } from '../domain/calendar/index.ts'
import { moveBatch } from '../domain/lifecycle/index.ts'
import { makeResidentId } from '../domain/registration/index.ts'
import type { Person } from '../services/_acting.ts'
import { recordMessage } from '../services/kiosk-devices.ts'
import type { KioskRecordIn } from '../services/kiosk-sync.ts'
import type { DemoClock } from './clock.ts'
import { OCCUPATION } from './lifecycle.ts'
import { makeDemoPhotoPng } from './photo.ts'

const DEMO_ACTOR = { system: 'demo-loader' } as const
const MINUTE = 60_000
const HOUR = 60 * MINUTE
const LEVEL = 5
const FEE_CENTS = 18000

const must = <T, E>(r: Result<T, E>, what: string): T => {
  if (!r.ok) throw new Error(`finished-batch demo: ${what}: ${JSON.stringify(r.error)}`)
  return r.value
}

/** The candidates' part in the story, chosen on purpose so every later step (results, review, certificates) has a case. */
export type FinishedRole =
  | 'passes' // every subject passed; will get a certificate
  | 'reissue' // passes; the certificate is later reported lost and reissued (R8.3)
  | 'fails_theory' // sits both, theory below the pass mark
  | 'review' // practical just below the pass mark; asks for a review (R7.3), which raises it to a pass
  | 'absent_theory' // no door admission to the theory session
  | 'absent_practical' // no door admission to the practical session
  | 'cheater' // caught with a phone in theory; the incident is confirmed by the second invigilator (disqualified)
  | 'rejected' // registration rejected at review (R3.2), with a reason
  | 'withdrawn' // approved, then withdrew before paying

export interface FinishedCandidate {
  id: string
  name: string
  residentId: string
  role: FinishedRole
  /** The theory score the marking system will report (R7.1 import); null: absent, disqualified, or never seated. */
  theoryScore: number | null
  /** The practical score on the examiner's signed sheet; null: no sheet (absent or never seated). */
  practicalScore: number | null
  /** The practical score after the review (role 'review' only). */
  reviewedPracticalScore?: number
  /** Ticket numbers per session (none for rejected and withdrawn). */
  tickets: { theory: string | null; practical: string | null }
}

/** What the finished batch's loader leaves for the steps after the exam (scores, publication, reviews, certificates). */
export interface FinishedBatch {
  batchId: string
  title: string
  level: number
  occupationCode: string
  sessions: { theory: string; practical: string }
  subjects: { theory: string; practical: string }
  siteId: string
  rooms: { theory: string; practical: string }
  deviceId: string
  candidates: FinishedCandidate[]
  /** Ids by role, for the steps that follow. */
  roles: {
    absentTheory: string
    absentPractical: string
    cheater: string
    failsTheory: string
    review: string
    reissue: string
    rejected: string
    withdrawn: string
    passes: string[]
  }
  /** The cheating incident (theory room), confirmed by the second invigilator. */
  cheatingIncidentId: string
  /** Civil dates (CST) the history reached. */
  dates: { filedOn: CivilDate; announcedOn: CivilDate; registrationUntil: CivilDate; theoryOn: CivilDate; practicalOn: CivilDate; completedOn: CivilDate }
  /** The instant the clock stood at when the batch was completed (the last event of this history). */
  completedAt: number
}

/** The demo's people for the batch, 20 fictional candidates; `role` fixes their part in the story. */
const PEOPLE: ReadonlyArray<{
  name: string
  male: boolean
  birth: CivilDate
  area: string
  role: FinishedRole
  theory: number | null
  practical: number | null
}> = [
  { name: '张建华', male: true, birth: '1985-03-12', area: '500103', role: 'reissue', theory: 86, practical: 88 },
  { name: '李晓燕', male: false, birth: '1992-07-25', area: '500104', role: 'passes', theory: 78, practical: 82 },
  { name: '王德明', male: true, birth: '1979-11-02', area: '500105', role: 'passes', theory: 71, practical: 75 },
  { name: '刘志刚', male: true, birth: '1988-05-18', area: '500106', role: 'fails_theory', theory: 52, practical: 74 },
  { name: '陈美玲', male: false, birth: '1995-01-30', area: '500107', role: 'passes', theory: 90, practical: 85 },
  { name: '杨国庆', male: true, birth: '1983-10-01', area: '500108', role: 'absent_theory', theory: null, practical: 69 },
  { name: '赵春梅', male: false, birth: '1990-02-14', area: '500112', role: 'passes', theory: 67, practical: 72 },
  { name: '黄永强', male: true, birth: '1987-08-08', area: '500113', role: 'passes', theory: 74, practical: 80 },
  { name: '周海涛', male: true, birth: '1993-06-21', area: '500101', role: 'cheater', theory: null, practical: 70 },
  { name: '吴丽娟', male: false, birth: '1989-12-05', area: '500222', role: 'passes', theory: 82, practical: 77 },
  { name: '徐文军', male: true, birth: '1981-04-16', area: '500103', role: 'passes', theory: 63, practical: 66 },
  { name: '孙红霞', male: false, birth: '1994-09-09', area: '500104', role: 'absent_practical', theory: 76, practical: null },
  { name: '马俊杰', male: true, birth: '1996-03-03', area: '500105', role: 'passes', theory: 88, practical: 91 },
  { name: '朱秀兰', male: false, birth: '1984-07-07', area: '500106', role: 'passes', theory: 69, practical: 64 },
  { name: '胡家豪', male: true, birth: '1991-11-27', area: '500107', role: 'review', theory: 72, practical: 58 },
  { name: '郭静怡', male: false, birth: '1997-05-11', area: '500108', role: 'passes', theory: 80, practical: 79 },
  { name: '何伟东', male: true, birth: '1986-01-19', area: '500112', role: 'passes', theory: 65, practical: 70 },
  { name: '罗晓梅', male: false, birth: '1990-10-23', area: '500113', role: 'passes', theory: 77, practical: 83 },
  { name: '高志远', male: true, birth: '1982-12-12', area: '500101', role: 'withdrawn', theory: null, practical: null },
  { name: '林小雨', male: false, birth: '2007-06-06', area: '500222', role: 'rejected', theory: null, practical: null },
]
const REVIEWED_PRACTICAL = 63
const UNITS = ['重庆市渝中区职业技能培训中心', '重庆某电力技术培训学校']

/**
 * The days of the finished batch, laid out backwards from today (CST): the exam is the Thursday on or before
 * 50 days ago (for 2026-12-04: Thursday 2026-10-15, after National Day), theory that day and practical the next;
 * the history starts 73 days before the exam (a Monday), when the plan is filed — R2.1 (10 working days) and
 * R2.3 (announced 2 months ahead) both hold — and is announced the next day. So publication (R7.2, 10 working
 * days after the exam), its 5-day period, a month for reviews (R7.3) and certificates all fit before today.
 */
export function finishedBatchDays(today: CivilDate) {
  let exam = addDays(today, -50)
  while (new Date(`${exam}T12:00:00Z`).getUTCDay() !== 4) exam = addDays(exam, -1)
  const start = addDays(exam, -73)
  return {
    start,
    filedOn: start,
    announcedOn: addDays(start, 1),
    registrationFrom: addDays(start, 14),
    registrationUntil: addDays(exam, -21),
    reviewOn: addDays(exam, -35),
    roomsOn: addDays(exam, -20),
    ticketsOn: addDays(exam, -16),
    theoryOn: exam,
    practicalOn: addDays(exam, 1),
  }
}

/** Where the demo's clock starts (09:00 CST on the filing day) for a demo loaded at `now`. */
export const finishedBatchStart = (now: number): number => at(finishedBatchDays(civilDateOf(now)).start, '09:00')

const at = (date: CivilDate, time: string): number => Date.parse(`${date}T${time}:00+08:00`)

/**
 * A finished 五级 batch of 电工 from an earlier month, recorded as it happened: the demo clock is moved through
 * the days (filing, announcement, registrations, review, fees, rooms, staff, seating, tickets, the two sittings)
 * so every custody-log time is the time of the act. Door admissions, incidents and the examiner's signed score
 * sheets go through the door sync (KioskSync) as records signed by an enrolled demo tablet. Ends with the
 * sittings and the batch completed; scores, publication, reviews and certificates follow.
 */
export async function loadFinishedBatch(s: Services, clock: DemoClock): Promise<FinishedBatch> {
  if (!clock.held) throw new Error('finished-batch demo: needs the held demo clock (server/demo/clock.ts)')
  const days = finishedBatchDays(civilDateOf(clock.real()))
  const lc = s.lifecycle
  const step = (t: number) => clock.to(t) // strictly forward: the story's order is the log's
  step(at(days.filedOn, '09:30'))

  const occupation = lc.occupations.get(OCCUPATION.code) ?? must(lc.occupations.create(DEMO_ACTOR, OCCUPATION), 'occupation')
  const subjectsOfLevel = occupation.levels.find((l) => l.level === LEVEL)!.subjects
  const subjects = {
    theory: subjectsOfLevel.find((x) => x.kind === 'theory')!.id,
    practical: subjectsOfLevel.find((x) => x.kind === 'practical')!.id,
  }
  const year = days.theoryOn.slice(0, 4)
  const title = `${year}年电工（五级）职业技能等级认定 第三批（演示）`

  // The plan, filed with the municipal centre (R2.1, R2.2), then announced (R2.3).
  step(at(days.filedOn, '10:00'))
  const draft = must(
    lc.batches.create(DEMO_ACTOR, {
      title,
      occupationCode: OCCUPATION.code,
      level: LEVEL,
      examStartDate: days.theoryOn,
      examEndDate: days.practicalOn,
      feeCents: FEE_CENTS,
      place: '重庆市渝中区职业技能鉴定考点 301 教室、电工实训室（演示）',
      method: '理论知识考试采用闭卷笔试（90分钟）；操作技能考核采用现场实际操作（120分钟）。两科均为百分制，60分及以上为合格。',
      candidates: { scope: '社会人员及合作培训机构学员（演示数据）', expected: 20 },
      staffing: { examiners: 1, invigilators: 2, supervisors: 1 },
      sessions: [
        { subjectId: subjects.theory, startsAt: at(days.theoryOn, '09:00'), endsAt: at(days.theoryOn, '10:30'), siteId: null },
        { subjectId: subjects.practical, startsAt: at(days.practicalOn, '09:00'), endsAt: at(days.practicalOn, '11:00'), siteId: null },
      ],
    }),
    'batch',
  )
  step(at(days.filedOn, '15:00'))
  must(lc.batches.file(DEMO_ACTOR, draft.id, { centreReference: `渝职鉴备〔${year}〕演示031号` }), 'filing')
  step(at(days.announcedOn, '10:00'))
  must(
    lc.batches.announce(DEMO_ACTOR, draft.id, {
      contentAndMethod:
        '认定内容依据《国家职业技能标准 电工》（五级/初级工）。理论知识考试采用闭卷笔试；操作技能考核采用现场实际操作，考核照明线路安装与故障排除等内容。',
      registration: {
        place: '重庆市渝中区职业技能培训中心 报名处（演示）',
        until: days.registrationUntil,
        how: '报名时交验本人身份证和工作年限证明，填写《重庆职业技能等级认定呈报表》；审核通过后缴纳认定费，凭发票领取准考证。',
      },
    }),
    'announcement',
  )
  const sessionList = lc.batches.get(draft.id)!.sessions
  const sessions = {
    theory: sessionList.find((x) => x.subjectId === subjects.theory)!.id,
    practical: sessionList.find((x) => x.subjectId === subjects.practical)!.id,
  }

  // Registrations at the desk, one or two a day while registration is open (R3.1).
  const ids: string[] = []
  const residentIds: string[] = []
  PEOPLE.forEach((p, i) => {
    step(at(addDays(days.registrationFrom, Math.floor(i * 1.2)), '10:00') + i * MINUTE)
    const seq = 210 + i * 6 + (p.male ? 1 : 0) // odd sequence = male (GB 11643)
    const residentId = makeResidentId(p.area, p.birth, seq)
    const c = must(
      lc.candidates.register(DEMO_ACTOR, draft.id, {
        input: {
          name: p.name,
          residentId,
          phone: `136${String(20000000 + i * 3456789).slice(0, 8)}`,
          education: i % 3 === 0 ? '高中' : i % 3 === 1 ? '中专' : '初中',
          trainingUnit: UNITS[i % UNITS.length]!,
          workYears: p.role === 'rejected' ? 0 : 1 + (i % 8),
          candidateId: `DEMO${year}5${String(i + 1).padStart(3, '0')}`,
        },
        photo: makeDemoPhotoPng(240, 320, `finished-candidate-${i}`, 'DEMO'),
        attachments: [],
      }),
      `candidate ${p.name}`,
    )
    ids.push(c.id)
    residentIds.push(residentId)
  })

  // The registrar's review (R3.2): one rejected with its reason; the others approved.
  step(at(days.reviewOn, '09:30'))
  PEOPLE.forEach((p, i) => {
    step(clock() + 3 * MINUTE)
    if (p.role === 'rejected')
      must(lc.candidates.move(DEMO_ACTOR, ids[i]!, 'reject', '未满18周岁且无本职业工作年限证明，不符合五级申报条件（演示）'), 'rejection')
    else must(lc.candidates.move(DEMO_ACTOR, ids[i]!, 'approve'), `approval ${p.name}`)
  })
  // Fees over the next days (R3.3); one approved candidate withdraws instead of paying.
  PEOPLE.forEach((p, i) => {
    if (p.role === 'rejected') return
    step(at(addDays(days.reviewOn, 1 + Math.floor(i / 4)), '14:00') + i * MINUTE)
    if (p.role === 'withdrawn') {
      must(lc.candidates.move(DEMO_ACTOR, ids[i]!, 'withdraw', '本人申请撤回报名（工作调动，无法参加本批次）'), 'withdrawal')
      return
    }
    must(
      lc.candidates.pay(DEMO_ACTOR, ids[i]!, {
        invoiceNumber: `DEMO-FP-${year}-5${String(i + 1).padStart(4, '0')}`,
        amountCents: FEE_CENTS,
        paidOn: civilDateOf(clock()),
      }),
      `payment ${p.name}`,
    )
  })

  // The site, its rooms and staff (R4.1–R4.3).
  step(at(days.roomsOn, '09:00'))
  const site = must(s.rooms.createSite(DEMO_ACTOR, { name: '重庆市渝中区职业技能鉴定考点（演示）', address: '重庆市渝中区（演示地址）培训楼' }), 'site')
  const theoryRoom = must(
    s.rooms.createRoom(DEMO_ACTOR, site.id, { name: '301', kind: 'theory', capacity: 30, layout: '6 行 × 5 列，单人单桌，桌距 90 厘米' }),
    'room 301',
  )
  const hall = must(
    s.rooms.createRoom(DEMO_ACTOR, site.id, {
      name: '电工实训室',
      kind: 'practical',
      capacity: 24,
      layout: '24 个独立工位',
      hazardous: true,
      equipment: ['照明线路实训板', '万用表', '绝缘手套', '电工工具套装'],
    }),
    'hall',
  )
  must(s.rooms.attachRoom(DEMO_ACTOR, sessions.theory, theoryRoom.id), 'attach 301')
  must(s.rooms.attachRoom(DEMO_ACTOR, sessions.practical, hall.id), 'attach hall')
  const users = new Map(s.accounts.list().map((u) => [u.username, u]))
  const user = (username: string) => {
    const u = users.get(username)
    if (!u) throw new Error(`finished-batch demo: no demo user ${username}`)
    return u
  }
  const person = (username: string, roles: Role[]): Person => ({ user: user(username).id, name: user(username).displayName, roles })
  step(clock() + HOUR)
  const assign = (session: string, username: string, duty: 'invigilator' | 'examiner' | 'supervisor', roomId: string | null) =>
    must(s.rooms.assignStaff(DEMO_ACTOR, session, { userId: user(username).id, duty, roomId }), `staff ${username}`)
  assign(sessions.theory, 'invigilator', 'invigilator', theoryRoom.id)
  assign(sessions.theory, 'invigilator2', 'invigilator', theoryRoom.id)
  assign(sessions.theory, 'supervisor', 'supervisor', null)
  assign(sessions.practical, 'examiner', 'examiner', hall.id)
  assign(sessions.practical, 'supervisor', 'supervisor', null)

  // Seating with published seeds (R4.1), then tickets to every seated, paid candidate (R3.3–R3.5).
  step(at(days.ticketsOn, '10:00'))
  must(s.rooms.seat(DEMO_ACTOR, sessions.theory, { seed: `DEMO-FINISHED-${year}-theory` }), 'seating theory')
  must(s.rooms.seat(DEMO_ACTOR, sessions.practical, { seed: `DEMO-FINISHED-${year}-practical` }), 'seating practical')
  step(clock() + 30 * MINUTE)
  const ticketsOf = (session: string) => new Map(must(s.tickets.issue(DEMO_ACTOR, session), 'tickets').issued.map((t) => [t.candidateId, t.number]))
  const theoryTickets = ticketsOf(sessions.theory)
  const practicalTickets = ticketsOf(sessions.practical)

  // Exam day: the room checks, the batch starts, a door tablet is enrolled for the site.
  step(at(days.theoryOn, '07:30'))
  for (const item of ['desks_single', 'desks_spaced', 'not_tiered', 'room_cleared', 'rules_posted'])
    must(s.rooms.recordInspection(DEMO_ACTOR, sessions.theory, theoryRoom.id, { item, state: 'ok' }), `inspection ${item}`)
  moveBatchAs(s, draft.id, 'start')
  const tablet = await enrolTablet(s, person('admin', ['admin']), site.id)

  const inv = person('invigilator', ['invigilator'])
  const inv2 = person('invigilator2', ['invigilator'])
  const examiner = person('examiner', ['examiner'])
  const sync = async (who: Person, roomId: string, sessionId: string, kind: string, madeAt: number, body: Record<string, unknown>) => {
    step(madeAt + 20_000) // uploaded online, seconds after it was made
    const record = await tablet.record({ kind, sessionId, roomId, userId: who.user, madeAt, online: true, body })
    const [r] = s.kioskSync.sync(who, s.kioskDevices.device(tablet.deviceId)!, [record])
    if (r?.status !== 'stored') throw new Error(`finished-batch demo: ${kind} record: ${JSON.stringify(r)}`)
    return record.id
  }
  const roleOf = (i: number) => PEOPLE[i]!.role

  // Theory: admissions at the door from 08:35 (doors open 30 minutes before); one candidate never comes.
  let t = at(days.theoryOn, '08:35')
  for (const [i, id] of ids.entries()) {
    const ticket = theoryTickets.get(id)
    if (!ticket || roleOf(i) === 'absent_theory') continue
    t += 70_000
    await sync(inv, theoryRoom.id, sessions.theory, 'admission', t, { ticketNumber: ticket, candidateId: id, idCheck: 'matched', verdict: 'admitted' })
  }
  // A phone found on a candidate 25 minutes in (cheating: Art. 6 item 4), seized with a receipt; the second invigilator signs.
  const cheater = ids[PEOPLE.findIndex((p) => p.role === 'cheater')]!
  const cheatingAt = at(days.theoryOn, '09:25')
  const cheatingIncidentId = await sync(inv, theoryRoom.id, sessions.theory, 'incident', cheatingAt + 2 * MINUTE, {
    candidateId: cheater,
    kind: 'transmitting_device',
    at: cheatingAt,
    description: '考试进行中发现该考生在桌下使用手机拍摄试题，手机处于开机联网状态。已暂扣手机并开具暂扣凭证，考生停止考试。',
    seized: [{ item: '手机', count: 1 }],
    receiptNumber: `DEMO-ZK-${year}-0031`,
  })
  const confirmAt = cheatingAt + 6 * MINUTE
  step(confirmAt - MINUTE)
  const token = s.kioskSync.confirmationToken(inv2.user, tablet.deviceId, 'incident_confirm', clock())
  await sync(inv, theoryRoom.id, sessions.theory, 'incident_confirm', confirmAt, {
    incidentId: cheatingIncidentId,
    second: { userId: inv2.user, check: 'online', token },
  })
  step(at(days.theoryOn, '10:45'))
  completeSession(s, sessions.theory)

  // Practical: the examiner at the hall's door; one candidate never comes; a signed score sheet per candidate sat.
  t = at(days.practicalOn, '08:35')
  const satPractical: number[] = []
  for (const [i, id] of ids.entries()) {
    const ticket = practicalTickets.get(id)
    if (!ticket || roleOf(i) === 'absent_practical') continue
    t += 70_000
    await sync(examiner, hall.id, sessions.practical, 'admission', t, { ticketNumber: ticket, candidateId: id, idCheck: 'matched', verdict: 'admitted' })
    satPractical.push(i)
  }
  const illAt = at(days.practicalOn, '09:40')
  await sync(examiner, hall.id, sessions.practical, 'incident', illAt + MINUTE, {
    candidateId: ids[PEOPLE.findIndex((p) => p.name === '朱秀兰')]!,
    kind: 'illness',
    at: illAt,
    description: '考生自述头晕，经考点医务人员查看后休息 10 分钟，继续考试（计时不延长）。',
    seized: [],
  })
  const item = s.kioskRoom.scoreItems(sessions.practical)[0]
  if (!item) throw new Error('finished-batch demo: the practical subject has no score item')
  let sheetAt = at(days.practicalOn, '11:10')
  for (const i of satPractical) {
    sheetAt += 2 * MINUTE
    step(sheetAt - MINUTE)
    const sign = s.kioskSync.confirmationToken(examiner.user, tablet.deviceId, 'score_sign', clock())
    await sync(examiner, hall.id, sessions.practical, 'score_sheet', sheetAt, {
      candidateId: ids[i]!,
      items: [{ itemId: item.id, score: PEOPLE[i]!.practical! }],
      examiner: { userId: examiner.user, check: 'online', token: sign },
    })
  }
  step(at(days.practicalOn, '12:30'))
  completeSession(s, sessions.practical)
  step(at(days.practicalOn, '17:00'))
  moveBatchAs(s, draft.id, 'complete')
  const completedAt = clock()

  const idOf = (role: FinishedRole) => ids[PEOPLE.findIndex((p) => p.role === role)]!
  return {
    batchId: draft.id,
    title,
    level: LEVEL,
    occupationCode: OCCUPATION.code,
    sessions,
    subjects,
    siteId: site.id,
    rooms: { theory: theoryRoom.id, practical: hall.id },
    deviceId: tablet.deviceId,
    candidates: PEOPLE.map((p, i) => ({
      id: ids[i]!,
      name: p.name,
      residentId: residentIds[i]!,
      role: p.role,
      theoryScore: p.role === 'cheater' || !theoryTickets.has(ids[i]!) ? null : p.theory,
      practicalScore: practicalTickets.has(ids[i]!) ? p.practical : null,
      ...(p.role === 'review' ? { reviewedPracticalScore: REVIEWED_PRACTICAL } : {}),
      tickets: { theory: theoryTickets.get(ids[i]!) ?? null, practical: practicalTickets.get(ids[i]!) ?? null },
    })),
    roles: {
      absentTheory: idOf('absent_theory'),
      absentPractical: idOf('absent_practical'),
      cheater,
      failsTheory: idOf('fails_theory'),
      review: idOf('review'),
      reissue: idOf('reissue'),
      rejected: idOf('rejected'),
      withdrawn: idOf('withdrawn'),
      passes: PEOPLE.flatMap((p, i) => (p.role === 'passes' || p.role === 'reissue' ? [ids[i]!] : [])),
    },
    cheatingIncidentId,
    dates: {
      filedOn: days.filedOn,
      announcedOn: days.announcedOn,
      registrationUntil: days.registrationUntil,
      theoryOn: days.theoryOn,
      practicalOn: days.practicalOn,
      completedOn: civilDateOf(completedAt),
    },
    completedAt,
  }
}

/** The batch moves (in_progress, completed) the system records for the demo history, with their events. */
function moveBatchAs(s: Services, batchId: string, action: 'start' | 'complete'): void {
  const store = new BatchStore(s.db)
  s.db
    .transaction(() => {
      const b = store.byId(batchId)!
      const to = must(moveBatch(b.status, action, null), `batch ${action}`)
      store.update({ ...b, status: to, updatedAt: s.clock() })
      s.log.append({
        actor: DEMO_ACTOR,
        action: action === 'start' ? 'batch.started' : 'batch.completed',
        subject: { type: 'batch', id: batchId },
        data: { from: b.status, to },
      })
    })
    .immediate()
}

/** A sitting over: its session is completed, with its event. */
function completeSession(s: Services, sessionId: string): void {
  const store = new BatchStore(s.db)
  s.db
    .transaction(() => {
      const x = store.session(sessionId)!
      store.updateSession({ ...x, status: 'completed', updatedAt: s.clock() })
      s.log.append({ actor: DEMO_ACTOR, action: 'exam_session.completed', subject: { type: 'exam_session', id: sessionId }, data: { batch: x.batchId } })
    })
    .immediate()
}

/** A door tablet enrolled the way a real one is (an admin's one-time code, the device's P-256 key); it signs records like the browser. */
async function enrolTablet(s: Services, admin: Person, siteId: string) {
  const subtle = globalThis.crypto.subtle
  const pair = await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify'])
  const raw = new Uint8Array(await subtle.exportKey('raw', pair.publicKey))
  const label = '演示平板 301 门口'
  const opened = must(s.kioskDevices.openEnrolment(admin, { siteId, label }), 'enrolment')
  const { deviceId } = must(s.kioskDevices.enrol('demo-loader', { code: opened.code, publicKey: toBase64(raw), label }), 'enrol')
  return {
    deviceId,
    async record(r: Omit<KioskRecordIn, 'id' | 'deviceId' | 'signature'>): Promise<KioskRecordIn> {
      const unsigned = { id: crypto.randomUUID(), deviceId, ...r }
      const signature = new Uint8Array(await subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, pair.privateKey, recordMessage(unsigned) as BufferSource))
      return { ...unsigned, signature: toBase64(signature) } as KioskRecordIn
    },
  }
}
