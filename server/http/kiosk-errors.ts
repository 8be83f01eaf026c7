import type { KioskCode } from '../domain/kiosk/index.ts'
import type { TicketKeyCode } from '../services/ticket-keys.ts'
import type { ErrorEntry } from './_errors.ts'

/**
 * Door kiosks and the ticket key ring (docs/decisions/011-door-kiosk.md). An enrolment refusal never says whether
 * the code was wrong, used or expired; a device refusal names only what the tablet must do next.
 */
export const KIOSK_ERRORS: Record<KioskCode | TicketKeyCode, ErrorEntry> = {
  'kiosk.not_allowed_for_role': { status: 403, zh: '您的角色不能对门口平板执行此操作', en: 'Your role may not do this to a door kiosk' },
  'kiosk.move_not_allowed': {
    status: 409,
    zh: '该设备当前状态不允许此操作（可能已被吊销）',
    en: 'The device is not in a state that allows this (it may be revoked already)',
  },
  'kiosk.site_not_found': { status: 404, zh: '没有这个考点', en: 'No such site' },
  'kiosk.label_invalid': { status: 400, zh: '设备名称须为 1–60 个字符', en: 'The device label must be 1–60 characters' },
  'kiosk.reason_required': { status: 400, zh: '请填写吊销原因（最多 500 字）', en: 'Give a reason for the revocation (at most 500 characters)' },
  'kiosk.enrolment_invalid': { status: 403, zh: '登记码无效', en: 'The enrolment code is not valid' },
  'kiosk.public_key_invalid': {
    status: 400,
    zh: '设备公钥须为 P-256 未压缩点（65 字节，base64）',
    en: 'The device key must be an uncompressed P-256 point (65 bytes, base64)',
  },
  'kiosk.device_not_found': { status: 404, zh: '没有这台设备', en: 'No such device' },
  'kiosk.device_unknown': { status: 401, zh: '本设备未登记，请重新登记', en: 'This device is not enrolled; enrol it again' },
  'kiosk.device_revoked': { status: 403, zh: '本设备已被吊销，不能再使用', en: 'This device has been revoked and can no longer be used' },
  'kiosk.signature_invalid': { status: 401, zh: '设备签名无效', en: 'The device signature does not verify' },
  'kiosk.clock_skew': {
    status: 401,
    zh: '设备时间与服务器相差超过 5 分钟，请校准时间',
    en: "The device clock is more than 5 minutes off the server's; set the time",
  },
  'kiosk.rate_limited': { status: 429, zh: '登记尝试次数过多，请稍后再试', en: 'Too many enrolment attempts; try again later' },
  'ticket_key.not_allowed_for_role': { status: 403, zh: '只有系统管理员能轮换准考证签名密钥', en: 'Only an administrator rotates the ticket key' },
}
