import type { ErrorEntry } from './_errors.ts'
import type { TicketsError } from '../services/tickets.ts'

export type TicketsErrorCode = Exclude<TicketsError['code'], 'session.not_found' | 'room.not_attached'>

/** Admission tickets (R3.3–R3.5). `session.not_found` and `room.not_attached` are in the rooms table. */
export const TICKETS_ERRORS: Record<TicketsErrorCode, ErrorEntry> = {
  'ticket.candidate_not_found': { status: 404, zh: '本批次没有这个考生', en: 'No such candidate in this batch' },
  'ticket.not_approved': { status: 409, zh: '考生未通过资格审核，不能发准考证', en: 'The candidate is not approved; no ticket can be issued' },
  'ticket.not_paid': {
    status: 409,
    zh: '考生尚未缴费，不能发准考证（缴费发票为领证凭证）',
    en: 'The fee is not paid; the invoice is the voucher for the ticket',
  },
  'ticket.not_seated': { status: 409, zh: '考生尚未编排座位', en: 'The candidate has no seat yet' },
  'ticket.already_issued': { status: 409, zh: '该考生本场次已有有效准考证', en: 'The candidate already holds a live ticket for this session' },
  'ticket.not_found': { status: 404, zh: '没有这张准考证', en: 'No such ticket' },
  'ticket.already_revoked': { status: 409, zh: '该准考证已作废', en: 'The ticket is revoked already' },
  'ticket.revoked': { status: 409, zh: '该准考证已作废，不能打印', en: 'The ticket is revoked; it cannot be printed' },
  'ticket.session_closed': { status: 409, zh: '该场次已停考或已结束', en: 'The session is suspended or over' },
}

/** The demo's door drill sheet (server/services/door-drill.ts). */
export const DRILL_ERRORS: Record<'drill.not_loaded', ErrorEntry> = {
  'drill.not_loaded': { status: 404, zh: '没有载入考场门口核验演练（演示数据）', en: 'No door drill is loaded (demo data)' },
}
