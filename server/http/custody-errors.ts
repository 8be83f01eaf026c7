import type { CustodyCode } from '../domain/custody/index.ts'
import type { ErrorEntry } from './_errors.ts'

/**
 * Every refusal of the custody domain (R5.1–R5.5, server/domain/custody/_refusals.ts) with its
 * status: 400 the request itself is unusable, 403 this person may not (role, holder, room, separation of
 * duties), 404 nothing to find, 409 the records' state does not allow it now. Keyed by the union, so a
 * new domain code without a status fails to compile. Shared by papers and packets.
 */
export const CUSTODY_ERRORS: Record<CustodyCode, ErrorEntry> = {
  // the packet state table
  'packet.wrong_state': { status: 409, zh: '试卷袋当前状态下不能执行此操作', en: 'The packet is not in a state that allows this' },
  'packet.frozen': {
    status: 409,
    zh: '试卷袋因泄密报告已被冻结，只能交回保密员',
    en: 'The packet is frozen by a leak report; it can only be returned to a custodian',
  },
  'packet.not_allowed_for_role': { status: 403, zh: '该角色不能执行此试卷袋操作', en: 'This role may not take part in this packet step' },
  'packet.not_holder': { status: 403, zh: '试卷袋不在您手中，须由当前保管人参与', en: 'You do not hold this packet; its holder must take part' },
  // seals (R5.3)
  'packet.seal_mismatch': { status: 409, zh: '封条编号不符，已通知督导', en: 'The seal number does not match; supervisors have been alerted' },
  'packet.damaged': { status: 409, zh: '试卷袋破损，已通知督导', en: 'The packet is damaged; supervisors have been alerted' },
  'packet.already_sealed': { status: 409, zh: '试卷袋已封装', en: 'The packet is already sealed' },
  'packet.not_resealed': { status: 409, zh: '回收材料须先重新封装', en: 'The recovered material must be resealed first' },
  'seal.invalid': { status: 400, zh: '封条编号格式不正确（3–40 位字母、数字或连字符）', en: 'Not a seal number (3–40 letters, digits or hyphens)' },
  'seal.already_used': { status: 409, zh: '该封条编号已使用过，封条不得重复使用', en: 'This seal number has been used before; seals are single-use' },
  // separation of duties (R5.2 +)
  'packet.opener_printed_it': { status: 403, zh: '印制该试卷袋的人员不能启封', en: 'Whoever printed the packet may not open it' },
  'twoperson.same_person': { status: 409, zh: '双人操作须由两名不同人员完成', en: 'A two-person step needs two different people' },
  'twoperson.second_required': {
    status: 400,
    zh: '此操作须由第二人（见证人）以本人账号确认',
    en: 'This step needs a second person (witness) confirming with their own login',
  },
  // handovers (R5.3)
  'handover.same_person': { status: 409, zh: '不能交接给自己', en: 'A handover to oneself is not a handover' },
  'handover.already_pending': { status: 409, zh: '该试卷袋已有一项待确认的交接', en: 'The packet already has a handover waiting for confirmation' },
  'handover.not_pending': { status: 409, zh: '该交接已确认、拒收或撤回', en: 'The handover is no longer waiting (confirmed, declined or cancelled)' },
  'handover.not_receiver': { status: 403, zh: '只有接收人本人能确认交接', en: 'Only the receiver can confirm the handover' },
  'handover.not_party': { status: 403, zh: '您不是该交接的交出人或接收人', en: 'You are neither the giver nor the receiver of this handover' },
  'handover.stale': { status: 409, zh: '试卷袋在交接发起后已有变动，请重新发起', en: 'The packet moved after the handover was offered; offer it again' },
  'handover.place_required': { status: 400, zh: '请填写交接地点', en: 'Name the place of the handover' },
  'handover.not_a_handover': { status: 400, zh: '该操作不是交接', en: 'This action is not a handover' },
  // opening in the room
  'open.too_early': {
    status: 409,
    zh: '未到规定的启封时间：{earliestText}（北京时间）起方可启封',
    en: 'Too early to open the packet: it may be opened from {earliestText} (Beijing time)',
  },
  'open.not_room_invigilator': { status: 403, zh: '启封须由本考场的两名监考员进行', en: 'Two invigilators of this room must open the packet' },
  'open.no_room': { status: 409, zh: '该材料不属于任何考场，不能在考场启封', en: 'This material belongs to no room and is not opened in one' },
  // recovery and reconciliation (R5.5)
  'recovery.not_room_invigilator': { status: 403, zh: '回收清点须由本考场监考员进行', en: 'An invigilator of this room must count the recovery' },
  'recovery.counts_invalid': { status: 400, zh: '清点数量须为非负整数', en: 'Counts must be whole numbers, zero or more' },
  'recovery.missing': { status: 409, zh: '尚无回收清点记录', en: 'The recovery has not been counted' },
  // archive and disposal (R5.5)
  'archive.before_exam': { status: 409, zh: '考试日期之前不能将未使用的试卷袋归档', en: 'An unused packet cannot be archived before the exam date' },
  'dispose.too_early': { status: 409, zh: '未满 3 年保管期，不能销毁', en: 'The 3-year keeping period has not ended' },
  'dispose.list_invalid': { status: 400, zh: '销毁清单无效（为空、重复或未写销毁方式）', en: 'The disposal list is invalid (empty, duplicated, or no method)' },
  'void.reason_required': { status: 400, zh: '作废须写明原因', en: 'Voiding needs a reason' },
  // papers and printing (R5.2 +)
  'paper.frozen': { status: 409, zh: '试卷因泄密报告已被冻结', en: 'The paper is frozen by a leak report' },
  'paper.retired': { status: 409, zh: '试卷已确认泄密并停用', en: 'The paper is retired after a confirmed leak' },
  'print.not_allowed_for_role': { status: 403, zh: '只有保密员能办理试卷印制', en: 'Only custodians handle printing' },
  'print.wrong_state': { status: 409, zh: '印制任务当前状态下不能执行此操作', en: 'The print job is not in a state that allows this' },
  'print.needs_second_approval': { status: 409, zh: '解密须经两名不同的保密员批准', en: 'Decryption needs the approval of two different custodians' },
  'print.window_closed': { status: 409, zh: '不在规定的解密时段内', en: 'Outside the decryption window' },
  'print.approvals_lapsed': {
    status: 409,
    zh: '解密时段在批准后已变更，原批准失效，须两名保密员重新批准',
    en: 'The decryption window changed after the approvals; they have lapsed and two custodians must approve again',
  },
  'print.not_decrypter': { status: 403, zh: '只有解密该试卷的保密员能登记印制结果', en: 'Only the custodian who decrypted the paper can record the print' },
  'print.targets_invalid': {
    status: 400,
    zh: '印制对象无效（无考场、重复、人数或备份份数不对）',
    en: 'Invalid print targets (no rooms, duplicates, seats, spares or per-copy numbers)',
  },
  // leaks (R5.4)
  'leak.not_allowed_for_role': { status: 403, zh: '该角色不能执行此泄密处理操作', en: 'This role may not do this to a leak report' },
  'leak.description_required': { status: 400, zh: '请描述泄密情况', en: 'Describe what happened' },
  'leak.reason_required': { status: 400, zh: '请写明理由', en: 'Give a reason' },
  'leak.target_invalid': { status: 400, zh: '试卷袋或试卷编号不属于该试卷', en: 'The packet or copy number does not belong to the paper' },
  'leak.target_required': { status: 400, zh: '请写明您看到的试卷袋或试卷份号', en: 'Name the packet or the copy number you saw' },
  'leak.out_of_scope': {
    status: 403,
    zh: '只能报告您所监考考场的试卷袋、您持有的试卷袋或其中的试卷份号',
    en: 'You can report only a packet of a room you invigilate or one you hold, or a copy number in one',
  },
  'leak.wrong_state': { status: 409, zh: '泄密报告当前状态下不能执行此操作', en: 'The leak report is not in a state that allows this' },
  'leak.not_confirmed': { status: 409, zh: '泄密报告尚未确认', en: 'The leak report is not confirmed' },
  'session.not_affected': { status: 409, zh: '该场次不受此泄密影响', en: 'The session is not affected by this leak' },
  'session.wrong_state': { status: 409, zh: '场次当前状态下不能执行此操作', en: 'The session is not in a state that allows this' },
  'paper_b.unavailable': { status: 409, zh: '没有可用的 B 卷', en: 'No usable paper B' },
  // traces
  'trace.copy_unknown': { status: 404, zh: '没有这个试卷编号', en: 'No such copy number' },
}
