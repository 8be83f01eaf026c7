import { describe, expect, test } from 'vitest'
import { ROLES, type Role } from '../server/domain/accounts/index.ts'
import type { Result } from '../server/domain/_result.ts'
import type { Occupation } from '../server/domain/lifecycle/index.ts'
import {
  SCORE_REFUSALS,
  TALLY_ACTIONS,
  TALLY_MOVES,
  TALLY_STATES,
  THEORY_ITEM_ID,
  countedScore,
  decideTally,
  historyRow,
  newTally,
  openDifferences,
  overallResult,
  parseTheoryScores,
  passRules,
  readScore,
  sessionOver,
  subjectResult,
  type Actor,
  type ImportSubject,
  type ImportTicket,
  type PassRule,
  type ResultIncident,
  type ScoreLine,
  type ScoreRefusal,
  type SignedSheet,
  type Tally,
  type TallyCommand,
  type TallyMove,
  type TallyState,
  type TheoryImportContext,
  type TheoryImportResult,
} from '../server/domain/scores/index.ts'
import { gb18030 } from './_gb18030.ts'

// ---------- the theory score import ----------

const SUBJECTS: ImportSubject[] = [
  { id: 'sub-theory', kind: 'theory', name: '理论知识', maxMark: 100 },
  { id: 'sub-practical', kind: 'practical', name: '操作技能', maxMark: 100 },
]
const TICKETS = new Map<string, ImportTicket>([
  ['2026-ABC123-00001', { candidateId: 'c1', name: '张三', subjectId: 'sub-theory' }],
  ['2026-ABC123-00002', { candidateId: 'c2', name: '李四', subjectId: 'sub-theory' }],
  ['2026-ABC123-00003', { candidateId: 'c3', name: '阿依古丽·买买提', subjectId: 'sub-theory' }],
  ['2026-ABC123-00004', { candidateId: 'c4', name: '王五', subjectId: 'sub-theory' }],
  ['2026-ABC123-00101', { candidateId: 'c1', name: '张三', subjectId: 'sub-practical' }],
])
const ctx: TheoryImportContext = { subjects: SUBJECTS, tickets: TICKETS }

const utf8 = (text: string) => new TextEncoder().encode(text)
const withBom = (text: string) => new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(text)])

const GOOD = [
  '准考证号,姓名,科目,成绩',
  '2026-ABC123-00001,张三,理论知识,85.5',
  '2026-ABC123-00002,李四,理论,59',
  '2026-ABC123-00003,阿依古丽·买买提,理论知识,100.0',
].join('\r\n')

function expectOk(r: TheoryImportResult) {
  if (!r.ok) throw new Error(JSON.stringify(r.errors, null, 1))
  return r
}
function expectErrors(r: TheoryImportResult) {
  if (r.ok) throw new Error('expected the import to be refused')
  return r
}

describe('theory score import (docs/score-import-format.md)', () => {
  test('the GB18030 test table agrees with known code points: 姓 D0D5, 名 C3FB, 成 B3C9, 绩 BCA8', () => {
    expect([...gb18030('姓名成绩')]).toEqual([0xd0, 0xd5, 0xc3, 0xfb, 0xb3, 0xc9, 0xbc, 0xa8])
  })

  test('a UTF-8 file with a byte-order mark imports every row, scores to one decimal', () => {
    const r = expectOk(parseTheoryScores(withBom(GOOD), ctx))
    expect(r.encoding).toBe('utf-8-bom')
    expect(r.rows).toEqual([
      { row: 2, ticketNumber: '2026-ABC123-00001', candidateId: 'c1', subjectId: 'sub-theory', score: 85.5 },
      { row: 3, ticketNumber: '2026-ABC123-00002', candidateId: 'c2', subjectId: 'sub-theory', score: 59 },
      { row: 4, ticketNumber: '2026-ABC123-00003', candidateId: 'c3', subjectId: 'sub-theory', score: 100 },
    ])
    // The theory ticket with no row (an absent candidate, or a file cut short) is listed, the practical one is not.
    expect(r.notInFile).toEqual(['2026-ABC123-00004'])
  })

  test('the same file in GB18030 imports the same rows', () => {
    const r = expectOk(parseTheoryScores(gb18030(GOOD), ctx))
    expect(r.encoding).toBe('gb18030')
    expect(r.rows).toEqual(expectOk(parseTheoryScores(withBom(GOOD), ctx)).rows)
  })

  test('a title line above the header, other column spellings and unknown columns (listed back)', () => {
    const text = ['2026年理论知识成绩', '序号,考号,考生姓名,考试科目,分数', '1,2026-abc123-00001,张 三,理论知识,85'].join('\n')
    const r = expectOk(parseTheoryScores(utf8(text), ctx))
    expect(r.rows).toEqual([{ row: 3, ticketNumber: '2026-ABC123-00001', candidateId: 'c1', subjectId: 'sub-theory', score: 85 }])
    expect(r.ignoredColumns).toEqual(['序号'])
  })

  test('all or nothing: one bad row imports nothing, every problem reported with row, column and code (UTF-8 BOM)', () => {
    const text = [
      '准考证号,姓名,科目,成绩',
      '2026-ABC123-00001,张三,理论知识,85.5', // good
      '2026-ABC123-00002,李三,理论知识,72.55', // name not the holder's; two decimals
      '2026-ABC123-99999,赵六,理论知识,70', // unknown ticket
      '2026-ABC123-00001,张三,理论知识,86', // the same ticket again
      '2026-ABC123-00003,阿依古丽·买买提,理论知识,101', // over the maximum mark
      '2026-ABC123-00101,张三,操作技能,90', // practical scores come from the kiosk
      '2026-ABC123-00004,王五,化学,缺考', // unknown subject; not a number
      '2026-ABC123-88888,,理论知识,', // unknown ticket; empty name and score
    ].join('\r\n')
    const r = expectErrors(parseTheoryScores(withBom(text), ctx))
    expect(r.errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [3, '姓名', 'score_import.name_mismatch'],
      [3, '成绩', 'score_import.score_format'],
      [4, '准考证号', 'score_import.unknown_ticket'],
      [5, '准考证号', 'score_import.duplicate_ticket'],
      [6, '成绩', 'score_import.score_range'],
      [7, '科目', 'score_import.practical_subject'],
      [8, '科目', 'score_import.unknown_subject'],
      [8, '成绩', 'score_import.score_format'],
      [9, '准考证号', 'score_import.unknown_ticket'],
      [9, '姓名', 'score_import.name_required'],
      [9, '成绩', 'score_import.score_required'],
    ])
    expect(r.unknownTickets).toEqual(['2026-ABC123-99999', '2026-ABC123-88888'])
    expect(r.errors.find((e) => e.code === 'score_import.duplicate_ticket')).toMatchObject({
      message: '准考证号与第2行重复',
      messageEn: 'The same ticket number as row 2',
    })
    expect(r.errors.find((e) => e.code === 'score_import.score_range')).toMatchObject({ message: '成绩应在0到100分之间' })
    // The name check does not say whose ticket it is.
    expect(JSON.stringify(r.errors)).not.toContain('李四')
    expect('rows' in r).toBe(false)
  })

  test('the same bad file in GB18030 gives the same report', () => {
    const text = ['准考证号,姓名,科目,成绩', '2026-ABC123-00001,张三,理论知识,85.5', '2026-ABC123-00002,李四,理论知识,一百'].join('\r\n')
    const r = expectErrors(parseTheoryScores(gb18030(text), ctx))
    expect(r.errors).toEqual([expect.objectContaining({ row: 3, column: '成绩', code: 'score_import.score_format' })])
  })

  test("a ticket of another subject's session is refused (score_import.subject_mismatch)", () => {
    const text = ['准考证号,姓名,科目,成绩', '2026-ABC123-00101,张三,理论知识,80'].join('\n')
    expect(expectErrors(parseTheoryScores(utf8(text), ctx)).errors.map((e) => [e.row, e.column, e.code])).toEqual([
      [2, '科目', 'score_import.subject_mismatch'],
    ])
  })

  test('a ticket already scored is refused: a change is an amendment with a reason (score_import.already_scored)', () => {
    const r = expectErrors(parseTheoryScores(utf8(GOOD), { ...ctx, alreadyScored: new Set(['2026-ABC123-00002']) }))
    expect(r.errors.map((e) => [e.row, e.code])).toEqual([[3, 'score_import.already_scored']])
  })

  test('file-level refusals: missing column, no header, no rows, UTF-16, neither UTF-8 nor GB18030, too large', () => {
    const missing = expectErrors(parseTheoryScores(utf8('准考证号,姓名,成绩\n2026-ABC123-00001,张三,85'), ctx))
    expect(missing.errors).toEqual([expect.objectContaining({ row: 1, column: '科目', code: 'import.missing_column' })])
    expect(expectErrors(parseTheoryScores(utf8('a,b\n1,2'), ctx)).errors[0]!.code).toBe('import.no_header')
    expect(expectErrors(parseTheoryScores(utf8('准考证号,姓名,科目,成绩\n,,,\n'), ctx)).errors[0]).toMatchObject({ row: 0, code: 'import.no_rows' })
    expect(expectErrors(parseTheoryScores(new Uint8Array([0xff, 0xfe, 0x41, 0]), ctx)).errors[0]!.code).toBe('import.encoding')
    expect(expectErrors(parseTheoryScores(new Uint8Array([0x41, 0x81, 0x20]), ctx)).errors[0]!.code).toBe('import.encoding')
    expect(expectErrors(parseTheoryScores(utf8(GOOD), { ...ctx, limits: { maxBytes: 10 } })).errors[0]!.code).toBe('import.too_large')
    expect(expectErrors(parseTheoryScores(utf8(GOOD), { ...ctx, limits: { maxRows: 2 } })).errors[0]!.code).toBe('import.too_many_rows')
    expect(expectErrors(parseTheoryScores(utf8('准考证号,姓名,科目,成绩\n"2026,张三'), ctx)).errors[0]!.code).toBe('csv.unterminated_quote')
  })

  test('a score is digits with at most one decimal', () => {
    expect(['0', '85', '85.5', '100.0', '072.5'].map(readScore)).toEqual([0, 85, 85.5, 100, 72.5])
    expect(['85.55', '-1', '.5', '85.', '1e2', '八十', '85,5', ''].map(readScore)).toEqual([null, null, null, null, null, null, null, null])
  })
})

// ---------- verification: the state table ----------

const ITEMS = [
  { id: 'wiring', name: '接线', max: 60 },
  { id: 'safety', name: '安全文明', max: 40 },
]
const CANDIDATES = ['c1', 'c2', 'c3']
const who = (userId: string, ...roles: Role[]): Actor => ({ userId, roles })
const REG = who('reg-1', 'registrar')
const REG2 = who('reg-2', 'registrar')
const VER = who('ver-1', 'verifier')
const VER2 = who('ver-2', 'verifier')
const EXAMINER = 'exam-1'
const AT = 1_780_000_000_000

const line = (candidateId: string, wiring: number, safety: number): ScoreLine => ({
  candidateId,
  items: [
    { itemId: 'wiring', score: wiring },
    { itemId: 'safety', score: safety },
  ],
})
const FIRST = [line('c1', 50, 35), line('c2', 41.5, 30)]
const SAME = [line('c2', 41.5, 30), line('c1', 50, 35)] // order does not matter
const DIFFERENT = [line('c1', 50, 38), line('c2', 14.5, 30)] // two differences
const sheetsOf = (lines: readonly ScoreLine[], examinerId = EXAMINER): SignedSheet[] =>
  lines.map((l, i) => ({ id: `sheet-${l.candidateId}-${i}`, candidateId: l.candidateId, examinerId, items: l.items }))

function unwrap<T>(r: Result<T, ScoreRefusal>): T {
  if (!r.ok) throw new Error(JSON.stringify(r.error))
  return r.value
}
function refusal<T>(r: Result<T, ScoreRefusal>): ScoreRefusal {
  if (r.ok) throw new Error('expected a refusal')
  return r.error
}

const blank = () => newTally({ id: 't1', sessionId: 's1', subjectId: 'sub-practical', items: ITEMS, candidates: CANDIDATES })
const entered = () => unwrap(decideTally(blank(), { action: 'enter', lines: FIRST }, REG, AT))
const disputed = () => unwrap(decideTally(entered(), { action: 'second_entry', lines: DIFFERENT }, VER, AT + 1))
const verified = () => unwrap(decideTally(entered(), { action: 'second_entry', lines: SAME }, VER, AT + 1))
const signed = () => unwrap(decideTally(verified(), { action: 'sign' }, VER, AT + 2))

const IN_STATE: Record<TallyState, () => Tally> = { none: blank, entered, disputed, verified, signed }

/** For each row: the tally it starts from, a command that takes that row, and someone its roles allow. */
function rowCase(m: TallyMove): { tally: Tally; cmd: TallyCommand; actor: Actor } {
  const tally = IN_STATE[m.from]()
  const reason = '复核原始答卷'
  switch (m.action) {
    case 'enter':
    case 'import':
      return { tally, cmd: { action: m.action, lines: FIRST }, actor: REG }
    case 'collect':
      return { tally, cmd: { action: 'collect', sheets: sheetsOf(FIRST) }, actor: REG }
    case 'second_entry':
      return { tally, cmd: { action: 'second_entry', lines: m.when === 'agree' ? SAME : DIFFERENT }, actor: VER }
    case 'check_sheet':
      return { tally, cmd: { action: 'check_sheet', sheets: sheetsOf(m.when === 'agree' ? FIRST : DIFFERENT) }, actor: VER }
    case 'resolve': {
      if (m.when === 'open') return { tally, cmd: { action: 'resolve', candidateId: 'c1', itemId: 'safety', value: 35, reason }, actor: VER2 }
      const one = unwrap(decideTally(tally, { action: 'resolve', candidateId: 'c1', itemId: 'safety', value: 35, reason }, VER2, AT + 3))
      return { tally: one, cmd: { action: 'resolve', candidateId: 'c2', itemId: 'wiring', value: 41.5, reason }, actor: REG2 }
    }
    case 'sign':
      return { tally, cmd: { action: 'sign' }, actor: VER }
    case 'amend':
      return { tally, cmd: { action: 'amend', lines: [line('c1', 51, 35), line('c2', 41.5, 30)], reason }, actor: REG }
  }
}

describe('the tally state table (R7.1)', () => {
  test('every row is reachable, and every (state, action) pair is listed at most once per outcome', () => {
    const keys = TALLY_MOVES.map((m) => `${m.from}/${m.action}/${m.when ?? ''}`)
    expect(new Set(keys).size).toBe(keys.length)
    for (const m of TALLY_MOVES) {
      expect(TALLY_STATES).toContain(m.from)
      expect(TALLY_STATES).toContain(m.to)
      expect(TALLY_ACTIONS).toContain(m.action)
    }
  })

  for (const m of TALLY_MOVES) {
    const name = `${m.from} —${m.action}${m.when ? ` (${m.when})` : ''}→ ${m.to}, by ${m.who.join('/')}`
    test(name, () => {
      const { tally, cmd, actor } = rowCase(m)
      const after = unwrap(decideTally(tally, cmd, actor, AT + 10))
      expect(after.state).toBe(m.to)
      expect(after.history.at(-1)).toMatchObject({ action: m.action, by: actor.userId, at: AT + 10 })
      if (m.reason) expect(after.history.at(-1)!.reason).toBe('复核原始答卷')
    })
    test(`${name}: refused to every other role (score.not_allowed_for_role)`, () => {
      const { tally, cmd } = rowCase(m)
      for (const role of ROLES.filter((r) => !m.who.includes(r))) {
        const e = refusal(decideTally(tally, cmd, who('someone-else', role), AT + 10))
        expect(e).toMatchObject({ code: 'score.not_allowed_for_role', rule: 'R7.1', action: m.action, allowed: m.who })
      }
    })
    if (m.reason) {
      test(`${name}: refused without a reason (score.reason_required)`, () => {
        const { tally, cmd, actor } = rowCase(m)
        for (const reason of ['', '   ', 'x'.repeat(501)]) {
          expect(refusal(decideTally(tally, { ...cmd, reason } as TallyCommand, actor, AT)).code).toBe('score.reason_required')
        }
      })
    }
  }

  for (const state of TALLY_STATES) {
    test(`${state}: every action not in the table is refused (score.wrong_state), and nothing changes`, () => {
      const unlisted = TALLY_ACTIONS.filter((a) => !TALLY_MOVES.some((m) => m.from === state && m.action === a))
      expect(unlisted.length).toBeGreaterThan(0)
      for (const action of unlisted) {
        const tally = IN_STATE[state]()
        const before = JSON.stringify(tally)
        const cmd = { action, lines: FIRST, sheets: sheetsOf(FIRST), candidateId: 'c1', itemId: 'wiring', value: 1, reason: 'r' } as unknown as TallyCommand
        const e = refusal(decideTally(tally, cmd, who('all-roles', ...ROLES), AT))
        expect(e).toMatchObject({ code: 'score.wrong_state', rule: 'R7.1', state, action })
        expect(JSON.stringify(tally)).toBe(before)
      }
    })
  }

  test('every refusal code has a zh/en text naming the rule', () => {
    for (const [code, t] of Object.entries(SCORE_REFUSALS)) {
      expect(t.rule, code).toBe('R7.1')
      expect(t.zh.length, code).toBeGreaterThan(2)
      expect(t.en.length, code).toBeGreaterThan(2)
    }
  })
})

describe('double keying (R7.1)', () => {
  test('a disagreement is listed per candidate and item, and resolved by a third person with a reason', () => {
    const t = disputed()
    expect(t.state).toBe('disputed')
    expect(t.method).toBe('double_entry')
    expect(t.differences).toEqual([
      { candidateId: 'c1', itemId: 'safety', first: 35, second: 38 },
      { candidateId: 'c2', itemId: 'wiring', first: 41.5, second: 14.5 },
    ])
    // Not silently: neither keyer may settle it, and a difference needs a reason.
    expect(refusal(decideTally(t, { action: 'resolve', candidateId: 'c1', itemId: 'safety', value: 35, reason: '看错' }, VER, AT))).toMatchObject({
      code: 'score.resolver_is_keyer',
      rule: 'R7.1',
      userId: 'ver-1',
    })
    expect(
      refusal(decideTally(t, { action: 'resolve', candidateId: 'c1', itemId: 'safety', value: 35, reason: '看错' }, who('reg-1', 'registrar', 'verifier'), AT))
        .code,
    ).toBe('score.resolver_is_keyer')
    expect(refusal(decideTally(t, { action: 'resolve', candidateId: 'c1', itemId: 'safety', value: 35, reason: ' ' }, VER2, AT)).code).toBe(
      'score.reason_required',
    )
    // Only a listed difference, each once, to a value within the item's range.
    expect(refusal(decideTally(t, { action: 'resolve', candidateId: 'c1', itemId: 'wiring', value: 50, reason: 'r' }, VER2, AT)).code).toBe(
      'score.difference_unknown',
    )
    expect(refusal(decideTally(t, { action: 'resolve', candidateId: 'c1', itemId: 'safety', value: 41, reason: 'r' }, VER2, AT)).code).toBe(
      'score.resolution_invalid',
    )
    expect(refusal(decideTally(t, { action: 'resolve', candidateId: 'c1', itemId: 'safety', value: null, reason: 'r' }, VER2, AT)).code).toBe(
      'score.resolution_invalid',
    )

    const one = unwrap(decideTally(t, { action: 'resolve', candidateId: 'c1', itemId: 'safety', value: 38, reason: '原始评分表为38分' }, VER2, AT + 1))
    expect(one.state).toBe('disputed')
    expect(openDifferences(one)).toEqual([{ candidateId: 'c2', itemId: 'wiring', first: 41.5, second: 14.5 }])
    expect(refusal(decideTally(one, { action: 'resolve', candidateId: 'c1', itemId: 'safety', value: 38, reason: 'r' }, VER2, AT)).code).toBe(
      'score.difference_resolved',
    )
    expect(refusal(decideTally(one, { action: 'sign' }, VER, AT)).code).toBe('score.wrong_state')

    const both = unwrap(decideTally(one, { action: 'resolve', candidateId: 'c2', itemId: 'wiring', value: 41.5, reason: '第二次录入错位' }, REG2, AT + 2))
    expect(both.state).toBe('verified')
    expect(both.lines).toEqual([line('c1', 50, 38), line('c2', 41.5, 30)])
    expect(both.resolutions.map((r) => [r.candidateId, r.itemId, r.value, r.by, r.reason])).toEqual([
      ['c1', 'safety', 38, 'ver-2', '原始评分表为38分'],
      ['c2', 'wiring', 41.5, 'reg-2', '第二次录入错位'],
    ])
    // The verifier who keyed the second entry signs; the resolver does not.
    expect(refusal(decideTally(both, { action: 'sign' }, VER2, AT)).code).toBe('score.signer_not_checker')
    const done = unwrap(decideTally(both, { action: 'sign' }, VER, AT + 3))
    expect(done).toMatchObject({ state: 'signed', signedBy: 'ver-1', signedAt: AT + 3 })
    expect(countedScore(done, 'c1')).toBe(88)
    expect(countedScore(done, 'c2')).toBe(71.5)
    expect(countedScore(done, 'c3')).toBeNull()
  })

  test('a line keyed only once differs on every item; the third person may decide there is no score, for all items alike', () => {
    const t = unwrap(decideTally(entered(), { action: 'second_entry', lines: [...SAME, line('c3', 10, 10)] }, VER, AT))
    expect(t.differences).toEqual([
      { candidateId: 'c3', itemId: 'wiring', first: null, second: 10 },
      { candidateId: 'c3', itemId: 'safety', first: null, second: 10 },
    ])
    const one = unwrap(decideTally(t, { action: 'resolve', candidateId: 'c3', itemId: 'wiring', value: null, reason: '该考生缺考' }, VER2, AT))
    expect(refusal(decideTally(one, { action: 'resolve', candidateId: 'c3', itemId: 'safety', value: 10, reason: 'r' }, VER2, AT)).code).toBe(
      'score.resolution_invalid',
    )
    const done = unwrap(decideTally(one, { action: 'resolve', candidateId: 'c3', itemId: 'safety', value: null, reason: '该考生缺考' }, VER2, AT))
    expect(done.state).toBe('verified')
    expect(done.lines.map((l) => l.candidateId)).toEqual(['c1', 'c2'])
  })

  test('a verifier who entered the scores is refused (score.verifier_is_enterer, R7.1), at the check and at signing', () => {
    const both = who('reg-ver', 'registrar', 'verifier')
    const t = unwrap(decideTally(blank(), { action: 'enter', lines: FIRST }, both, AT))
    const e = refusal(decideTally(t, { action: 'second_entry', lines: SAME }, both, AT))
    expect(e).toEqual({ rule: 'R7.1', code: 'score.verifier_is_enterer', userId: 'reg-ver' })
    expect(SCORE_REFUSALS[e.code].zh).toContain('R7.1')
    expect(refusal(decideTally(t, { action: 'check_sheet', sheets: sheetsOf(FIRST) }, both, AT)).code).toBe('score.verifier_is_enterer')
    // Nor may the enterer sign a tally someone else verified.
    expect(refusal(decideTally(verified(), { action: 'sign' }, who('reg-1', 'registrar', 'verifier'), AT)).code).toBe('score.verifier_is_enterer')
  })

  test('a verifier who imported the scores is refused (score.verifier_is_importer)', () => {
    const both = who('reg-ver', 'registrar', 'verifier')
    const t = unwrap(decideTally(blank(), { action: 'import', lines: FIRST }, both, AT))
    expect(refusal(decideTally(t, { action: 'second_entry', lines: SAME }, both, AT))).toMatchObject({ code: 'score.verifier_is_importer', rule: 'R7.1' })
  })

  test('entries are checked: known candidates once, every item once, within 0..max in tenths', () => {
    const bad = (lines: ScoreLine[]) => refusal(decideTally(blank(), { action: 'enter', lines }, REG, AT))
    expect(bad([])).toMatchObject({ code: 'score.entry_invalid', reason: 'empty' })
    expect(bad([line('cX', 1, 1)])).toMatchObject({ code: 'score.entry_invalid', candidateId: 'cX', reason: 'unknown_candidate' })
    expect(bad([line('c1', 1, 1), line('c1', 2, 2)])).toMatchObject({ reason: 'candidate_twice' })
    expect(bad([line('c1', 61, 1)])).toMatchObject({ itemId: 'wiring', reason: 'range' })
    expect(bad([line('c1', 1.25, 1)])).toMatchObject({ itemId: 'wiring', reason: 'range' })
    expect(bad([line('c1', -1, 1)])).toMatchObject({ itemId: 'wiring', reason: 'range' })
    expect(bad([{ candidateId: 'c1', items: [{ itemId: 'wiring', score: 1 }] }])).toMatchObject({ itemId: 'safety', reason: 'item_missing' })
    expect(
      bad([
        {
          candidateId: 'c1',
          items: [
            { itemId: 'wiring', score: 1 },
            { itemId: 'wiring', score: 1 },
          ],
        },
      ]),
    ).toMatchObject({ reason: 'item_twice' })
    expect(bad([{ candidateId: 'c1', items: [{ itemId: 'bogus', score: 1 }] }])).toMatchObject({ reason: 'unknown_item' })
  })
})

describe('checking against the signed kiosk sheets (R7.1: a practical score takes effect when the examiner signs)', () => {
  const collected = (examinerId = EXAMINER) => unwrap(decideTally(blank(), { action: 'collect', sheets: sheetsOf(FIRST, examinerId) }, REG, AT))

  test('a verifier who signed the practical sheet is refused (score.verifier_signed_sheet), by either method', () => {
    const examinerVerifier = who('exam-ver', 'examiner', 'verifier')
    const t = collected('exam-ver')
    expect(t.sheetSigners).toEqual(['exam-ver'])
    expect(refusal(decideTally(t, { action: 'check_sheet', sheets: sheetsOf(FIRST, 'exam-ver') }, examinerVerifier, AT))).toEqual({
      rule: 'R7.1',
      code: 'score.verifier_signed_sheet',
      userId: 'exam-ver',
    })
    expect(refusal(decideTally(t, { action: 'second_entry', lines: SAME }, examinerVerifier, AT)).code).toBe('score.verifier_signed_sheet')
    // Also when the tally was keyed by hand and the signer shows up only in the sheets checked against.
    expect(refusal(decideTally(entered(), { action: 'check_sheet', sheets: sheetsOf(FIRST, 'exam-ver') }, examinerVerifier, AT)).code).toBe(
      'score.verifier_signed_sheet',
    )
    // …and a signer of the sheets may not settle a difference either.
    const d = unwrap(decideTally(t, { action: 'second_entry', lines: DIFFERENT }, VER, AT))
    expect(refusal(decideTally(d, { action: 'resolve', candidateId: 'c1', itemId: 'safety', value: 35, reason: 'r' }, examinerVerifier, AT)).code).toBe(
      'score.resolver_signed_sheet',
    )
  })

  test('the tally agrees with the signed sheets: verified, then signed by the verifier who checked', () => {
    const t = unwrap(decideTally(collected(), { action: 'check_sheet', sheets: sheetsOf(FIRST) }, VER, AT))
    expect(t).toMatchObject({ state: 'verified', method: 'against_sheet', checkedBy: 'ver-1', differences: [] })
    expect(unwrap(decideTally(t, { action: 'sign' }, VER, AT)).state).toBe('signed')
  })

  test('a keyed tally that differs from a signed sheet is disputed, per candidate and item', () => {
    const t = unwrap(decideTally(entered(), { action: 'check_sheet', sheets: sheetsOf([line('c1', 50, 35), line('c2', 40.5, 30)]) }, VER, AT))
    expect(t.state).toBe('disputed')
    expect(t.differences).toEqual([{ candidateId: 'c2', itemId: 'wiring', first: 41.5, second: 40.5 }])
  })

  test('a tally line without a signed sheet is refused (score.sheet_missing)', () => {
    expect(refusal(decideTally(entered(), { action: 'check_sheet', sheets: sheetsOf([line('c1', 50, 35)]) }, VER, AT))).toMatchObject({
      code: 'score.sheet_missing',
      candidateId: 'c2',
      rule: 'R7.1',
    })
  })
})

describe('a change after signing (R7.1)', () => {
  test('needs a reason, goes back to be verified and signed anew, and counts only then', () => {
    const s = signed()
    expect(countedScore(s, 'c1')).toBe(85)
    expect(refusal(decideTally(s, { action: 'amend', lines: [line('c1', 55, 35), line('c2', 41.5, 30)], reason: '' }, REG2, AT)).code).toBe(
      'score.reason_required',
    )
    expect(refusal(decideTally(s, { action: 'amend', lines: SAME, reason: '复核' }, REG2, AT)).code).toBe('score.amend_no_change')

    const a = unwrap(decideTally(s, { action: 'amend', lines: [line('c1', 55, 35), line('c2', 41.5, 30)], reason: '复核发现漏计5分' }, REG2, AT + 5))
    expect(a).toMatchObject({ state: 'entered', version: 2, signedBy: null, checkedBy: null, method: null })
    expect(a.history.at(-1)).toEqual({ version: 2, action: 'amend', by: 'reg-2', at: AT + 5, reason: '复核发现漏计5分' })
    // The old signature no longer counts, and signing again needs a new verification first.
    expect(countedScore(a, 'c1')).toBeNull()
    expect(refusal(decideTally(a, { action: 'sign' }, VER, AT)).code).toBe('score.wrong_state')
    // The person who amended may not verify the new version.
    const amenderVerifier = who('reg-2', 'registrar', 'verifier')
    expect(refusal(decideTally(a, { action: 'second_entry', lines: [line('c1', 55, 35), line('c2', 41.5, 30)] }, amenderVerifier, AT)).code).toBe(
      'score.verifier_is_enterer',
    )
    const v = unwrap(decideTally(a, { action: 'second_entry', lines: [line('c1', 55, 35), line('c2', 41.5, 30)] }, VER2, AT + 6))
    const again = unwrap(decideTally(v, { action: 'sign' }, VER2, AT + 7))
    expect(again).toMatchObject({ state: 'signed', version: 2, signedBy: 'ver-2' })
    expect(countedScore(again, 'c1')).toBe(90)
    expect(again.history.map((h) => [h.version, h.action])).toEqual([
      [1, 'enter'],
      [1, 'second_entry'],
      [1, 'sign'],
      [2, 'amend'],
      [2, 'second_entry'],
      [2, 'sign'],
    ])
  })

  test("a corrected kiosk sheet's examiner joins those who may not verify", () => {
    const s = signed()
    const corrected: SignedSheet = { id: 'sheet-c1-fix', candidateId: 'c1', examinerId: 'exam-2', items: line('c1', 55, 35).items }
    const a = unwrap(
      decideTally(s, { action: 'amend', lines: [line('c1', 55, 35), line('c2', 41.5, 30)], reason: '考评员更正评分表', sheets: [corrected] }, REG, AT),
    )
    expect(a.sheetSigners).toContain('exam-2')
    expect(a.sheets).toContainEqual({ candidateId: 'c1', sheetId: 'sheet-c1-fix' })
    expect(
      refusal(decideTally(a, { action: 'check_sheet', sheets: [corrected, ...sheetsOf([line('c2', 41.5, 30)])] }, who('exam-2', 'verifier'), AT)).code,
    ).toBe('score.verifier_signed_sheet')
  })
})

// ---------- results ----------

const RULE: PassRule = { subjectId: 'sub-practical', kind: 'practical', name: '操作技能', passMark: 60, maxMark: 100 }
const cheating = (candidateId: string, confirmed: boolean): ResultIncident => ({
  sessionId: 's1',
  candidateId,
  kind: 'copying',
  confirmations: confirmed ? [{ type: 'second' }] : [],
})

describe('results per candidate and subject', () => {
  const tally = () => {
    const t = newTally({ id: 't1', sessionId: 's1', subjectId: 'sub-practical', items: ITEMS, candidates: ['c1', 'c2', 'c3', 'c4', 'c5'] })
    const lines = [line('c1', 40, 20), line('c2', 40, 19.9), line('c3', 55, 40), line('c4', 30, 30)]
    const e = unwrap(decideTally(t, { action: 'enter', lines }, REG, AT))
    return unwrap(decideTally(unwrap(decideTally(e, { action: 'second_entry', lines }, VER, AT)), { action: 'sign' }, VER, AT))
  }
  const facts = (candidateId: string, over: Partial<Parameters<typeof subjectResult>[0]> = {}) => ({
    candidateId,
    rule: RULE,
    sessionId: 's1',
    admitted: true,
    sessionOver: true,
    incidents: [] as ResultIncident[],
    tally: tally(),
    ...over,
  })

  test('passed at the pass mark, failed below it', () => {
    expect(subjectResult(facts('c1'))).toMatchObject({ status: 'passed', score: 60, passMark: 60, maxMark: 100 })
    expect(subjectResult(facts('c2'))).toMatchObject({ status: 'failed', score: 59.9 })
    expect(subjectResult(facts('c3'))).toMatchObject({ status: 'passed', score: 95 })
  })

  test('absent when the door never admitted the candidate; a score on the tally for them is flagged', () => {
    expect(subjectResult(facts('c5', { admitted: false }))).toEqual({
      candidateId: 'c5',
      subjectId: 'sub-practical',
      status: 'absent',
      score: null,
      passMark: 60,
      maxMark: 100,
      flags: [],
    })
    expect(subjectResult(facts('c4', { admitted: false }))).toMatchObject({ status: 'absent', flags: ['score_without_admission'] })
  })

  test.each([
    ['completed', 2_000, true],
    ['completed', 500, true],
    ['scheduled', 1_000, true],
    ['scheduled', 1_001, false],
    ['suspended', 500, false],
  ] as const)('sessionOver: %s, ends at %d, now 1000 → %s', (status, endsAt, over) => {
    expect(sessionOver({ status, endsAt }, 1_000)).toBe(over)
  })

  test('not admitted before the session is over (not yet sat, or suspended): pending, never 缺考', () => {
    expect(subjectResult(facts('c5', { admitted: false, sessionOver: false, tally: null }))).toMatchObject({
      status: 'pending',
      pending: 'session_not_over',
      score: null,
    })
    // a confirmed cheating incident still disqualifies while the session runs
    expect(subjectResult(facts('c3', { admitted: false, sessionOver: false, incidents: [cheating('c3', true)] })).status).toBe('disqualified')
  })

  test('disqualified by a confirmed 作弊 incident of the session; unconfirmed it holds the result; a 违纪 does not', () => {
    expect(subjectResult(facts('c3', { incidents: [cheating('c3', true)] }))).toMatchObject({ status: 'disqualified', score: null })
    expect(subjectResult(facts('c3', { incidents: [cheating('c3', false)] }))).toMatchObject({ status: 'pending', pending: 'cheating_unconfirmed' })
    expect(subjectResult(facts('c3', { incidents: [{ ...cheating('c3', true), kind: 'impersonation' }] })).status).toBe('disqualified')
    const breach: ResultIncident = { sessionId: 's1', candidateId: 'c3', kind: 'wrong_seat', confirmations: [{ type: 'second' }] }
    expect(subjectResult(facts('c3', { incidents: [breach] })).status).toBe('passed')
    // Another candidate's incident, or one of another session, is not this candidate's.
    expect(subjectResult(facts('c3', { incidents: [cheating('c1', true)] })).status).toBe('passed')
    expect(subjectResult(facts('c3', { incidents: [{ ...cheating('c3', true), sessionId: 's2' }] })).status).toBe('passed')
    // A refusal to sign is not the second invigilator's confirmation.
    expect(subjectResult(facts('c3', { incidents: [{ ...cheating('c3', false), confirmations: [{ type: 'refused' }] }] })).status).toBe('pending')
  })

  test('pending while the tally is not verified and signed, or has no score for the candidate', () => {
    const unsigned = unwrap(decideTally(blank(), { action: 'enter', lines: FIRST }, REG, AT))
    expect(subjectResult(facts('c1', { tally: unsigned }))).toMatchObject({ status: 'pending', pending: 'not_verified', score: null })
    const amended = unwrap(decideTally(tally(), { action: 'amend', lines: [line('c1', 41, 20)], reason: '复核' }, REG, AT))
    expect(subjectResult(facts('c1', { tally: amended })).status).toBe('pending')
    expect(subjectResult(facts('c5'))).toMatchObject({ status: 'pending', pending: 'no_score' })
    expect(subjectResult(facts('c1', { tally: null }))).toMatchObject({ status: 'pending', pending: 'no_score' })
    // A tally of another subject does not count for this one.
    expect(subjectResult(facts('c1', { tally: { ...tally(), subjectId: 'sub-theory' } })).status).toBe('pending')
  })

  test('overall: passed only when every subject is passed; the R7.3 history row', () => {
    expect(overallResult([{ status: 'passed' }, { status: 'passed' }])).toBe('passed')
    expect(overallResult([{ status: 'passed' }, { status: 'absent' }])).toBe('not_passed')
    expect(overallResult([{ status: 'failed' }, { status: 'pending' }])).toBe('pending')
    expect(overallResult([])).toBe('pending')
    const at = { occupationCode: '6-31-01-03', level: 4, subjectKind: 'practical' as const, examDate: '2026-06-01', attempt: 1 }
    expect(historyRow({ status: 'passed' }, at)).toEqual({ ...at, passed: true })
    expect(historyRow({ status: 'disqualified' }, at)).toEqual({ ...at, passed: false })
    expect(historyRow({ status: 'pending' }, at)).toBeNull()
  })

  test('pass rules come from the occupation level; a level the body does not certify is refused', () => {
    const occupation: Pick<Occupation, 'code' | 'levels'> = {
      code: '6-31-01-03',
      levels: [
        {
          level: 4,
          conditions: '',
          subjects: [
            { id: 'a', kind: 'theory', name: '理论知识', passMark: 60, maxMark: 100 },
            { id: 'b', kind: 'practical', name: '操作技能', passMark: 60, maxMark: 100 },
          ],
        },
      ],
    }
    const r = passRules(occupation, 4)
    expect(r.ok && r.value.map((x) => [x.subjectId, x.kind, x.passMark, x.maxMark])).toEqual([
      ['a', 'theory', 60, 100],
      ['b', 'practical', 60, 100],
    ])
    expect(passRules(occupation, 3)).toEqual({ ok: false, error: { code: 'result.level_not_certified', rule: 'R7.1', occupationCode: '6-31-01-03', level: 3 } })
  })

  test('a theory tally holds one item, the total out of the maximum mark', () => {
    const t = newTally({ id: 't2', sessionId: 's0', subjectId: 'sub-theory', items: [{ id: THEORY_ITEM_ID, name: '理论知识', max: 100 }], candidates: ['c1'] })
    const lines = [{ candidateId: 'c1', items: [{ itemId: THEORY_ITEM_ID, score: 72.5 }] }]
    const e = unwrap(decideTally(t, { action: 'import', lines }, REG, AT))
    const s = unwrap(decideTally(unwrap(decideTally(e, { action: 'second_entry', lines }, VER, AT)), { action: 'sign' }, VER, AT))
    const rule: PassRule = { subjectId: 'sub-theory', kind: 'theory', name: '理论知识', passMark: 60, maxMark: 100 }
    expect(subjectResult({ candidateId: 'c1', rule, sessionId: 's0', admitted: true, sessionOver: true, incidents: [], tally: s })).toMatchObject({
      status: 'passed',
      score: 72.5,
    })
  })
})
