// Names people read for the log's action codes. The code itself is always shown too: it is what the
// log records, and an action without a name here (added by a newer server) still reads sensibly.
import { T, type Text } from './_i18n.ts'

const ACTIONS: Record<string, Text> = {
  'session.opened': T('登录', 'Logged in'),
  'session.closed': T('退出登录', 'Logged out'),
  'user.created': T('创建用户', 'User created'),
  'user.create': T('创建用户', 'Create user'),
  'user.updated': T('修改用户', 'User changed'),
  'user.update': T('修改用户', 'Change user'),
  'user.disabled': T('停用用户', 'User disabled'),
  'user.enabled': T('启用用户', 'User enabled'),
  'user.password_set': T('重设密码', 'Password set'),
  'user.set_password': T('重设密码', 'Set password'),
  'request.refused': T('越权请求', 'Request beyond role'),
  'log.key_rotated': T('更换日志签名密钥', 'Log signing key rotated'),
  'demo.loaded': T('载入演示数据', 'Demo data loaded'),
}

/** The readable name of an action code, or null when this kiosk does not know it. */
export const actionName = (code: string): Text | null => ACTIONS[code] ?? null

export const OUTCOMES: Record<'ok' | 'refused', Text> = {
  ok: T('成功', 'Done'),
  refused: T('已拒绝', 'Refused'),
}

const SUBJECTS: Record<string, Text> = {
  user: T('用户', 'User'),
  log: T('日志', 'Log'),
}

/** The readable name of a subject type (`user`), or null when unknown. */
export const subjectTypeName = (type: string): Text | null => SUBJECTS[type] ?? null
