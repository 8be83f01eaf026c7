import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { AccountError, LoginError } from '../services/index.ts'
import { LIFECYCLE_ERRORS } from './lifecycle-errors.ts'
import { ROOMS_ERRORS } from './rooms-errors.ts'
import { DRILL_ERRORS, TICKETS_ERRORS } from './tickets-errors.ts'
import { CUSTODY_ERRORS } from './custody-errors.ts'
import { PAPERS_ERRORS } from './papers-errors.ts'
import { KEY_ERRORS } from './keys-errors.ts'
import { PACKETS_ERRORS } from './packets-errors.ts'
import { type AccountsErrorCode, ACCOUNTS_ERRORS } from './accounts-errors.ts'
import { KIOSK_ERRORS } from './kiosk-errors.ts'
import { KIOSK_ROOM_ERRORS } from './kiosk-room-errors.ts'
import { CERTIFICATES_ERRORS } from './certificates-errors.ts'
import { STATISTICS_ERRORS } from './statistics-errors.ts'
import { SCORES_ERRORS } from './scores-errors.ts'
import { RESULTS_ERRORS } from './results-errors.ts'

/**
 * Every refusal code the API can answer with, its HTTP status and a message a person understands
 * (zh-CN first, English second). Each feature keeps its own table typed by its domain's code union
 * (so a new domain code without an entry fails to compile) and is spread into ERRORS below.
 */
export interface ErrorEntry {
  status: ContentfulStatusCode
  zh: string
  en: string
}
type Entry = ErrorEntry

type CoreCode =
  | Exclude<AccountError['code'] | LoginError['code'], AccountsErrorCode>
  | 'request.invalid'
  | 'request.malformed_json'
  | 'request.too_large'
  | 'request.unsupported_media_type'
  | 'request.not_found'
  | 'request.method_not_allowed'
  | 'auth.required'
  | 'auth.forbidden'
  | 'csrf.origin_mismatch'
  | 'log.damaged'
  | 'log.range_invalid'
  | 'log.index_out_of_range'
  | 'internal'

const CORE_ERRORS: Record<CoreCode, Entry> = {
  'request.invalid': { status: 400, zh: '请求内容不符合要求', en: 'The request is not valid' },
  'request.malformed_json': { status: 400, zh: '请求内容不是有效的 JSON', en: 'The request body is not valid JSON' },
  'request.too_large': { status: 413, zh: '请求内容过大', en: 'The request body is too large' },
  'request.unsupported_media_type': { status: 415, zh: '不支持的内容类型，请使用 application/json', en: 'Unsupported content type; send application/json' },
  'request.not_found': { status: 404, zh: '没有这个地址', en: 'No such resource' },
  'request.method_not_allowed': { status: 405, zh: '不支持该请求方法', en: 'Method not allowed' },
  'auth.required': { status: 401, zh: '请先登录', en: 'Please log in first' },
  'auth.invalid_credentials': { status: 401, zh: '用户名或密码错误', en: 'Wrong username or password' },
  'auth.account_disabled': { status: 403, zh: '该账号已停用', en: 'This account is disabled' },
  'auth.rate_limited': { status: 429, zh: '登录失败次数过多，请稍后再试', en: 'Too many failed logins; try again later' },
  'auth.forbidden': { status: 403, zh: '您的角色无权执行此操作', en: 'Your role may not do this' },
  'csrf.origin_mismatch': { status: 403, zh: '请求来源不被信任（Origin 不符）', en: 'Request origin not trusted (Origin header mismatch)' },
  'user.username_invalid': {
    status: 400,
    zh: '用户名须为 2–32 位小写字母、数字或 . _ -，以字母开头',
    en: 'Username must be 2–32 lowercase letters, digits or . _ -, starting with a letter',
  },
  'user.username_taken': { status: 409, zh: '该用户名已被使用', en: 'That username is taken' },
  'user.roles_invalid': { status: 400, zh: '角色无效：至少选择一个已定义的角色', en: 'Invalid roles: choose at least one known role' },
  'user.password_weak': {
    status: 400,
    zh: '密码至少需要 12 个字符，且不能是常见或容易猜到的密码（如姓名、用户名、演示密码）',
    en: 'The password needs at least 12 characters and must not be common or easy to guess (names, the username, the demo password)',
  },
  'user.not_found': { status: 404, zh: '没有这个用户', en: 'No such user' },
  'user.cannot_disable_self': { status: 409, zh: '不能停用自己的账号', en: 'You cannot disable your own account' },
  'user.last_admin': { status: 409, zh: '必须保留至少一名有效的系统管理员', en: 'At least one active administrator must remain' },
  'log.damaged': {
    status: 503,
    zh: '审计日志与已签名检查点不一致，系统已停止写入，请联系管理员',
    en: 'The custody log disagrees with its signed checkpoint; writes are stopped until an administrator investigates',
  },
  'log.range_invalid': { status: 400, zh: '日志范围无效', en: 'Invalid log range' },
  'log.index_out_of_range': { status: 400, zh: '索引或树大小超出日志范围', en: 'Index or tree size is outside the log' },
  internal: { status: 500, zh: '服务器内部错误，已记录', en: 'Internal server error; it has been logged' },
}

export const ERRORS = {
  ...CORE_ERRORS,
  ...ACCOUNTS_ERRORS,
  // Feature tables (server/http/<feature>-errors.ts) are spread here.
  ...LIFECYCLE_ERRORS,
  ...ROOMS_ERRORS,
  ...TICKETS_ERRORS,
  ...DRILL_ERRORS,
  ...CUSTODY_ERRORS,
  ...KEY_ERRORS,
  ...PAPERS_ERRORS,
  ...PACKETS_ERRORS,
  ...KIOSK_ERRORS,
  ...KIOSK_ROOM_ERRORS,
  ...CERTIFICATES_ERRORS,
  ...STATISTICS_ERRORS,
  ...SCORES_ERRORS,
  ...RESULTS_ERRORS,
} satisfies Record<string, Entry>
export type ErrorCode = keyof typeof ERRORS

export interface ErrorBody {
  error: { code: ErrorCode; message: string; messageEn: string; details?: unknown }
}

export function errorBody(code: ErrorCode, details?: unknown): ErrorBody {
  const e = ERRORS[code]
  return { error: { code, message: fill(e.zh, details), messageEn: fill(e.en, details), ...(details === undefined ? {} : { details }) } }
}

/** A message may name a detail as `{key}` (e.g. the earliest allowed date); a key the details lack stays as written. */
function fill(message: string, details: unknown): string {
  if (typeof details !== 'object' || details === null || !message.includes('{')) return message
  const d = details as Record<string, unknown>
  return message.replace(/\{(\w+)\}/g, (m, k: string) => (typeof d[k] === 'string' || typeof d[k] === 'number' ? String(d[k]) : m))
}
