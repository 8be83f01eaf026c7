// /registrar: the batches (认定批次) with their status, the occupations they certify, and a new draft plan.
// The deadlines the rules fix (R2.1 filing, R2.3 announcement) are shown as soon as an exam date is typed,
// marked provisional when a year without an official holiday list is involved.
import { busy, byId, el, hideAlert, problemText, showAlert } from './_dom.ts'
import { T } from './_i18n.ts'
import { type OutputOf, api } from './_client.ts'
import { BATCH_STATUS } from './_registrar-ui.ts'
import { showWhenLoaded, startStaffPage } from './_shell.ts'

type Batch = OutputOf<'GET /api/batches'>['batches'][number]
type Occupation = OutputOf<'GET /api/occupations'>['occupations'][number]

const DATE = /^\d{4}-\d{2}-\d{2}$/

const page = await startStaffPage()
// Only registrars create plans; administrators and supervisors read (README roles).
if (page) await main(page.user.roles.includes('registrar'))

async function main(desk: boolean): Promise<void> {
  let batches: Batch[] = []
  let occupations: Occupation[] = []
  const loaded = await showWhenLoaded(async () => {
    ;[batches, occupations] = await Promise.all([api('GET /api/batches').then((r) => r.batches), api('GET /api/occupations').then((r) => r.occupations)])
  })
  if (!loaded) return

  byId('batch-count').textContent = String(batches.length)
  byId('batches-body').replaceChildren(
    ...(batches.length > 0
      ? batches.map((b) =>
          el(
            'tr',
            {},
            el('td', {}, el('a', { attrs: { href: `/registrar/batch?id=${encodeURIComponent(b.id)}` } }, b.title)),
            el('td', {}, `${occupations.find((o) => o.code === b.occupationCode)?.name ?? b.occupationCode} · ${b.levelName}`),
            el('td', { class: 'nowrap' }, b.examStartDate === b.examEndDate ? b.examStartDate : `${b.examStartDate} – ${b.examEndDate}`),
            el('td', {}, el('span', { class: `badge ${b.status === 'draft' ? 'badge--off' : 'badge--ok'}`, text: BATCH_STATUS[b.status] })),
            el('td', { class: 'nowrap' }, b.filedOn ?? '—'),
          ),
        )
      : [
          el(
            'tr',
            {},
            el('td', {
              class: 'empty',
              attrs: { colspan: '5' },
              text: desk
                ? T('还没有认定批次：用右侧“新建认定计划”建立第一个批次。', 'No batches yet: create the first one with “New batch plan” on the right.')
                : T('还没有认定批次：由考务人员建立。', 'No batches yet: a registrar creates them.'),
            }),
          ),
        ]),
  )

  byId('occ-count').textContent = String(occupations.length)
  byId('occ-body').replaceChildren(
    ...occupations.map((o) =>
      el(
        'tr',
        {},
        el('td', { class: 'mono nowrap' }, o.code),
        el('td', {}, o.name, o.hazardous ? el('span', { class: 'badge badge--refused', text: T('危险作业', 'Hazardous') }) : null),
        el('td', {}, o.levels.map((l) => l.levelName).join('、')),
        el('td', {}, [...new Set(o.levels.flatMap((l) => l.subjects.map((s) => `${s.name} ${s.passMark}/${s.maxMark}`)))].join('；')),
      ),
    ),
  )

  // New draft.
  byId('new-card').hidden = !desk
  const occSelect = byId<HTMLSelectElement>('new-occupation')
  const levelSelect = byId<HTMLSelectElement>('new-level')
  occSelect.replaceChildren(...occupations.map((o) => el('option', { attrs: { value: o.code } }, `${o.code} ${o.name}`)))
  const levels = () => {
    const o = occupations.find((x) => x.code === occSelect.value)
    levelSelect.replaceChildren(...(o?.levels ?? []).map((l) => el('option', { attrs: { value: String(l.level) } }, l.levelName)))
  }
  occSelect.addEventListener('change', levels)
  levels()

  const startInput = byId<HTMLInputElement>('new-start')
  const endInput = byId<HTMLInputElement>('new-end')
  const deadlines = byId('deadlines')
  startInput.addEventListener('change', async () => {
    const examDate = startInput.value.trim()
    if (!endInput.value) endInput.value = examDate
    if (!DATE.test(examDate)) {
      deadlines.hidden = true
      return
    }
    try {
      const [plan, ann] = await Promise.all([
        api('GET /api/calendar/deadline', { query: { kind: 'plan', examDate } }),
        api('GET /api/calendar/deadline', { query: { kind: 'announcement', examDate } }),
      ])
      const provisional = plan.provisional
        ? T('（暂定：该年度尚无国务院节假日安排，仅按周末计算）', ' (provisional: no official holiday list for that year yet; only weekends counted)')
        : T('', '')
      showAlert(
        deadlines,
        'info',
        T(
          `最晚报备日期 ${plan.date}（考前10个工作日，R2.1）${provisional.zh}；最晚公告日期 ${ann.date}（考前2个月，R2.3）`,
          `File by ${plan.date} (10 working days before, R2.1)${provisional.en}; announce by ${ann.date} (2 months before, R2.3)`,
        ),
      )
    } catch {
      deadlines.hidden = true
    }
  })

  const form = byId<HTMLFormElement>('new-form')
  const alertBox = byId('new-alert')
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault()
    hideAlert(alertBox)
    const data = new FormData(form)
    const fee = String(data.get('fee') ?? '').trim()
    const feeCents = fee === '' ? 0 : Math.round(Number(fee) * 100)
    if (!Number.isFinite(feeCents) || feeCents < 0) {
      showAlert(alertBox, 'error', T('认定费应为金额（元）', 'The fee is an amount in yuan'))
      return
    }
    try {
      const b = await busy(byId<HTMLButtonElement>('new-submit'), () =>
        api('POST /api/batches', {
          json: {
            title: String(data.get('title') ?? '').trim(),
            occupationCode: occSelect.value,
            level: Number(levelSelect.value),
            examStartDate: startInput.value.trim(),
            examEndDate: endInput.value.trim(),
            feeCents,
          },
        }),
      )
      location.assign(`/registrar/batch?id=${encodeURIComponent(b.id)}`)
    } catch (err) {
      showAlert(alertBox, 'error', problemText(err))
    }
  })
}
