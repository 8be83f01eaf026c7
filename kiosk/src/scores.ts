// /scores: a batch's session tallies (R7.1). The registrar imports the theory CSV (per-row report) and collects the
// practical sheets; the verifier keys the second entry blind (the first entry's numbers stay hidden until the
// verifier has keyed), checks practical tallies against the signed sheets, sees differences, has a third person
// resolve them with a reason, and signs. Below: each candidate's result per subject.
import { type OutputOf, api } from './_client.ts'
import { busy, byId, colHead, el, gridTable, hideAlert, problemText, showAlert, tx } from './_dom.ts'
import { T, type Text, setText } from './_i18n.ts'
import { showWhenLoaded, startStaffPage } from './_shell.ts'

type Tally = OutputOf<'GET /api/scores/sessions/{sessionId}'>
type Session = OutputOf<'GET /api/batches/{id}/scores'>['sessions'][number]
type Results = OutputOf<'GET /api/batches/{id}/scores/results'>

const STATES: Record<Session['state'], Text> = {
  none: T('未录入', 'Not entered'),
  entered: T('已录入，待校对', 'Entered, to verify'),
  disputed: T('有差异，待裁定', 'Differences to resolve'),
  verified: T('已校对，待签字', 'Verified, to sign'),
  signed: T('已签字生效', 'Signed: counts'),
}
const KINDS: Record<Session['kind'], Text> = { theory: T('理论知识', 'Theory'), practical: T('操作技能', 'Practical'), other: T('综合评审', 'Other') }
const STATUS: Record<Results['candidates'][number]['overall'], Text> = {
  passed: T('合格', 'Passed'),
  failed: T('不合格', 'Failed'),
  absent: T('缺考', 'Absent'),
  disqualified: T('成绩无效', 'Disqualified'),
  pending: T('待定', 'Pending'),
}
const BADGE: Record<Results['candidates'][number]['overall'], string> = {
  passed: 'ok',
  failed: 'refused',
  absent: 'off',
  disqualified: 'refused',
  pending: 'warn',
}
const ACTIONS: Record<string, Text> = {
  enter: T('录入', 'Entered'),
  import: T('导入', 'Imported'),
  collect: T('汇总签名评分表', 'Sheets collected'),
  second_entry: T('第二次录入', 'Second entry'),
  check_sheet: T('对照评分表校对', 'Checked against sheets'),
  resolve: T('裁定差异', 'Difference resolved'),
  sign: T('签字', 'Signed'),
  amend: T('更正', 'Amended'),
}
const time = (s: string): string =>
  new Date(s).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })

const page = await startStaffPage()
if (page) await main(page.user.roles, page.user.id)

async function main(roles: readonly string[], me: string): Promise<void> {
  const registrar = roles.includes('registrar')
  const verifier = roles.includes('verifier')
  let batches: OutputOf<'GET /api/scores/batches'>['batches'] = []
  if (!(await showWhenLoaded(async () => (batches = (await api('GET /api/scores/batches')).batches)))) return
  const select = byId<HTMLSelectElement>('batch')
  select.replaceChildren(...batches.map((b) => el('option', { attrs: { value: b.id } }, `${b.title}（${b.examStartDate}）`)))
  const wanted = new URLSearchParams(location.search).get('batch')
  if (wanted && batches.some((b) => b.id === wanted)) select.value = wanted
  byId('import-card').hidden = !registrar
  let current: string | null = null

  async function show(): Promise<void> {
    const id = select.value
    if (!id) return
    history.replaceState(null, '', `?batch=${encodeURIComponent(id)}`)
    try {
      const { sessions } = await api('GET /api/batches/{id}/scores', { params: { id } })
      hideAlert(byId('batch-alert'))
      byId('sessions').replaceChildren(...sessions.map(sessionRow))
      await showResults(id)
      if (current && sessions.some((s) => s.sessionId === current)) await openTally(current)
      else byId('tally-card').hidden = true
    } catch (err) {
      showAlert(byId('batch-alert'), 'error', problemText(err))
    }
  }

  function sessionRow(s: Session): HTMLTableRowElement {
    const open = el('button', { class: 'btn btn--small', attrs: { type: 'button' }, text: T('打开', 'Open') })
    open.addEventListener('click', () => void openTally(s.sessionId))
    return el(
      'tr',
      {},
      el('td', {}, s.name, s.name === KINDS[s.kind].zh ? '' : el('span', { class: 'muted' }, ' · ', tx(KINDS[s.kind]))),
      el('td', {}, time(s.startsAt)),
      el('td', {}, el('span', { class: `badge badge--${s.state === 'signed' ? 'ok' : s.state === 'disputed' ? 'warn' : 'off'}`, text: STATES[s.state] })),
      el('td', { class: 'num' }, `${s.lineCount}/${s.candidateCount}`),
      el('td', { class: 'num' }, String(s.openDifferences)),
      el('td', {}, open),
    )
  }

  // ---------- one tally ----------

  async function act(work: () => Promise<unknown>, button: HTMLButtonElement, done: Text): Promise<void> {
    try {
      await busy(button, work)
      showAlert(byId('tally-alert'), 'ok', done)
      await show()
    } catch (err) {
      showAlert(byId('tally-alert'), 'error', problemText(err))
    }
  }
  const button = (t: Text, primary = false): HTMLButtonElement =>
    el('button', { class: `btn btn--small${primary ? ' btn--primary' : ''}`, attrs: { type: 'button' }, text: t })

  async function openTally(sessionId: string): Promise<void> {
    current = sessionId
    const t = await api('GET /api/scores/sessions/{sessionId}', { params: { sessionId } })
    byId('tally-card').hidden = false
    setText(byId('tally-title'), T(`成绩登记表：${t.name}`, `Tally: ${t.name}`))
    const facts: Array<[Text, Text | string]> = [
      [T('状态', 'State'), STATES[t.state]],
      [T('版本', 'Version'), String(t.version)],
      [T('满分 / 合格线', 'Max / pass mark'), `${t.maxMark} / ${t.passMark}`],
      [
        T('校对方式', 'Method'),
        t.method === 'double_entry' ? T('双人录入', 'Double keying') : t.method === 'against_sheet' ? T('对照签名评分表', 'Against signed sheets') : '—',
      ],
    ]
    if (t.kind === 'practical') facts.push([T('已签名评分表', 'Signed sheets'), String(t.sheets)])
    byId('tally-facts').replaceChildren(...facts.map(([k, v]) => el('div', {}, el('dt', { text: k }), el('dd', {}, typeof v === 'string' ? v : tx(v)))))
    hideAlert(byId('tally-alert'))
    const actions = byId('tally-actions')
    const body = byId('tally-body')
    actions.replaceChildren()
    body.replaceChildren()
    const names = new Map(t.candidates.map((c) => [c.candidateId, c]))
    const who = (id: string) => `${names.get(id)?.name ?? '—'}（${names.get(id)?.ticketNumber ?? id}）`
    const keyed = t.enteredBy.some((e) => e.userId === me) || t.checkedBy === me

    if (registrar && t.kind === 'practical' && t.state === 'none') {
      const b = button(T('汇总考评员签名的评分表', "Collect the examiners' signed sheets"), true)
      b.addEventListener(
        'click',
        () => void act(() => api('POST /api/scores/sessions/{sessionId}/collect', { params: { sessionId } }), b, T('已汇总', 'Collected')),
      )
      actions.append(b)
    }
    if (verifier && t.state === 'entered' && t.lines === null) {
      body.append(blindForm(t, sessionId, who))
      if (t.kind === 'practical') {
        const b = button(T('对照签名评分表校对', 'Check against the signed sheets'))
        b.addEventListener(
          'click',
          () => void act(() => api('POST /api/scores/sessions/{sessionId}/check-sheet', { params: { sessionId } }), b, T('已校对', 'Checked')),
        )
        actions.append(b)
      }
    }
    if (verifier && t.state === 'verified' && t.checkedBy === me) {
      const b = button(T('签字确认成绩登记表', 'Sign the tally'), true)
      b.addEventListener(
        'click',
        () =>
          void act(() => api('POST /api/scores/sessions/{sessionId}/sign', { params: { sessionId } }), b, T('已签字，成绩生效', 'Signed: the scores count')),
      )
      actions.append(b)
    }
    if (t.differences.length > 0) body.append(differencesTable(t, sessionId, who, (registrar || verifier) && !keyed))
    if (t.lines !== null && t.lines.length > 0) body.append(linesTable(t, who))
    if (t.history.length > 0) {
      body.append(
        el('h3', { text: T('操作记录', 'History') }),
        el(
          'ol',
          { class: 'history' },
          ...t.history.map((h) =>
            el(
              'li',
              {},
              `${new Date(h.at).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai' })} · v${h.version} · `,
              tx(ACTIONS[h.action] ?? T(h.action, h.action)),
              h.reason ? ` · ${h.reason}` : '',
            ),
          ),
        ),
      )
    }
  }

  /** The verifier's second entry: every candidate's score keyed without seeing the first entry. */
  function blindForm(t: Tally, sessionId: string, who: (id: string) => string): HTMLElement {
    const inputs = new Map<string, HTMLInputElement[]>()
    const rows = t.candidates.map((c) => {
      const cells = t.items.map((item) => {
        const input = el('input', {
          attrs: { type: 'number', min: '0', max: String(item.max), step: '0.1', inputmode: 'decimal', 'aria-label': `${who(c.candidateId)} ${item.name}` },
        })
        return input
      })
      inputs.set(c.candidateId, cells)
      return el('tr', {}, el('td', {}, who(c.candidateId)), ...cells.map((i) => el('td', {}, i)))
    })
    const submit = el('button', { class: 'btn btn--primary btn--small', attrs: { type: 'submit' }, text: T('提交第二次录入', 'Submit the second entry') })
    const form = el(
      'form',
      { attrs: { novalidate: '' } },
      el('h3', { text: T('第二次录入（看不到第一次录入的分数）', 'Second entry (the first entry stays hidden)') }),
      el('p', { class: 'hint', text: T('缺考或无成绩的考生留空。', 'Leave absent candidates empty.') }),
      gridTable([T('考生', 'Candidate'), ...t.items.map((i) => `${i.name}（${i.max}）`)], rows),
      el('div', { class: 'toolbar' }, submit),
    )
    form.addEventListener('submit', (e) => {
      e.preventDefault()
      const lines = [...inputs]
        .filter(([, cells]) => cells.some((i) => i.value.trim() !== ''))
        .map(([candidateId, cells]) => ({ candidateId, items: t.items.map((item, k) => ({ itemId: item.id, score: Number(cells[k]!.value) })) }))
      void act(
        () => api('POST /api/scores/sessions/{sessionId}/second-entry', { params: { sessionId }, json: { lines } }),
        submit,
        T('已提交第二次录入', 'Second entry submitted'),
      )
    })
    return form
  }

  function differencesTable(t: Tally, sessionId: string, who: (id: string) => string, mayResolve: boolean): HTMLElement {
    const itemName = (id: string) => t.items.find((i) => i.id === id)?.name ?? id
    const show = (n: number | null) => (n === null ? '—' : String(n))
    const rows = t.differences.map((d) => {
      let decide: HTMLElement
      if (d.resolved) decide = el('span', {}, `${show(d.resolved.value)} · ${d.resolved.reason}`)
      else if (mayResolve) {
        const value = el('input', { attrs: { type: 'number', min: '0', step: '0.1', 'aria-label': '裁定分值', 'data-en-aria-label': 'Decided score' } })
        const reason = el('input', {
          attrs: { maxlength: '500', placeholder: '理由（必填）', 'data-en-placeholder': 'Reason (required)', 'aria-label': '理由' },
        })
        const b = button(T('裁定', 'Resolve'))
        b.addEventListener(
          'click',
          () =>
            void act(
              () =>
                api('POST /api/scores/sessions/{sessionId}/resolve', {
                  params: { sessionId },
                  json: { candidateId: d.candidateId, itemId: d.itemId, value: value.value.trim() === '' ? null : Number(value.value), reason: reason.value },
                }),
              b,
              T('已裁定', 'Resolved'),
            ),
        )
        decide = el('span', { class: 'toolbar' }, value, reason, b)
      } else decide = tx(T('待第三人裁定', 'For a third person to resolve'))
      return el(
        'tr',
        {},
        el('td', {}, who(d.candidateId)),
        el('td', {}, itemName(d.itemId)),
        el('td', { class: 'num' }, show(d.first)),
        el('td', { class: 'num' }, show(d.second)),
        el('td', {}, decide),
      )
    })
    return el(
      'div',
      {},
      el('h3', { text: T('差异（须由第三人裁定并说明理由）', 'Differences (a third person resolves each, with a reason)') }),
      gridTable([T('考生', 'Candidate'), T('项目', 'Item'), T('第一次', 'First'), T('第二次', 'Second'), T('裁定', 'Decision')], rows),
    )
  }

  function linesTable(t: Tally, who: (id: string) => string): HTMLElement {
    return el(
      'div',
      {},
      el('h3', { text: T('成绩', 'Scores') }),
      gridTable(
        [T('考生', 'Candidate'), ...t.items.map((i) => colHead(i.name, 'num'))],
        (t.lines ?? []).map((l) => el('tr', {}, el('td', {}, who(l.candidateId)), ...l.items.map((i) => el('td', { class: 'num' }, String(i.score))))),
      ),
    )
  }

  // ---------- results ----------

  async function showResults(batchId: string): Promise<void> {
    const r = await api('GET /api/batches/{id}/scores/results', { params: { id: batchId } })
    const subjects = r.candidates[0]?.subjects ?? []
    byId('results-count').textContent = String(r.candidates.length)
    setText(
      byId('results-note'),
      r.complete
        ? T('全部成绩登记表已校对并签字。', 'Every tally is verified and signed.')
        : T(
            `尚有 ${r.unfinished.length} 个场次的成绩登记表未签字，相关成绩为“待定”。`,
            `${r.unfinished.length} session tally(ies) not signed yet; those results are pending.`,
          ),
    )
    byId('results-head').replaceChildren(
      el('tr', {}, colHead(T('姓名', 'Name')), ...subjects.map((s) => el('th', { attrs: { scope: 'col' } }, tx(KINDS[s.kind]))), colHead(T('总评', 'Overall'))),
    )
    byId('results').replaceChildren(
      ...r.candidates.map((c) =>
        el(
          'tr',
          {},
          el('td', {}, c.name ?? '—'),
          ...c.subjects.map((s) =>
            el(
              'td',
              {},
              el('span', { class: `badge badge--${BADGE[s.status]}`, text: STATUS[s.status] }),
              s.score !== null ? ` ${s.score}` : '',
              s.carried ? tx(T('（保留）', ' (carried)')) : '',
            ),
          ),
          el('td', {}, el('span', { class: `badge badge--${BADGE[c.overall]}`, text: STATUS[c.overall] })),
        ),
      ),
    )
  }

  byId('import-form').addEventListener('submit', (e) => {
    e.preventDefault()
    const file = byId<HTMLInputElement>('import-file').files?.[0]
    const submit = byId('import-form').querySelector('button')!
    const alert = byId('import-alert')
    const wrap = byId('import-report-wrap')
    wrap.hidden = true
    if (!file) {
      showAlert(alert, 'error', T('请选择CSV文件', 'Choose a CSV file'))
      return
    }
    void busy(submit, async () => {
      try {
        const r = await api('POST /api/batches/{id}/scores/theory-import', { params: { id: select.value }, body: file, contentType: 'text/csv' })
        showAlert(
          alert,
          'ok',
          T(`已导入 ${r.rows} 条成绩（${r.encoding}），待成绩校对人校对。`, `Imported ${r.rows} scores (${r.encoding}); they wait for the verifier.`),
          r.notInFile.length > 0 ? T(`文件中没有的准考证：${r.notInFile.join('、')}`, `Tickets not in the file: ${r.notInFile.join(', ')}`) : undefined,
        )
        await show()
      } catch (err) {
        showAlert(alert, 'error', problemText(err))
        const details = (err as { details?: { errors?: Array<{ row: number; column: string; message: string; messageEn: string }> } }).details
        if (details?.errors) {
          byId('import-report').replaceChildren(
            ...details.errors.map((x) =>
              el(
                'tr',
                {},
                el('td', { class: 'num' }, x.row === 0 ? '—' : String(x.row)),
                el('td', {}, x.column || '—'),
                el('td', { text: { zh: x.message, en: x.messageEn } }),
              ),
            ),
          )
          wrap.hidden = false
        }
      }
    })
  })

  select.addEventListener('change', () => {
    current = null
    void show()
  })
  await show()
}
