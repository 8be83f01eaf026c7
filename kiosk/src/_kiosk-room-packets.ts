// The packets screen (试卷袋): the room's packets from the package. Opening: scan the packet's label
// (CUSTODY-PACKET:<id>) or pick it, type the seal number as read off the packet (blind: no expected value is ever
// on this device), and a second invigilator of the room confirms with their own login; the record is
// 'packet_open' {packetId, second, sealSeen} and the server checks the seal. Recovery after the session: the
// counts (used, blank, spoiled, answer sheets, scratch paper; R5.5) as 'packet_recover'. Only ctx talks to anything.
import { busy, el, hideAlert, problemText, showAlert } from './_dom.ts'
import { T, type Text } from './_i18n.ts'
import { labelled, otherStaff, staffName } from './_kiosk-room-incidents.ts'
import type { KioskContext, KioskRecord } from './_kiosk-types.ts'
import { packetIdFrom, watchScanField } from './_scanner.ts'

/** The recovery counts (server/domain/custody/_room.ts COUNT_FIELDS). */
export const COUNT_FIELDS: ReadonlyArray<{ field: string; label: Text }> = [
  { field: 'used', label: T('已用试卷', 'Papers used') },
  { field: 'blank', label: T('空白试卷', 'Blank papers') },
  { field: 'spoiled', label: T('作废试卷', 'Spoiled papers') },
  { field: 'answerSheets', label: T('答题卡（纸）', 'Answer sheets') },
  { field: 'scratchPaper', label: T('草稿纸', 'Scratch paper') },
]

interface OpenBody {
  packetId: string
  second: { userId: string }
  sealSeen: string
  [k: string]: unknown
}
interface RecoverBody {
  packetId: string
  counts: Record<string, number>
  [k: string]: unknown
}

export function mountPackets(root: HTMLElement, ctx: KioskContext): void {
  const pkg = ctx.pkg
  const alert = el('div', { attrs: { id: 'packet-alert' }, hidden: true })
  const scan = el('input', { attrs: { type: 'text', autocomplete: 'off', placeholder: '扫描试卷袋标签', 'data-en-placeholder': 'Scan the packet label' } })
  const pick = el('select', {})
  for (const p of pkg.packets) pick.append(el('option', { attrs: { value: p.id } }, `${p.label} · ${p.paper} · ${p.copyFirst}–${p.copyLast}`))
  const detail = el('div', { attrs: { id: 'packet-detail' } })
  root.replaceChildren(
    el(
      'section',
      { class: 'card' },
      el('h2', { text: T('本考场试卷袋', "This room's packets") }),
      pkg.packets.length === 0 ? el('p', { class: 'muted', text: T('本考场没有试卷袋', 'No packets for this room') }) : null,
      labelled(T('扫描标签', 'Scan the label'), scan, 'packet-scan'),
      labelled(T('或选择', 'Or pick'), pick, 'packet-pick'),
      alert,
      detail,
    ),
  )
  watchScanField(scan, (text) => {
    hideAlert(alert)
    const id = packetIdFrom(text)
    if (!id || !pkg.packets.some((p) => p.id === id)) return showAlert(alert, 'error', T('该试卷袋不属于本考场', 'This packet is not for this room'))
    pick.value = id
    void show(id)
  })
  pick.addEventListener('change', () => void show(pick.value))

  const show = async (packetId: string): Promise<void> => {
    const p = pkg.packets.find((x) => x.id === packetId)
    detail.replaceChildren()
    if (!p) return
    const opened = ((await ctx.records('packet_open')) as Array<KioskRecord<OpenBody>>).find((r) => r.body.packetId === p.id)
    const recovered = ((await ctx.records('packet_recover')) as Array<KioskRecord<RecoverBody>>).find((r) => r.body.packetId === p.id)
    detail.append(
      el(
        'p',
        { attrs: { 'data-packet': p.id, 'data-state': recovered ? 'recovered' : opened || p.state === 'opened' ? 'opened' : p.state } },
        el('strong', {}, p.label),
        ` · ${p.paper}`,
      ),
    )
    if (!opened && p.state !== 'opened' && !recovered) detail.append(openForm(p.id))
    else if (opened) detail.append(el('p', { class: 'badge badge--ok' }, `✓ ${staffName(pkg, opened.userId)} + ${staffName(pkg, opened.body.second.userId)}`))
    if (!recovered && (opened || p.state === 'opened')) detail.append(recoverForm(p.id))
    if (recovered)
      detail.append(el('p', { class: 'badge badge--ok', text: T('已回收（等待试卷保密管理员核对）', 'Recovered (the custodian checks the counts)') }))
  }

  const openForm = (packetId: string): HTMLElement => {
    // Blind: the seal number is typed as read off the packet; nothing here knows what it should be.
    const seal = el('input', { attrs: { type: 'text', autocomplete: 'off', spellcheck: 'false', inputmode: 'text', maxlength: '64' } })
    const go = el('button', { class: 'btn btn--primary', attrs: { type: 'submit' }, text: T('第二名监考员确认并开启', 'Second invigilator confirms and open') })
    const form = el(
      'form',
      { class: 'stack', attrs: { id: 'packet-open-form', novalidate: '' } },
      labelled(T('封条号（照封条输入）', 'Seal number (as on the seal)'), seal, 'packet-seal'),
      go,
    )
    form.addEventListener('submit', (ev) => {
      ev.preventDefault()
      void busy(go, async () => {
        hideAlert(alert)
        const sealSeen = seal.value.trim()
        if (sealSeen === '') return showAlert(alert, 'error', T('请输入封条号', 'Type the seal number'))
        const second = await ctx.confirmPerson('packet_open', otherStaff(pkg, 'invigilator', ctx.user.id))
        if (!second) return
        try {
          await ctx.record('packet_open', { packetId, second, sealSeen })
        } catch (err) {
          return showAlert(alert, 'error', problemText(err))
        }
        seal.value = ''
        showAlert(alert, 'ok', T('已记录开启；封条号由服务器核对', 'Opening recorded; the server checks the seal'))
        await show(packetId)
      })
    })
    return form
  }

  const recoverForm = (packetId: string): HTMLElement => {
    const inputs = COUNT_FIELDS.map((f) => ({ f, input: el('input', { attrs: { type: 'number', min: '0', step: '1', inputmode: 'numeric', required: '' } }) }))
    const go = el('button', { class: 'btn', attrs: { type: 'submit' }, text: T('记录回收数量', 'Record the recovery') })
    const form = el(
      'form',
      { class: 'stack', attrs: { id: 'packet-recover-form', novalidate: '' } },
      el('h3', { text: T('回收', 'Recovery') }),
      ...inputs.map(({ f, input }) => labelled(f.label, input, `packet-count-${f.field}`)),
      go,
    )
    form.addEventListener('submit', (ev) => {
      ev.preventDefault()
      void busy(go, async () => {
        hideAlert(alert)
        const counts: Record<string, number> = {}
        for (const { f, input } of inputs) {
          const n = Number(input.value)
          if (input.value.trim() === '' || !Number.isSafeInteger(n) || n < 0)
            return showAlert(alert, 'error', T('各项数量须为不小于 0 的整数', 'Each count is a whole number, 0 or more'))
          counts[f.field] = n
        }
        try {
          await ctx.record('packet_recover', { packetId, counts })
        } catch (err) {
          return showAlert(alert, 'error', problemText(err))
        }
        showAlert(alert, 'ok', T('已记录回收数量', 'Recovery recorded'))
        await show(packetId)
      })
    })
    return form
  }

  if (pkg.packets[0]) void show(pkg.packets[0].id)
}
