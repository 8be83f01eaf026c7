import type { CustodyCode } from '../domain/custody/index.ts'
import type { CustodyError } from '../services/custody.ts'
import type { LeaksError } from '../services/leaks.ts'
import type { ErrorEntry } from './_errors.ts'

/** Codes of the packet, leak and alert services that are not custody-domain refusals (those are in CUSTODY_ERRORS). */
export type PacketsErrorCode = Exclude<CustodyError['code'] | LeaksError['code'], CustodyCode | 'auth.rate_limited' | 'auth.busy' | 'session.not_found'>

/** Packet custody, handovers, leaks and alerts: lookups and the second person's credentials. */
export const PACKETS_ERRORS: Record<PacketsErrorCode, ErrorEntry> = {
  'witness.invalid_credentials': { status: 401, zh: '见证人（第二人）的用户名或密码错误', en: 'Wrong username or password for the witness (second person)' },
  'packet.not_found': { status: 404, zh: '没有这个试卷袋', en: 'No such packet' },
  'paper.not_found': { status: 404, zh: '没有这份试卷', en: 'No such paper' },
  'handover.not_found': { status: 404, zh: '没有这项交接', en: 'No such handover' },
  'handover.receiver_unknown': { status: 400, zh: '没有这个接收人账号，或该账号已停用', en: 'No such receiver account, or it is disabled' },
  'alert.not_found': { status: 404, zh: '没有这条警报', en: 'No such alert' },
  'alert.already_acknowledged': { status: 409, zh: '该警报已被确认', en: 'This alert has already been acknowledged' },
  'leak.not_found': { status: 404, zh: '没有这份泄密报告', en: 'No such leak report' },
  'leak.paper_required': { status: 400, zh: '请指明试卷或试卷袋', en: 'Name the paper or the packet' },
  'packet.seal_hidden': {
    status: 403,
    zh: '您还须亲自核对该试卷袋的封条：确认或拒收交接、或启封之后才能查看此记录',
    en: "You still have to check this packet's seal yourself: this record is available once you have confirmed or declined the handover, or opened the packet",
  },
}
