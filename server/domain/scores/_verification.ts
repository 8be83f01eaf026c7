/**
 * The score tally (成绩登记表) of one exam session and its verification (R7.1: "score registration and tallies
 * are checked and signed by a designated person"). Scores reach a tally by hand entry, by import from the marking
 * system, or collected from the examiners' signed kiosk sheets (practical). A designated verifier — never a person
 * who entered, imported or signed any of it — checks the tally, by an independent second entry (double keying)
 * or against the signed kiosk sheets, and signs it. Differences are listed per candidate and item and each is
 * resolved by a third person, with a reason; nothing is reconciled silently. Only a signed tally counts; a change
 * after signing needs a reason, and takes the tally back to be verified and signed again.
 *
 * The tally moves through TALLY_MOVES (STYLE.md: state machines are tables). Every refusal names the rule.
 */
import type { Role } from '../accounts/index.ts'
import { type Result, ok, refuse } from '../_result.ts'

export const TALLY_STATES = ['none', 'entered', 'disputed', 'verified', 'signed'] as const
export type TallyState = (typeof TALLY_STATES)[number]

export const TALLY_ACTIONS = ['enter', 'import', 'collect', 'second_entry', 'check_sheet', 'resolve', 'sign', 'amend'] as const
export type TallyAction = (typeof TALLY_ACTIONS)[number]

/** The rule a refusal stands on. */
export type ScoreRule = 'R7.1'

export interface Actor {
  userId: string
  roles: readonly Role[]
}

/** One marked item: a theory subject has one (`total`, out of the subject's maximum mark); a practical one has the session's score items. */
export interface TallyItem {
  id: string
  name: string
  max: number
}
export const THEORY_ITEM_ID = 'total'

export interface ScoreLine {
  candidateId: string
  items: Array<{ itemId: string; score: number }>
}

/** A signed kiosk sheet as the tally needs it (server/domain/kiosk ScoreSheet, the one in force). */
export interface SignedSheet {
  id: string
  candidateId: string
  examinerId: string
  items: Array<{ itemId: string; score: number }>
}

/** Where the two entries (or the entry and the signed sheet) disagree; null = no value on that side. */
export interface Difference {
  candidateId: string
  itemId: string
  first: number | null
  second: number | null
}

export interface Resolution {
  candidateId: string
  itemId: string
  /** The value decided after looking at the paper; null = the candidate has no score (the line is dropped). */
  value: number | null
  by: string
  reason: string
  at: number
}

export type EntryHow = 'enter' | 'import' | 'collect' | 'amend'

export interface TallyEvent {
  version: number
  action: TallyAction
  by: string
  at: number
  reason?: string
}

export interface Tally {
  id: string
  sessionId: string
  subjectId: string
  items: TallyItem[]
  /** The candidates who may have a line (the session's ticketed candidates). */
  candidates: string[]
  state: TallyState
  /** 1 at entry; each amendment makes a new version, which is verified and signed anew. */
  version: number
  /** The lines of the current version: the first entry, the import, the collected sheets, or an amendment. */
  lines: ScoreLine[]
  /** Everybody who put values into any version, and how: none of them may verify or sign. */
  enteredBy: Array<{ userId: string; how: EntryHow }>
  /** The examiners whose signed kiosk sheets the tally holds or was checked against: none of them may verify. */
  sheetSigners: string[]
  /** The kiosk sheets a collected or checked tally stands on. */
  sheets: Array<{ candidateId: string; sheetId: string }>
  method: 'double_entry' | 'against_sheet' | null
  /** The verifier who keyed the second entry or checked against the sheets; the same person signs. */
  checkedBy: string | null
  secondLines: ScoreLine[] | null
  differences: Difference[]
  resolutions: Resolution[]
  signedBy: string | null
  signedAt: number | null
  history: TallyEvent[]
}

/** A row of the state table. `when` splits an action by its outcome: a check agrees or differs; a resolution leaves some or none open. */
export interface TallyMove {
  from: TallyState
  action: TallyAction
  when?: 'agree' | 'differ' | 'open' | 'last'
  to: TallyState
  who: readonly Role[]
  /** Whom the move excludes, beyond the roles (R7.1). */
  notBy?: 'enterers_and_signers' | 'keyers_and_signers'
  reason?: true
}

const REGISTRAR: readonly Role[] = ['registrar']
const VERIFIER: readonly Role[] = ['verifier']
/** The third person of a difference: another verifier, or a registrar who keyed neither entry. */
const RESOLVER: readonly Role[] = ['verifier', 'registrar']

/**
 * none → entered (enter | import | collect) → verified or disputed (second_entry | check_sheet) → verified
 * (resolve, the last difference) → signed (sign). amend from entered, disputed, verified or signed goes back
 * to entered as a new version, with a reason.
 */
export const TALLY_MOVES: readonly TallyMove[] = [
  { from: 'none', action: 'enter', to: 'entered', who: REGISTRAR },
  { from: 'none', action: 'import', to: 'entered', who: REGISTRAR },
  { from: 'none', action: 'collect', to: 'entered', who: REGISTRAR },
  { from: 'entered', action: 'second_entry', when: 'agree', to: 'verified', who: VERIFIER, notBy: 'enterers_and_signers' },
  { from: 'entered', action: 'second_entry', when: 'differ', to: 'disputed', who: VERIFIER, notBy: 'enterers_and_signers' },
  { from: 'entered', action: 'check_sheet', when: 'agree', to: 'verified', who: VERIFIER, notBy: 'enterers_and_signers' },
  { from: 'entered', action: 'check_sheet', when: 'differ', to: 'disputed', who: VERIFIER, notBy: 'enterers_and_signers' },
  { from: 'disputed', action: 'resolve', when: 'open', to: 'disputed', who: RESOLVER, notBy: 'keyers_and_signers', reason: true },
  { from: 'disputed', action: 'resolve', when: 'last', to: 'verified', who: RESOLVER, notBy: 'keyers_and_signers', reason: true },
  { from: 'verified', action: 'sign', to: 'signed', who: VERIFIER, notBy: 'enterers_and_signers' },
  { from: 'entered', action: 'amend', to: 'entered', who: REGISTRAR, reason: true },
  { from: 'disputed', action: 'amend', to: 'entered', who: REGISTRAR, reason: true },
  { from: 'verified', action: 'amend', to: 'entered', who: REGISTRAR, reason: true },
  { from: 'signed', action: 'amend', to: 'entered', who: REGISTRAR, reason: true },
]

export type ScoreRefusal = { rule: ScoreRule } & (
  | { code: 'score.wrong_state'; state: TallyState; action: TallyAction; allowedFrom: TallyState[] }
  | { code: 'score.not_allowed_for_role'; action: TallyAction; userId: string; allowed: readonly Role[] }
  | { code: 'score.verifier_is_enterer'; userId: string }
  | { code: 'score.verifier_is_importer'; userId: string }
  | { code: 'score.verifier_signed_sheet'; userId: string }
  | { code: 'score.resolver_is_keyer'; userId: string }
  | { code: 'score.resolver_signed_sheet'; userId: string }
  | { code: 'score.signer_not_checker'; userId: string; checkedBy: string | null }
  | { code: 'score.reason_required'; action: TallyAction }
  | { code: 'score.entry_invalid'; candidateId: string | null; itemId: string | null; reason: EntryProblem }
  | { code: 'score.sheet_missing'; candidateId: string }
  | { code: 'score.difference_unknown'; candidateId: string; itemId: string }
  | { code: 'score.difference_resolved'; candidateId: string; itemId: string }
  | { code: 'score.resolution_invalid'; candidateId: string; itemId: string }
  | { code: 'score.amend_no_change' }
)
export type ScoreRefusalCode = ScoreRefusal['code']
export type EntryProblem = 'empty' | 'unknown_candidate' | 'candidate_twice' | 'unknown_item' | 'item_twice' | 'item_missing' | 'range'

/** What each refusal means, for the route layer's error table (zh-CN first) and the UI. */
export const SCORE_REFUSALS: Readonly<Record<ScoreRefusalCode, { rule: ScoreRule; zh: string; en: string }>> = {
  'score.wrong_state': { rule: 'R7.1', zh: '成绩登记表当前状态不允许此操作', en: 'The tally is not in a state that allows this' },
  'score.not_allowed_for_role': { rule: 'R7.1', zh: '您的角色不能进行此操作', en: 'Your role may not do this' },
  'score.verifier_is_enterer': {
    rule: 'R7.1',
    zh: '成绩校对人不能是录入或更正该成绩的人（R7.1）',
    en: 'The verifier may not be a person who entered or amended these scores (R7.1)',
  },
  'score.verifier_is_importer': {
    rule: 'R7.1',
    zh: '成绩校对人不能是导入该成绩的人（R7.1）',
    en: 'The verifier may not be the person who imported these scores (R7.1)',
  },
  'score.verifier_signed_sheet': {
    rule: 'R7.1',
    zh: '成绩校对人不能是签署该评分表的考评员（R7.1）',
    en: 'The verifier may not be an examiner who signed these score sheets (R7.1)',
  },
  'score.resolver_is_keyer': {
    rule: 'R7.1',
    zh: '差异须由两次录入人以外的第三人裁定（R7.1）',
    en: 'A difference is resolved by a third person, not either keyer (R7.1)',
  },
  'score.resolver_signed_sheet': {
    rule: 'R7.1',
    zh: '差异不能由签署该评分表的考评员裁定（R7.1）',
    en: 'A difference may not be resolved by an examiner who signed the sheets (R7.1)',
  },
  'score.signer_not_checker': {
    rule: 'R7.1',
    zh: '成绩登记表须由完成校对的成绩校对人签字（R7.1）',
    en: 'The tally is signed by the verifier who checked it (R7.1)',
  },
  'score.reason_required': { rule: 'R7.1', zh: '须填写理由', en: 'A reason is required' },
  'score.entry_invalid': { rule: 'R7.1', zh: '成绩数据有误（考生、评分项或分值）', en: 'The scores are invalid (candidate, item or value)' },
  'score.sheet_missing': {
    rule: 'R7.1',
    zh: '该考生没有考评员签名的评分表，操作技能成绩未生效（R7.1）',
    en: 'The candidate has no score sheet signed by an examiner; a practical score takes effect only when signed (R7.1)',
  },
  'score.difference_unknown': { rule: 'R7.1', zh: '没有该项差异', en: 'No such difference' },
  'score.difference_resolved': { rule: 'R7.1', zh: '该项差异已裁定', en: 'This difference is already resolved' },
  'score.resolution_invalid': {
    rule: 'R7.1',
    zh: '裁定的分值无效（超出范围，或同一考生部分项目无成绩）',
    en: 'The decided value is invalid (out of range, or a candidate left with only some items scored)',
  },
  'score.amend_no_change': { rule: 'R7.1', zh: '更正没有改变任何成绩', en: 'The amendment changes no score' },
}

const no = (r: ScoreRefusal): { ok: false; error: ScoreRefusal } => refuse(r)
const R = 'R7.1' as const

/** The rows for (state, action). */
export const movesFor = (state: TallyState, action: TallyAction): TallyMove[] => TALLY_MOVES.filter((m) => m.from === state && m.action === action)
const allowedFrom = (action: TallyAction): TallyState[] => [...new Set(TALLY_MOVES.filter((m) => m.action === action).map((m) => m.from))]

/** The table's answer before the action's own checks: a listed move for this state, and a role it allows. */
export function checkTallyMove(state: TallyState, action: TallyAction, actor: Actor): Result<TallyMove[], ScoreRefusal> {
  const moves = movesFor(state, action)
  if (moves.length === 0) return no({ rule: R, code: 'score.wrong_state', state, action, allowedFrom: allowedFrom(action) })
  const who = moves[0]!.who
  if (!actor.roles.some((r) => who.includes(r))) return no({ rule: R, code: 'score.not_allowed_for_role', action, userId: actor.userId, allowed: who })
  return ok(moves)
}

// ---------- values ----------

const tenths = (n: number): number => Math.round(n * 10)
/** A score is 0..max in steps of at most one decimal (as the kiosk's sheets). */
export const validScore = (score: unknown, max: number): score is number =>
  typeof score === 'number' && Number.isFinite(score) && score >= 0 && score <= max && Math.abs(score * 10 - Math.round(score * 10)) < 1e-9

/** Lines checked against the tally's candidates and items: each candidate once, every item once, within range. */
export function checkLines(lines: readonly ScoreLine[], tally: Pick<Tally, 'items' | 'candidates'>): Result<ScoreLine[], ScoreRefusal> {
  const bad = (candidateId: string | null, itemId: string | null, reason: EntryProblem) =>
    no({ rule: R, code: 'score.entry_invalid', candidateId, itemId, reason })
  if (lines.length === 0) return bad(null, null, 'empty')
  const candidates = new Set(tally.candidates)
  const items = new Map(tally.items.map((i) => [i.id, i]))
  const seen = new Set<string>()
  const out: ScoreLine[] = []
  for (const line of lines) {
    if (!candidates.has(line.candidateId)) return bad(line.candidateId, null, 'unknown_candidate')
    if (seen.has(line.candidateId)) return bad(line.candidateId, null, 'candidate_twice')
    seen.add(line.candidateId)
    const got = new Set<string>()
    for (const it of line.items) {
      const spec = items.get(it.itemId)
      if (!spec) return bad(line.candidateId, it.itemId, 'unknown_item')
      if (got.has(it.itemId)) return bad(line.candidateId, it.itemId, 'item_twice')
      got.add(it.itemId)
      if (!validScore(it.score, spec.max)) return bad(line.candidateId, it.itemId, 'range')
    }
    const missing = tally.items.find((i) => !got.has(i.id))
    if (missing) return bad(line.candidateId, missing.id, 'item_missing')
    // Items in the tally's order, so two entries compare and print alike.
    out.push({ candidateId: line.candidateId, items: tally.items.map((i) => ({ itemId: i.id, score: line.items.find((x) => x.itemId === i.id)!.score })) })
  }
  return ok(out)
}

/**
 * Every (candidate, item) where two sets of lines disagree, in the tally's candidate and item order. A line
 * present on one side only differs on every item.
 */
export function compareLines(first: readonly ScoreLine[], second: readonly ScoreLine[], tally: Pick<Tally, 'items' | 'candidates'>): Difference[] {
  const a = new Map(first.map((l) => [l.candidateId, l]))
  const b = new Map(second.map((l) => [l.candidateId, l]))
  const out: Difference[] = []
  for (const candidateId of tally.candidates) {
    const la = a.get(candidateId),
      lb = b.get(candidateId)
    if (!la && !lb) continue
    for (const item of tally.items) {
      const x = la?.items.find((i) => i.itemId === item.id)?.score ?? null
      const y = lb?.items.find((i) => i.itemId === item.id)?.score ?? null
      if (x === null || y === null ? x !== y : tenths(x) !== tenths(y)) out.push({ candidateId, itemId: item.id, first: x, second: y })
    }
  }
  return out
}

// ---------- separation of duties (R7.1) ----------

function checkNotEnterer(tally: Tally, userId: string): ScoreRefusal | null {
  const entries = tally.enteredBy.filter((e) => e.userId === userId)
  // An import names its own rule text; hand entry, collection and amendment are all "entered".
  if (entries.some((e) => e.how === 'import')) return { rule: R, code: 'score.verifier_is_importer', userId }
  if (entries.length > 0) return { rule: R, code: 'score.verifier_is_enterer', userId }
  if (tally.sheetSigners.includes(userId)) return { rule: R, code: 'score.verifier_signed_sheet', userId }
  return null
}

// ---------- the actions ----------

export type TallyCommand =
  | { action: 'enter' | 'import'; lines: readonly ScoreLine[] }
  | { action: 'collect'; sheets: readonly SignedSheet[] }
  | { action: 'second_entry'; lines: readonly ScoreLine[] }
  | { action: 'check_sheet'; sheets: readonly SignedSheet[] }
  | { action: 'resolve'; candidateId: string; itemId: string; value: number | null; reason: string }
  | { action: 'sign' }
  | { action: 'amend'; lines: readonly ScoreLine[]; reason: string; sheets?: readonly SignedSheet[] }

export interface NewTally {
  id: string
  sessionId: string
  subjectId: string
  items: readonly TallyItem[]
  candidates: readonly string[]
}

/** An empty tally in state `none`, before anything is entered. */
export function newTally(t: NewTally): Tally {
  return {
    id: t.id,
    sessionId: t.sessionId,
    subjectId: t.subjectId,
    items: t.items.map((i) => ({ ...i })),
    candidates: [...t.candidates],
    state: 'none',
    version: 0,
    lines: [],
    enteredBy: [],
    sheetSigners: [],
    sheets: [],
    method: null,
    checkedBy: null,
    secondLines: null,
    differences: [],
    resolutions: [],
    signedBy: null,
    signedAt: null,
    history: [],
  }
}

const MAX_REASON = 500
const cleanReason = (s: string | undefined): string | null => {
  const r = (s ?? '').trim()
  return r === '' || r.length > MAX_REASON ? null : r
}

/** The lines the signed kiosk sheets give, checked: every sheet's candidate once. */
function linesOfSheets(sheets: readonly SignedSheet[], tally: Tally): Result<ScoreLine[], ScoreRefusal> {
  return checkLines(
    sheets.map((s) => ({ candidateId: s.candidateId, items: s.items })),
    tally,
  )
}

/**
 * Decide one action on a tally: the state table first, then the action's own rules. Returns the tally after it.
 * Example: decideTally(tally, { action: 'sign' }, { userId: 'v1', roles: ['verifier'] }, now)
 */
export function decideTally(tally: Tally, cmd: TallyCommand, actor: Actor, at: number): Result<Tally, ScoreRefusal> {
  const table = checkTallyMove(tally.state, cmd.action, actor)
  if (!table.ok) return table
  const moves = table.value
  const move = (when?: TallyMove['when']): TallyMove => moves.find((m) => m.when === when)!
  const event = (reason?: string): TallyEvent => ({
    version: cmd.action === 'amend' || tally.state === 'none' ? tally.version + 1 : tally.version,
    action: cmd.action,
    by: actor.userId,
    at,
    ...(reason ? { reason } : {}),
  })

  // The table's separation of duties (R7.1). A check against the sheets knows their signers before it starts.
  const signers = cmd.action === 'check_sheet' ? [...new Set([...tally.sheetSigners, ...cmd.sheets.map((s) => s.examinerId)])] : tally.sheetSigners
  const notBy = moves[0]!.notBy
  if (notBy === 'enterers_and_signers') {
    const duty = checkNotEnterer({ ...tally, sheetSigners: signers }, actor.userId)
    if (duty) return no(duty)
  } else if (notBy === 'keyers_and_signers') {
    // A third person: neither keyer (whoever entered, the second keyer) nor a signer of the sheets.
    if (tally.enteredBy.some((e) => e.userId === actor.userId) || tally.checkedBy === actor.userId) {
      return no({ rule: R, code: 'score.resolver_is_keyer', userId: actor.userId })
    }
    if (tally.sheetSigners.includes(actor.userId)) return no({ rule: R, code: 'score.resolver_signed_sheet', userId: actor.userId })
  }
  let reason = ''
  if (moves[0]!.reason) {
    const r = cleanReason('reason' in cmd ? cmd.reason : undefined)
    if (r === null) return no({ rule: R, code: 'score.reason_required', action: cmd.action })
    reason = r
  }

  switch (cmd.action) {
    case 'enter':
    case 'import':
    case 'collect': {
      const lines = cmd.action === 'collect' ? linesOfSheets(cmd.sheets, tally) : checkLines(cmd.lines, tally)
      if (!lines.ok) return lines
      const sheets = cmd.action === 'collect' ? cmd.sheets : []
      return ok({
        ...tally,
        state: move().to,
        version: 1,
        lines: lines.value,
        enteredBy: [{ userId: actor.userId, how: cmd.action }],
        sheetSigners: [...new Set(sheets.map((s) => s.examinerId))],
        sheets: sheets.map((s) => ({ candidateId: s.candidateId, sheetId: s.id })),
        history: [event()],
      })
    }
    case 'second_entry':
    case 'check_sheet': {
      let second: ScoreLine[]
      let sheets = tally.sheets
      if (cmd.action === 'second_entry') {
        const lines = checkLines(cmd.lines, tally)
        if (!lines.ok) return lines
        second = lines.value
      } else {
        // Against the signed sheet: every line of the tally needs the candidate's sheet in force.
        const byCandidate = new Map(cmd.sheets.map((s) => [s.candidateId, s]))
        const unsigned = tally.lines.find((l) => !byCandidate.has(l.candidateId))
        if (unsigned) return no({ rule: R, code: 'score.sheet_missing', candidateId: unsigned.candidateId })
        const lines = linesOfSheets(cmd.sheets, tally)
        if (!lines.ok) return lines
        second = lines.value
        sheets = cmd.sheets.map((s) => ({ candidateId: s.candidateId, sheetId: s.id }))
      }
      const differences = compareLines(tally.lines, second, tally)
      return ok({
        ...tally,
        state: move(differences.length === 0 ? 'agree' : 'differ').to,
        method: cmd.action === 'second_entry' ? 'double_entry' : 'against_sheet',
        checkedBy: actor.userId,
        secondLines: second,
        sheetSigners: signers,
        sheets,
        differences,
        resolutions: [],
        history: [...tally.history, event()],
      })
    }
    case 'resolve': {
      const diff = tally.differences.find((d) => d.candidateId === cmd.candidateId && d.itemId === cmd.itemId)
      if (!diff) return no({ rule: R, code: 'score.difference_unknown', candidateId: cmd.candidateId, itemId: cmd.itemId })
      if (tally.resolutions.some((r) => r.candidateId === cmd.candidateId && r.itemId === cmd.itemId)) {
        return no({ rule: R, code: 'score.difference_resolved', candidateId: cmd.candidateId, itemId: cmd.itemId })
      }
      const item = tally.items.find((i) => i.id === cmd.itemId)!
      // "No score" is a choice only where one side had none; otherwise the value is a score of the item.
      const valueOk = cmd.value === null ? diff.first === null || diff.second === null : validScore(cmd.value, item.max)
      // A candidate is scored on every item or on none: the same choice for each of their differences.
      const mixed = tally.resolutions.some((r) => r.candidateId === cmd.candidateId && (r.value === null) !== (cmd.value === null))
      if (!valueOk || mixed) return no({ rule: R, code: 'score.resolution_invalid', candidateId: cmd.candidateId, itemId: cmd.itemId })
      const resolutions = [...tally.resolutions, { candidateId: cmd.candidateId, itemId: cmd.itemId, value: cmd.value, by: actor.userId, reason, at }]
      const last = resolutions.length === tally.differences.length
      let lines = tally.lines
      if (last) {
        const built = resolvedLines(tally, resolutions)
        if (!built.ok) return built
        lines = built.value
      }
      return ok({ ...tally, state: move(last ? 'last' : 'open').to, lines, resolutions, history: [...tally.history, event(reason)] })
    }
    case 'sign': {
      if (tally.checkedBy !== actor.userId) return no({ rule: R, code: 'score.signer_not_checker', userId: actor.userId, checkedBy: tally.checkedBy })
      return ok({ ...tally, state: move().to, signedBy: actor.userId, signedAt: at, history: [...tally.history, event()] })
    }
    case 'amend': {
      const lines = checkLines(cmd.lines, tally)
      if (!lines.ok) return lines
      if (compareLines(tally.lines, lines.value, tally).length === 0) return no({ rule: R, code: 'score.amend_no_change' })
      // A corrected kiosk sheet carries its new examiner signature; its signer joins those who may not verify.
      const sheets = cmd.sheets ?? []
      const sheetIds = new Map(tally.sheets.map((s) => [s.candidateId, s.sheetId]))
      for (const s of sheets) sheetIds.set(s.candidateId, s.id)
      return ok({
        ...tally,
        state: move().to,
        version: tally.version + 1,
        lines: lines.value,
        enteredBy: [...tally.enteredBy, { userId: actor.userId, how: 'amend' }],
        sheetSigners: [...new Set([...tally.sheetSigners, ...sheets.map((s) => s.examinerId)])],
        sheets: [...sheetIds].map(([candidateId, sheetId]) => ({ candidateId, sheetId })),
        method: null,
        checkedBy: null,
        secondLines: null,
        differences: [],
        resolutions: [],
        signedBy: null,
        signedAt: null,
        history: [...tally.history, event(reason)],
      })
    }
  }
}

/** The lines after every difference is resolved: agreed values stay, resolved ones take the decided value. */
function resolvedLines(tally: Tally, resolutions: readonly Resolution[]): Result<ScoreLine[], ScoreRefusal> {
  const first = new Map(tally.lines.map((l) => [l.candidateId, l]))
  const out: ScoreLine[] = []
  for (const candidateId of tally.candidates) {
    const diffs = tally.differences.filter((d) => d.candidateId === candidateId)
    const line = first.get(candidateId)
    if (diffs.length === 0) {
      if (line) out.push(line)
      continue
    }
    const values = tally.items.map((item) => {
      const r = resolutions.find((x) => x.candidateId === candidateId && x.itemId === item.id)
      return r ? r.value : (line?.items.find((i) => i.itemId === item.id)?.score ?? null)
    })
    if (values.every((v) => v === null)) continue
    const gap = values.findIndex((v) => v === null)
    if (gap !== -1) return no({ rule: R, code: 'score.resolution_invalid', candidateId, itemId: tally.items[gap]!.id })
    out.push({ candidateId, items: tally.items.map((item, i) => ({ itemId: item.id, score: values[i]! })) })
  }
  return ok(out)
}

/** The candidate's total on a tally if it counts — verified and signed (R7.1) — else null. */
export function countedScore(tally: Pick<Tally, 'state' | 'lines'>, candidateId: string): number | null {
  if (tally.state !== 'signed') return null
  const line = tally.lines.find((l) => l.candidateId === candidateId)
  return line ? Math.round(line.items.reduce((a, i) => a + tenths(i.score), 0)) / 10 : null
}

/** The differences still waiting for a third person. */
export const openDifferences = (tally: Pick<Tally, 'differences' | 'resolutions'>): Difference[] =>
  tally.differences.filter((d) => !tally.resolutions.some((r) => r.candidateId === d.candidateId && r.itemId === d.itemId))
