// /registrar/results: a batch's publication (R7.2: the earliest date, completeness of the verified scores, the
// provisional flag, publish and take down) and its review requests (核查) with their deadline, handled at the desk
// and verified by a second person (REVIEW_MOVES). The server decides every move; buttons only offer them.
import { type OutputOf, api } from './_client.ts'
import { busy, byId, el, hideAlert, problemText, showAlert, tx } from './_dom.ts'
import { T, type Text, setText, tr } from './_i18n.ts'
import { showWhenLoaded, startStaffPage } from './_shell.ts'

type Batches = OutputOf<'GET /api/results/batches'>['batches']
type Status = OutputOf<'GET /api/batches/{id}/results/publication'>
type Review = OutputOf<'GET /api/batches/{id}/reviews'>['reviews'][number]
type Published = OutputOf<'GET /api/batches/{id}/results'>['candidates']

/** A review decision asked for in the dialog: what it says, whether it takes a new score, and the call it makes. */
interface Decision {
  title: Text
  text: Text
  score?: true
  run: (reason: string, score: number | undefined) => Promise<unknown>
}

const STATE: Record<Review['state'], Text> = {
  requested: T('已申请', 'Requested'),
  in_review: T('核查中', 'In review'),
  upheld: T('维持原成绩，待复核', 'Upheld, to verify'),
  changed: T('更改成绩，待复核', 'Changed, to verify'),
  verified: T('已复核办结', 'Verified'),
  withdrawn: T('已撤回', 'Withdrawn'),
}

const page = await startStaffPage()
if (page) await main(page.user.roles, page.user.id)

async function main(roles: readonly string[], me: string): Promise<void> {
  const desk = roles.includes('registrar')
  const verifier = roles.includes('verifier')
  let batches: Batches = []
  if (!(await showWhenLoaded(async () => (batches = (await api('GET /api/results/batches')).batches)))) return
  const select = byId<HTMLSelectElement>('batch')
  select.replaceChildren(...batches.map((b) => el('option', { attrs: { value: b.id } }, `${b.title} · ${b.occupationName} ${b.level}级`)))
  byId('no-batches').hidden = batches.length > 0
  const wanted = new URLSearchParams(location.search).get('batch')
  if (wanted && batches.some((b) => b.id === wanted)) select.value = wanted

  async function show(): Promise<void> {
    const id = select.value
    if (!id) return
    let status: Status
    let reviews: Review[] = []
    let published: Published = []
    try {
      status = await api('GET /api/batches/{id}/results/publication', { params: { id } })
      if (status.publication) {
        reviews = (await api('GET /api/batches/{id}/reviews', { params: { id } })).reviews
        published = (await api('GET /api/batches/{id}/results', { params: { id } })).candidates
      }
    } catch (err) {
      showAlert(byId('pub-alert'), 'error', problemText(err))
      return
    }
    drawPublication(status)
    drawReviews(status, reviews, published)
  }

  function drawPublication(s: Status): void {
    const p = s.publication
    const provisional = (x: boolean): Text =>
      x ? T('（按未发布官方节假日安排的年度推算，暂定）', ' (provisional: the year has no official holiday list yet)') : T('', '')
    const join = (a: string, t: Text): Text => ({ zh: a + t.zh, en: a + t.en })
    const rows: Array<[Text, Text | string]> = [
      [T('考试结束', 'Exam ended'), s.batch.examEndDate],
      [T('最早公示日期', 'Earliest publication'), join(s.earliest.date, provisional(s.earliest.provisional))],
      [
        T('成绩校核', 'Scores verified'),
        s.complete
          ? T(`全部已校核签字（${s.candidates} 人）`, `All verified and signed (${s.candidates} candidates)`)
          : T(`尚有 ${s.unfinished.length} 个场次未校核签字`, `${s.unfinished.length} session(s) not verified and signed yet`),
      ],
      [
        T('公示', 'Published'),
        p ? join(`${p.publishedOn}（${p.publishedByName ?? p.publishedBy}）`, provisional(p.provisional)) : T('未公示', 'Not published'),
      ],
    ]
    if (p)
      rows.push(
        [T('公示期至', 'Up through'), T(`${p.lastDay}；${p.takeDownFrom} 起可撤下`, `${p.lastDay}; may be taken down from ${p.takeDownFrom}`)],
        [T('撤下', 'Taken down'), p.withdrawnOn ?? '—'],
      )
    byId('pub-facts').replaceChildren(...rows.map(([k, v]) => el('div', {}, el('dt', { text: k }), el('dd', {}, typeof v === 'string' ? v : tx(v)))))
    byId('pub-actions').hidden = !desk
    byId<HTMLButtonElement>('publish').hidden = p !== null
    byId<HTMLButtonElement>('take-down').hidden = p === null || p.withdrawnOn !== null
  }

  function drawReviews(s: Status, reviews: Review[], published: Published): void {
    const p = s.publication
    byId('request-form').hidden = !desk || !p
    byId('deadline-note').textContent = p
      ? tr(
          T(
            '申请期限：公示后 1 个月内（逢节假日顺延），以登记时显示的期限为准。',
            'Deadline: 1 month after publication (extended past a day off), as shown when recorded.',
          ),
        )
      : tr(T('成绩公示后才能登记核查申请。', 'Review requests can be recorded once the results are published.'))
    const cand = byId<HTMLSelectElement>('req-candidate')
    cand.replaceChildren(...published.map((c) => el('option', { attrs: { value: c.candidateId } }, c.name ?? c.candidateId)))
    const subj = byId<HTMLSelectElement>('req-subject')
    const subjects = published[0]?.subjects ?? []
    subj.replaceChildren(...subjects.map((x) => el('option', { attrs: { value: x.subjectId } }, x.name)))
    byId('reviews-empty').hidden = reviews.length > 0
    byId('reviews-body').replaceChildren(...reviews.map((r) => reviewRow(r)))
  }

  // One dialog for every decision that needs a reason (and for a change, the new score): what it does, the reason
  // typed in full, and the server's refusal shown in place so nothing typed is lost.
  const dialog = byId<HTMLDialogElement>('decide-dialog')
  const dialogAlert = byId('decide-alert')
  const scoreInput = byId<HTMLInputElement>('decide-score')
  const reasonInput = byId<HTMLTextAreaElement>('decide-reason')
  let pending: Decision | null = null
  function decide(d: Decision): void {
    pending = d
    setText(byId('decide-title'), d.title)
    setText(byId('decide-text'), d.text)
    byId('decide-score-field').hidden = !d.score
    scoreInput.value = ''
    reasonInput.value = ''
    hideAlert(dialogAlert)
    dialog.showModal()
    ;(d.score ? scoreInput : reasonInput).focus()
  }
  for (const input of [scoreInput, reasonInput]) input.addEventListener('input', () => hideAlert(dialogAlert))
  for (const b of document.querySelectorAll<HTMLButtonElement>('[data-close]')) b.addEventListener('click', () => b.closest('dialog')?.close())
  byId<HTMLFormElement>('decide-form').addEventListener('submit', async (ev) => {
    ev.preventDefault()
    const d = pending
    if (!d) return
    const reason = reasonInput.value.trim()
    const score = d.score ? Number(scoreInput.value.trim()) : undefined
    if (d.score && (scoreInput.value.trim() === '' || !Number.isFinite(score))) {
      showAlert(dialogAlert, 'error', T('请填写新分数', 'Enter the new score'))
      return
    }
    if (!reason) {
      showAlert(dialogAlert, 'error', T('请填写理由', 'Give a reason'))
      return
    }
    try {
      await busy(byId<HTMLButtonElement>('decide-submit'), () => d.run(reason, score))
      pending = null
      dialog.close()
      hideAlert(byId('review-alert'))
      await show()
    } catch (err) {
      showAlert(dialogAlert, 'error', problemText(err))
    }
  })

  function reviewRow(r: Review): HTMLTableRowElement {
    const score = r.newScore !== null ? `${r.oldScore ?? '—'} → ${r.newScore}` : String(r.oldScore ?? '—')
    const who = [r.decidedByName ?? r.decidedBy, r.verifiedByName ?? r.verifiedBy].filter(Boolean).join(' / ') || '—'
    const actions = el('div', { class: 'toolbar' })
    const act = (label: Text, run: () => Promise<unknown>) => {
      const b = el('button', { class: 'btn btn--small', attrs: { type: 'button' }, text: label })
      b.addEventListener('click', () =>
        busy(b, async () => {
          try {
            await run()
            hideAlert(byId('review-alert'))
            await show()
          } catch (err) {
            showAlert(byId('review-alert'), 'error', problemText(err))
          }
        }),
      )
      actions.append(b)
    }
    const offer = (label: Text, decision: Decision) => {
      const b = el('button', { class: 'btn btn--small', attrs: { type: 'button' }, text: label })
      b.addEventListener('click', () => decide(decision))
      actions.append(b)
    }
    const params = { id: r.id }
    const subject = `${r.candidateName ?? '—'} · ${r.subjectName}`
    if (desk && r.state === 'requested') act(T('开始核查', 'Start'), () => api('POST /api/reviews/{id}/start', { params, json: {} }))
    if (desk && r.state === 'in_review') {
      offer(T('维持原成绩', 'Uphold'), {
        title: T('维持原成绩', 'The score stands'),
        text: T(
          `${subject}：原成绩 ${r.oldScore ?? '—'} 分维持不变，结论交成绩校核人员复核。`,
          `${subject}: the score ${r.oldScore ?? '—'} stands; a score verifier checks the outcome.`,
        ),
        run: (reason) => api('POST /api/reviews/{id}/uphold', { params, json: { reason } }),
      })
      offer(T('更改成绩', 'Change score'), {
        title: T('更改成绩', 'Change the score'),
        text: T(
          `${subject}：原成绩 ${r.oldScore ?? '—'} 分。新分数由成绩校核人员复核后生效。`,
          `${subject}: was ${r.oldScore ?? '—'}. The new score counts once a score verifier checks it.`,
        ),
        score: true,
        run: (reason, score) => api('POST /api/reviews/{id}/change', { params, json: { reason, score: score! } }),
      })
    }
    if (desk && (r.state === 'requested' || r.state === 'in_review'))
      offer(T('考生撤回', 'Withdrawn'), {
        title: T('考生撤回核查申请', 'The candidate withdraws the request'),
        text: T(`${subject}：核查申请撤回后办结，成绩不变。`, `${subject}: the request is closed; the score stays.`),
        run: (reason) => api('POST /api/reviews/{id}/withdraw', { params, json: { reason } }),
      })
    if (verifier && (r.state === 'upheld' || r.state === 'changed') && r.decidedBy !== me) {
      act(T('复核通过', 'Verify'), () => api('POST /api/reviews/{id}/verify', { params, json: {} }))
      offer(T('退回', 'Send back'), {
        title: T('退回重新核查', 'Send back for another look'),
        text: T(`${subject}：结论退回登记人员重新核查。`, `${subject}: the outcome goes back to the desk.`),
        run: (reason) => api('POST /api/reviews/{id}/send-back', { params, json: { reason } }),
      })
    }
    return el(
      'tr',
      {},
      el('td', {}, r.candidateName ?? '—'),
      el('td', {}, r.subjectName),
      el('td', {}, r.requestedOn),
      el('td', {}, r.deadline),
      el('td', {}, tx(STATE[r.state], `badge ${r.open ? 'badge--warn' : 'badge--ok'}`)),
      el('td', { class: 'num' }, score),
      el('td', {}, who),
      el('td', {}, actions),
    )
  }

  const run = (button: HTMLButtonElement, work: () => Promise<unknown>, done: Text) =>
    busy(button, async () => {
      try {
        await work()
        showAlert(byId('pub-alert'), 'ok', done)
        await show()
      } catch (err) {
        showAlert(byId('pub-alert'), 'error', problemText(err))
      }
    })
  byId<HTMLButtonElement>('publish').addEventListener('click', (ev) =>
    run(
      ev.currentTarget as HTMLButtonElement,
      () => api('POST /api/batches/{id}/results/publication', { params: { id: select.value } }),
      T('已公示', 'Published'),
    ),
  )
  byId<HTMLButtonElement>('take-down').addEventListener('click', (ev) =>
    run(
      ev.currentTarget as HTMLButtonElement,
      () => api('POST /api/batches/{id}/results/publication/take-down', { params: { id: select.value } }),
      T('已撤下', 'Taken down'),
    ),
  )
  byId<HTMLFormElement>('request-form').addEventListener('submit', async (ev) => {
    ev.preventDefault()
    const button = (ev.currentTarget as HTMLFormElement).querySelector('button')!
    await busy(button, async () => {
      try {
        const reason = byId<HTMLInputElement>('req-reason').value.trim()
        await api('POST /api/batches/{id}/reviews', {
          params: { id: select.value },
          json: {
            candidateId: byId<HTMLSelectElement>('req-candidate').value,
            subjectId: byId<HTMLSelectElement>('req-subject').value,
            ...(reason && { reason }),
          },
        })
        byId<HTMLInputElement>('req-reason').value = ''
        hideAlert(byId('review-alert'))
        await show()
      } catch (err) {
        showAlert(byId('review-alert'), 'error', problemText(err))
      }
    })
  })
  select.addEventListener('change', () => {
    history.replaceState(null, '', `?batch=${encodeURIComponent(select.value)}`)
    void show()
  })
  await show()
}
