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
  // paper custody (issue 4)
  'custody.paper.created': T('新建试卷', 'Paper created'),
  'custody.paper.uploaded': T('上传并加密试卷', 'Paper uploaded and encrypted'),
  'custody.paper.decrypted': T('解密试卷', 'Paper decrypted'),
  'custody.paper.frozen': T('冻结试卷', 'Paper frozen'),
  'custody.paper.unfrozen': T('解冻试卷', 'Paper unfrozen'),
  'custody.paper.retired': T('停用试卷', 'Paper retired'),
  'custody.paper.master_key_rotated': T('更换主密钥', 'Master key rotated'),
  'custody.settings.updated': T('修改保密设置', 'Custody settings changed'),
  'custody.print.requested': T('申请印制', 'Printing requested'),
  'custody.print.approved': T('审批印制', 'Printing approved'),
  'custody.print.printed': T('登记印制', 'Printing recorded'),
  'custody.print.cancelled': T('取消印制', 'Printing cancelled'),
  'custody.packet.printed': T('试卷袋印制', 'Packet printed'),
  'custody.packet.sealed': T('封袋', 'Packet sealed'),
  'custody.packet.stored': T('入保密室', 'Stored in the vault'),
  'custody.packet.issued': T('出库发放', 'Packet issued'),
  'custody.packet.handed_over': T('转交', 'Packet handed over'),
  'custody.packet.received': T('考场签收', 'Received at the room'),
  'custody.packet.sent_back': T('退回', 'Packet sent back'),
  'custody.packet.opened': T('启封', 'Packet opened'),
  'custody.packet.recovered': T('回收清点', 'Packet recovered and counted'),
  'custody.packet.resealed': T('重新封袋', 'Packet resealed'),
  'custody.packet.returned': T('交回保密管理员', 'Returned to a custodian'),
  'custody.packet.reconciled': T('核对入账', 'Packet reconciled'),
  'custody.packet.archived': T('归档', 'Packet archived'),
  'custody.packet.destroyed': T('销毁', 'Packet destroyed'),
  'custody.packet.frozen': T('冻结试卷袋', 'Packet frozen'),
  'custody.packet.unfrozen': T('解冻试卷袋', 'Packet unfrozen'),
  'custody.packet.voided': T('作废试卷袋', 'Packet voided'),
  'custody.handover.offered': T('发起交接', 'Handover offered'),
  'custody.handover.declined': T('拒绝接收', 'Handover declined'),
  'custody.handover.cancelled': T('撤回交接', 'Handover withdrawn'),
  'custody.incident.recorded': T('记录回收差异', 'Recovery incident recorded'),
  'custody.disposal.listed': T('销毁清单', 'Disposal list'),
  'custody.leak.filed': T('报告泄密', 'Leak reported'),
  'custody.leak.confirmed': T('确认泄密', 'Leak confirmed'),
  'custody.leak.dismissed': T('排除泄密', 'Leak dismissed'),
  'custody.session.suspended': T('场次停考', 'Session suspended'),
  'custody.session.switched_to_paper_b': T('场次启用 B 卷', 'Session switched to paper B'),
  'custody.alert.seal_mismatch': T('封条编号不符', 'Seal number mismatch'),
  'custody.alert.packet_damaged': T('试卷袋破损', 'Packet damaged'),
  'custody.alert.recovery_mismatch': T('回收数量不符', 'Recovery count mismatch'),
  'custody.alert.leak': T('泄密报告', 'Leak report'),
  'custody.alert_acknowledged': T('确认告警', 'Alert acknowledged'),
  // the attempts a refusal is logged under (outcome: refused)
  'custody.handover.offer': T('发起交接', 'Offer a handover'),
  'custody.handover.confirm': T('确认接收', 'Confirm a handover'),
  'custody.handover.decline': T('拒绝或撤回交接', 'Decline or withdraw a handover'),
  'custody.print.request': T('申请印制', 'Request printing'),
  'custody.print.approve': T('审批印制', 'Approve printing'),
  'custody.print.decrypt': T('解密试卷', 'Decrypt the paper'),
  'custody.print.print': T('登记印制', 'Record printing'),
  'custody.leak.file': T('报告泄密', 'Report a leak'),
  'custody.leak.confirm': T('确认泄密', 'Confirm a leak'),
  'custody.leak.dismiss': T('排除泄密', 'Dismiss a leak'),
  'custody.leak.decide': T('场次处理决定', 'Decide for a session'),
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
