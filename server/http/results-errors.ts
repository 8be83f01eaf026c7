import type { LookupCode, ResultsCode } from '../services/results.ts'
import type { ErrorEntry } from './_errors.ts'

/**
 * Publication (R7.2), reviews (核查, R7.2) and the public lookup. A lookup miss is one neutral answer whatever
 * was wrong (no such ticket, another person's ID number, not published), so it reveals nothing.
 */
export const RESULTS_ERRORS: Record<ResultsCode | LookupCode, ErrorEntry> = {
  'publication.too_early': {
    status: 409,
    zh: '考试结束后满 10 个工作日方可公示成绩（R7.2），请见最早公示日期',
    en: 'Results are published no earlier than 10 working days after the exam ends (R7.2); see the earliest date',
  },
  'publication.period_not_over': {
    status: 409,
    zh: '公示期不少于 5 个工作日（R7.2），尚不能撤下',
    en: 'Results stay up for at least 5 working days (R7.2); they cannot come down yet',
  },
  'publication.batch_not_found': { status: 404, zh: '没有这个批次', en: 'No such batch' },
  'publication.not_complete': {
    status: 409,
    zh: '尚有成绩未经校核签字（R7.1），不能公示',
    en: 'Some scores are not yet verified and signed (R7.1); results cannot be published',
  },
  'publication.already_published': { status: 409, zh: '该批次成绩已公示', en: "This batch's results are already published" },
  'publication.not_published': { status: 409, zh: '该批次成绩尚未公示', en: "This batch's results are not published" },
  'publication.already_withdrawn': { status: 409, zh: '该批次公示已撤下', en: "This batch's results were already taken down" },
  'publication.wrong_state': { status: 409, zh: '批次须为“已结束”状态才能公示成绩', en: 'The batch must be completed before its results are published' },
  'publication.role_not_allowed': { status: 403, zh: '只有报名审核人员能公示或撤下成绩', en: 'Only a registrar publishes or takes down results' },
  'review.not_published': { status: 409, zh: '成绩尚未公示，不能申请核查', en: 'The results are not published; no review yet' },
  'review.too_late': {
    status: 409,
    zh: '已超过核查申请期限（公示后 1 个月内，R7.2），期限见详情',
    en: 'Too late: a review is requested within 1 month of publication (R7.2); the deadline is in the details',
  },
  'review.already_open': { status: 409, zh: '该科目已有未结束的核查', en: 'A review of this subject is already open' },
  'review.wrong_state': { status: 409, zh: '核查当前状态不允许此操作', en: "The review's state does not allow this" },
  'review.role_not_allowed': { status: 403, zh: '您的角色不能执行此核查操作', en: 'Your role may not do this to a review' },
  'review.same_person': {
    status: 403,
    zh: '核查结论须由另一人复核（R7.2），不能复核自己的结论',
    en: "A review's outcome is checked by a second person (R7.2), not the one who decided it",
  },
  'review.reason_required': { status: 400, zh: '请填写理由', en: 'Give a reason' },
  'review.not_found': { status: 404, zh: '没有这条核查', en: 'No such review' },
  'review.subject_not_found': { status: 404, zh: '该考生在本批次没有这个科目的公示成绩', en: 'No published result of this subject for this candidate' },
  'review.score_invalid': { status: 400, zh: '新分数须在 0 与满分之间', en: 'The new score must be between 0 and the maximum' },
  'review.score_refused': { status: 409, zh: '成绩系统拒绝了这次改分，详情见原因', en: 'The scores service refused the change; see the cause' },
  'lookup.not_found': {
    status: 404,
    zh: '未查到成绩：请核对准考证号和身份证号，或成绩尚未公示',
    en: 'No result found: check the ticket number and ID number, or the results are not published yet',
  },
  'lookup.rate_limited': { status: 429, zh: '查询次数过多，请稍后再试', en: 'Too many lookups; try again later' },
}
