// /supervisor: what supervisors (督导, R6.4) watch and decide in custody. Alerts (a seal that did not match, a
// damaged packet, a recovery that did not add up, a leak report) with acknowledgement; leak reports with the
// exposure trace, confirmed or dismissed with a reason, and the session decision after a confirmed leak
// (suspend, or switch to paper B, R5.4); a copy number traced to its packet and holders; printable reports.
import { actionName } from './_actions.ts'
import { type OutputOf, type SessionUser, api, url } from './_client.ts'
import { busy, byId, el, hideAlert, problemText, showAlert, tx } from './_dom.ts'
import { T, type Text, tr } from './_i18n.ts'
import type { CopyTrace, ExposureTrace, Holder } from '../../server/domain/custody/index.ts'
import {
  LEAK_LEVELS,
  LEAK_STATES,
  MOVES,
  PACKET_STATES,
  PAPER_KINDS,
  People,
  copyRange,
  packetLabel,
  packetPage,
  paperPage,
  sessionLabel,
  sessionRoomNames,
  stateBadge,
  when,
} from './_custody-ui.ts'
import { showWhenLoaded, startStaffPage } from './_shell.ts'
import { mountAccountOversight } from './_role-changes.ts'
import { formatCst } from './_time.ts'

type Alert = OutputOf<'GET /api/alerts'>['alerts'][number]
type LeakReport = OutputOf<'GET /api/leaks'>['leaks'][number]
/** Names beside the ids of leak answers (decision record 010). */
type LeakNames = Partial<Pick<OutputOf<'GET /api/leaks'>, 'people' | 'sessions' | 'rooms'>> & { papers?: Record<string, { title: string }> }
type SessionName = OutputOf<'GET /api/leaks'>['sessions'][string]
/** A packet as people name it: its room and copy numbers. */
type PacketRef = OutputOf<'GET /api/alerts'>['packets'][string]

const page = await startStaffPage()
if (page) await main(page.user)

/** Who is looking, and the names the server sends beside ids: people, papers, sessions, rooms, packets (decision record 010). */
interface Ctx {
  user: SessionUser
  /** A supervisor: confirms or dismisses leak reports and decides sessions (others read). */
  deciding: boolean
  people: People
  paperTitles: Map<string, string>
  sessionNames: Map<string, SessionName>
  rooms: Map<string, string>
  packetRefs: Map<string, PacketRef>
  learn(n: LeakNames & { packets?: Record<string, PacketRef> }): void
  sessionNode(id: string): Node
  paperLink(id: string, attrs?: Record<string, string>): HTMLAnchorElement
  packetLink(id: string, ref?: PacketRef, attrs?: Record<string, string>): HTMLAnchorElement
  holderNode(h: Holder): Node
}
/** The paper pickers of the copy trace and the report form. */
interface Pickers {
  prefer(sessionId: string, paperId: string): Promise<void>
}

async function main(user: SessionUser): Promise<void> {
  const ctx = namesOf(user)
  const pickers = paperPickers(ctx)
  const alerts = alertsCard(ctx, (id) => leaks.open(id))
  const leaks = leaksCard(ctx, alerts, pickers)
  copyTraceCard(ctx)
  reportCard()
  if (!(await showWhenLoaded(() => Promise.all([alerts.load(), leaks.load()])))) return
  void mountAccountOversight(byId('area'), user.id, page!.roleName) // role changes to confirm, failed logins (decision 005)
  const wanted = new URLSearchParams(location.search).get('leak')
  if (wanted) await leaks.open(wanted)
}

function namesOf(user: SessionUser): Ctx {
  const people = new People(user.id, user.displayName, user.username)
  const deciding = user.roles.includes('supervisor')
  /** Names the server sends beside ids: papers, sessions, rooms, packets (decision record 010). */
  const paperTitles = new Map<string, string>()
  const sessionNames = new Map<string, SessionName>()
  const rooms = new Map<string, string>()
  const packetRefs = new Map<string, PacketRef>()
  function learn(n: LeakNames & { packets?: Record<string, PacketRef> }): void {
    people.learn(n.people)
    for (const [id, p] of Object.entries(n.papers ?? {})) paperTitles.set(id, p.title)
    for (const [id, x] of Object.entries(n.sessions ?? {})) sessionNames.set(id, x)
    for (const [id, name] of Object.entries(n.rooms ?? {})) rooms.set(id, name)
    for (const [id, p] of Object.entries(n.packets ?? {})) packetRefs.set(id, p)
  }
  const sessionNode = (id: string): Node => {
    const x = sessionNames.get(id)
    return x ? tx(sessionLabel(x)) : tx(T('（场次）', '(session)'), 'muted')
  }
  const paperLink = (id: string, attrs: Record<string, string> = {}): HTMLAnchorElement =>
    el('a', { attrs: { href: paperPage(id), ...attrs } }, paperTitles.get(id) ?? tr(T('试卷', 'Paper')))
  const packetLink = (id: string, ref?: PacketRef, attrs: Record<string, string> = {}): HTMLAnchorElement => {
    const p = ref ?? packetRefs.get(id)
    return el('a', { attrs: { href: packetPage(id), 'data-packet': id, ...attrs } }, p ? packetLabel(p, rooms) : tx(T('试卷袋', 'Packet')))
  }
  const holderNode = (h: Holder) => people.holder(h, rooms)
  return { user, deciding, people, paperTitles, sessionNames, rooms, packetRefs, learn, sessionNode, paperLink, packetLink, holderNode }
}

// ---- alerts ---------------------------------------------------------------------------------------------------
/** `openLeak` shows a leak report an alert is about, in the leak card. */
function alertsCard(ctx: Ctx, openLeak: (id: string) => Promise<void>): { load(): Promise<void> } {
  const alertsBox = byId('alerts-alert')
  const showAll = byId<HTMLInputElement>('alerts-all')
  async function loadAlerts(): Promise<void> {
    const { alerts, ...names } = await api('GET /api/alerts', { query: showAll.checked ? {} : { open: '1' } })
    ctx.learn(names)
    byId('alert-count').textContent = String(alerts.filter((a) => !a.acknowledged).length)
    byId('alerts-body').replaceChildren(
      ...(alerts.length > 0
        ? alerts.map(alertRow)
        : [el('tr', {}, el('td', { class: 'empty', attrs: { colspan: '5' }, text: T('没有待处理的告警', 'No open alerts') }))]),
    )
  }
  function subjectLink(s: Alert['subject']): Node {
    if (!s) return document.createTextNode('—')
    if (s.type === 'packet') return el('span', {}, tx(T('试卷袋 ', 'Packet '), 'muted'), ctx.packetLink(s.id))
    if (s.type === 'leak') {
      const a = el('a', { attrs: { href: `?leak=${encodeURIComponent(s.id)}` }, text: T('查看泄密报告', 'Open the leak report') })
      a.addEventListener('click', (ev) => {
        ev.preventDefault()
        void openLeak(s.id)
      })
      return a
    }
    if (s.type === 'paper') return el('span', {}, tx(T('试卷 ', 'Paper '), 'muted'), ctx.paperLink(s.id))
    if (s.type === 'user') return el('a', { attrs: { href: '/admin/users' }, text: T('账号', 'Account') })
    return tx(T('—', '—'))
  }
  function alertDetails(a: Alert): Text {
    const d = a.data
    const n = (k: string) => (typeof d[k] === 'number' ? String(d[k]) : '—')
    if (a.action === 'user.role_change_proposed') {
      // decision 005: confirmed in the role-change card below
      const who = typeof d.displayName === 'string' ? d.displayName : String(d.username ?? '')
      return T(`${who} 的角色变更待第二人确认`, `Role change of ${who} awaits a second person`)
    }
    if (a.action.endsWith('.seal_mismatch')) {
      return T(`应为 ${String(d.expected ?? '—')}，看到 ${String(d.seen ?? '—')}`, `expected ${String(d.expected ?? '—')}, seen ${String(d.seen ?? '—')}`)
    }
    if (a.action.endsWith('.recovery_mismatch')) {
      const diff = (d.difference ?? {}) as Record<string, unknown>
      const v = (k: string) => (typeof diff[k] === 'number' ? String(diff[k]) : '—')
      return T(
        `差额：试卷 ${v('copies')}，答题卡 ${v('answerSheets')}，草稿纸 ${v('scratchPaper')}`,
        `difference: copies ${v('copies')}, answer sheets ${v('answerSheets')}, scratch ${v('scratchPaper')}`,
      )
    }
    if (a.action.endsWith('.leak')) {
      const level = LEAK_LEVELS[String(d.level)] ?? T(String(d.level ?? ''), String(d.level ?? ''))
      const frozen = Array.isArray(d.frozenPackets) ? d.frozenPackets.length : n('frozen')
      const copy = typeof d.copyNumber === 'number' ? d.copyNumber : null
      return T(
        `${level.zh}${copy !== null ? `，份号 ${copy}` : ''}；试卷已冻结，冻结试卷袋 ${frozen} 个`,
        `${level.en}${copy !== null ? `, copy ${copy}` : ''}; paper frozen, ${frozen} packets frozen`,
      )
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
          await busy(ack, () => api('POST /api/alerts/{id}/acknowledge', { params: { id: a.id } }))
          await loadAlerts()
        } catch (err) {
          showAlert(alertsBox, 'error', problemText(err))
        }
      })
    }
    return el(
      'tr',
      { attrs: { 'data-alert': a.id, 'data-action': a.action }, ...(a.acknowledged ? { class: 'row--off' } : {}) },
      el('td', { class: 'nowrap' }, when(a.time)),
      el('td', {}, el('span', { class: 'action' }, name ? el('strong', { text: name }) : el('span', { class: 'action__code' }, a.action))),
      el('td', { class: 'nowrap' }, subjectLink(a.subject)),
      el('td', {}, tx(alertDetails(a))),
      el('td', { class: 'no-print' }, ack),
    )
  }
  showAll.addEventListener('change', () => loadAlerts().catch((err) => showAlert(alertsBox, 'error', problemText(err))))
  byId('alerts-refresh').addEventListener('click', () => loadAlerts().catch((err) => showAlert(alertsBox, 'error', problemText(err))))
  return { load: loadAlerts }
}

// ---- leak reports ---------------------------------------------------------------------------------------------------
function leaksCard(ctx: Ctx, alerts: { load(): Promise<void> }, pickers: Pickers): { load(): Promise<void>; open(id: string): Promise<void> } {
  let leaks: LeakReport[] = []
  async function loadLeaks(): Promise<void> {
    const { leaks: list, ...names } = await api('GET /api/leaks')
    leaks = list
    ctx.learn(names)
    renderLeaks()
  }
  function renderLeaks(): void {
    byId('leak-count').textContent = String(leaks.length)
    byId('leaks-body').replaceChildren(
      ...(leaks.length > 0
        ? leaks.map((r) => {
            const row = el(
              'tr',
              { class: 'row--click', attrs: { 'data-leak': r.id, tabindex: '0', 'aria-selected': String(r.id === openId) } },
              el('td', { class: 'nowrap' }, when(r.filedAt)),
              el('td', {}, ctx.paperTitles.get(r.paperId) ?? tx(T('试卷', 'Paper'))),
              el('td', {}, tx(LEAK_LEVELS[r.level] ?? T(r.level, r.level))),
              el('td', {}, stateBadge(r.state, LEAK_STATES)),
              el('td', {}, ctx.people.show(r.filedBy)),
            )
            row.addEventListener('click', () => void openLeak(r.id))
            row.addEventListener('keydown', (ev) => {
              if (ev.key === 'Enter') void openLeak(r.id)
            })
            return row
          })
        : [
            el(
              'tr',
              {},
              el('td', {
                class: 'empty',
                attrs: { colspan: '5' },
                text: T(
                  '没有泄密报告。保密管理员、监考人员或督导人员在试卷或试卷袋页面报告泄密后会出现在这里',
                  'No leak reports. A report filed on a paper or packet page by a custodian, invigilator or supervisor appears here',
                ),
              }),
            ),
          ]),
    )
  }

  let openId: string | null = null
  let current: { report: LeakReport; trace: ExposureTrace | null } | null = null
  const leakBox = byId('leak-alert')
  async function openLeak(id: string): Promise<void> {
    openId = id
    hideAlert(leakBox)
    try {
      const { report, trace, ...names } = await api('GET /api/leaks/{id}', { params: { id } })
      // The route's trace schema lists its packets as `unknown`; the page reads the domain's ExposureTrace.
      current = { report, trace: trace as ExposureTrace | null }
      ctx.learn(names)
      for (const [rid, name] of await sessionRoomNames(ctx.user.roles, current.report.examSessionId)) if (!ctx.rooms.has(rid)) ctx.rooms.set(rid, name)
      renderLeak()
      renderLeaks()
      void pickers.prefer(report.examSessionId, report.paperId) // the copy to trace is most likely of this paper
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
  function renderLeak(): void {
    if (!current) return
    const { report: r, trace } = current
    byId('leak-id').replaceChildren(ctx.paperTitles.get(r.paperId) ?? '', ' · ', formatCst(r.filedAt).slice(0, 16))
    byId('leak-state').replaceChildren(stateBadge(r.state, LEAK_STATES))
    byId<HTMLAnchorElement>('leak-report-link').href = url('GET /reports/papers/{id}', { params: { id: r.paperId } })
    const fact = (label: Text, value: Node | string, wide = false) =>
      el('div', wide ? { class: 'facts__wide' } : {}, el('dt', { text: label }), el('dd', {}, value))
    byId('leak-facts').replaceChildren(
      ...[
        fact(T('试卷', 'Paper'), ctx.paperLink(r.paperId, { id: 'leak-paper' })),
        fact(T('场次', 'Session'), ctx.sessionNode(r.examSessionId)),
        fact(T('判断', 'Level'), tx(LEAK_LEVELS[r.level] ?? T(r.level, r.level))),
        fact(T('报告人', 'Filed by'), el('span', {}, ctx.people.show(r.filedBy), ' · ', when(r.filedAt))),
        r.packetId
          ? fact(
              T('试卷袋', 'Packet'),
              ctx.packetLink(
                r.packetId,
                trace?.packets.find((x) => x.packetId === r.packetId),
              ),
            )
          : null,
        r.copyNumber !== null ? fact(T('份号', 'Copy number'), el('span', { class: 'mono' }, String(r.copyNumber))) : null,
        fact(T('情况说明', 'Description'), r.description || '—', true),
        r.decidedBy
          ? fact(
              T('决定', 'Decided'),
              el('span', {}, ctx.people.show(r.decidedBy), ' · ', r.decidedAt !== null ? when(r.decidedAt) : '', ' · ', r.reason ?? ''),
              true,
            )
          : null,
        ...r.decisions.map((d) =>
          fact(
            T('场次处理', 'Session decision'),
            el(
              'span',
              {},
              tx(d.decision === 'suspended' ? T('停考', 'Suspended') : T('启用 B 卷', 'Switched to paper B')),
              ' · ',
              ctx.sessionNode(d.sessionId),
              ' · ',
              d.reason,
              ' · ',
              ctx.people.show(d.decidedBy),
              // Two ctx.people stand behind every session decision: the reporter and the supervisor who confirmed (decision record 006).
              d.reportedBy && d.confirmedBy
                ? el(
                    'span',
                    { class: 'hint' },
                    tx(T('（报告人 ', ' (reported by ')),
                    ctx.people.show(d.reportedBy),
                    tx(T('，确认人 ', ', confirmed by ')),
                    ctx.people.show(d.confirmedBy),
                    tx(T('）', ')')),
                  )
                : null,
            ),
            true,
          ),
        ),
      ].filter((n): n is HTMLDivElement => n !== null),
    )
    // The reporter never confirms or dismisses their own report: a second supervisor does (R5.4, decision record 006).
    const own = r.filedBy === ctx.user.id
    byId('verdict-own').hidden = !own
    byId('confirm-submit').hidden = own
    byId('dismiss-submit').hidden = own
    byId<HTMLTextAreaElement>('verdict-reason').disabled = own
    byId('verdict-form').hidden = !ctx.deciding || r.state !== 'open'
    byId('decision-form').hidden = !ctx.deciding || r.state !== 'confirmed'
    // The session is chosen by its name; the report's own session is the one offered (never an id to type).
    const decisionSession = byId<HTMLSelectElement>('decision-session')
    if (decisionSession.dataset.leak !== r.id) {
      decisionSession.dataset.leak = r.id
      const named = ctx.sessionNames.get(r.examSessionId)
      decisionSession.replaceChildren(
        el('option', { attrs: { value: r.examSessionId }, text: named ? sessionLabel(named) : T('本报告的场次', "This report's session") }),
      )
    }

    const packets = trace?.packets ?? []
    byId('trace-count').textContent = String(packets.length)
    const everyone = trace?.people ?? []
    byId('trace-people').replaceChildren(
      ...(everyone.length > 0 ? [tx(T('涉及人员：', 'People involved: ')), ...everyone.flatMap((id, i) => [i > 0 ? '、' : '', ctx.people.show(id)])] : []),
    )
    byId('trace-body').replaceChildren(
      ...(packets.length > 0
        ? packets.map((x) =>
            el(
              'tr',
              { attrs: { 'data-packet': x.packetId } },
              el('td', { class: 'nowrap' }, ctx.packetLink(x.packetId, x)),
              el('td', { class: 'mono nowrap' }, copyRange(x.copies)),
              el('td', {}, stateBadge(x.state, PACKET_STATES)),
              el('td', {}, ctx.holderNode(x.holder)),
              el('td', {}, ...x.holders.flatMap((h, i) => [i > 0 ? ' → ' : '', ctx.holderNode(h)])),
              el(
                'td',
                { class: 'hint' },
                el(
                  'details',
                  {},
                  el('summary', { text: T(`${x.steps.length} 步`, `${x.steps.length} steps`) }),
                  el(
                    'ol',
                    { class: 'proof__list' },
                    ...x.steps.map((s) => {
                      const name = actionName(s.action)
                      return el(
                        'li',
                        {},
                        when(s.time),
                        ' ',
                        name ? tx(name) : s.action,
                        ' — ',
                        ...s.people.flatMap((id, i) => [i > 0 ? '、' : '', ctx.people.show(id)]),
                      )
                    }),
                  ),
                ),
              ),
            ),
          )
        : [el('tr', {}, el('td', { class: 'empty', attrs: { colspan: '6' }, text: T('该试卷尚无试卷袋', 'The paper has no packets yet') }))]),
    )
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
      await busy(button, () =>
        api(`POST /api/leaks/{id}/${verdict}`, { params: { id }, json: { reason: byId<HTMLTextAreaElement>('verdict-reason').value.trim() } }),
      )
      byId<HTMLTextAreaElement>('verdict-reason').value = ''
      await Promise.all([loadLeaks(), alerts.load()])
      await openLeak(id)
      showAlert(
        leakBox,
        'ok',
        verdict === 'confirm'
          ? T('已确认泄密：试卷已停用，冻结的试卷袋已作废', 'Leak confirmed: the paper is retired and its frozen packets voided')
          : T('已排除：无其他未决报告时试卷解冻', 'Dismissed: the paper thaws if no other report is open'),
      )
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
        api('POST /api/leaks/{id}/decisions', {
          params: { id },
          json: {
            sessionId: byId<HTMLSelectElement>('decision-session').value,
            decision: kind,
            reason: byId<HTMLTextAreaElement>('decision-reason').value.trim(),
          },
        }),
      )
      byId<HTMLTextAreaElement>('decision-reason').value = ''
      await openLeak(id)
      showAlert(
        leakBox,
        'ok',
        kind === 'suspend'
          ? T('已记录：该场次停考', 'Recorded: the session is suspended')
          : T('已记录：该场次启用 B 卷', 'Recorded: the session switches to paper B'),
      )
    } catch (err) {
      showAlert(leakBox, 'error', problemText(err))
    }
  })
  return { load: loadLeaks, open: openLeak }
}

// ---- a copy number → its packet and holders ---------------------------------------------------------------------
function copyTraceCard(ctx: Ctx): void {
  byId<HTMLFormElement>('copy-form').addEventListener('submit', async (ev) => {
    ev.preventDefault()
    const box = byId('copy-alert')
    const out = byId('copy-result')
    hideAlert(box)
    out.hidden = true
    const paperId = byId<HTMLSelectElement>('copy-paper').value
    if (!paperId) {
      showAlert(box, 'error', T('请先选择场次和试卷', 'Choose the session and the paper first'))
      return
    }
    const n = Number(byId<HTMLInputElement>('copy-number').value.trim())
    if (!Number.isSafeInteger(n) || n < 1) {
      showAlert(box, 'error', T('份号应为正整数', 'The copy number is a whole number from 1'))
      return
    }
    try {
      const answer = await busy(byId<HTMLButtonElement>('copy-submit'), () =>
        api('GET /api/trace/copies/{copyNumber}', { params: { copyNumber: n }, query: { paperId } }),
      )
      ctx.learn(answer)
      // The route's CopyTrace schema names only its first fields; the rest is the domain's CopyTrace.
      const t = answer as typeof answer & CopyTrace
      const fact = (label: Text, value: Node | string) => el('div', {}, el('dt', { text: label }), el('dd', {}, value))
      out.replaceChildren(
        fact(T('份号', 'Copy'), el('span', { class: 'mono' }, String(t.copyNumber))),
        fact(T('试卷袋', 'Packet'), ctx.packetLink(t.packetId, { roomId: t.roomId, copies: t.exposure.copies }, { id: 'copy-packet' })),
        fact(T('当前状态', 'State now'), stateBadge(t.exposure.state, PACKET_STATES)),
        fact(
          T('历任保管', 'Held by, in order'),
          el('span', { attrs: { id: 'copy-holders' } }, ...t.holders.flatMap((h, i) => [i > 0 ? ' → ' : '', ctx.holderNode(h)])),
        ),
        fact(T('经手步骤', 'Steps'), el('span', {}, ...t.exposure.steps.flatMap((s, i) => [i > 0 ? ' → ' : '', tx(actionVerb(s.action))]))),
      )
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
}

// ---- a paper or packet picked by name (session → paper → packet), for copy tracing and reports -----------------
function reportCard(): void {
  byId<HTMLFormElement>('report-form').addEventListener('submit', (ev) => {
    ev.preventDefault()
    const box = byId('report-alert')
    hideAlert(box)
    const kind = byId<HTMLSelectElement>('report-kind').value
    const paperId = byId<HTMLSelectElement>('report-paper').value
    const packetId = byId<HTMLSelectElement>('report-packet').value
    if (kind === 'packets' ? !packetId : !paperId) {
      showAlert(box, 'error', kind === 'packets' ? T('请选择试卷袋', 'Choose the packet') : T('请选择试卷', 'Choose the paper'))
      return
    }
    open(
      kind === 'packets' ? url('GET /reports/packets/{id}', { params: { id: packetId } }) : url('GET /reports/papers/{id}', { params: { id: paperId } }),
      '_blank',
    )
  })
}

/** Session and paper selects for the copy trace and the report form, filled from the lists the server names. */
function paperPickers(ctx: Ctx): { prefer(sessionId: string, paperId: string): Promise<void> } {
  const sessionSelects = [byId<HTMLSelectElement>('copy-session'), byId<HTMLSelectElement>('report-session')]
  const paperSelects = [byId<HTMLSelectElement>('copy-paper'), byId<HTMLSelectElement>('report-paper')]
  const packetSelect = byId<HTMLSelectElement>('report-packet')
  const kind = byId<HTMLSelectElement>('report-kind')
  const placeholder = (t: Text) => el('option', { attrs: { value: '' }, text: t })
  const reportProblem = (err: unknown) => showAlert(byId('report-alert'), 'error', problemText(err))
  async function papersOf(i: number, sessionId: string, preferred?: string): Promise<void> {
    const select = paperSelects[i]!
    select.replaceChildren(placeholder(sessionId ? T('正在读取…', 'Loading…') : T('请先选择场次', 'Choose a session first')))
    if (!sessionId) return
    try {
      const { papers } = await api('GET /api/sessions/{id}/papers', { params: { id: sessionId } })
      for (const p of papers) ctx.paperTitles.set(p.id, p.title)
      select.replaceChildren(
        placeholder(papers.length > 0 ? T('请选择试卷…', 'Choose the paper…') : T('本场次没有试卷', 'No papers in this session')),
        ...papers.map((p) => {
          const kindName = PAPER_KINDS[p.kind] ?? T(p.kind, p.kind)
          return el('option', { attrs: { value: p.id }, text: T(`${p.title}（${kindName.zh}）`, `${p.title} (${kindName.en})`) })
        }),
      )
      if (preferred && papers.some((p) => p.id === preferred)) select.value = preferred
      if (i === 1) await packetsOf(select.value)
    } catch (err) {
      select.replaceChildren(placeholder(T('无法读取试卷', 'Cannot load the papers')))
      showAlert(byId(i === 0 ? 'copy-alert' : 'report-alert'), 'error', problemText(err))
    }
  }
  async function packetsOf(paperId: string): Promise<void> {
    byId('report-packet-field').hidden = kind.value !== 'packets'
    packetSelect.replaceChildren(placeholder(paperId ? T('正在读取…', 'Loading…') : T('请先选择试卷', 'Choose a paper first')))
    if (!paperId || kind.value !== 'packets') return
    const r = await api('GET /api/packets', { query: { paperId } })
    for (const [id, name] of Object.entries(r.rooms ?? {})) ctx.rooms.set(id, name)
    const label = (p: PacketRef): Text => {
      const room = p.roomId ? (ctx.rooms.get(p.roomId) ?? '') : null
      return T(
        `${room !== null ? `${room} 考场` : '备用袋'} · ${copyRange(p.copies)}`,
        `${room !== null ? `Room ${room}` : 'Spare packet'} · ${copyRange(p.copies)}`,
      )
    }
    packetSelect.replaceChildren(
      placeholder(r.packets.length > 0 ? T('请选择试卷袋…', 'Choose the packet…') : T('该试卷还没有试卷袋', 'The paper has no packets yet')),
      ...r.packets.map((p) => el('option', { attrs: { value: p.id }, text: label(p) })),
    )
  }
  sessionSelects.forEach((select, i) => select.addEventListener('change', () => void papersOf(i, select.value)))
  paperSelects[1]!.addEventListener('change', () => void packetsOf(paperSelects[1]!.value).catch(reportProblem))
  kind.addEventListener('change', () => void packetsOf(paperSelects[1]!.value).catch(reportProblem))
  const loaded = (async () => {
    const sessions = (await api('GET /api/preparation/sessions').catch(() => null))?.sessions ?? []
    for (const select of sessionSelects) {
      select.replaceChildren(
        placeholder(sessions.length > 0 ? T('请选择场次…', 'Choose a session…') : T('还没有考试场次', 'No exam sessions yet')),
        ...sessions.map((x) => el('option', { attrs: { value: x.id } }, `${formatCst(x.startsAt).slice(0, 16)} ${x.batchTitle} · ${x.subjectName}`)),
      )
    }
    await Promise.all(paperSelects.map((_, i) => papersOf(i, '')))
  })()
  return {
    /** Chooses this session and paper in the copy trace and the report form, where no session is chosen yet. */
    async prefer(sessionId: string, paperId: string): Promise<void> {
      await loaded
      await Promise.all(
        sessionSelects.map(async (select, i) => {
          if (select.value !== '' || ![...select.options].some((o) => o.value === sessionId)) return
          select.value = sessionId
          await papersOf(i, sessionId, paperId)
        }),
      )
    },
  }
}
