// What the custody pages share: the names people read for states, kinds and moves (the code itself is the
// record; these are its words), badges, how a holder or a person is shown, and the witness fields a
// two-person step asks for.
import { el, tx } from './_dom.ts'
import { type OutputOf, type Without, api } from './_client.ts'
import { T, type Text } from './_i18n.ts'
import { formatCst } from './_time.ts'
import type { Role } from '../../server/domain/accounts/index.ts'
import type { Holder, Packet as DomainPacket, PacketAction, PaperKind } from '../../server/domain/custody/index.ts'

/** A packet as the packet routes send it; its recovery and retention records are the domain's (the schema leaves them `unknown`). */
export type Packet = Without<OutputOf<'GET /api/packets/{id}'>['packet'], 'recovery' | 'retention'> & Pick<DomainPacket, 'recovery' | 'retention'>

export const PAPER_KINDS: Record<PaperKind, Text> = {
  paper_a: T('A 卷', 'Paper A'),
  paper_b: T('B 卷（备用卷）', 'Paper B (backup)'),
  answer_key: T('参考答案及评分标准', 'Answer key'),
  practical_tasks: T('操作技能考核试题', 'Practical tasks'),
  exam_data: T('考试数据', 'Exam data'),
}

export const PAPER_STATES: Record<string, Text> = {
  active: T('正常', 'Active'),
  frozen: T('已冻结（泄密报告）', 'Frozen (leak report)'),
  retired: T('已停用', 'Retired'),
}

export const JOB_STATES: Record<string, Text> = {
  requested: T('待审批', 'Awaiting approval'),
  approved: T('已审批', 'Approved'),
  decrypted: T('已解密', 'Decrypted'),
  printed: T('已印制', 'Printed'),
  cancelled: T('已取消', 'Cancelled'),
}

export const PACKET_STATES: Record<string, Text> = {
  printed: T('已印制', 'Printed'),
  sealed: T('已封袋', 'Sealed'),
  in_vault: T('在保密室', 'In the vault'),
  issued: T('已发放', 'Issued'),
  received: T('考场已签收', 'Received at the room'),
  opened: T('已启封', 'Opened'),
  recovered: T('已回收', 'Recovered'),
  reconciled: T('已核对', 'Reconciled'),
  archived: T('已归档', 'Archived'),
  destroyed: T('已销毁', 'Destroyed'),
  frozen: T('已冻结', 'Frozen'),
  voided: T('已作废', 'Voided'),
}

/** Each move as a verb on a button. */
export const MOVES: Record<PacketAction, Text> = {
  seal: T('封袋', 'Seal'),
  store: T('入保密室', 'Store in the vault'),
  issue: T('出库发放', 'Issue'),
  hand_over: T('转交', 'Hand over'),
  receive: T('交考场签收', 'Hand to the room'),
  send_back: T('退回', 'Send back'),
  open: T('启封', 'Open'),
  recover: T('回收清点', 'Recover and count'),
  reseal: T('重新封袋', 'Reseal'),
  return: T('交回保密管理员', 'Return to a custodian'),
  reconcile: T('核对入账', 'Reconcile'),
  archive: T('归档', 'Archive'),
  dispose: T('销毁', 'Dispose'),
  freeze: T('冻结', 'Freeze'),
  unfreeze: T('解冻', 'Unfreeze'),
  void: T('作废', 'Void'),
}

export const LEAK_STATES: Record<string, Text> = {
  open: T('待决定', 'Open'),
  confirmed: T('已确认泄密', 'Confirmed'),
  dismissed: T('已排除', 'Dismissed'),
}
export const LEAK_LEVELS: Record<string, Text> = { suspected: T('疑似', 'Suspected'), confirmed: T('确认', 'Confirmed') }

export const CONDITIONS: Record<string, Text> = { intact: T('完好', 'Intact'), damaged: T('破损', 'Damaged') }

const GOOD = new Set(['active', 'approved', 'printed', 'sealed', 'in_vault', 'reconciled', 'archived', 'confirmed'])
const BAD = new Set(['frozen', 'retired', 'voided', 'destroyed', 'cancelled', 'open'])

/** A state as a badge, coloured by what it means for the paper's safety. */
export function stateBadge(state: string, names: Record<string, Text>, extra = ''): HTMLSpanElement {
  const tone = BAD.has(state) ? 'badge--refused' : GOOD.has(state) ? 'badge--ok' : 'badge--role'
  return el('span', { class: `badge ${tone}${extra ? ` ${extra}` : ''}`, attrs: { 'data-state': state }, text: names[state] ?? T(state, state) })
}

/** People by account id, filled from the names the server sends beside ids (`people: { id: { displayName, username } }`). */
export class People {
  private readonly names = new Map<string, { displayName: string; username?: string }>()
  constructor(
    private readonly selfId: string,
    selfName: string,
    selfUsername?: string,
  ) {
    this.names.set(selfId, { displayName: selfName, ...(selfUsername ? { username: selfUsername } : {}) })
  }

  /** Learns names from `{ id, username?, displayName? }` records, or an id → `{ displayName, username }` (or id → name) map. */
  learn(people: unknown): void {
    if (Array.isArray(people)) {
      for (const p of people) {
        if (p && typeof p === 'object' && typeof (p as { id?: unknown }).id === 'string') {
          const r = p as { id: string; displayName?: string; username?: string }
          const displayName = r.displayName ?? r.username
          if (displayName) this.names.set(r.id, { displayName, ...(r.username ? { username: r.username } : {}) })
        }
      }
    } else if (people && typeof people === 'object') {
      for (const [id, v] of Object.entries(people as Record<string, unknown>)) {
        if (typeof v === 'string') this.names.set(id, { displayName: v })
        else if (v && typeof v === 'object') this.learn([{ id, ...(v as object) }])
      }
    }
  }

  /** A person's display name, or null when not known. */
  nameOf(id: string): string | null {
    return this.names.get(id)?.displayName ?? null
  }

  /**
   * A person by display name, the username small and grey beside it (decision record 010); "you" is marked.
   * Someone the server did not name (an account since removed) reads 「未知人员」 with the id in the title.
   */
  show(id: string): HTMLSpanElement {
    const known = this.names.get(id)
    return el(
      'span',
      { class: 'person', attrs: { 'data-user': id, ...(known ? {} : { title: id }) } },
      known ? el('span', { class: 'person__name' }, known.displayName) : tx(T('未知人员', 'Unknown person'), 'muted'),
      known?.username && known.username !== known.displayName ? el('span', { class: 'person__username muted small' }, known.username) : null,
      id === this.selfId ? tx(T('您', 'you'), 'you') : null,
    )
  }

  /** Where a packet is (the domain's Holder; the API sends its place as a plain string). */
  holder(h: Holder | { place: string }, rooms: ReadonlyMap<string, string> = new Map()): HTMLSpanElement {
    if ('userId' in h) return this.show(h.userId)
    const place = h.place
    if (place === 'vault') return tx(T('保密室', 'The vault'))
    if (place === 'archive') return tx(T('档案室', 'The archive'))
    if (place === 'destroyed') return tx(T('已销毁', 'Destroyed'))
    return roomName(place.replace(/^room:/, ''), rooms)
  }
}

/** A room by its name (「101 考场」); a room the server did not name reads as 「考场」, never as an id. */
export function roomName(id: string, rooms: ReadonlyMap<string, string>): HTMLSpanElement {
  const name = rooms.get(id)
  return el('span', { attrs: { 'data-room': id } }, tx(name ? T(`${name} 考场`, `Room ${name}`) : T('考场', 'Room')))
}

/** A time for people: 「2026-12-12 09:00:00 北京时间」, in English 「… Beijing time」 (switches with the language). */
export const when = (t: string | number | Date): HTMLSpanElement => tx(whenText(t))
export const whenText = (t: string | number | Date): Text => T(formatCst(t, 'zh-CN'), formatCst(t, 'en'))

/** A session by name: 「电工四级 理论知识 · 2026-12-12 09:00」. */
export function sessionLabel(s: { occupationName: string; level: number; levelName: string; subjectName: string; startsAt: number }): Text {
  const grade = s.levelName.split('/')[0] // "四级/中级工": the grade alone reads well beside the occupation
  const at = formatCst(s.startsAt).slice(0, 16)
  return T(`${s.occupationName}${grade} ${s.subjectName} · ${at}`, `${s.occupationName}, level ${s.level}, ${s.subjectName} · ${at}`)
}

/** A packet as people name it: its room and copy numbers (「第一考点 101 考场 · 0001–0032」), or a spare's copy numbers. */
export function packetLabel(p: { roomId: string | null; copies: { first: number; last: number } }, rooms: ReadonlyMap<string, string>): HTMLSpanElement {
  return el(
    'span',
    { class: 'packet-name' },
    p.roomId ? roomName(p.roomId, rooms) : tx(T('备用袋', 'Spare packet')),
    ' · ',
    el('span', { class: 'mono' }, copyRange(p.copies)),
  )
}

/** Roles that see every session's rooms (server/services/scope.ts ALL_ROOMS_ROLES). */
const ALL_ROOMS: readonly Role[] = ['admin', 'registrar', 'supervisor']

/**
 * The names of a session's rooms, for the roles that may read them: everyone of ALL_ROOMS, and invigilators or
 * examiners assigned to the session (asking without an assignment is a 403, so they ask only then).
 * Custodians cannot list rooms; they see room ids (the label names the room).
 */
export async function sessionRoomNames(roles: readonly Role[], sessionId: string): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  let allowed = roles.some((r) => ALL_ROOMS.includes(r))
  if (!allowed && roles.some((r) => r === 'invigilator' || r === 'examiner')) {
    const mine = await api('GET /api/me/assignments').catch(() => null)
    allowed = mine?.assignments.some((a) => a.examSessionId === sessionId) ?? false
  }
  if (!allowed) return out
  const r = await api('GET /api/sessions/{id}/rooms', { params: { id: sessionId } }).catch(() => null)
  for (const room of r?.rooms ?? []) out.set(room.id, room.name)
  return out
}

/**
 * A packet's seal as this person may read it: while the seal is theirs to check blind (an offer to them, their
 * room before the opening; R5.3, decision record 006) the server leaves it out and the page says why.
 */
export function sealNode(p: { sealNumber: string | null; sealHidden?: boolean }): HTMLSpanElement {
  if (p.sealHidden) {
    return el('span', { class: 'hint', attrs: { 'data-seal': 'hidden' }, text: T('（请核对实物封条）', '(check the seal on the packet)') })
  }
  return el('span', { class: 'mono' }, p.sealNumber ?? '—')
}

/** The custody pages' own addresses (pages, not API routes). */
export const packetPage = (packetId: string): string => `/custody/packets/${encodeURIComponent(packetId)}`
export const paperPage = (paperId: string): string => `/custody/papers/${encodeURIComponent(paperId)}`

/** A copy range as people write it: 0001–0032. */
export const copyRange = (r: { first: number; last: number }): string => `${String(r.first).padStart(4, '0')}–${String(r.last).padStart(4, '0')}`

/**
 * The second person of a two-person step signs in here with their own account (R5.2 +, R5.3): the server
 * checks the password; no session is opened for them on this device.
 */
export function credentialFields(prefix: string, legend: Text, hint: Text): HTMLFieldSetElement {
  return el(
    'fieldset',
    { class: 'field witness' },
    el('legend', { text: legend }),
    el('p', { class: 'hint', text: hint }),
    el(
      'div',
      { class: 'checks' },
      el(
        'div',
        { class: 'field' },
        el('label', { attrs: { for: `${prefix}-username` }, text: T('用户名', 'Username') }),
        el('input', { attrs: { id: `${prefix}-username`, name: `${prefix}Username`, autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false' } }),
      ),
      el(
        'div',
        { class: 'field' },
        el('label', { attrs: { for: `${prefix}-password` }, text: T('密码', 'Password') }),
        el('input', { attrs: { id: `${prefix}-password`, name: `${prefix}Password`, type: 'password', autocomplete: 'off' } }),
      ),
    ),
  )
}

/** The credentials typed into credentialFields(prefix); the password field is cleared at once. */
export function takeCredentials(form: HTMLFormElement, prefix: string): { username: string; password: string } {
  const u = form.querySelector<HTMLInputElement>(`#${prefix}-username`)!
  const p = form.querySelector<HTMLInputElement>(`#${prefix}-password`)!
  const out = { username: u.value.trim(), password: p.value }
  p.value = ''
  return out
}
