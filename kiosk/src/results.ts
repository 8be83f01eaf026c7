// /results: the public results lookup (R7.2), no login. A candidate gives the ticket number and their own ID
// number; the answer is their own published result or one neutral "not found" (the server answers every miss
// alike). Nothing typed here is kept in the page after the answer.
import { type OutputOf, api } from './_client.ts'
import { byId, el, hideAlert, problemText, showAlert, tx } from './_dom.ts'
import { T, type Text, setText } from './_i18n.ts'
import { startPublicPage } from './_shell.ts'

type Found = OutputOf<'POST /api/public/results/lookup'>

const STATUS: Record<Found['overall'], Text> = {
  passed: T('合格', 'Passed'),
  failed: T('不合格', 'Failed'),
  absent: T('缺考', 'Absent'),
  disqualified: T('违纪取消成绩', 'Disqualified'),
  pending: T('待定', 'Pending'),
}
const LEVELS: Record<number, Text> = {
  1: T('一级/高级技师', 'Level 1 / senior technician'),
  2: T('二级/技师', 'Level 2 / technician'),
  3: T('三级/高级工', 'Level 3 / senior worker'),
  4: T('四级/中级工', 'Level 4 / intermediate worker'),
  5: T('五级/初级工', 'Level 5 / junior worker'),
}

startPublicPage()
main()

function main(): void {
  const form = byId<HTMLFormElement>('lookup-form')
  const ticket = byId<HTMLInputElement>('ticket-number')
  const id = byId<HTMLInputElement>('resident-id')
  const alert = byId('lookup-alert')
  const submit = byId<HTMLButtonElement>('lookup-submit')
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault()
    hideAlert(alert)
    byId('result-card').hidden = true
    if (!ticket.value.trim() || !id.value.trim()) {
      showAlert(alert, 'error', T('请填写准考证号和身份证号', 'Enter the ticket number and the ID number'))
      return
    }
    submit.disabled = true
    try {
      const found = await api('POST /api/public/results/lookup', { json: { ticketNumber: ticket.value.trim(), residentId: id.value.trim() } })
      id.value = ''
      draw(found)
    } catch (err) {
      showAlert(alert, 'error', problemText(err))
    } finally {
      submit.disabled = false
    }
  })
}

function fact(term: Text, value: Text | string): HTMLElement {
  return el('div', {}, el('dt', { text: term }), el('dd', {}, typeof value === 'string' ? value : tx(value)))
}

function draw(r: Found): void {
  byId('result-facts').replaceChildren(
    fact(T('姓名', 'Name'), r.name),
    fact(T('职业（工种）', 'Occupation'), `${r.occupationName}（${r.occupationCode}）`),
    fact(T('等级', 'Level'), LEVELS[r.level] ?? String(r.level)),
    fact(T('批次', 'Batch'), r.batchTitle),
    fact(T('公示日期', 'Published on'), r.publishedOn),
    fact(T('总评', 'Overall'), STATUS[r.overall]),
  )
  byId('result-body').replaceChildren(
    ...r.subjects.map((s) =>
      el(
        'tr',
        {},
        el('td', {}, s.name),
        el('td', { class: 'num' }, s.score === null ? '—' : `${s.score} / ${s.maxMark}`),
        el('td', { class: 'num' }, String(s.passMark)),
        el('td', {}, tx(STATUS[s.status], `badge badge--${s.status === 'passed' ? 'ok' : s.status === 'pending' ? 'warn' : 'refused'}`)),
      ),
    ),
  )
  setText(
    byId('result-note'),
    r.provisional
      ? T(
          '公示期按尚未发布官方节假日安排的年度推算，如有调整以评价机构公告为准。对成绩有异议的，可在公示后 1 个月内向评价机构申请核查。',
          'The publication period was counted across a year without an official holiday list; the body’s notice prevails. A review may be requested at the body within 1 month of publication.',
        )
      : T('对成绩有异议的，可在公示后 1 个月内向评价机构申请核查。', 'A review may be requested at the body within 1 month of publication.'),
  )
  byId('result-card').hidden = false
}
