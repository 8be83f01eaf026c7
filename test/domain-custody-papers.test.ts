import { describe, expect, test } from 'vitest'
import { ROLES } from '../server/domain/accounts/index.ts'
import {
  BINDING_JOB_STATES,
  DEFAULT_CUSTODY_SETTINGS,
  PAPER_ROLES,
  PAPER_KINDS,
  checkCopiesPrinted,
  checkCustodySettings,
  checkFileChange,
  checkPaperRole,
  decideCreatePaper,
  decideSettings,
  lastCopyNumber,
  planPackets,
  plannedCopies,
  printTargets,
  type CustodySettings,
  type PaperAction,
  type PrintJob,
} from '../server/domain/custody/index.ts'
import { paper, person, printJob, refusal, value } from './domain-custody-fixtures.ts'

const custodian = person('c-1', 'custodian')
const NOW = Date.UTC(2026, 5, 1)
const scheduled = { status: 'scheduled' }
const create = (over: Partial<Parameters<typeof decideCreatePaper>[0]> = {}, ctx: Partial<Parameters<typeof decideCreatePaper>[1]> = {}) =>
  decideCreatePaper(
    { id: 'paper-new', actor: custodian, sessionId: 'sess-1', kind: 'paper_a', title: '理论知识 A 卷', ...over },
    { session: scheduled, sameKind: [], ...ctx },
    NOW,
  )

describe('who manages papers (PAPER_ROLES)', () => {
  const cases = (Object.keys(PAPER_ROLES) as PaperAction[]).flatMap((action) => ROLES.map((role) => [action, role] as const))
  test.each(cases)('%s as %s: allowed exactly for the roles the table lists (paper.not_allowed_for_role)', (action, role) => {
    const r = checkPaperRole(action, person('u-1', role))
    if ((PAPER_ROLES[action] as readonly string[]).includes(role)) expect(r.ok).toBe(true)
    else expect(refusal(r)).toEqual({ code: 'paper.not_allowed_for_role', action, userId: 'u-1', allowed: PAPER_ROLES[action] })
  })

  test('a person with no role at all is refused every action', () => {
    for (const action of Object.keys(PAPER_ROLES) as PaperAction[])
      expect(refusal(checkPaperRole(action, person('u-0'))).code).toBe('paper.not_allowed_for_role')
  })
})

describe('adding a paper to a session', () => {
  test('a custodian adds a paper to a scheduled session: active, titled as trimmed, with its created event', () => {
    const { paper: p, events } = value(create({ title: '  理论知识 A 卷 ' }))
    expect(p).toEqual({ id: 'paper-new', examSessionId: 'sess-1', kind: 'paper_a', title: '理论知识 A 卷', state: 'active', frozenBy: [], updatedAt: NOW })
    expect(events).toEqual([
      {
        action: 'custody.paper.created',
        subject: { type: 'paper', id: 'paper-new' },
        where: null,
        data: { examSessionId: 'sess-1', kind: 'paper_a', title: '理论知识 A 卷', people: ['c-1'] },
      },
    ])
  })

  test('an invigilator cannot add a paper, and learns nothing of the session (paper.not_allowed_for_role before session.not_found)', () => {
    expect(refusal(create({ actor: person('i-1', 'invigilator') }, { session: null })).code).toBe('paper.not_allowed_for_role')
  })

  test.each([
    ['an empty title', ''],
    ['a title of spaces', '   '],
    ['a title of 201 characters', 'x'.repeat(201)],
  ])('%s is refused (paper.title_invalid)', (_name, title) => {
    expect(refusal(create({ title }))).toEqual({ code: 'paper.title_invalid' })
  })

  test('a title of 200 characters is accepted', () => {
    expect(value(create({ title: 'x'.repeat(200) })).paper.title).toHaveLength(200)
  })

  test('a session that does not exist is refused (session.not_found)', () => {
    expect(refusal(create({}, { session: null }))).toEqual({ code: 'session.not_found', id: 'sess-1' })
  })

  test.each(['changed', 'suspended', 'cancelled', 'done'])('a session that is %s takes no new paper (session.not_scheduled)', (status) => {
    expect(refusal(create({}, { session: { status } }))).toEqual({ code: 'session.not_scheduled', status })
  })

  test('a second paper A for the same session is refused (paper.kind_taken)', () => {
    expect(refusal(create({}, { sameKind: [paper({ id: 'paper-A1' })] }))).toEqual({ code: 'paper.kind_taken', kind: 'paper_a', paperId: 'paper-A1' })
  })

  test('a second paper B for the same session is refused (paper.kind_taken)', () => {
    expect(refusal(create({ kind: 'paper_b' }, { sameKind: [paper({ id: 'paper-B1', kind: 'paper_b' })] })).code).toBe('paper.kind_taken')
  })

  test('a retired paper A does not hold the place: a new paper A may be added', () => {
    expect(create({}, { sameKind: [paper({ id: 'paper-A1', state: 'retired' })] }).ok).toBe(true)
  })

  test('a frozen paper A still holds the place (paper.kind_taken)', () => {
    expect(refusal(create({}, { sameKind: [paper({ id: 'paper-A1', state: 'frozen', frozenBy: ['leak-1'] })] })).code).toBe('paper.kind_taken')
  })

  test('paper A of another session, or paper B of this one, does not block paper A', () => {
    expect(create({}, { sameKind: [paper({ id: 'x', examSessionId: 'sess-2' }), paper({ id: 'y', kind: 'paper_b' })] }).ok).toBe(true)
  })

  test.each(PAPER_KINDS.filter((k) => k !== 'paper_a' && k !== 'paper_b'))('%s may repeat in a session', (kind) => {
    expect(create({ kind }, { sameKind: [paper({ id: 'first', kind })] }).ok).toBe(true)
  })
})

describe("replacing a paper's file", () => {
  const ctx = (over: Partial<Parameters<typeof checkFileChange>[1]> = {}) => ({
    paperId: 'paper-A',
    paper: paper(),
    jobs: [] as PrintJob[],
    keyReady: true,
    ...over,
  })

  test('a custodian may place the file of an active paper with no print job', () => {
    expect(value(checkFileChange(custodian, ctx())).id).toBe('paper-A')
  })

  test('only a custodian uploads a file, checked before anything else (paper.not_allowed_for_role)', () => {
    expect(refusal(checkFileChange(person('s-1', 'supervisor'), ctx({ paper: null, keyReady: false })))).toMatchObject({
      code: 'paper.not_allowed_for_role',
      action: 'paper.upload',
    })
  })

  test('before the first key ceremony there is nothing to wrap to (paper.no_paper_key)', () => {
    expect(refusal(checkFileChange(custodian, ctx({ keyReady: false })))).toEqual({ code: 'paper.no_paper_key' })
  })

  test('a paper that does not exist is refused (paper.not_found)', () => {
    expect(refusal(checkFileChange(custodian, ctx({ paper: null })))).toEqual({ code: 'paper.not_found', id: 'paper-A' })
  })

  test('a frozen paper keeps its file (paper.frozen); a retired one too (paper.retired)', () => {
    expect(refusal(checkFileChange(custodian, ctx({ paper: paper({ state: 'frozen', frozenBy: ['leak-1'] }) }))).code).toBe('paper.frozen')
    expect(refusal(checkFileChange(custodian, ctx({ paper: paper({ state: 'retired' }) }))).code).toBe('paper.retired')
  })

  const states: Array<PrintJob['state']> = ['requested', 'approved', 'decrypted', 'printed', 'cancelled']
  test.each(states)('a print job in state %s locks the file exactly when it binds it (paper.file_locked)', (state) => {
    const r = checkFileChange(custodian, ctx({ jobs: [printJob({ id: 'job-9', state })] }))
    if (BINDING_JOB_STATES.includes(state)) expect(refusal(r)).toEqual({ code: 'paper.file_locked', paperId: 'paper-A', jobId: 'job-9', state })
    else expect(r.ok).toBe(true)
  })
})

describe('what a print is for', () => {
  const rooms = [
    { id: 'R1', capacity: 30 },
    { id: 'R2', capacity: 28 },
    { id: 'R3', capacity: 20 },
  ]

  test('while nobody is seated, each room prints its capacity', () => {
    expect(printTargets(paper(), rooms, [])).toEqual([
      { roomId: 'R1', seats: 30 },
      { roomId: 'R2', seats: 28 },
      { roomId: 'R3', seats: 20 },
    ])
  })

  test('once candidates are seated, each room prints its seated count, and a room with nobody in it is left out', () => {
    expect(printTargets(paper(), rooms, ['R1', 'R1', 'R2'])).toEqual([
      { roomId: 'R1', seats: 2 },
      { roomId: 'R2', seats: 1 },
    ])
  })

  test.each(['answer_key', 'exam_data'] as const)('%s is one room-less stack for the safe, one copy unless asked for more', (kind) => {
    expect(printTargets(paper({ kind }), rooms, ['R1'])).toEqual([{ roomId: null, seats: 1 }])
    expect(printTargets(paper({ kind }), rooms, ['R1'], 3)).toEqual([{ roomId: null, seats: 3 }])
  })
})

describe('copy numbers across jobs', () => {
  const job = (over: Partial<PrintJob>) => printJob({ targets: [{ roomId: 'R1', seats: 30 }], sparesPerRoom: 2, firstCopy: 1, ...over })

  test("a job plans its rooms' seats plus spares; room-less targets get no spares", () => {
    expect(
      plannedCopies({
        targets: [
          { roomId: 'R1', seats: 30 },
          { roomId: null, seats: 3 },
        ],
        sparesPerRoom: 2,
      }),
    ).toBe(35)
  })

  test('no job and no packet: nothing is claimed yet', () => {
    expect(lastCopyNumber([], [])).toBe(0)
  })

  test('a live job claims its planned numbers; a job cancelled before release claims none', () => {
    expect(lastCopyNumber([job({ state: 'approved' })], [])).toBe(32)
    expect(lastCopyNumber([job({ state: 'cancelled', decryptedAt: null })], [])).toBe(0)
  })

  test('a job cancelled after its plaintext was released keeps its numbers: they may be on paper', () => {
    expect(lastCopyNumber([job({ state: 'cancelled', decryptedAt: NOW })], [])).toBe(32)
  })

  test('printed packets count whatever their job says', () => {
    expect(lastCopyNumber([job({ state: 'printed', firstCopy: 33 })], [{ copies: { first: 1, last: 80 } }])).toBe(80)
  })

  test('the copies printed must match the plan (print.copies_mismatch)', () => {
    const plans = planPackets(
      [
        { roomId: 'R1', seats: 30 },
        { roomId: 'R2', seats: 28 },
      ],
      2,
    )
    expect(value(checkCopiesPrinted('job-1', plans, 62))).toBe(62)
    expect(refusal(checkCopiesPrinted('job-1', plans, 61))).toEqual({ code: 'print.copies_mismatch', jobId: 'job-1', expected: 62, got: 61 })
  })
})

describe('custody settings', () => {
  const with_ = (over: Partial<CustodySettings>): CustodySettings => ({ ...DEFAULT_CUSTODY_SETTINGS, ...over })

  test('the defaults are within bounds', () => {
    expect(value(checkCustodySettings(DEFAULT_CUSTODY_SETTINGS))).toEqual(DEFAULT_CUSTODY_SETTINGS)
  })

  test.each([
    ['the window closes before it opens', { opensMinutesBefore: 60, closesMinutesBefore: 60 }, 'opensMinutesBefore'],
    ['closing more than 30 days early', { closesMinutesBefore: 43201, opensMinutesBefore: 43202 }, 'closesMinutesBefore'],
    ['opening more than 30 days early', { opensMinutesBefore: 43201 }, 'opensMinutesBefore'],
    ['opening 0 minutes before', { opensMinutesBefore: 0, closesMinutesBefore: 0 }, 'opensMinutesBefore'],
    ['a negative close', { closesMinutesBefore: -1 }, 'closesMinutesBefore'],
    ['fractional minutes', { closesMinutesBefore: 59.5 }, 'closesMinutesBefore'],
    ['opening packets more than 4 hours early', { openMinutesBefore: 241 }, 'openMinutesBefore'],
    ['more than 50 spares per room', { sparesPerRoom: 51 }, 'sparesPerRoom'],
    ['negative spares', { sparesPerRoom: -1 }, 'sparesPerRoom'],
  ] as const)('%s is refused (settings.invalid, %s)', (_name, over, field) => {
    expect(refusal(checkCustodySettings(with_(over)))).toMatchObject({ code: 'settings.invalid', field })
  })

  test.each([
    ['the widest window', { opensMinutesBefore: 43200, closesMinutesBefore: 43199 }],
    ['a window closing at the start', { opensMinutesBefore: 1, closesMinutesBefore: 0 }],
    ['no spares, opening at the start', { sparesPerRoom: 0, openMinutesBefore: 0 }],
    ['the most spares and the earliest opening', { sparesPerRoom: 50, openMinutesBefore: 240 }],
  ] as const)('%s is accepted', (_name, over) => {
    expect(checkCustodySettings(with_(over)).ok).toBe(true)
  })

  test('only the four settings are kept, whatever else came with them', () => {
    expect(value(checkCustodySettings({ ...DEFAULT_CUSTODY_SETTINGS, extra: 1 } as CustodySettings))).toEqual(DEFAULT_CUSTODY_SETTINGS)
  })

  test('only a custodian sets them, and the role is checked before the bounds (paper.not_allowed_for_role)', () => {
    expect(refusal(decideSettings(person('a-1', 'admin'), with_({ sparesPerRoom: -1 })))).toMatchObject({
      code: 'paper.not_allowed_for_role',
      action: 'custody.settings',
    })
    expect(refusal(decideSettings(custodian, with_({ sparesPerRoom: -1 }))).code).toBe('settings.invalid')
    expect(value(decideSettings(custodian, with_({ sparesPerRoom: 3 }))).sparesPerRoom).toBe(3)
  })
})
