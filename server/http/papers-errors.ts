import type { CustodyCode } from '../domain/custody/index.ts'
import type { KeyCode } from '../domain/keys/index.ts'
import type { PapersError } from '../services/papers.ts'
import type { ErrorEntry } from './_errors.ts'

/** The papers service's own codes; the custody domain's are in custody-errors.ts, the session's and batch's elsewhere. */
export type PapersErrorCode = Exclude<PapersError['code'], CustodyCode | KeyCode | 'session.not_found' | 'session.not_scheduled' | 'batch.not_found'>

/** Papers, their encrypted files, print jobs, labels, custody settings, master keys (R5.1–R5.2). */
export const PAPERS_ERRORS: Record<PapersErrorCode, ErrorEntry> = {
  'paper.not_found': { status: 404, zh: '没有这份试卷', en: 'No such paper' },
  'print_job.not_found': { status: 404, zh: '没有这个印制任务', en: 'No such print job' },
  'packet.not_found': { status: 404, zh: '没有这个试卷袋', en: 'No such packet' },
  'paper.not_allowed_for_role': { status: 403, zh: '只有保密员能管理试卷文件', en: 'Only custodians manage paper files' },
  'paper.title_invalid': { status: 400, zh: '试卷名称须为 1–200 个字符', en: 'A paper title needs 1–200 characters' },
  'paper.kind_taken': {
    status: 409,
    zh: '本场次已有该类试卷（A 卷、B 卷各一份）',
    en: 'The session already has a paper of this kind (one paper A, one paper B)',
  },
  'paper.no_file': { status: 409, zh: '试卷尚未上传文件', en: 'The paper has no file yet' },
  'paper.file_locked': {
    status: 409,
    zh: '已有印制任务针对当前文件，不能更换（如需更换请先撤销未印制的任务）',
    en: 'A print job binds the current file; it cannot be replaced (cancel unprinted jobs first)',
  },
  'paper.file_empty': { status: 400, zh: '上传的文件为空', en: 'The uploaded file is empty' },
  'paper.file_too_large': { status: 413, zh: '文件超过大小上限', en: 'The file is larger than the limit' },
  'paper.file_damaged': {
    status: 409,
    zh: '加密的试卷文件缺失或已被改动，已拒绝解密并通知督导',
    en: 'The encrypted paper file is missing or altered; decryption refused and supervisors alerted',
  },
  'paper.key_unavailable': {
    status: 503,
    zh: '解密所需的主密钥不在本服务器，请联系系统管理员',
    en: 'The master key this file needs is not on this server; contact the administrator',
  },
  'print.copies_mismatch': {
    status: 409,
    zh: '印制份数与计划不符，请核对（应印份数见详情）',
    en: 'The number of copies printed differs from the plan (see details for the expected number)',
  },
  'paper.no_paper_key': {
    status: 409,
    zh: '试卷主密钥尚未由保密员分持：请系统管理员发起密钥仪式后再上传',
    en: 'The paper key has not been dealt to custodians yet: an administrator starts a key ceremony before uploads',
  },
  'master_key.not_plain': {
    status: 409,
    zh: '主密钥已拆分由保密员分持（或从未有过单一主密钥），不能再轮换为单一密钥；请使用密钥仪式',
    en: 'The paper key is split among custodians (or there is no plain master key); it cannot be rotated into a single key: use a key ceremony',
  },
  'settings.invalid': {
    status: 400,
    zh: '保密设置无效：解密时段须先开后关，分钟数为整数',
    en: 'Invalid custody settings: the window must open before it closes, in whole minutes',
  },
}
