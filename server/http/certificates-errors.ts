import type { CertificateCode } from '../domain/certificates/index.ts'
import type { CertificateKeyCode } from '../services/certificate-keys.ts'
import type { CertificatesServiceCode } from '../services/certificates.ts'
import type { ErrorEntry } from './_errors.ts'

/**
 * Certificates (R8.1–R8.3). An issuing refusal names the missing condition; a reissue refusal for a wrong ID number
 * says only that it does not match.
 */
export const CERTIFICATES_ERRORS: Record<CertificateCode | CertificatesServiceCode | CertificateKeyCode | 'certificate.rate_limited', ErrorEntry> = {
  'certificate.number_invalid': { status: 400, zh: '证书编号格式不正确（第 {position} 位）', en: 'The certificate number is not valid (position {position})' },
  'certificate.body_config_invalid': {
    status: 400,
    zh: '机构编号设置不正确（第 {position} 位）：{reason}',
    en: 'The body number configuration is not valid (position {position}): {reason}',
  },
  'certificate.sequence_exhausted': {
    status: 409,
    zh: '本机构本年度该等级的证书顺序号已用完',
    en: 'No certificate sequence left for this body, year and level',
  },
  'certificate.holder_data_missing': { status: 409, zh: '缺少持证人姓名或身份证号（个人信息已删除）', en: "The holder's name or ID number is no longer held" },
  'certificate.no_subjects': { status: 409, zh: '没有可认定的科目成绩', en: 'No subject results to certify' },
  'certificate.subject_not_passed': { status: 409, zh: '尚有科目未合格', en: 'Not every subject is passed' },
  'certificate.results_not_published': { status: 409, zh: '成绩尚未公示', en: 'The results are not published yet' },
  'certificate.publication_not_over': { status: 409, zh: '成绩公示期未满（至 {lastDay}）', en: 'The publication period is not over (until {lastDay})' },
  'certificate.review_open': { status: 409, zh: '该考生尚有未办结的成绩复核', en: "A review of the candidate's results is still open" },
  'certificate.approval_missing': {
    status: 409,
    zh: '尚未登记市职业技能鉴定中心的审核批复文号',
    en: "The municipal centre's approval reference is not recorded",
  },
  'certificate.already_issued': {
    status: 409,
    zh: '该考生已持有本批次的有效证书 {number}',
    en: 'The candidate already holds certificate {number} of this batch',
  },
  'certificate.not_found': { status: 404, zh: '没有这本证书', en: 'No such certificate' },
  'certificate.revoked': { status: 409, zh: '该证书已作废', en: 'This certificate is revoked' },
  'certificate.holder_mismatch': { status: 409, zh: '身份证号与持证人不符', en: "The ID number does not match the holder's" },
  'certificate.reason_required': { status: 400, zh: '请填写补发原因（最多 500 字）', en: 'Give a reason for the reissue (at most 500 characters)' },
  'certificate.reissue_not_pending': {
    status: 409,
    zh: '该补发申请已处理，或该证书已有待审批的申请',
    en: 'The request was decided already, or one is pending',
  },
  'certificate.same_person': { status: 409, zh: '申请人不能审批自己登记的补发申请', en: 'The person who recorded the request cannot decide it' },
  'certificate.not_allowed_for_role': { status: 403, zh: '您的角色不能执行此证书操作', en: 'Your role may not do this to certificates' },
  'certificate.batch_not_found': { status: 404, zh: '没有这个认定批次', en: 'No such batch' },
  'certificate.candidate_not_found': { status: 404, zh: '该批次没有这名已审核通过的考生', en: 'No such approved candidate in this batch' },
  'certificate.body_not_configured': {
    status: 409,
    zh: '系统管理员尚未设置证书编号的机构代码（第 1–13 位）',
    en: 'An administrator has not set the body part of certificate numbers (positions 1–13)',
  },
  'certificate.approval_ref_invalid': { status: 400, zh: '审核批复文号须为 1–100 个字符', en: 'The approval reference must be 1–100 characters' },
  'certificate.body_name_invalid': {
    status: 400,
    zh: '机构名称须为 2–60 个字符，不含控制字符',
    en: "The body's name must be 2–60 characters without control characters",
  },
  'certificate.reissue_not_found': { status: 404, zh: '没有这份补发申请', en: 'No such reissue request' },
  'certificate.rate_limited': { status: 429, zh: '查询过于频繁，请稍后再试', en: 'Too many lookups; try again later' },
  'certificate_key.not_allowed_for_role': { status: 403, zh: '只有系统管理员能轮换证书签名密钥', en: 'Only an administrator rotates the certificate key' },
}
