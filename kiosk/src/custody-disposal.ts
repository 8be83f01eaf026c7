// /custody/disposal: the archive's packets whose keeping period is over (R5.5: three years after the exam,
// disposable from the next day in Beijing time), and the witnessed disposal list that destroys them. A custodian picks
// the packets, names the method, and a witness signs in with their own account on this device; the server
// checks every packet again (archived and due, or the whole list is refused) and logs the list and each
// packet's destruction in one transaction. Supervisors and administrators see the list without acting.
import { busy, byId, el, hideAlert, problemText, showAlert, tx } from './_dom.ts'
import { T, applyLang } from './_i18n.ts'
import { api } from './_client.ts'
import { type Packet, copyRange, credentialFields, packetLabel, packetPage, takeCredentials } from './_custody-ui.ts'
import { showWhenLoaded, startStaffPage } from './_shell.ts'

const page = await startStaffPage()
if (page) await main()

async function main(): Promise<void> {
  const custodian = page!.user.roles.includes('custodian')
  const selected = new Set<string>()
  const titles = new Map<string, string>()
  const rooms = new Map<string, string>()
  let due: Packet[] = []

  const form = byId<HTMLFormElement>('dispose-form')
  byId('witness-slot').replaceChildren(
    credentialFields(
      'dispose-witness',
      T('见证人', 'Witness'),
      T(
        '另一名工作人员（不能是您本人）在此输入本人用户名和密码，见证销毁',
        'Another member of staff (not you) types their own username and password here to witness the disposal',
      ),
    ),
  )
  applyLang(form)

  async function load(): Promise<void> {
    const r = await api('GET /api/disposals/due')
    due = r.packets as Packet[]
    for (const id of [...selected]) if (!due.some((p) => p.id === id)) selected.delete(id)
    // Paper titles and room names come with the list (decision record 010).
    for (const [id, p] of Object.entries(r.papers ?? {})) titles.set(id, p.title)
    for (const [id, name] of Object.entries(r.rooms ?? {})) rooms.set(id, name)
    byId('due-today').replaceChildren(tx(T(`今天（北京时间）：${r.today}`, `Today (Beijing time): ${r.today}`)))
    render()
  }

  function render(): void {
    byId('due-count').textContent = String(due.length)
    byId('due-body').replaceChildren(
      ...(due.length > 0
        ? due.map(row)
        : [
            el(
              'tr',
              {},
              el('td', { class: 'empty', attrs: { colspan: '7' }, text: T('没有到期可销毁的试卷袋', 'Nothing in the archive is due for disposal') }),
            ),
          ]),
    )
    const all = byId<HTMLInputElement>('due-all')
    all.checked = due.length > 0 && selected.size === due.length
    all.disabled = !custodian || due.length === 0
    byId('dispose-card').hidden = !custodian || due.length === 0
    byId('dispose-summary').replaceChildren(tx(T(`已选 ${selected.size} 个试卷袋`, `${selected.size} packet${selected.size === 1 ? '' : 's'} selected`)))
    byId<HTMLButtonElement>('dispose-submit').disabled = selected.size === 0
  }

  function row(p: Packet): HTMLTableRowElement {
    const box = el('input', { attrs: { type: 'checkbox', 'data-packet': p.id, 'aria-label': `${titles.get(p.paperId) ?? ''} ${copyRange(p.copies)}` } })
    box.checked = selected.has(p.id)
    box.disabled = !custodian
    box.addEventListener('change', () => {
      if (box.checked) selected.add(p.id)
      else selected.delete(p.id)
      render()
    })
    const r = p.retention
    return el(
      'tr',
      { attrs: { 'data-packet': p.id } },
      el('td', { class: 'no-print' }, box),
      el('td', { class: 'nowrap' }, el('a', { attrs: { href: packetPage(p.id) } }, packetLabel(p, rooms))),
      el('td', {}, titles.get(p.paperId) ?? tx(T('试卷', 'Paper'))),
      el('td', { class: 'mono nowrap' }, copyRange(p.copies)),
      el('td', { class: 'nowrap' }, r?.examDate ?? '—'),
      el('td', { class: 'nowrap' }, r?.keptUntil ?? '—'),
      el('td', { class: 'nowrap' }, r?.disposableFrom ?? '—'),
    )
  }

  byId<HTMLInputElement>('due-all').addEventListener('change', (ev) => {
    const on = (ev.currentTarget as HTMLInputElement).checked
    selected.clear()
    if (on) for (const p of due) selected.add(p.id)
    render()
  })
  byId('due-refresh').addEventListener('click', async (ev) => {
    try {
      await busy(ev.currentTarget as HTMLButtonElement, load)
    } catch (err) {
      showAlert(byId('page-alert'), 'error', problemText(err))
    }
  })

  const alert = byId('dispose-alert')
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault()
    hideAlert(alert)
    const method = byId<HTMLInputElement>('dispose-method').value.trim()
    if (selected.size === 0) return showAlert(alert, 'error', T('请先勾选要销毁的试卷袋', 'Select the packets to dispose of first'))
    if (method === '') return showAlert(alert, 'error', T('请填写销毁方式', 'Say how the material is destroyed'))
    const witness = takeCredentials(form, 'dispose-witness')
    try {
      const r = await busy(byId<HTMLButtonElement>('dispose-submit'), () => api('POST /api/disposals', { json: { packetIds: [...selected], method, witness } }))
      selected.clear()
      form.reset()
      showAlert(
        byId('page-alert'),
        'ok',
        T(
          `销毁清单 ${r.list.id} 已登记：${r.list.packetIds.length} 个试卷袋已销毁，记入审计日志`,
          `Disposal list ${r.list.id} recorded: ${r.list.packetIds.length} packet${r.list.packetIds.length === 1 ? '' : 's'} destroyed, in the custody log`,
        ),
      )
      await load()
    } catch (err) {
      showAlert(alert, 'error', problemText(err))
    }
  })

  await showWhenLoaded(load)
}
