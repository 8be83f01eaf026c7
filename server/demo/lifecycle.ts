import type { Services } from '../app.ts'
import { addDays, addMonths, civilDateOf } from '../domain/calendar/index.ts'
import type { LifecycleError } from '../domain/lifecycle/index.ts'
import { makeResidentId } from '../domain/registration/index.ts'
import { makeDemoPhotoPng } from './photo.ts'
import type { Result } from '../domain/_result.ts'

const DEMO_ACTOR = { system: 'demo-loader' } as const

export interface LifecycleDemo {
  batchId: string
  sessionIds: { theory: string; practical: string }
}

export const OCCUPATION = {
  code: '6-31-01-03',
  name: '电工',
  hazardous: true, // R6.5: electrical work is hazardous
  levels: [
    { level: 5, conditions: '累计从事本职业或相关职业工作1年（含）以上；或本职业学徒期满。' },
    {
      level: 4,
      conditions: '取得本职业五级/初级工证书后，累计从事本职业或相关职业工作4年（含）以上；或累计从事本职业工作6年（含）以上；或取得技工学校本专业毕业证书。',
    },
    { level: 3, conditions: '取得本职业四级/中级工证书后，累计从事本职业或相关职业工作5年（含）以上。' },
    { level: 2, conditions: '取得本职业三级/高级工证书后，累计从事本职业或相关职业工作4年（含）以上。' },
    { level: 1, conditions: '取得本职业二级/技师证书后，累计从事本职业或相关职业工作4年（含）以上。' },
  ].map((l) => ({
    ...l,
    subjects: [
      { kind: 'theory', name: '理论知识', passMark: 60, maxMark: 100 },
      { kind: 'practical', name: '操作技能', passMark: 60, maxMark: 100 },
    ],
  })),
}

const SURNAMES = [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何罗高林郑梁谢宋唐许邓冯韩曹曾彭萧蔡潘田董袁于余叶蒋杜苏魏程吕丁沈任姚卢傅钟']
const GIVEN_MALE = [...'伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆']
const GIVEN_FEMALE = [...'芳娜敏静丽艳娟霞燕玲婷雪琳洁梅莉红英慧颖倩欣蕾']
const AREAS = ['500101', '500103', '500104', '500105', '500106', '500107', '500108', '500112', '500113', '500222']
const UNITS = ['重庆市渝中区职业技能培训中心', '重庆某电力技术培训学校', '重庆工业职业技术学院继续教育与培训学院']
const EDUCATION = ['初中', '高中', '中专', '大专']

const must = <T>(r: Result<T, LifecycleError>, what: string): T => {
  if (!r.ok) throw new Error(`lifecycle demo: ${what}: ${JSON.stringify(r.error)}`)
  return r.value
}

/**
 * The lifecycle demo: the occupation 电工 (6-31-01-03) with levels 5..1, a 四级 batch whose exam is TOMORROW
 * (CST) — theory 09:00–10:30, practical 14:00–17:00 — planned and filed 3 months before the exam and announced
 * 75 days before it (so R2.1 and R2.3 hold: the loader, the system itself, records that history as of those
 * days; no request can, decision 007), and 90 fictional candidates from
 * 3 training units, all approved and paid. Exam sessions have no site: the rooms demo attaches rooms.
 */
export async function loadLifecycleDemo(s: Services): Promise<LifecycleDemo> {
  const lc = s.lifecycle
  const today = civilDateOf(s.clock())
  const exam = addDays(today, 1)
  const at = (time: string) => Date.parse(`${exam}T${time}:00+08:00`)

  const occupation = lc.occupations.get(OCCUPATION.code) ?? must(lc.occupations.create(DEMO_ACTOR, OCCUPATION), 'occupation')
  const subjects = occupation.levels.find((l) => l.level === 4)!.subjects
  const subject = (kind: string) => subjects.find((x) => x.kind === kind)!.id

  const filedOn = addMonths(exam, -3)
  const dayAt = (date: string) => Date.parse(`${date}T09:00:00+08:00`)
  const draft = must(
    lc.batches.create(
      DEMO_ACTOR,
      {
        title: `${exam.slice(0, 4)}年电工（四级）职业技能等级认定（演示）`,
        occupationCode: OCCUPATION.code,
        level: 4,
        examStartDate: exam,
        examEndDate: exam,
        feeCents: 26000,
        place: '重庆工业职业技术学院 电气实训楼（演示）',
        method: '理论知识考试采用闭卷笔试（90分钟）；操作技能考核采用现场实际操作（180分钟）。两科均为百分制，60分及以上为合格。',
        candidates: { scope: '社会人员及合作培训机构学员（演示数据）', expected: 90 },
        staffing: { examiners: 6, invigilators: 8, supervisors: 1 },
        sessions: [
          { subjectId: subject('theory'), startsAt: at('09:00'), endsAt: at('10:30'), siteId: null },
          { subjectId: subject('practical'), startsAt: at('14:00'), endsAt: at('17:00'), siteId: null },
        ],
      },
      { asOf: dayAt(filedOn) },
    ),
    'batch',
  )
  const filed = must(
    lc.batches.file(
      DEMO_ACTOR,
      draft.id,
      {
        centreReference: `渝职鉴备〔${exam.slice(0, 4)}〕演示001号`,
      },
      { asOf: dayAt(filedOn) },
    ),
    'filing',
  )
  must(
    lc.batches.announce(
      DEMO_ACTOR,
      draft.id,
      {
        contentAndMethod:
          '认定内容依据《国家职业技能标准 电工》（四级/中级工）。理论知识考试采用闭卷笔试；操作技能考核采用现场实际操作，考核低压电气控制线路安装与调试等内容。',
        registration: {
          place: '重庆工业职业技术学院继续教育与培训学院 报名处（演示）',
          until: today,
          how: '报名时交验本人身份证、原职业资格（等级）证书和工作年限证明，填写《重庆职业技能等级认定呈报表》；审核通过后缴纳认定费，凭发票领取准考证。',
        },
      },
      { asOf: dayAt(addDays(exam, -75)) },
    ),
    'announcement',
  )

  for (let i = 0; i < 90; i++) {
    const male = i % 3 !== 2
    const given = male ? GIVEN_MALE : GIVEN_FEMALE
    const name = SURNAMES[(i * 7) % SURNAMES.length]! + given[(i * 5) % given.length]! + (i % 4 === 0 ? '' : given[(i * 11 + 3) % given.length]!)
    const birth = `${1972 + ((i * 7) % 30)}-${String(1 + ((i * 5) % 12)).padStart(2, '0')}-${String(1 + ((i * 11) % 28)).padStart(2, '0')}`
    const seq = 100 + i * 9 + (male === ((100 + i * 9) % 2 === 1) ? 0 : 1) // odd sequence = male (GB 11643)
    const residentId = makeResidentId(AREAS[i % AREAS.length]!, birth, seq)
    const c = must(
      lc.candidates.register(DEMO_ACTOR, draft.id, {
        input: {
          name,
          residentId,
          phone: `13${String(800000000 + i * 1234567).slice(0, 9)}`,
          education: EDUCATION[i % EDUCATION.length]!,
          trainingUnit: UNITS[i % UNITS.length]!,
          workYears: 4 + (i % 12),
          candidateId: `DEMO${exam.slice(0, 4)}${String(i + 1).padStart(4, '0')}`,
        },
        photo: makeDemoPhotoPng(240, 320, `demo-candidate-${i}`, 'DEMO'),
        attachments: [],
      }),
      `candidate ${i}`,
    )
    must(lc.candidates.move(DEMO_ACTOR, c.id, 'approve'), `approval ${i}`)
    must(
      lc.candidates.pay(DEMO_ACTOR, c.id, {
        invoiceNumber: `DEMO-FP-${exam.slice(0, 4)}-${String(i + 1).padStart(5, '0')}`,
        amountCents: 26000,
        paidOn: today,
      }),
      `payment ${i}`,
    )
  }

  const sessions = lc.batches.get(filed.batch.id)!.sessions
  const sessionOf = (kind: string) => sessions.find((x) => x.subjectId === subject(kind))!.id
  return { batchId: draft.id, sessionIds: { theory: sessionOf('theory'), practical: sessionOf('practical') } }
}
