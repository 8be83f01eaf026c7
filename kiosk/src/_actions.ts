// Names people read for the log's action codes, from the one table in audit/ that the server's reports read
// too. An action without a name there (added by a newer server) is shown by its code.
// The table's own file, not audit/index.ts: the index also brings the log's hashing (node:crypto), which is
// not bundled for the browser; _actions.ts is plain data and imports nothing.
import { actionName as sharedName } from '../../audit/_actions.ts'
import { T, type Text } from './_i18n.ts'

/** The readable name of an action code (audit/'s one table, shared with the server's reports), or null when unknown. */
export const actionName = (code: string): Text | null => sharedName(code)

export const OUTCOMES: Record<'ok' | 'refused', Text> = {
  ok: T('成功', 'Done'),
  refused: T('已拒绝', 'Refused'),
}

const SUBJECTS: Record<string, Text> = {
  user: T('用户', 'User'),
  log: T('日志', 'Log'),
  paper: T('试卷', 'Paper'),
  print_job: T('印制任务', 'Print job'),
  packet: T('试卷袋', 'Packet'),
  leak: T('泄密报告', 'Leak report'),
  incident: T('事件', 'Incident'),
  disposal: T('销毁清单', 'Disposal list'),
  alert: T('告警', 'Alert'),
}

/** The readable name of a subject type (`user`), or null when unknown. */
export const subjectTypeName = (type: string): Text | null => SUBJECTS[type] ?? null
