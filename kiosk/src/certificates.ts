// /certificates: a batch's certificate checklist (R8.1) — every missing condition named per candidate —, the
// municipal centre's approval reference, issuing and printing; reissue of a lost certificate (R8.3): the registrar
// records the holder's request, a supervisor or another registrar decides. Administrators set the number's body
// part (R8.2) and rotate the certificate key.
import { type OutputOf, api } from './_client.ts'
import { busy, byId, el, hideAlert, problemText, showAlert, tx } from './_dom.ts'
import { T, type Text } from './_i18n.ts'
import { showWhenLoaded, startStaffPage } from './_shell.ts'

type Checklist = OutputOf<'GET /api/batches/{id}/certificates'>
type Row = Checklist['candidates'][number]
type Missing = Row['missing'][number]

/** Each condition of R8.1 as the checklist names it. */
const CONDITION: Record<string, Text> = {
  'certificate.holder_data_missing': T('缺少姓名或身份证号（个人信息已删除）', 'Name or ID number erased'),
  'certificate.no_subjects': T('没有科目成绩', 'No subject results'),
  'certificate.subject_not_passed': T('有科目未合格', 'A subject is not passed'),
  'certificate.results_not_published': T('成绩尚未公示', 'Results not published'),
  'certificate.publication_not_over': T('公示期未满', 'Publication period not over'),
  'certificate.review_open': T('有未办结的成绩复核', 'A review is open'),
  'certificate.approval_missing': T('未登记市鉴定中心审核批复文号', "Municipal centre's approval not recorded"),
}
/** Conditions that hold or fail for the whole batch: named once above the checklist, not on every row. */
const BATCH_WIDE = new Set(['certificate.results_not_published', 'certificate.publication_not_over', 'certificate.approval_missing'])
const RESULT: Record<string, string> = { failed: '不合格', absent: '缺考', disqualified: '取消成绩', pending: '未出成绩', passed: '合格' }

function conditionText(m: Missing): Text {
  const base = CONDITION[m.code] ?? { zh: m.code, en: m.code }
  if (m.code === 'certificate.publication_not_over' && typeof m.lastDay === 'string')
    return { zh: `${base.zh}（至 ${m.lastDay}）`, en: `${base.en} (until ${m.lastDay})` }
  if (m.code === 'certificate.subject_not_passed' && Array.isArray(m.subjects)) {
    // Results only: subjects are known here by id, and people read names, not ids.
    const results = (m.subjects as Array<{ result: string }>).map((s) => s.result)
    const zh = [...new Set(results)].map((r) => `${RESULT[r] ?? r} ${results.filter((x) => x === r).length} 科`).join('、')
    const en = [...new Set(results)].map((r) => `${r}: ${results.filter((x) => x === r).length}`).join(', ')
    return { zh: `${base.zh}（${zh}）`, en: `${base.en} (${en})` }
  }
  return base
}

const page = await startStaffPage()
if (page) await main(page.user.roles, page.user.id)

async function main(roles: readonly string[], me: string): Promise<void> {
  const registrar = roles.includes('registrar')
  const admin = roles.includes('admin')
  let batches: OutputOf<'GET /api/batches'>['batches'] = []
  if (!(await showWhenLoaded(async () => (batches = (await api('GET /api/batches')).batches)))) return
  const select = byId<HTMLSelectElement>('batch')
  select.replaceChildren(...batches.map((b) => el('option', { attrs: { value: b.id } }, `${b.title} · ${b.levelName}`)))
  const wanted = new URLSearchParams(location.search).get('batch')
  // Without a batch in the address, the newest one whose results are out: certificates exist only after an exam.
  const finished = batches.find((b) => b.status === 'results_published') ?? batches.find((b) => b.status === 'completed')
  if (wanted && batches.some((b) => b.id === wanted)) select.value = wanted
  else if (finished) select.value = finished.id
  // Reissue requests are read by those who decide them (a supervisor, another registrar); others do not see the list.
  const seesRequests = registrar || roles.includes('supervisor')
  byId('requests-card').hidden = !seesRequests
  byId('approval-form').hidden = !registrar
  byId('issue-all').hidden = !registrar
  byId('reissue-card').hidden = !registrar
  byId('admin-card').hidden = !admin

  async function show(): Promise<void> {
    const id = select.value
    if (!id) return
    let list: Checklist
    try {
      list = await api('GET /api/batches/{id}/certificates', { params: { id } })
    } catch (err) {
      showAlert(byId('batch-alert'), 'error', problemText(err))
      return
    }
    hideAlert(byId('batch-alert'))
    const facts: Array<[Text, Text | string]> = [
      [T('职业（工种）', 'Occupation'), `${list.batch.occupationName}（${list.batch.occupationCode}）`],
      [T('等级', 'Level'), list.batch.levelName],
      [T('成绩公示', 'Publication'), list.publication ? `${list.publication.publishedOn} – ${list.publication.lastDay}` : T('未公示', 'Not published')],
      [T('审核批复文号', 'Approval reference'), list.approval?.ref ?? T('未登记', 'Not recorded')],
      [
        T('证书编号机构代码', 'Number body code'),
        list.bodyConfigured ? T('已设置', 'Set') : T('未设置（请系统管理员设置）', 'Not set (the administrator sets it)'),
      ],
    ]
    byId('batch-facts').replaceChildren(...facts.map(([k, v]) => el('div', {}, el('dt', { text: k }), el('dd', {}, typeof v === 'string' ? v : tx(v)))))
    byId<HTMLInputElement>('approval-ref').value = list.approval?.ref ?? ''
    byId('count').textContent = String(list.candidates.length)
    const batchWide = new Map<string, Missing>()
    for (const r of list.candidates) for (const m of r.missing) if (BATCH_WIDE.has(m.code) && !batchWide.has(m.code)) batchWide.set(m.code, m)
    const waiting = byId('batch-wide')
    if (batchWide.size === 0) hideAlert(waiting)
    else {
      const texts = [...batchWide.values()].map(conditionText)
      showAlert(waiting, 'info', {
        zh: `本批次尚不能发证：${texts.map((t) => t.zh).join('；')}`,
        en: `No certificate for this batch yet: ${texts.map((t) => t.en).join('; ')}`,
      })
    }
    byId('rows').replaceChildren(...list.candidates.map((r) => row(id, r, batchWide.size > 0)))
  }

  function row(batchId: string, r: Row, batchWaiting: boolean): HTMLTableRowElement {
    const own = r.missing.filter((m) => !BATCH_WIDE.has(m.code))
    const conditions =
      own.length > 0
        ? el('ul', { class: 'missing' }, ...own.map((m) => el('li', { attrs: { 'data-code': m.code }, text: conditionText(m) })))
        : batchWaiting
          ? el('span', { class: 'muted', text: T('本人条件齐备，待批次条件', 'Own conditions met; waiting for the batch') })
          : el('span', { class: 'badge badge--ok', text: T('条件齐备', 'All conditions met') })
    const cert = r.certificate
      ? el(
          'span',
          {},
          el('span', { class: 'mono' }, r.certificate.number),
          ' ',
          tx(r.certificate.status === 'valid' ? T('有效', 'valid') : T('已作废', 'revoked'), r.certificate.status === 'valid' ? 'badge badge--ok' : 'badge'),
        )
      : tx(T('未发证', 'not issued'), 'muted')
    const actions = el('td', {})
    if (cert && r.certificate && registrar)
      actions.append(
        el('a', {
          class: 'btn btn--ghost btn--small',
          attrs: { href: `/api/certificates/${encodeURIComponent(r.certificate.number)}/print`, target: '_blank', rel: 'noopener' },
          text: T('打印', 'Print'),
        }),
      )
    if (registrar && !(r.certificate?.status === 'valid') && r.missing.length === 0) {
      const b = el('button', { class: 'btn btn--primary btn--small', attrs: { type: 'button' }, text: T('发证', 'Issue') })
      b.addEventListener('click', () =>
        busy(b, async () => {
          try {
            await api('POST /api/batches/{id}/certificates', { params: { id: batchId }, json: { candidateId: r.candidateId } })
            await show()
          } catch (err) {
            showAlert(byId('batch-alert'), 'error', problemText(err))
          }
        }),
      )
      actions.append(b)
    }
    return el(
      'tr',
      { attrs: { 'data-candidate': r.candidateId } },
      el('td', {}, r.name ?? '—'),
      el('td', { class: 'mono' }, r.maskedId ?? '—'),
      el('td', {}, conditions),
      el('td', {}, cert),
      actions,
    )
  }

  byId('approval-form').addEventListener('submit', async (e) => {
    e.preventDefault()
    try {
      await api('PUT /api/batches/{id}/certificate-approval', { params: { id: select.value }, json: { ref: byId<HTMLInputElement>('approval-ref').value } })
      await show()
      showAlert(byId('batch-alert'), 'ok', T('已登记审核批复文号', 'Approval reference recorded'))
    } catch (err) {
      showAlert(byId('batch-alert'), 'error', problemText(err))
    }
  })
  const issueAll = byId<HTMLButtonElement>('issue-all')
  issueAll.addEventListener('click', () =>
    busy(issueAll, async () => {
      try {
        const r = await api('POST /api/batches/{id}/certificates', { params: { id: select.value }, json: {} })
        await show()
        showAlert(
          byId('batch-alert'),
          'ok',
          T(`已发证 ${r.issued.length} 本，${r.skipped.length} 人条件不齐`, `${r.issued.length} issued, ${r.skipped.length} not eligible`),
        )
      } catch (err) {
        showAlert(byId('batch-alert'), 'error', problemText(err))
      }
    }),
  )

  // ---------- reissue ----------
  async function requests(): Promise<void> {
    const box = byId('requests')
    let list: OutputOf<'GET /api/certificate-reissues'>['requests'] = []
    try {
      list = (await api('GET /api/certificate-reissues')).requests
    } catch (err) {
      showAlert(byId('requests-alert'), 'error', problemText(err))
      return
    }
    if (list.length === 0) return void box.replaceChildren(el('li', { class: 'muted', text: T('没有补发申请', 'No reissue requests') }))
    box.replaceChildren(
      ...list.map((q) => {
        const li = el(
          'li',
          { attrs: { 'data-request': q.id } },
          el('span', { class: 'mono' }, q.number),
          ` · ${q.reason} · `,
          tx(T(`登记人 ${q.requestedByName ?? q.requestedBy}`, `recorded by ${q.requestedByName ?? q.requestedBy}`)),
          ' · ',
          tx(
            q.state === 'pending'
              ? T('待审批', 'pending')
              : q.state === 'approved'
                ? T(
                    `已批准（${q.decidedByName ?? q.decidedBy ?? ''}），新证书 ${q.newNumber ?? ''}`,
                    `approved (${q.decidedByName ?? q.decidedBy ?? ''}), new ${q.newNumber ?? ''}`,
                  )
                : T(`已驳回（${q.decidedByName ?? q.decidedBy ?? ''}）`, `rejected (${q.decidedByName ?? q.decidedBy ?? ''})`),
          ),
        )
        if (q.state === 'pending' && q.requestedBy !== me && (roles.includes('supervisor') || registrar)) {
          for (const approve of [true, false]) {
            const b = el('button', {
              class: `btn btn--small ${approve ? 'btn--primary' : 'btn--ghost'}`,
              attrs: { type: 'button' },
              text: approve ? T('批准补发', 'Approve') : T('驳回', 'Reject'),
            })
            b.addEventListener('click', () =>
              busy(b, async () => {
                try {
                  await api('POST /api/certificate-reissues/{id}/decision', { params: { id: q.id }, json: { approve } })
                  await Promise.all([requests(), show()])
                } catch (err) {
                  showAlert(byId('requests-alert'), 'error', problemText(err))
                }
              }),
            )
            li.append(' ', b)
          }
        }
        return li
      }),
    )
  }
  byId('reissue-form').addEventListener('submit', async (e) => {
    e.preventDefault()
    const alert = byId('reissue-alert')
    try {
      await api('POST /api/certificates/{number}/reissue-requests', {
        params: { number: byId<HTMLInputElement>('reissue-number').value.trim().toUpperCase() },
        json: { residentId: byId<HTMLInputElement>('reissue-id').value, reason: byId<HTMLInputElement>('reissue-reason').value },
      })
      byId<HTMLInputElement>('reissue-id').value = ''
      showAlert(alert, 'ok', T('已登记，等待第二人审批', 'Recorded; awaiting a second person'))
      await requests()
    } catch (err) {
      showAlert(alert, 'error', problemText(err))
    }
  })

  // ---------- administrator ----------
  async function adminPart(): Promise<void> {
    const body = await api('GET /api/certificates/body')
    byId<HTMLInputElement>('body-name').value = body.nameSet ? body.name : ''
    byId<HTMLInputElement>('body-name').placeholder = body.name
    if (body.config) {
      byId<HTMLSelectElement>('body-category').value = body.config.category
      byId<HTMLInputElement>('body-ministry').value = body.config.ministryCode
      byId<HTMLInputElement>('body-province').value = body.config.provinceCode
      byId<HTMLInputElement>('body-sequence').value = body.config.sequenceCode
    }
  }
  byId('body-form').addEventListener('submit', async (e) => {
    e.preventDefault()
    try {
      const r = await api('PUT /api/certificates/body', {
        json: {
          category: byId<HTMLSelectElement>('body-category').value as 'S' | 'Y',
          ministryCode: byId<HTMLInputElement>('body-ministry').value.trim(),
          provinceCode: byId<HTMLInputElement>('body-province').value.trim(),
          sequenceCode: byId<HTMLInputElement>('body-sequence').value.trim(),
          ...(byId<HTMLInputElement>('body-name').value.trim() ? { name: byId<HTMLInputElement>('body-name').value.trim() } : {}),
        },
      })
      showAlert(byId('body-alert'), 'ok', T(`已保存：${r.name}，证书编号前 13 位为 ${r.prefix}`, `Saved: ${r.name}, numbers start ${r.prefix}`))
    } catch (err) {
      showAlert(byId('body-alert'), 'error', problemText(err))
    }
  })
  select.addEventListener('change', () => void show())
  await Promise.all([
    show(),
    seesRequests ? requests() : null,
    admin ? adminPart().catch((err) => showAlert(byId('body-alert'), 'error', problemText(err))) : null,
  ])
}
