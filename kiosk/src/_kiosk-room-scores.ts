// The practical scores screen (实操评分, R7.1 entry side): for a candidate, a score per item of the session
// (package.scoreItems, each 0..max), signed by an examiner of the room with their own login (score_sign); the
// device signs the record too. A signed sheet is locked: a correction names the sheet it replaces, gives a
// reason and is signed again; the earlier sheet stays on record. Only ctx talks to anything.
import { busy, el, hideAlert, problemText, showAlert, tx } from './_dom.ts'
import { T } from './_i18n.ts'
import { candidatePicker, labelled, otherStaff, staffName } from './_kiosk-room-incidents.ts'
import type { KioskContext, KioskRecord } from './_kiosk-types.ts'

interface SheetBody {
  candidateId: string
  items: Array<{ itemId: string; score: number }>
  examiner: { userId: string }
  replaces?: string
  reason?: string
  [k: string]: unknown
}

/** A score is 0..max in steps of at most one decimal (as the server checks). */
export const validScore = (score: number, max: number): boolean =>
  Number.isFinite(score) && score >= 0 && score <= max && Math.abs(score * 10 - Math.round(score * 10)) < 1e-9

/** The sheet in force for a candidate: the one no other sheet replaces. */
export function currentOf(sheets: ReadonlyArray<KioskRecord<SheetBody>>, candidateId: string): KioskRecord<SheetBody> | null {
  const mine = sheets.filter((s) => s.body.candidateId === candidateId)
  const replaced = new Set(mine.map((s) => s.body.replaces).filter(Boolean))
  return mine.find((s) => !replaced.has(s.id)) ?? null
}

export function mountScores(root: HTMLElement, ctx: KioskContext): void {
  const pkg = ctx.pkg
  if (pkg.scoreItems.length === 0) {
    root.replaceChildren(
      el('p', { class: 'hint', text: T('本场次不是操作技能考核，无需评分', 'This session is not a practical assessment: nothing to score') }),
    )
    return
  }
  const alert = el('div', { attrs: { id: 'score-alert' }, hidden: true })
  const cand = candidatePicker(pkg, 'score-candidate', false)
  const inputs = pkg.scoreItems.map((it) => ({
    it,
    input: el('input', { attrs: { type: 'number', min: '0', max: String(it.max), step: '0.1', inputmode: 'decimal', 'data-item': it.id } }),
  }))
  const locked = el('div', { attrs: { id: 'score-locked' } })
  const reason = el('textarea', { attrs: { rows: '2', maxlength: '500' } })
  const reasonField = labelled(T('更正原因（更正已签字的评分表时必填）', 'Reason (required to correct a signed sheet)'), reason, 'score-reason')
  const sign = el('button', { class: 'btn btn--primary', attrs: { type: 'submit' }, text: T('考评人员签字', 'Examiner signs') })
  const form = el(
    'form',
    { class: 'stack', attrs: { id: 'score-form', novalidate: '' } },
    cand.node,
    locked,
    ...inputs.map(({ it, input }) => labelled(T(`${it.name}（满分 ${it.max}）`, `${it.name} (max ${it.max})`), input, `score-item-${it.id}`)),
    reasonField,
    alert,
    sign,
  )
  root.replaceChildren(el('section', { class: 'card' }, el('h2', { text: T('实操评分', 'Practical scores') }), form))

  let current: KioskRecord<SheetBody> | null = null
  const refresh = async (): Promise<void> => {
    hideAlert(alert)
    const sheets = (await ctx.records('score_sheet')) as Array<KioskRecord<SheetBody>>
    current = cand.value() ? currentOf(sheets, cand.value()) : null
    locked.replaceChildren()
    reasonField.hidden = current === null
    for (const { it, input } of inputs) input.value = current ? String(current.body.items.find((i) => i.itemId === it.id)?.score ?? '') : ''
    if (current) {
      const total = current.body.items.reduce((a, i) => a + i.score, 0)
      locked.append(
        el(
          'p',
          { class: 'badge badge--ok', attrs: { 'data-sheet': current.id } },
          tx(T('已签字锁定', 'Signed and locked')),
          ` · ${staffName(pkg, current.body.examiner.userId)} · ${Math.round(total * 10) / 10}`,
        ),
      )
      setText(sign, current)
    } else setText(sign, null)
  }
  const setText = (b: HTMLButtonElement, cur: KioskRecord<SheetBody> | null) => {
    b.replaceChildren(tx(cur ? T('更正并由考评人员重新签字', 'Correct and sign again') : T('考评人员签字', 'Examiner signs')))
  }
  cand.node.querySelector('select')!.addEventListener('change', () => void refresh())
  cand.node.querySelector('input')!.addEventListener('input', () => void refresh())

  form.addEventListener('submit', (ev) => {
    ev.preventDefault()
    void busy(sign, async () => {
      hideAlert(alert)
      const candidateId = cand.value()
      if (!candidateId) return showAlert(alert, 'error', T('请选择考生', 'Choose the candidate'))
      const items: SheetBody['items'] = []
      for (const { it, input } of inputs) {
        const score = Number(input.value)
        if (input.value.trim() === '' || !validScore(score, it.max)) {
          return showAlert(alert, 'error', T(`「${it.name}」的分数须在 0 至 ${it.max} 之间`, `"${it.name}" needs a score from 0 to ${it.max}`))
        }
        items.push({ itemId: it.id, score })
      }
      if (current && reason.value.trim() === '') return showAlert(alert, 'error', T('更正须填写原因', 'A correction needs a reason'))
      // The examiner signs with their own login on this device (the person logged in may be the examiner too).
      const examiner = await ctx.confirmPerson('score_sign', otherStaff(pkg, 'examiner', null))
      if (!examiner) return
      const body: SheetBody = { candidateId, items, examiner }
      if (current) {
        body.replaces = current.id
        body.reason = reason.value.trim()
      }
      try {
        await ctx.record('score_sheet', body)
      } catch (err) {
        return showAlert(alert, 'error', problemText(err))
      }
      reason.value = ''
      await refresh()
      showAlert(alert, 'ok', T('已签字并记录', 'Signed and recorded'))
    })
  })
  void refresh()
}
