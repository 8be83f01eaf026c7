// /supervisor: what supervisors (督导, R6.4) watch and decide in custody. Alerts (a seal that did not match, a
// damaged packet, a recovery that did not add up, a leak report) with acknowledgement; leak reports with the
// exposure trace, confirmed or dismissed with a reason, and the session decision after a confirmed leak
// (suspend, or switch to paper B, R5.4); a copy number traced to its packet and holders; printable reports.
import { actionName } from './_actions.ts'
import { busy, byId, el, hideAlert, problemText, showAlert, tx } from './_dom.ts'
import { T, type Text } from './_i18n.ts'
import { type Alert, type CopyTrace, type ExposureTrace, type Holder, type LeakReport, custody } from './_custody-api.ts'
import {
  LEAK_LEVELS, LEAK_STATES, MOVES, PACKET_STATES, People, copyRange, roomName, sessionRoomNames, shortId, stateBadge,
} from './_custody-ui.ts'
import { pageProblem, startStaffPage } from './_shell.ts'
import { mountAccountOversight } from './_role-changes.ts'
import { formatCst } from './_time.ts'

const page = await startStaffPage()
if (page) await main()

async function main(): Promise<void> {
  const { user } = page!
  const people = new People(user.id, user.displayName)
  const deciding = user.roles.includes('supervisor')

  // ---- alerts ---------------------------------------------------------------------------------------------------
  const alertsBox = byId('alerts-alert')
  const showAll = byId<HTMLInputElement>('alerts-all')
  async function loadAlerts(): Promise<void> {
    const { alerts } = await custody.alerts(!showAll.checked)
    byId('alert-count').textContent = String(alerts.filter((a) => !a.acknowledged).length)
    byId('alerts-body').replaceChildren(...(alerts.length > 0 ? alerts.map(alertRow)
      : [el('tr', {}, el('td', { class: 'empty', attrs: { colspan: '5' }, text: T('没有待处理的告警', 'No open alerts') }))]))
  }
  function subjectLink(s: Alert['subject']): Node {
    if (!s) return document.createTextNode('—')
    if (s.type === 'packet') return el('a', { class: 'mono', attrs: { href: custody.packetPage(s.id), title: s.id } }, tx(T('试卷袋 ', 'Packet ')), shortId(s.id))
    if (s.type === 'leak') {
      const a = el('a', { class: 'mono', attrs: { href: `?leak=${encodeURIComponent(s.id)}`, title: s.id } }, tx(T('泄密报告 ', 'Leak report ')), shortId(s.id))
      a.addEventListener('click', (ev) => { ev.preventDefault(); void openLeak(s.id) })
      return a
    }
    if (s.type === 'paper') return el('a', { class: 'mono', attrs: { href: custody.paperPage(s.id), title: s.id } }, tx(T('试卷 ', 'Paper ')), shortId(s.id))
    return el('span', { class: 'mono' }, `${s.type} ${shortId(s.id)}`)
  }
  function alertDetails(a: Alert): Text {
    const d = a.data
    const n = (k: string) => (typeof d[k] === 'number' ? String(d[k]) : '—')
    if (a.action === 'user.role_change_proposed') { // decision 005: confirmed in the role-change card below
      return T(`账号 ${String(d.username ?? '')} 的角色变更待第二人确认`, `Role change of account ${String(d.username ?? '')} awaits a second person`)
    }
    if (a.action.endsWith('.seal_mismatch')) {
      return T(`应为 ${String(d.expected ?? '—')}，看到 ${String(d.seen ?? '—')}`, `expected ${String(d.expected ?? '—')}, seen ${String(d.seen ?? '—')}`)
    }
    if (a.action.endsWith('.recovery_mismatch')) {
      const diff = (d.difference ?? {}) as Record<string, unknown>
      const v = (k: string) => (typeof diff[k] === 'number' ? String(diff[k]) : '—')
      return T(`差额：试卷 ${v('copies')}，答题卡 ${v('answerSheets')}，草稿纸 ${v('scratchPaper')}`, `difference: copies ${v('copies')}, answer sheets ${v('answerSheets')}, scratch ${v('scratchPaper')}`)
    }
    if (a.action.endsWith('.leak')) {
      const level = LEAK_LEVELS[String(d.level)] ?? T(String(d.level ?? ''), String(d.level ?? ''))
      const frozen = Array.isArray(d.frozenPackets) ? d.frozenPackets.length : n('frozen')
      const copy = typeof d.copyNumber === 'number' ? d.copyNumber : null
      return T(`${level.zh}${copy !== null ? `，份号 ${copy}` : ''}；试卷已冻结，冻结试卷袋 ${frozen} 个`,
        `${level.en}${copy !== null ? `, copy ${copy}` : ''}; paper frozen, ${frozen} packets frozen`)
    }
    return T('', '')
  }
  function alertRow(a: Alert): HTMLTableRowElement {
    const name = actionName(a.action)
    const ack = a.acknowledged
      ? el('span', { class: 'badge badge--off', text: T('已确认', 'Acknowledged') })
      : el('button', { class: 'btn btn--small btn--ghost nowrap', attrs: { type: 'button', 'data-action': 'acknowledge' }, text: T('已知悉', 'Acknowledge') })
    if (ack instanceof HTMLButtonElement) {
      ack.addEventListener('click', async () => {
        hideAlert(alertsBox)
        try {
          await busy(ack, () => custody.acknowledge(a.id))
          await loadAlerts()
        } catch (err) {
          showAlert(alertsBox, 'error', problemText(err))
        }
      })
    }
    return el('tr', { attrs: { 'data-alert': a.id, 'data-action': a.action }, ...(a.acknowledged ? { class: 'row--off' } : {}) },
      el('td', { class: 'nowrap' }, formatCst(a.time)),
      el('td', {}, el('span', { class: 'action' }, name ? el('strong', { text: name }) : null, el('span', { class: 'action__code' }, a.action))),
      el('td', { class: 'nowrap' }, subjectLink(a.subject)),
      el('td', {}, tx(alertDetails(a))),
      el('td', { class: 'no-print' }, ack))
  }
  showAll.addEventListener('change', () => loadAlerts().catch((err) => showAlert(alertsBox, 'error', problemText(err))))
  byId('alerts-refresh').addEventListener('click', () => loadAlerts().catch((err) => showAlert(alertsBox, 'error', problemText(err))))

  // ---- leak reports ---------------------------------------------------------------------------------------------------
  let leaks: LeakReport[] = []
  async function loadLeaks(): Promise<void> {
    leaks = (await custody.leaks()).leaks
    await Promise.all([...new Set(leaks.map((r) => r.paperId))].slice(0, 20).map(learnNames))
    renderLeaks()
  }
  function renderLeaks(): void {
    byId('leak-count').textContent = String(leaks.length)
    byId('leaks-body').replaceChildren(...(leaks.length > 0 ? leaks.map((r) => {
      const row = el('tr', { class: 'row--click', attrs: { 'data-leak': r.id, tabindex: '0', 'aria-selected': String(r.id === openId) } },
        el('td', { class: 'nowrap' }, formatCst(r.filedAt)),
        el('td', {}, paperTitles.get(r.paperId) ?? el('span', { class: 'mono' }, shortId(r.paperId))),
        el('td', {}, tx(LEAK_LEVELS[r.level] ?? T(r.level, r.level))),
        el('td', {}, stateBadge(r.state, LEAK_STATES)),
        el('td', {}, people.show(r.filedBy)))
      row.addEventListener('click', () => void openLeak(r.id))
      row.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') void openLeak(r.id) })
      return row
    }) : [el('tr', {}, el('td', { class: 'empty', attrs: { colspan: '5' }, text: T('没有泄密报告', 'No leak reports') }))]))
  }

  let openId: string | null = null
  let current: { report: LeakReport; trace: ExposureTrace | null } | null = null
  const leakBox = byId('leak-alert')
  async function openLeak(id: string): Promise<void> {
    openId = id
    hideAlert(leakBox)
    try {
      current = await custody.leak(id)
      await learnNames(current.report.paperId)
      for (const [rid, name] of await sessionRoomNames(user.roles, current.report.examSessionId)) rooms.set(rid, name)
      renderLeak()
      renderLeaks()
      byId<HTMLInputElement>('copy-paper').value ||= current.report.paperId // the copy to trace is most likely of this paper
      for (const tr of document.querySelectorAll<HTMLElement>('#leaks-body tr')) tr.setAttribute('aria-selected', String(tr.dataset.leak === id))
      const url = new URL(location.href)
      url.searchParams.set('leak', id)
      history.replaceState(null, '', url)
      byId('leak-panel').hidden = false
      byId('leak-panel-title').focus()
    } catch (err) {
      showAlert(byId('leaks-alert'), 'error', problemText(err))
    }
  }
  /** Papers' titles, from their custody reports. */
  const paperTitles = new Map<string, string>()
  /** Names of the people in a trace: the paper's custody report names every actor of its events. */
  async function learnNames(paperId: string): Promise<void> {
    try {
      const res = await fetch(`/api/reports/papers/${encodeURIComponent(paperId)}`, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      if (!res.ok) return
      const report = (await res.json()) as { paper?: { title?: string } | null; events: Array<{ actor: { user?: string; name?: string } }>; names?: unknown }
      if (report.paper?.title) paperTitles.set(paperId, report.paper.title)
      people.learn(report.events.flatMap((e) => (e.actor.user && e.actor.name ? [{ id: e.actor.user, displayName: e.actor.name }] : [])))
      people.learn(report.names)
    } catch {
      // ids are shown instead of names
    }
  }
  const rooms = new Map<string, string>()
  const holderNode = (h: Holder) => people.holder(h, rooms)
  function renderLeak(): void {
    if (!current) return
    const { report: r, trace } = current
    byId('leak-id').textContent = shortId(r.id)
    byId('leak-id').title = r.id
    byId('leak-state').replaceChildren(stateBadge(r.state, LEAK_STATES))
    byId<HTMLAnchorElement>('leak-report-link').href = custody.paperReportPage(r.paperId)
    const fact = (label: Text, value: Node | string, wide = false) => el('div', wide ? { class: 'facts__wide' } : {}, el('dt', { text: label }), el('dd', {}, value))
    byId('leak-facts').replaceChildren(...[
      fact(T('试卷', 'Paper'), el('a', { attrs: { href: custody.paperPage(r.paperId), id: 'leak-paper' } }, paperTitles.get(r.paperId) ?? r.paperId)),
      fact(T('场次', 'Session'), el('span', { class: 'mono' }, r.examSessionId)),
      fact(T('判断', 'Level'), tx(LEAK_LEVELS[r.level] ?? T(r.level, r.level))),
      fact(T('报告人', 'Filed by'), el('span', {}, people.show(r.filedBy), ' · ', formatCst(r.filedAt))),
      r.packetId ? fact(T('试卷袋', 'Packet'), el('a', { class: 'mono', attrs: { href: custody.packetPage(r.packetId) } }, r.packetId)) : null,
      r.copyNumber !== null ? fact(T('份号', 'Copy number'), el('span', { class: 'mono' }, String(r.copyNumber))) : null,
      fact(T('情况说明', 'Description'), r.description || '—', true),
      r.decidedBy ? fact(T('决定', 'Decided'), el('span', {}, people.show(r.decidedBy), ' · ', r.decidedAt !== null ? formatCst(r.decidedAt) : '', ' · ', r.reason ?? ''), true) : null,
      ...r.decisions.map((d) => fact(T('场次处理', 'Session decision'), el('span', {},
        tx(d.decision === 'suspended' ? T('停考', 'Suspended') : T('启用 B 卷', 'Switched to paper B')), ' · ',
        el('span', { class: 'mono' }, d.sessionId), ' · ', d.reason, ' · ', people.show(d.decidedBy),
        // Two people stand behind every session decision: the reporter and the supervisor who confirmed (decision record 006).
        d.reportedBy && d.confirmedBy
          ? el('span', { class: 'hint' }, tx(T('（报告人 ', ' (reported by ')), people.show(d.reportedBy), tx(T('，确认人 ', ', confirmed by ')), people.show(d.confirmedBy), tx(T('）', ')')))
          : null), true)),
    ].filter((n): n is HTMLDivElement => n !== null))
    // The reporter never confirms or dismisses their own report: a second supervisor does (R5.4, decision record 006).
    const own = r.filedBy === user.id
    byId('verdict-own').hidden = !own
    byId('confirm-submit').hidden = own
    byId('dismiss-submit').hidden = own
    byId<HTMLTextAreaElement>('verdict-reason').disabled = own
    byId('verdict-form').hidden = !deciding || r.state !== 'open'
    byId('decision-form').hidden = !deciding || r.state !== 'confirmed'
    byId<HTMLInputElement>('decision-session').value ||= r.examSessionId

    const packets = trace?.packets ?? []
    byId('trace-count').textContent = String(packets.length)
    const everyone = trace?.people ?? []
    byId('trace-people').replaceChildren(...(everyone.length > 0
      ? [tx(T('涉及人员：', 'People involved: ')), ...everyone.flatMap((id, i) => [i > 0 ? '、' : '', people.show(id)])] : []))
    byId('trace-body').replaceChildren(...(packets.length > 0 ? packets.map((x) => el('tr', { attrs: { 'data-packet': x.packetId } },
      el('td', { class: 'nowrap' }, el('a', { class: 'mono', attrs: { href: custody.packetPage(x.packetId), title: x.packetId } }, shortId(x.packetId)),
        x.roomId ? el('div', { class: 'hint' }, roomName(x.roomId, rooms)) : null),
      el('td', { class: 'mono nowrap' }, copyRange(x.copies)),
      el('td', {}, stateBadge(x.state, PACKET_STATES)),
      el('td', {}, holderNode(x.holder)),
      el('td', {}, ...x.holders.flatMap((h, i) => [i > 0 ? ' → ' : '', holderNode(h)])),
      el('td', { class: 'hint' }, el('details', {}, el('summary', { text: T(`${x.steps.length} 步`, `${x.steps.length} steps`) }),
        el('ol', { class: 'proof__list' }, ...x.steps.map((s) => {
          const name = actionName(s.action)
          return el('li', {}, formatCst(s.time), ' ', name ? tx(name) : s.action, ' — ', ...s.people.flatMap((id, i) => [i > 0 ? '、' : '', people.show(id)]))
        }))))))
      : [el('tr', {}, el('td', { class: 'empty', attrs: { colspan: '6' }, text: T('该试卷尚无试卷袋', 'The paper has no packets yet') }))]))
  }
  byId('leak-close').addEventListener('click', () => {
    byId('leak-panel').hidden = true
    openId = null
    const url = new URL(location.href)
    url.searchParams.delete('leak')
    history.replaceState(null, '', url)
  })

  async function decide(button: HTMLButtonElement, verdict: 'confirm' | 'dismiss'): Promise<void> {
    if (!current) return
    const id = current.report.id
    hideAlert(leakBox)
    try {
      await busy(button, () => custody.decideLeak(id, verdict, byId<HTMLTextAreaElement>('verdict-reason').value.trim()))
      byId<HTMLTextAreaElement>('verdict-reason').value = ''
      await Promise.all([loadLeaks(), loadAlerts()])
      await openLeak(id)
      showAlert(leakBox, 'ok', verdict === 'confirm' ? T('已确认泄密：试卷已停用，冻结的试卷袋已作废', 'Leak confirmed: the paper is retired and its frozen packets voided')
        : T('已排除：无其他未决报告时试卷解冻', 'Dismissed: the paper thaws if no other report is open'))
    } catch (err) {
      showAlert(leakBox, 'error', problemText(err))
    }
  }
  byId<HTMLFormElement>('verdict-form').addEventListener('submit', (ev) => {
    ev.preventDefault()
    void decide(byId<HTMLButtonElement>('confirm-submit'), 'confirm')
  })
  byId('dismiss-submit').addEventListener('click', (ev) => void decide(ev.currentTarget as HTMLButtonElement, 'dismiss'))
  byId<HTMLFormElement>('decision-form').addEventListener('submit', async (ev) => {
    ev.preventDefault()
    if (!current) return
    const id = current.report.id
    hideAlert(leakBox)
    const kind = byId<HTMLSelectElement>('decision-kind').value as 'suspend' | 'switch_to_paper_b'
    try {
      await busy(byId<HTMLButtonElement>('decision-submit'), () =>
        custody.sessionDecision(id, byId<HTMLInputElement>('decision-session').value.trim(), kind, byId<HTMLTextAreaElement>('decision-reason').value.trim()))
      byId<HTMLTextAreaElement>('decision-reason').value = ''
      await openLeak(id)
      showAlert(leakBox, 'ok', kind === 'suspend' ? T('已记录：该场次停考', 'Recorded: the session is suspended') : T('已记录：该场次启用 B 卷', 'Recorded: the session switches to paper B'))
    } catch (err) {
      showAlert(leakBox, 'error', problemText(err))
    }
  })

  // ---- a copy number → its packet and holders ---------------------------------------------------------------------
  byId<HTMLFormElement>('copy-form').addEventListener('submit', async (ev) => {
    ev.preventDefault()
    const box = byId('copy-alert')
    const out = byId('copy-result')
    hideAlert(box)
    out.hidden = true
    const paperId = byId<HTMLInputElement>('copy-paper').value.trim()
    const n = Number(byId<HTMLInputElement>('copy-number').value.trim())
    if (!Number.isSafeInteger(n) || n < 1) { showAlert(box, 'error', T('份号应为正整数', 'The copy number is a whole number from 1')); return }
    try {
      const t: CopyTrace = await busy(byId<HTMLButtonElement>('copy-submit'), () => custody.traceCopy(n, paperId))
      await learnNames(paperId)
      const fact = (label: Text, value: Node | string) => el('div', {}, el('dt', { text: label }), el('dd', {}, value))
      out.replaceChildren(
        fact(T('份号', 'Copy'), el('span', { class: 'mono' }, String(t.copyNumber))),
        fact(T('试卷袋', 'Packet'), el('a', { class: 'mono', attrs: { href: custody.packetPage(t.packetId), id: 'copy-packet' } }, t.packetId)),
        fact(T('考场', 'Room'), t.roomId ? roomName(t.roomId, rooms) : '—'),
        fact(T('当前状态', 'State now'), stateBadge(t.exposure.state, PACKET_STATES)),
        fact(T('历任保管', 'Held by, in order'), el('span', { attrs: { id: 'copy-holders' } }, ...t.holders.flatMap((h, i) => [i > 0 ? ' → ' : '', holderNode(h)]))),
        fact(T('经手步骤', 'Steps'), el('span', {}, ...t.exposure.steps.flatMap((s, i) => [i > 0 ? ' → ' : '', tx(actionVerb(s.action))]))))
      out.hidden = false
    } catch (err) {
      showAlert(box, 'error', problemText(err))
    }
  })
  const actionVerb = (action: string): Text => {
    const name = actionName(action)
    if (name) return name
    const move = Object.entries(MOVES).find(([k]) => action.endsWith(`.${k}`))
    return move ? move[1] : T(action, action)
  }

  byId<HTMLFormElement>('report-form').addEventListener('submit', (ev) => {
    ev.preventDefault()
    const id = byId<HTMLInputElement>('report-id').value.trim()
    if (!id) return
    const kind = byId<HTMLSelectElement>('report-kind').value
    open(kind === 'packets' ? custody.packetReportPage(id) : custody.paperReportPage(id), '_blank')
  })

  try {
    await Promise.all([loadAlerts(), loadLeaks()])
  } catch (err) {
    pageProblem(problemText(err))
    return
  }
  byId('area').hidden = false
  document.getElementById('loading')?.remove()
  void mountAccountOversight(byId('area'), user.id, page!.roleName) // role changes to confirm, failed logins (decision 005)
  const wanted = new URLSearchParams(location.search).get('leak')
  if (wanted) await openLeak(wanted)
}
