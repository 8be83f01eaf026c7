// The incidents screen (违纪与事件, R6.3): a candidate (by seat or from the roster), a kind grouped as 违纪 (MOE
// Order No. 33 Art. 5), 作弊 (Art. 6) and room events, the time, what happened, an optional photo (scaled down in
// this browser to a JPEG of at most 300 KB), seized items with their receipt number, and for an evacuation the
// stop and restart times. Below: this room's incidents; a violation is confirmed by a second invigilator of the
// room with their own login (Art. 18), and a candidate's refusal to sign is recorded. Only ctx talks to anything.
import { busy, el, hideAlert, problemText, showAlert, tx } from './_dom.ts'
import { T, type Text } from './_i18n.ts'
import type { KioskContext, KioskRecord, RoomPackage } from './_kiosk-types.ts'
import { formatCst } from './_time.ts'

export type IncidentGroup = 'violation' | 'cheating' | 'event'

/**
 * The kinds, as server/domain/kiosk/_incidents.ts has them (the kiosk may import only types from the server;
 * test/kiosk-room-domain.test.ts keeps the two tables equal).
 */
export const KIOSK_INCIDENT_KINDS: ReadonlyArray<{ kind: string; group: IncidentGroup; cite: string | null; zh: string; en: string }> = [
  {
    kind: 'unpermitted_items',
    group: 'violation',
    cite: '5.1',
    zh: '携带规定以外的物品进入考场或者未放在指定位置',
    en: 'Items not allowed brought in, or not put where told',
  },
  { kind: 'wrong_seat', group: 'violation', cite: '5.2', zh: '未在规定的座位参加考试', en: 'Not in the assigned seat' },
  {
    kind: 'answering_out_of_time',
    group: 'violation',
    cite: '5.3',
    zh: '考试开始信号发出前答题或者考试结束信号发出后继续答题',
    en: 'Answering before the start signal or after the end signal',
  },
  {
    kind: 'peeking_signalling',
    group: 'violation',
    cite: '5.4',
    zh: '在考试过程中旁窥、交头接耳、互打暗号或者手势',
    en: 'Peeking, whispering, signals or gestures',
  },
  {
    kind: 'disorder',
    group: 'violation',
    cite: '5.5',
    zh: '在考场或者禁止的范围内喧哗、吸烟或者实施其他影响考场秩序的行为',
    en: 'Noise, smoking or other disorder in the room or a closed area',
  },
  { kind: 'left_without_leave', group: 'violation', cite: '5.6', zh: '未经考试工作人员同意在考试过程中擅自离开考场', en: 'Left the room without leave' },
  {
    kind: 'took_papers_out',
    group: 'violation',
    cite: '5.7',
    zh: '将试卷、答卷（含答题卡、答题纸等）、草稿纸等考试用纸带出考场',
    en: 'Took papers, answer sheets or scratch paper out of the room',
  },
  {
    kind: 'marked_answers',
    group: 'violation',
    cite: '5.8',
    zh: '用规定以外的笔或者纸答题，或者在规定以外的地方书写姓名、考号或者以其他方式在答卷上标记信息',
    en: 'Wrong pen or paper, or name, number or marks where not allowed on the answers',
  },
  {
    kind: 'other_violation',
    group: 'violation',
    cite: '5.9',
    zh: '其他违反考场规则但尚未构成作弊的行为',
    en: 'Other breach of the room rules short of cheating',
  },
  {
    kind: 'related_materials',
    group: 'cheating',
    cite: '6.1',
    zh: '携带与考试内容相关的材料或者存储有与考试内容相关资料的电子设备参加考试',
    en: 'Brought exam-related material or a device holding it',
  },
  {
    kind: 'copying',
    group: 'cheating',
    cite: '6.2',
    zh: '抄袭或者协助他人抄袭试题答案或者与考试内容相关的资料',
    en: 'Copied answers or related material, or helped another copy',
  },
  {
    kind: 'seizing_papers',
    group: 'cheating',
    cite: '6.3',
    zh: '抢夺、窃取他人试卷、答卷或者胁迫他人为自己抄袭提供方便',
    en: "Seized or stole another's papers, or forced another to help copy",
  },
  {
    kind: 'transmitting_device',
    group: 'cheating',
    cite: '6.4',
    zh: '携带具有发送或者接收信息功能的设备',
    en: 'Carried a device that can send or receive information',
  },
  {
    kind: 'impersonation',
    group: 'cheating',
    cite: '6.5',
    zh: '由他人冒名代替参加考试',
    en: "Impersonation: another person sits the exam in the candidate's name",
  },
  {
    kind: 'destroying_papers',
    group: 'cheating',
    cite: '6.6',
    zh: '故意销毁试卷、答卷或者考试材料',
    en: 'Destroyed papers, answers or exam material on purpose',
  },
  {
    kind: 'false_identity_on_answers',
    group: 'cheating',
    cite: '6.7',
    zh: '在答卷上填写与本人身份不符的姓名、考号等信息',
    en: "Wrote a name or number on the answers that is not the candidate's",
  },
  {
    kind: 'passing_items',
    group: 'cheating',
    cite: '6.8',
    zh: '传、接物品或者交换试卷、答卷、草稿纸',
    en: 'Passed items, or swapped papers, answers or scratch paper',
  },
  {
    kind: 'other_cheating',
    group: 'cheating',
    cite: '6.9',
    zh: '其他以不正当手段获得或者试图获得试题答案、考试成绩的行为',
    en: 'Other improper means to get, or try to get, answers or scores',
  },
  { kind: 'late_arrival', group: 'event', cite: null, zh: '考生迟到', en: 'Candidate arrived late' },
  { kind: 'illness', group: 'event', cite: null, zh: '考生身体不适', en: 'Candidate taken ill' },
  { kind: 'evacuation', group: 'event', cite: null, zh: '考场疏散（暂停与恢复考试）', en: 'Room evacuated (exam stopped and restarted)' },
  { kind: 'disturbance', group: 'event', cite: null, zh: '考场外部干扰', en: 'Disturbance of the room' },
]

const GROUPS: Record<IncidentGroup, Text> = {
  violation: T('违纪（第五条）', 'Breach of discipline (Art. 5)'),
  cheating: T('作弊（第六条）', 'Cheating (Art. 6)'),
  event: T('考场事件', 'Room events'),
}
const kindOf = (k: string) => KIOSK_INCIDENT_KINDS.find((x) => x.kind === k)

/** The largest photo kept: the JPEG is made smaller until it fits. */
export const PHOTO_MAX_BYTES = 300 * 1024

// ---------- small helpers the room screens share ----------

const CST = 8 * 3600_000
/** "HH:MM" in China time. */
export const hhmm = (ms: number): string => formatCst(ms, 'zh-CN').slice(11, 16)
/** The instant of "HH:MM" (China time) on the day of `day`. */
export function atCst(day: number, time: string): number | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(time.trim())
  if (!m) return null
  const midnight = Math.floor((day + CST) / 86_400_000) * 86_400_000 - CST
  return midnight + (Number(m[1]) * 60 + Number(m[2])) * 60_000
}

/** "12号 张三" from the roster. */
export const candidateLabel = (pkg: RoomPackage, candidateId: string | undefined): string => {
  const c = pkg.roster.find((r) => r.candidateId === candidateId)
  return c ? `${c.seat}号 ${c.name}` : '—'
}

/** A candidate picker: a seat number box that selects from the roster, and the roster as a list. */
export function candidatePicker(pkg: RoomPackage, id: string, optional: boolean): { node: HTMLElement; value(): string } {
  const select = el('select', { attrs: { id, name: 'candidate' } })
  if (optional) select.append(el('option', { attrs: { value: '' }, text: T('（不涉及考生）', '(no candidate)') }))
  for (const c of [...pkg.roster].sort((a, b) => a.seat - b.seat))
    select.append(el('option', { attrs: { value: c.candidateId } }, `${c.seat}号 ${c.name} · ${c.ticketNumber}`))
  const seat = el('input', {
    attrs: { type: 'number', min: '1', inputmode: 'numeric', id: `${id}-seat`, 'aria-label': '座位号', 'data-en-aria-label': 'Seat' },
  })
  seat.addEventListener('input', () => {
    const c = pkg.roster.find((r) => String(r.seat) === seat.value.trim())
    if (c) select.value = c.candidateId
  })
  const node = el(
    'div',
    { class: 'field' },
    el('label', { attrs: { for: id }, text: T('考生（可输入座位号）', 'Candidate (or type the seat)') }),
    el('div', { class: 'row' }, seat, select),
  )
  return { node, value: () => select.value }
}

export const labelled = (label: Text, input: HTMLElement, id: string): HTMLElement => {
  input.id = id
  return el('div', { class: 'field' }, el('label', { attrs: { for: id }, text: label }), input)
}

/** The invigilators of this room other than `except` (who may confirm as the second person). */
export const otherStaff = (pkg: RoomPackage, duty: 'invigilator' | 'examiner', except: string | null): string[] =>
  pkg.staff.filter((s) => s.duty === duty && s.userId !== except).map((s) => s.userId)

export const staffName = (pkg: RoomPackage, userId: string): string => pkg.staff.find((s) => s.userId === userId)?.displayName ?? userId

/**
 * A photo scaled down in this browser to a JPEG of at most 300 KB: at most 1600 px on its long side, then smaller
 * quality and size until it fits. Null if it cannot be read as an image.
 */
export async function scaledJpeg(file: Blob, maxBytes = PHOTO_MAX_BYTES): Promise<string | null> {
  let bitmap: ImageBitmap
  try {
    bitmap = await createImageBitmap(file)
  } catch {
    return null
  }
  let side = Math.min(1600, Math.max(bitmap.width, bitmap.height))
  for (let round = 0; round < 8; round++) {
    const scale = side / Math.max(bitmap.width, bitmap.height)
    const canvas = el('canvas')
    canvas.width = Math.max(1, Math.round(bitmap.width * scale))
    canvas.height = Math.max(1, Math.round(bitmap.height * scale))
    canvas.getContext('2d')!.drawImage(bitmap, 0, 0, canvas.width, canvas.height)
    for (const q of [0.85, 0.7, 0.55]) {
      const url = canvas.toDataURL('image/jpeg', q)
      const bytes = Math.floor(((url.length - url.indexOf(',') - 1) * 3) / 4)
      if (bytes <= maxBytes) {
        bitmap.close()
        return url
      }
    }
    side = Math.round(side * 0.75)
  }
  bitmap.close()
  return null
}

// ---------- the screen ----------

interface IncidentBody {
  candidateId?: string
  kind: string
  at: number
  description: string
  photo?: string
  seized: Array<{ item: string; count: number }>
  receiptNumber?: string
  stoppedAt?: number
  restartedAt?: number
  [k: string]: unknown
}
interface ConfirmBody {
  incidentId: string
  second?: { userId: string }
  refusedToSign?: boolean
  [k: string]: unknown
}

export function mountIncidents(root: HTMLElement, ctx: KioskContext): void {
  const pkg = ctx.pkg
  const alert = el('div', { attrs: { id: 'incident-alert' }, hidden: true })
  const cand = candidatePicker(pkg, 'incident-candidate', true)
  const kind = el('select', { attrs: { name: 'kind' } })
  for (const g of ['violation', 'cheating', 'event'] as const) {
    const og = el('optgroup', { attrs: { label: GROUPS[g].zh, 'data-en-label': GROUPS[g].en } })
    for (const k of KIOSK_INCIDENT_KINDS.filter((x) => x.group === g))
      og.append(el('option', { attrs: { value: k.kind }, text: T(`${k.cite ? `${k.cite} ` : ''}${k.zh}`, `${k.cite ? `${k.cite} ` : ''}${k.en}`) }))
    kind.append(og)
  }
  const time = el('input', { attrs: { type: 'time', required: '' } })
  time.value = hhmm(Date.now())
  const stopped = el('input', { attrs: { type: 'time' } })
  const restarted = el('input', { attrs: { type: 'time' } })
  const evac = el(
    'div',
    { class: 'row', attrs: { id: 'incident-evacuation' }, hidden: true },
    labelled(T('暂停时间', 'Stopped at'), stopped, 'incident-stopped'),
    labelled(T('恢复时间', 'Restarted at'), restarted, 'incident-restarted'),
  )
  const description = el('textarea', { attrs: { rows: '3', maxlength: '1000' } })
  const photoInput = el('input', { attrs: { type: 'file', accept: 'image/*', capture: 'environment' } })
  const photoState = el('p', { class: 'muted', attrs: { id: 'incident-photo-state' } })
  let photo: string | null = null
  photoInput.addEventListener('change', async () => {
    const f = photoInput.files?.[0]
    photo = null
    photoState.replaceChildren()
    if (!f) return
    photo = await scaledJpeg(f)
    photoState.replaceChildren(
      photo
        ? tx(T(`照片已压缩（${Math.round((photo.length * 0.75) / 1024)} KB）`, `Photo scaled (${Math.round((photo.length * 0.75) / 1024)} KB)`))
        : tx(T('无法读取该照片', 'Cannot read this photo')),
    )
  })
  const seizedRows = el('div', { attrs: { id: 'incident-seized' } })
  const addSeized = el('button', { class: 'btn btn--ghost btn--small', attrs: { type: 'button' }, text: T('添加暂扣物品', 'Add a seized item') })
  addSeized.addEventListener('click', () => {
    const item = el('input', { attrs: { type: 'text', maxlength: '100', 'aria-label': '物品', 'data-en-aria-label': 'Item', 'data-seized': 'item' } })
    const count = el('input', {
      attrs: { type: 'number', min: '1', max: '999', value: '1', 'aria-label': '数量', 'data-en-aria-label': 'Count', 'data-seized': 'count' },
    })
    seizedRows.append(el('div', { class: 'row' }, item, count))
  })
  const receipt = el('input', { attrs: { type: 'text', maxlength: '40' } })
  kind.addEventListener('change', () => {
    evac.hidden = kind.value !== 'evacuation'
  })
  const submit = el('button', { class: 'btn btn--primary', attrs: { type: 'submit' }, text: T('记录', 'Record') })
  const form = el(
    'form',
    { class: 'stack', attrs: { id: 'incident-form', novalidate: '' } },
    cand.node,
    labelled(T('类别', 'Kind'), kind, 'incident-kind'),
    labelled(T('发生时间', 'Time'), time, 'incident-time'),
    evac,
    labelled(T('情况说明（违纪、作弊须写明行为）', 'What happened (required for violations)'), description, 'incident-description'),
    labelled(T('照片（可选）', 'Photo (optional)'), photoInput, 'incident-photo'),
    photoState,
    el('div', { class: 'field' }, tx(T('暂扣物品', 'Seized items')), seizedRows, addSeized),
    labelled(T('暂扣物品收据编号', 'Receipt number for seized items'), receipt, 'incident-receipt'),
    alert,
    submit,
  )
  const list = el('ol', { class: 'list', attrs: { id: 'incident-list' } })
  root.replaceChildren(
    el('section', { class: 'card' }, el('h2', { text: T('记录考场情况', 'Record an incident') }), form),
    el('section', { class: 'card' }, el('h2', { text: T('本考场记录', "This room's incidents") }), list),
  )

  form.addEventListener('submit', (ev) => {
    ev.preventDefault()
    void busy(submit, async () => {
      hideAlert(alert)
      const spec = kindOf(kind.value)!
      const at = atCst(pkg.session.startsAt, time.value)
      const seized = [...seizedRows.querySelectorAll<HTMLElement>('.row')]
        .map((r) => ({
          item: r.querySelector<HTMLInputElement>('[data-seized=item]')!.value.trim(),
          count: Number(r.querySelector<HTMLInputElement>('[data-seized=count]')!.value),
        }))
        .filter((s) => s.item !== '')
      const problem = (t: Text) => showAlert(alert, 'error', t)
      if (at === null) return problem(T('请填写发生时间', 'Enter the time'))
      if (spec.group !== 'event' && !cand.value()) return problem(T('违纪、作弊须选择考生', 'A violation names the candidate'))
      if ((spec.kind === 'late_arrival' || spec.kind === 'illness') && !cand.value()) return problem(T('请选择考生', 'Choose the candidate'))
      if (spec.group !== 'event' && description.value.trim() === '') return problem(T('请描述违规行为', 'Describe what the candidate did'))
      if (seized.some((s) => !Number.isSafeInteger(s.count) || s.count < 1))
        return problem(T('暂扣物品数量须为正整数', 'Seized counts are whole numbers from 1'))
      if (seized.length > 0 && receipt.value.trim() === '') return problem(T('暂扣物品须填写收据编号', 'Seized items need a receipt number'))
      const body: IncidentBody = { kind: spec.kind, at, description: description.value.trim(), seized }
      if (cand.value()) body.candidateId = cand.value()
      if (photo) body.photo = photo
      if (receipt.value.trim()) body.receiptNumber = receipt.value.trim()
      if (spec.kind === 'evacuation') {
        const s = atCst(pkg.session.startsAt, stopped.value),
          r = atCst(pkg.session.startsAt, restarted.value)
        if (s === null || r === null || r <= s)
          return problem(T('请填写暂停和恢复时间（恢复晚于暂停）', 'Enter the stop and restart times (restart after stop)'))
        body.stoppedAt = s
        body.restartedAt = r
      }
      try {
        await ctx.record('incident', body)
      } catch (err) {
        return showAlert(alert, 'error', problemText(err))
      }
      showAlert(alert, 'ok', T('已记录', 'Recorded'))
      description.value = ''
      receipt.value = ''
      seizedRows.replaceChildren()
      photoInput.value = ''
      photo = null
      photoState.replaceChildren()
      await renderList()
    })
  })

  const renderList = async (): Promise<void> => {
    const incidents = (await ctx.records('incident')) as Array<KioskRecord<IncidentBody>>
    const confirms = (await ctx.records('incident_confirm')) as Array<KioskRecord<ConfirmBody>>
    list.replaceChildren()
    for (const r of [...incidents].reverse()) {
      const spec = kindOf(r.body.kind)
      const mine = confirms.filter((c) => c.body.incidentId === r.id)
      const second = mine.find((c) => c.body.second)
      const refused = mine.some((c) => c.body.refusedToSign)
      const needs = spec?.group === 'violation' || spec?.group === 'cheating'
      const item = el(
        'li',
        {
          class: 'incident',
          attrs: { 'data-incident': r.id, 'data-kind': r.body.kind, 'data-status': needs ? (second ? 'confirmed' : 'awaiting_second') : 'recorded' },
        },
        el('strong', {}, hhmm(r.body.at), ' ', candidateLabel(pkg, r.body.candidateId)),
        ' ',
        tx(spec ? T(spec.zh, spec.en) : T(r.body.kind, r.body.kind)),
        r.body.description ? el('p', {}, r.body.description) : null,
        r.body.seized.length
          ? el('p', { class: 'muted' }, `${r.body.seized.map((s) => `${s.item} ×${s.count}`).join('，')} · ${r.body.receiptNumber ?? ''}`)
          : null,
        needs && second ? el('p', { class: 'badge badge--ok' }, `✓ ${staffName(pkg, second.body.second!.userId)}`) : null,
        refused ? el('p', { class: 'badge badge--warn', text: T('考生拒绝签字（已记录）', 'Candidate refused to sign (recorded)') }) : null,
      )
      const actions = el('div', { class: 'actions' })
      if (needs && !second) {
        const b = el('button', {
          class: 'btn btn--small',
          attrs: { type: 'button', 'data-action': 'confirm' },
          text: T('第二名监考员确认', 'Second invigilator confirms'),
        })
        b.addEventListener(
          'click',
          () =>
            void busy(b, async () => {
              const c = await ctx.confirmPerson('incident_confirm', otherStaff(pkg, 'invigilator', r.userId))
              if (!c) return
              await ctx.record('incident_confirm', { incidentId: r.id, second: c })
              await renderList()
            }),
        )
        actions.append(b)
      }
      if (r.body.candidateId && !refused) {
        const b = el('button', {
          class: 'btn btn--ghost btn--small',
          attrs: { type: 'button', 'data-action': 'refused' },
          text: T('考生拒绝签字', 'Candidate refuses to sign'),
        })
        b.addEventListener(
          'click',
          () =>
            void busy(b, async () => {
              await ctx.record('incident_confirm', { incidentId: r.id, refusedToSign: true })
              await renderList()
            }),
        )
        actions.append(b)
      }
      if (actions.childElementCount) item.append(actions)
      list.append(item)
    }
    if (incidents.length === 0) list.append(el('li', { class: 'muted', text: T('暂无记录', 'Nothing recorded yet') }))
  }
  void renderList()
}
