import type { Services } from '../app.ts'
import { CandidateStore } from '../db/candidate-store.ts'
import { DRILL_SESSION_SETTING } from '../services/door-drill.ts'
import type { Result } from '../domain/_result.ts'
import { addDays, addMonths, civilDateOf } from '../domain/calendar/index.ts'
import { makeResidentId } from '../domain/registration/index.ts'
import { makeDemoPhotoPng } from './photo.ts'

const DEMO_ACTOR = { system: 'demo-loader' } as const
const MINUTE = 60_000

const must = <T, E>(r: Result<T, E>, what: string): T => {
  if (!r.ok) throw new Error(`drill demo: ${what}: ${JSON.stringify(r.error)}`)
  return r.value
}

export interface DrillDemo {
  sessionId: string
  roomId: string
  otherRoomId: string
  revokedNumber: string
}

const NAMES = [
  '王建国',
  '李秀英',
  '张伟',
  '刘洋',
  '陈静',
  '杨帆',
  '黄磊',
  '赵敏',
  '周杰',
  '吴芳',
  '徐强',
  '孙丽',
  '马超',
  '朱婷',
  '胡军',
  '郭霞',
  '何勇',
  '罗娜',
  '高鹏',
  '林雪',
  '郑斌',
  '梁燕',
  '谢涛',
  '宋洁',
]

/**
 * The door drill (演练): a 五级 theory session TODAY whose doors are open now (it starts in about 20 minutes, so a
 * newcomer can try every verdict at once), in rooms 201 and 202 of the demo site, with the demo invigilators in 201
 * and one of 201's tickets revoked. The drill sheet (/kiosk/drill) prints the room's tickets beside the ones that
 * must be refused. Loaded after the rooms demo (it reuses its site and staff accounts).
 */
export async function loadDrillDemo(s: Services): Promise<DrillDemo> {
  const lc = s.lifecycle
  const now = s.clock()
  const startsAt = Math.ceil((now + 20 * MINUTE) / (5 * MINUTE)) * 5 * MINUTE
  const endsAt = startsAt + 90 * MINUTE
  const exam = civilDateOf(startsAt)
  const today = civilDateOf(now)
  const dayAt = (date: string) => Date.parse(`${date}T09:00:00+08:00`)

  const occupation = lc.occupations.get('6-31-01-03')
  if (!occupation) throw new Error('drill demo: load the lifecycle demo first')
  const subjects = occupation.levels.find((l) => l.level === 5)!.subjects
  const theory = subjects.find((x) => x.kind === 'theory')!.id
  const practical = subjects.find((x) => x.kind === 'practical')!.id
  // A batch plan needs both subjects (R2.1); the drill uses the theory session, the practical one follows it unroomed.
  const practicalStarts = endsAt + 60 * MINUTE,
    practicalEnds = practicalStarts + 120 * MINUTE
  const site = s.rooms.sites()[0]
  if (!site) throw new Error('drill demo: load the rooms demo first')

  const filedOn = addMonths(exam, -3)
  const draft = must(
    lc.batches.create(
      DEMO_ACTOR,
      {
        title: `${exam.slice(0, 4)}年电工（五级）考场门口核验演练（演示）`,
        occupationCode: '6-31-01-03',
        level: 5,
        examStartDate: exam,
        examEndDate: civilDateOf(practicalEnds),
        feeCents: 100, // a fee must be announced (R2.3); the drill's nominal 1 yuan
        place: '重庆工业职业技术学院 电气实训楼 201、202（演练）',
        method: '演练：监考员在考场门口核验准考证、身份证和照片。',
        candidates: { scope: '演练用虚构考生', expected: NAMES.length },
        staffing: { examiners: 1, invigilators: 2, supervisors: 1 },
        sessions: [
          { subjectId: theory, startsAt, endsAt, siteId: null },
          { subjectId: practical, startsAt: practicalStarts, endsAt: practicalEnds, siteId: null },
        ],
      },
      { asOf: dayAt(filedOn) },
    ),
    'batch',
  )
  must(lc.batches.file(DEMO_ACTOR, draft.id, { centreReference: `渝职鉴备〔${exam.slice(0, 4)}〕演练001号` }, { asOf: dayAt(filedOn) }), 'filing')
  must(
    lc.batches.announce(
      DEMO_ACTOR,
      draft.id,
      {
        contentAndMethod: '考场门口核验演练（演示数据）。',
        registration: { place: '演练', until: addDays(exam, -1), how: '演练数据，无需报名。' },
      },
      { asOf: dayAt(addDays(exam, -75)) },
    ),
    'announcement',
  )
  NAMES.forEach((name, i) => {
    const birth = `${1975 + ((i * 3) % 25)}-${String(1 + ((i * 7) % 12)).padStart(2, '0')}-${String(1 + ((i * 13) % 28)).padStart(2, '0')}`
    const c = must(
      lc.candidates.register(
        DEMO_ACTOR,
        draft.id,
        {
          input: {
            name,
            residentId: makeResidentId('500112', birth, 300 + i * 2 + (i % 2)),
            phone: `139${String(10000000 + i * 7654321).slice(0, 8)}`,
            education: '高中',
            trainingUnit: '重庆市渝中区职业技能培训中心',
            workYears: 2 + (i % 5),
            candidateId: `DRILL${exam.slice(0, 4)}${String(i + 1).padStart(3, '0')}`,
          },
          photo: makeDemoPhotoPng(240, 320, `drill-candidate-${i}`, 'DRILL'),
          attachments: [],
        },
        { asOf: dayAt(addDays(exam, -2)) },
      ), // registered while registration was open (decision 007: only the loader may)
      `candidate ${name}`,
    )
    must(lc.candidates.move(DEMO_ACTOR, c.id, 'approve'), `approval ${name}`)
    must(
      lc.candidates.pay(DEMO_ACTOR, c.id, { invoiceNumber: `DRILL-FP-${String(i + 1).padStart(4, '0')}`, amountCents: 100, paidOn: today }),
      `payment ${name}`,
    )
  })
  const sessionId = lc.batches.get(draft.id)!.sessions.find((x) => x.subjectId === theory)!.id

  const room = (name: string) =>
    must(s.rooms.createRoom(DEMO_ACTOR, site.id, { name, kind: 'theory', capacity: 16, layout: '4 行 × 4 列，单人单桌（演练）' }), `room ${name}`)
  const r201 = room('201'),
    r202 = room('202')
  for (const r of [r201, r202]) must(s.rooms.attachRoom(DEMO_ACTOR, sessionId, r.id), `attach ${r.name}`)
  const user = (username: string) => {
    const u = s.accounts.list().find((x) => x.username === username)
    if (!u) throw new Error(`drill demo: no demo user ${username}`)
    return u.id
  }
  must(s.rooms.assignStaff(DEMO_ACTOR, sessionId, { userId: user('invigilator'), duty: 'invigilator', roomId: r201.id }), 'invigilator')
  must(s.rooms.assignStaff(DEMO_ACTOR, sessionId, { userId: user('invigilator2'), duty: 'invigilator', roomId: r201.id }), 'invigilator2')
  must(s.rooms.assignStaff(DEMO_ACTOR, sessionId, { userId: user('supervisor'), duty: 'supervisor', roomId: null }), 'supervisor')
  must(s.rooms.seat(DEMO_ACTOR, sessionId, { seed: `DRILL-${draft.id.slice(0, 8)}` }), 'seating')
  for (const item of ['desks_single', 'desks_spaced', 'not_tiered', 'room_cleared', 'rules_posted']) {
    must(s.rooms.recordInspection(DEMO_ACTOR, sessionId, r201.id, { item, state: 'ok' }), `inspection ${item}`)
  }
  const issued = must(s.tickets.issue(DEMO_ACTOR, sessionId), 'tickets').issued
  const in201 = issued.filter((t) => t.roomId === r201.id).sort((a, b) => a.seat - b.seat)
  const revoked = in201[in201.length - 1]
  if (!revoked || issued.every((t) => t.roomId !== r202.id)) throw new Error('drill demo: seating left a drill room empty')
  must(s.tickets.revoke(DEMO_ACTOR, revoked.number, '演练：已补办新证，原准考证作废'), 'revocation')
  s.db
    .transaction(() => {
      new CandidateStore(s.db).saveSetting(DRILL_SESSION_SETTING, sessionId)
      s.log.append({ actor: DEMO_ACTOR, action: 'demo.drill_loaded', subject: { type: 'exam_session', id: sessionId }, data: { rooms: [r201.id, r202.id] } })
    })
    .immediate()
  return { sessionId, roomId: r201.id, otherRoomId: r202.id, revokedNumber: revoked.number }
}
