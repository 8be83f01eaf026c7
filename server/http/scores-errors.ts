import { SCORE_REFUSALS, type ScoreRefusalCode } from '../domain/scores/index.ts'
import type { ScoresError } from '../services/scores.ts'
import type { ErrorEntry } from './_errors.ts'

const STATUS: Record<ScoreRefusalCode, number> = {
  'score.wrong_state': 409,
  'score.not_allowed_for_role': 403,
  'score.verifier_is_enterer': 403,
  'score.verifier_is_importer': 403,
  'score.verifier_signed_sheet': 403,
  'score.resolver_is_keyer': 403,
  'score.resolver_signed_sheet': 403,
  'score.signer_not_checker': 403,
  'score.reason_required': 400,
  'score.entry_invalid': 422,
  'score.sheet_missing': 409,
  'score.difference_unknown': 422,
  'score.difference_resolved': 409,
  'score.resolution_invalid': 422,
  'score.amend_no_change': 422,
}
const fromDomain = Object.fromEntries(
  Object.entries(SCORE_REFUSALS).map(([code, m]) => [code, { status: STATUS[code as ScoreRefusalCode], zh: m.zh, en: m.en }]),
) as Record<ScoreRefusalCode, ErrorEntry>

/** Scores (R7.1) and review changes (R7.3): every refusal names its rule. */
export const SCORES_ERRORS: Record<ScoresError['code'], ErrorEntry> = {
  ...fromDomain,
  'score.batch_unknown': { status: 404, zh: '没有这个批次', en: 'No such batch' },
  'score.session_unknown': { status: 404, zh: '没有这个考试场次', en: 'No such exam session' },
  'score.not_for_import': { status: 422, zh: '该科目的成绩不能导入（R7.1）', en: "This subject's scores cannot be imported (R7.1)" },
  'score.not_practical': {
    status: 409,
    zh: '只有操作技能场次的成绩来自考评员签名的评分表（R7.1）',
    en: "Only a practical session's scores come from the examiners' signed sheets (R7.1)",
  },
  'score.no_sheets': {
    status: 409,
    zh: '该场次还没有考评员签名的评分表，操作技能成绩未生效（R7.1）',
    en: 'No score sheet of this session is signed by an examiner yet; practical scores take effect only when signed (R7.1)',
  },
  'score.no_candidate_score': { status: 404, zh: '该考生在该科目没有已登记的成绩（R7.3）', en: 'The candidate has no recorded score in this subject (R7.3)' },
  'score.review_change_open': {
    status: 409,
    zh: '该考生该科目已有待确认的复核更改（R7.3）',
    en: 'A review change of this candidate and subject is already waiting for confirmation (R7.3)',
  },
  'score.review_change_unknown': { status: 404, zh: '没有这个复核更改', en: 'No such review change' },
  'score.review_change_confirmed': { status: 409, zh: '该复核更改已经确认', en: 'This review change is already confirmed' },
  'score.review_confirmer_is_proposer': {
    status: 403,
    zh: '复核更改须由提出人以外的成绩校对人重新校对并签字（R7.3、R7.1）',
    en: 'A review change is re-verified and signed by a verifier other than its proposer (R7.3, R7.1)',
  },
  'score_import.invalid': {
    status: 422,
    zh: '成绩文件有错误，未导入任何成绩，请按错误报告修改后重新导入（R7.1）',
    en: 'The score file has errors; nothing was imported. Fix the rows in the report and import again (R7.1)',
  },
}
