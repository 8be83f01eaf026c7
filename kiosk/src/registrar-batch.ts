// /registrar/batch?id=…: one batch from draft plan to paid candidates — complete and file the plan (R2.1,
// R2.2), publish the announcement (R2.3), register candidates at the desk or by CSV import (R3.1), review
// them (R3.2) and record fees (R3.3). The server decides every rule; this page shows its answers.
import type { ImportRowError } from '../../server/domain/lifecycle/index.ts'
import { ApiError, type JsonOf, type OutputOf, type QueryOf, api, url } from './_client.ts'
import { busy, byId, clear, el, hideAlert, problemText, showAlert, tx } from './_dom.ts'
import { T, type Text } from './_i18n.ts'
import { BATCH_STATUS, CANDIDATE_STATUS, fileBase64 } from './_registrar-ui.ts'
import { pageProblem, showWhenLoaded, startStaffPage } from './_shell.ts'
import { formatCst, formatCstDate } from './_time.ts'

type Batch = OutputOf<'GET /api/batches/{id}'>
type Occupation = OutputOf<'GET /api/occupations'>['occupations'][number]
type Candidate = OutputOf<'GET /api/candidates/{id}'>
type CandidateFilter = NonNullable<QueryOf<'GET /api/batches/{id}/candidates'>['status']>
/** A file sent with a desk registration (the server checks its kind and type). */
type Attachment = NonNullable<JsonOf<'POST /api/batches/{id}/candidates'>['attachments']>[number]
/** A move's reason, sent only when one was typed. */
const reasonOf = (reason: string) => (reason ? { reason } : {})

const FIELD_NAMES: Record<string, Text> = {
  place: T('地点', 'place'),
  sessions: T('场次安排', 'sessions'),
  'sessions.theory': T('理论知识考试场次', 'a theory session'),
  'sessions.practical': T('操作技能考核场次', 'a practical session'),
  'sessions.other': T('其他科目场次', 'a session of the other subject'),
  method: T('评价方式', 'assessment method'),
  'candidates.scope': T('参加评价人员', 'candidates'),
  'candidates.expected': T('预计人数', 'expected number'),
  'staffing.examiners': T('考评人员', 'examiners'),
  'staffing.invigilators': T('监考人员', 'invigilators'),
  'staffing.supervisors': T('督导人员', 'supervisors'),
  centreReference: T('备案号', "centre's reference"),
  contentAndMethod: T('认定内容和方式', 'content and method'),
  'registration.place': T('报名地点', 'where to register'),
  'registration.until': T('报名截止日期', 'closing day'),
  'registration.how': T('报名手续', 'how to register'),
  conditions: T('申报条件', 'conditions'),
  fees: T('收费标准', 'fees'),
}
const SESSION_STATUS: Record<string, Text> = { scheduled: T('已安排', 'Scheduled'), suspended: T('停考', 'Suspended'), completed: T('已结束', 'Completed') }
const KIND_NAMES: Record<string, Text> = { theory: T('理论知识考试', 'theory'), practical: T('操作技能考核', 'practical'), other: T('其他', 'other') }

/** The details of a refusal that a person needs to act on it (what is missing, which date would do). */
function detailText(err: unknown): Text | undefined {
  if (!(err instanceof ApiError) || typeof err.details !== 'object' || err.details === null) return undefined
  const d = err.details as Record<string, unknown>
  const join = (list: Text[]) => T(list.map((t) => t.zh).join('、'), list.map((t) => t.en).join(', '))
  switch (err.code) {
    case 'plan.incomplete':
    case 'announcement.incomplete': {
      const names = join((d.missing as string[]).map((m) => FIELD_NAMES[m] ?? T(m, m)))
      return T(`缺少：${names.zh}`, `Missing: ${names.en}`)
    }
    case 'plan.too_late':
      return T(
        `最早可考日期为 ${String(d.earliestExamDate)}（报备后第10个工作日）${d.provisional ? '，暂定' : ''}`,
        `The earliest exam day is ${String(d.earliestExamDate)} (the 10th working day after filing)${d.provisional ? ', provisional' : ''}`,
      )
    case 'announcement.too_late':
      return T(
        `最晚发布日期为 ${String(d.latestPublicationDate)}；按此发布日期，最早可考日期为 ${String(d.earliestExamDate)}`,
        `Publish by ${String(d.latestPublicationDate)}; published then, the earliest exam day is ${String(d.earliestExamDate)}`,
      )
    case 'registration.invalid': {
      const errors = d.errors as Array<{ message: string; messageEn: string }>
      return T(errors.map((e) => e.message).join('；'), errors.map((e) => e.messageEn).join('; '))
    }
    case 'registration.photo_invalid': {
      const p = d.photo as { message: string; messageEn: string }
      return T(p.message, p.messageEn)
    }
    case 'registration.attachment_invalid':
      return T(`第${Number(d.index) + 1}个附件：${String(d.message)}`, `Attachment ${Number(d.index) + 1}: ${String(d.message)}`)
    case 'plan.invalid':
    case 'announcement.invalid':
    case 'change.invalid':
    case 'occupation.invalid':
      return T(`${String(d.field)}：${String(d.message)}`, `${String(d.field)}: ${String(d.message)}`)
    default:
      return undefined
  }
}
const showProblem = (box: HTMLElement, err: unknown) => showAlert(box, 'error', problemText(err), detailText(err))

const today = () => formatCstDate(Date.now())
const cstDate = (iso: string) => formatCst(iso).slice(0, 10)
const cstTime = (iso: string) => formatCst(iso).slice(11, 16)
const num = (v: FormDataEntryValue | null): number | undefined => (String(v ?? '').trim() === '' ? undefined : Number(String(v).trim()))
const text = (v: FormDataEntryValue | null): string => String(v ?? '').trim()

const batchId = new URLSearchParams(location.search).get('id') ?? ''
/** Candidates per page of the list (the server pages: a real batch has thousands). */
const PAGE_SIZE = 25
const page = await startStaffPage()
// Only registrars change plans and candidates; administrators read candidates (masked), supervisors the plan (README roles).
if (page)
  await main(
    page.user.roles.includes('registrar'),
    page.user.roles.some((r) => r === 'registrar' || r === 'admin'),
  )

/** What the cards of this page share: the batch as last read, its subjects and sites, and who is looking. */
interface Ctx {
  /** A registrar: changes plans and candidates (README roles). */
  desk: boolean
  /** A registrar or an administrator: reads the candidates (masked). */
  readsCandidates: boolean
  batch: Batch
  occupation: Occupation | undefined
  subjects: Occupation['levels'][number]['subjects']
  siteNames: Map<string, string>
  subjectName(id: string): string
  /** Reads the batch again and redraws every card (and the shown candidates). */
  reloadBatch(): Promise<void>
  /** Reads the shown page of candidates again. */
  reloadCandidates(): Promise<void>
}
/** One card of the page: drawn from ctx.batch (render), or reading more of its own (load). */
interface Card {
  render?(): void
  load?(): Promise<void>
}

function candidatesOpen(ctx: Ctx): boolean {
  return ctx.readsCandidates && (ctx.batch.status === 'announced' || ctx.batch.status === 'in_progress')
}

async function main(desk: boolean, readsCandidates: boolean): Promise<void> {
  const ctx = await firstLoad(desk, readsCandidates)
  if (!ctx) return
  const cards: Card[] = [batchCard(ctx), draftCard(ctx), fileCard(ctx), announceCard(ctx), candidatesCard(ctx), registerCard(ctx)]
  const render = (): void => {
    for (const c of cards) c.render?.()
  }
  ctx.reloadBatch = async () => {
    ctx.batch = await api('GET /api/batches/{id}', { params: { id: batchId } })
    render()
    if (candidatesOpen(ctx)) await ctx.reloadCandidates()
  }
  await showWhenLoaded(async () => {
    render()
    for (const c of cards) await c.load?.()
  })
}

/** The batch, its occupation and the sites' names; null when the page says why it cannot show them. */
async function firstLoad(desk: boolean, readsCandidates: boolean): Promise<Ctx | null> {
  try {
    const [batch, occ, sites] = await Promise.all([
      api('GET /api/batches/{id}', { params: { id: batchId } }),
      api('GET /api/occupations'),
      api('GET /api/sites').catch(() => ({ sites: [] })),
    ])
    const occupation = occ.occupations.find((o) => o.code === batch.occupationCode)
    const subjects = occupation?.levels.find((l) => l.level === batch.level)?.subjects ?? []
    return {
      desk,
      readsCandidates,
      batch,
      occupation,
      subjects,
      siteNames: new Map(sites.sites.map((x) => [x.id, x.name])),
      subjectName: (id) => subjects.find((s) => s.id === id)?.name ?? id,
      reloadBatch: async () => undefined, // set by main once the cards exist
      reloadCandidates: async () => undefined, // set by the candidates card
    }
  } catch (err) {
    pageProblem(problemText(err))
    return null
  }
}

// ---- the batch: its plan, sessions and links ---------------------------------------------------------------
function batchCard(ctx: Ctx): Card {
  function render(): void {
    byId('batch-title').textContent = ctx.batch.title
    const status = byId('batch-status')
    status.className = `badge ${ctx.batch.status === 'draft' ? 'badge--off' : 'badge--ok'}`
    status.replaceChildren(tx(BATCH_STATUS[ctx.batch.status]))
    byId('batch-sub').textContent =
      `${ctx.occupation?.name ?? ctx.batch.occupationCode}（${ctx.batch.occupationCode}）${ctx.batch.levelName} · ${ctx.batch.examStartDate === ctx.batch.examEndDate ? ctx.batch.examStartDate : `${ctx.batch.examStartDate} – ${ctx.batch.examEndDate}`}`
    const fact = (label: Text, value: string | null | undefined) => el('div', {}, el('dt', { text: label }), el('dd', {}, value && value !== '' ? value : '—'))
    const c = ctx.batch.candidates
    const s = ctx.batch.staffing
    byId('plan-facts').replaceChildren(
      fact(T('地点', 'Place'), ctx.batch.place),
      fact(T('评价方式', 'Method'), ctx.batch.method),
      fact(T('参加评价人员', 'Candidates'), c ? `${c.scope ?? '—'}（${c.expected ?? '—'}）` : null),
      fact(
        T('考评/监考/督导人员', 'Examiners / invigilators / supervisors'),
        s ? `${s.examiners ?? '—'} / ${s.invigilators ?? '—'} / ${s.supervisors ?? '—'}` : null,
      ),
      fact(T('认定费', 'Fee'), `${(ctx.batch.feeCents / 100).toFixed(2)} 元`),
      fact(T('报备（登记日期）', 'Filed (recorded on)'), ctx.batch.filedOn ? `${ctx.batch.filedOn}（${ctx.batch.centreReference ?? ''}）` : null),
      ...(ctx.batch.filedOnDocumented
        ? [fact(T('文件所载报备日期', 'Filing date per document'), `${ctx.batch.filedOnDocumented.date}（${ctx.batch.filedOnDocumented.reference}）`)]
        : []),
    )
    const rows =
      ctx.batch.sessions && ctx.batch.sessions.length > 0
        ? ctx.batch.sessions.map((x) => ({ id: x.id, subjectId: x.subjectId, startsAt: x.startsAt, endsAt: x.endsAt, siteId: x.siteId, status: x.status }))
        : ctx.batch.plannedSessions.map((x) => ({ ...x, id: null, status: '' }))
    const ticketsOf = (sessionId: string) => `/tickets?session=${encodeURIComponent(sessionId)}`
    byId('sessions-body').replaceChildren(
      ...(rows.length > 0
        ? rows.map((x) =>
            el(
              'tr',
              {},
              el('td', {}, ctx.subjectName(x.subjectId)),
              el('td', { class: 'nowrap' }, `${cstDate(x.startsAt)} ${cstTime(x.startsAt)}–${cstTime(x.endsAt)}`),
              el('td', {}, x.siteId ? (ctx.siteNames.get(x.siteId) ?? '—') : tx(T('未定', 'Not set'), 'muted')),
              el('td', {}, x.status ? tx(SESSION_STATUS[x.status] ?? T(x.status, x.status)) : '—'),
              el(
                'td',
                { class: 'no-print' },
                x.id ? el('a', { attrs: { href: ticketsOf(x.id) }, text: T('准考证', 'Tickets') }) : tx(T('报备后生成场次', 'After filing'), 'muted'),
              ),
            ),
          )
        : [
            el(
              'tr',
              {},
              el('td', {
                class: 'empty',
                attrs: { colspan: '5' },
                text: T(
                  '尚未安排场次：在下方“完善认定计划”中填写各科目的日期和时间',
                  'No sessions yet: give each subject its date and times under “Complete the plan” below',
                ),
              }),
            ),
          ]),
    )
    const ticketsLink = byId<HTMLAnchorElement>('tickets-link')
    const firstSession = ctx.batch.sessions?.[0]
    ticketsLink.hidden = !firstSession
    if (firstSession) ticketsLink.href = ticketsOf(firstSession.id)
    const link = byId<HTMLAnchorElement>('announcement-link')
    link.hidden = !ctx.batch.announcementId
    if (ctx.batch.announcementId) link.href = `/announcements/${encodeURIComponent(ctx.batch.announcementId)}`

    byId('draft-card').hidden = !ctx.desk || ctx.batch.status !== 'draft'
    byId('file-card').hidden = !ctx.desk || ctx.batch.status !== 'draft'
    byId('announce-card').hidden = !ctx.desk || ctx.batch.status !== 'filed'
    const open = ctx.batch.status === 'announced' || ctx.batch.status === 'in_progress'
    byId('candidates-card').hidden = !open || !ctx.readsCandidates
    byId('register-area').hidden = !ctx.desk || ctx.batch.status !== 'announced'
  }
  return { render }
}

// ---- the draft plan -------------------------------------------------------------------------------
function draftCard(ctx: Ctx): Card {
  const draftForm = byId<HTMLFormElement>('draft-form')
  const sessionBox = byId('d-sessions')
  function render(): void {
    const set = (id: string, v: string | number | null | undefined) => {
      byId<HTMLInputElement>(id).value = v === null || v === undefined ? '' : String(v)
    }
    set('d-place', ctx.batch.place)
    set('d-method', ctx.batch.method)
    set('d-scope', ctx.batch.candidates?.scope)
    set('d-expected', ctx.batch.candidates?.expected)
    set('d-examiners', ctx.batch.staffing?.examiners)
    set('d-invigilators', ctx.batch.staffing?.invigilators)
    set('d-supervisors', ctx.batch.staffing?.supervisors)
    clear(sessionBox)
    for (const s of ctx.subjects) {
      const planned = ctx.batch.plannedSessions.find((p) => p.subjectId === s.id)
      const input = (name: string, value: string, placeholder: string, label: Text) =>
        el('input', {
          attrs: { name: `${s.id}:${name}`, inputmode: 'numeric', autocomplete: 'off', placeholder, value, 'aria-label': `${s.name} ${label.zh}` },
        })
      sessionBox.append(
        el(
          'div',
          { class: 'checks' },
          el('strong', {}, `${s.name}（`, tx(KIND_NAMES[s.kind]!), '）'),
          input('date', planned ? cstDate(planned.startsAt) : ctx.batch.examStartDate, 'YYYY-MM-DD', T('日期', 'date')),
          input('start', planned ? cstTime(planned.startsAt) : '', '09:00', T('开始', 'start')),
          input('end', planned ? cstTime(planned.endsAt) : '', '10:30', T('结束', 'end')),
        ),
      )
    }
  }
  draftForm.addEventListener('submit', async (ev) => {
    ev.preventDefault()
    const box = byId('draft-alert')
    hideAlert(box)
    const d = new FormData(draftForm)
    const sessions = ctx.subjects.flatMap((s) => {
      const date = text(d.get(`${s.id}:date`)),
        start = text(d.get(`${s.id}:start`)),
        end = text(d.get(`${s.id}:end`))
      return date && start && end ? [{ subjectId: s.id, startsAt: `${date}T${start}:00+08:00`, endsAt: `${date}T${end}:00+08:00` }] : []
    })
    try {
      await busy(byId<HTMLButtonElement>('draft-submit'), () =>
        api('PATCH /api/batches/{id}', {
          params: { id: batchId },
          json: {
            place: text(d.get('place')) || null,
            method: text(d.get('method')) || null,
            candidates: { scope: text(d.get('scope')) || undefined, expected: num(d.get('expected')) },
            staffing: { examiners: num(d.get('examiners')), invigilators: num(d.get('invigilators')), supervisors: num(d.get('supervisors')) },
            sessions,
          },
        }),
      )
      await ctx.reloadBatch()
      showAlert(box, 'ok', T('计划已保存', 'Plan saved'))
    } catch (err) {
      showProblem(box, err)
    }
  })
  return { render }
}

// ---- filing (R2.1) ----------------------------------------------------------------------------------
function provisionalNote(p: boolean): Text {
  return p
    ? T('（暂定：涉及尚无国务院节假日安排的年度，仅按周末计算）', ' (provisional: a year without an official holiday list is involved; only weekends counted)')
    : T('', '')
}

function fileCard(ctx: Ctx): Card {
  async function load(): Promise<void> {
    try {
      const [plan, ann] = await Promise.all([
        api('GET /api/calendar/deadline', { query: { kind: 'plan', examDate: ctx.batch.examStartDate } }),
        api('GET /api/calendar/deadline', { query: { kind: 'announcement', examDate: ctx.batch.examStartDate } }),
      ])
      const p = provisionalNote(plan.provisional)
      byId('file-hint').replaceChildren(
        tx(
          T(
            `考试 ${ctx.batch.examStartDate}：最晚报备日期 ${plan.date}（考前10个工作日）${p.zh}`,
            `Exam ${ctx.batch.examStartDate}: file by ${plan.date} (10 working days before)${p.en}`,
          ),
        ),
      )
      byId('announce-hint').replaceChildren(
        tx(
          T(
            `考试 ${ctx.batch.examStartDate}：最晚公告日期 ${ann.date}（考前2个月）`,
            `Exam ${ctx.batch.examStartDate}: publish by ${ann.date} (2 months before)`,
          ),
        ),
      )
    } catch {
      // the hints are a help; the server still checks on submit
    }
  }
  const fileForm = byId<HTMLFormElement>('file-form')
  fileForm.addEventListener('submit', async (ev) => {
    ev.preventDefault()
    const box = byId('file-alert')
    hideAlert(box)
    const d = new FormData(fileForm)
    try {
      await busy(byId<HTMLButtonElement>('file-submit'), () =>
        api('POST /api/batches/{id}/file', { params: { id: batchId }, json: { centreReference: text(d.get('centreReference')), ...documented(d) } }),
      )
      await ctx.reloadBatch()
      showAlert(byId('page-alert'), 'ok', T('已登记报备，考试场次已生成', 'Filing recorded; the exam sessions are created'))
    } catch (err) {
      showProblem(box, err)
    }
  })
  return { load }
}

/** The optional documented date and its reference, sent only when filled in (decision 007). */
function documented(d: FormData): { documentedOn?: string; documentReference?: string } {
  const on = text(d.get('documentedOn')),
    ref = text(d.get('documentReference'))
  return { ...(on && { documentedOn: on }), ...(ref && { documentReference: ref }) }
}

// ---- announcement (R2.3) ---------------------------------------------------------------------------
function announceCard(ctx: Ctx): Card {
  const annForm = byId<HTMLFormElement>('announce-form')
  annForm.addEventListener('submit', async (ev) => {
    ev.preventDefault()
    const box = byId('announce-alert')
    hideAlert(box)
    const d = new FormData(annForm)
    try {
      await busy(byId<HTMLButtonElement>('announce-submit'), () =>
        api('POST /api/batches/{id}/announcement', {
          params: { id: batchId },
          json: {
            ...documented(d),
            contentAndMethod: text(d.get('contentAndMethod')),
            registration: { place: text(d.get('place')), ...(text(d.get('until')) ? { until: text(d.get('until')) } : {}), how: text(d.get('how')) },
            conditions: text(d.get('conditions')),
            fees: text(d.get('fees')),
          },
        }),
      )
      await ctx.reloadBatch()
      showAlert(byId('page-alert'), 'ok', T('公告已发布，现在可以报名', 'Announcement published; registration is open'))
    } catch (err) {
      showProblem(box, err)
    }
  })
  return {}
}

// ---- candidates: review and fees ---------------------------------------------------------------------
function candidatesCard(ctx: Ctx): Card {
  // The list is a server-side page: filter (status), search (q) and page travel in the query (decision 007: masked).
  const candAlert = byId('cand-alert')
  const statusSelect = byId<HTMLSelectElement>('cand-status')
  const searchBox = byId<HTMLInputElement>('cand-q')
  let listPage = 1
  let asked = 0 // the latest request wins: a slower earlier answer must not overwrite a newer page
  async function reloadCandidates(): Promise<void> {
    const mine = ++asked
    const status = (statusSelect.value as CandidateFilter | '') || undefined,
      q = searchBox.value.trim()
    const list = (query: QueryOf<'GET /api/batches/{id}/candidates'>) => api('GET /api/batches/{id}/candidates', { params: { id: batchId }, query })
    const count = (st?: CandidateFilter) => list({ status: st, pageSize: 1 }).then((r) => r.total)
    const [found, all, toReview, approved, paid] = await Promise.all([
      list({ status, q, page: listPage, pageSize: PAGE_SIZE }),
      count(),
      count('registered'),
      count('approved'),
      count('paid'),
    ])
    if (mine !== asked) return
    const pages = Math.max(1, Math.ceil(found.total / PAGE_SIZE))
    if (listPage > pages) {
      listPage = pages
      return reloadCandidates()
    }
    byId('cand-count').textContent = String(all)
    byId('cand-summary').replaceChildren(
      tx(T(`待审核 ${toReview} · 审核通过 ${approved} · 已缴费 ${paid}`, `To review ${toReview} · approved ${approved} · paid ${paid}`)),
    )
    const filtered = status !== undefined || q !== ''
    byId('cand-body').replaceChildren(
      ...(found.candidates.length > 0
        ? found.candidates.map(row)
        : [
            el(
              'tr',
              {},
              el('td', {
                class: 'empty',
                attrs: { colspan: '7' },
                text: filtered
                  ? T('没有符合条件的考生：换一个筛选条件或搜索词。', 'No candidate matches: try another filter or search.')
                  : ctx.desk && ctx.batch.status === 'announced'
                    ? T(
                        '还没有考生报名：在上方“现场报名”登记，或导入市平台导出的 CSV。',
                        "No candidates yet: register one at the desk above, or import the platform's CSV.",
                      )
                    : T('还没有考生报名。', 'No candidates yet.'),
              }),
            ),
          ]),
    )
    const first = found.total === 0 ? 0 : (listPage - 1) * PAGE_SIZE + 1
    const last = Math.min(found.total, listPage * PAGE_SIZE)
    byId('cand-page').replaceChildren(
      tx(T(`第 ${listPage} / ${pages} 页 · 第 ${first}–${last} 名，共 ${found.total} 名`, `Page ${listPage} of ${pages} · ${first}–${last} of ${found.total}`)),
    )
    byId<HTMLButtonElement>('cand-prev').disabled = listPage <= 1
    byId<HTMLButtonElement>('cand-next').disabled = listPage >= pages
    byId('cand-pager').hidden = found.total <= PAGE_SIZE && listPage === 1
  }
  const reloadShown = async () => {
    hideAlert(candAlert)
    try {
      await reloadCandidates()
    } catch (err) {
      showProblem(candAlert, err)
    }
  }
  const searchAgain = () => {
    listPage = 1
    void reloadShown()
  }
  statusSelect.addEventListener('change', searchAgain)
  byId('cand-search').addEventListener('click', searchAgain)
  searchBox.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') {
      ev.preventDefault()
      searchAgain()
    }
  })
  searchBox.addEventListener('search', searchAgain) // the clear (×) of a search box
  byId('cand-prev').addEventListener('click', () => {
    listPage = Math.max(1, listPage - 1)
    void reloadShown()
  })
  byId('cand-next').addEventListener('click', () => {
    listPage += 1
    void reloadShown()
  })
  function actionButton(label: Text, action: string, onClick: (b: HTMLButtonElement) => void, danger = false): HTMLButtonElement {
    const b = el('button', {
      class: `btn btn--small ${danger ? 'btn--danger-ghost' : 'btn--ghost'}`,
      attrs: { type: 'button', 'data-action': action },
      text: label,
    })
    b.addEventListener('click', () => onClick(b))
    return b
  }
  function row(c: Candidate): HTMLTableRowElement {
    const photo = c.hasPhoto
      ? el('img', { attrs: { src: url('GET /api/candidates/{id}/photo', { params: { id: c.id } }), alt: '', width: '36', height: '48' } }) // one page: 25 small photos
      : ctx.desk
        ? photoUpload(c)
        : el('span', {}, '—')
    const status = el('span', {
      class: `badge ${c.status === 'approved' ? 'badge--ok' : c.status === 'rejected' ? 'badge--refused' : 'badge--off'}`,
      text: CANDIDATE_STATUS[c.status],
    })
    const actions: HTMLElement[] = []
    if (!ctx.desk) return rowOf(c, photo, status, actions)
    const move = (action: 'approve' | 'reopen') => (b: HTMLButtonElement) =>
      run(b, () => api('POST /api/candidates/{id}/moves', { params: { id: c.id }, json: { action } }))
    if (c.status === 'registered') {
      actions.push(actionButton(T('通过', 'Approve'), 'approve', move('approve')))
      actions.push(actionButton(T('不通过', 'Reject'), 'reject', () => askReason(c, 'reject'), true))
    }
    if (c.status === 'approved' && !c.payment) actions.push(actionButton(T('登记缴费', 'Record fee'), 'pay', () => openPay(c)))
    if (c.status === 'registered' || c.status === 'approved')
      actions.push(actionButton(T('退出', 'Withdraw'), 'withdraw', () => askReason(c, 'withdraw'), true))
    if (c.status === 'rejected') actions.push(actionButton(T('重新审核', 'Reopen'), 'reopen', move('reopen')))
    actions.push(actionButton(T('完整信息', 'Full details'), 'person', () => void showPerson(c)))
    return rowOf(c, photo, status, actions)
  }
  function rowOf(c: Candidate, photo: HTMLElement, status: HTMLElement, actions: HTMLElement[]): HTMLTableRowElement {
    return el(
      'tr',
      { attrs: { 'data-candidate': c.id } },
      el('td', {}, photo),
      el(
        'td',
        { class: 'nowrap' },
        c.name ?? '—',
        c.details.sitting.kind === 'retake' ? el('span', { class: 'badge badge--role', text: T('补考', 'Retake') }) : null,
      ),
      el('td', { class: 'mono nowrap' }, c.residentId ?? '—'),
      el('td', {}, c.trainingUnit ?? '—'),
      el('td', {}, status, c.reviewReason ? el('div', { class: 'hint' }, c.reviewReason) : null),
      el('td', { class: 'nowrap' }, c.payment ? `${c.payment.invoiceNumber}（${(c.payment.amountCents / 100).toFixed(2)}）` : '—'),
      el('td', { class: 'no-print' }, el('div', { class: 'row-actions' }, ...actions)),
    )
  }
  function photoUpload(c: Candidate): HTMLElement {
    const input = el('input', { attrs: { type: 'file', accept: 'image/jpeg,image/png', 'aria-label': `上传照片 ${c.name ?? ''}` } })
    input.addEventListener('change', async () => {
      const f = input.files?.[0]
      if (!f) return
      hideAlert(candAlert)
      try {
        await api('PUT /api/candidates/{id}/photo', { params: { id: c.id }, json: { photoBase64: await fileBase64(f) } })
        await reloadCandidates()
      } catch (err) {
        showProblem(candAlert, err)
      }
    })
    return el('label', { class: 'link' }, tx(T('上传照片', 'Add photo')), input)
  }
  async function run(button: HTMLButtonElement, work: () => Promise<unknown>): Promise<void> {
    hideAlert(candAlert)
    try {
      await busy(button, work)
      await reloadCandidates()
    } catch (err) {
      showProblem(candAlert, err)
    }
  }

  // The candidate's own view: the whole ID and phone number, logged by the server (candidate.personal_data_viewed).
  const personDialog = byId<HTMLDialogElement>('person-dialog')
  async function showPerson(c: Candidate): Promise<void> {
    byId('person-name').textContent = c.name ?? ''
    byId('person-facts').replaceChildren()
    hideAlert(byId('person-alert'))
    personDialog.showModal()
    try {
      const full = await api('GET /api/candidates/{id}', { params: { id: c.id } })
      const fact = (label: Text, value: string | null) => [el('dt', { text: label }), el('dd', { class: 'mono' }, value ?? '—')]
      byId('person-facts').replaceChildren(
        ...fact(T('身份证号', 'ID number'), full.residentId),
        ...fact(T('出生日期', 'Date of birth'), full.birthDate ?? null),
        ...fact(T('联系电话', 'Phone'), full.phone),
      )
    } catch (err) {
      showProblem(byId('person-alert'), err)
    }
  }

  const reasonDialog = byId<HTMLDialogElement>('reason-dialog')
  const reasonForm = byId<HTMLFormElement>('reason-form')
  let reasonFor: { c: Candidate; action: 'reject' | 'withdraw' } | null = null
  function askReason(c: Candidate, action: 'reject' | 'withdraw'): void {
    reasonFor = { c, action }
    reasonForm.reset()
    hideAlert(byId('reason-alert'))
    byId('reason-title').replaceChildren(
      tx(action === 'reject' ? T(`审核不通过：${c.name ?? ''}`, `Reject: ${c.name ?? ''}`) : T(`退出认定：${c.name ?? ''}`, `Withdraw: ${c.name ?? ''}`)),
    )
    reasonDialog.showModal()
  }
  reasonForm.addEventListener('submit', async (ev) => {
    ev.preventDefault()
    if (!reasonFor) return
    const { c, action } = reasonFor
    try {
      await busy(byId<HTMLButtonElement>('reason-submit'), () =>
        api('POST /api/candidates/{id}/moves', { params: { id: c.id }, json: { action, ...reasonOf(byId<HTMLTextAreaElement>('reason-text').value.trim()) } }),
      )
      reasonDialog.close()
      await reloadCandidates()
    } catch (err) {
      showProblem(byId('reason-alert'), err)
    }
  })

  const payDialog = byId<HTMLDialogElement>('pay-dialog')
  const payForm = byId<HTMLFormElement>('pay-form')
  let payFor: Candidate | null = null
  function openPay(c: Candidate): void {
    payFor = c
    payForm.reset()
    hideAlert(byId('pay-alert'))
    byId('pay-name').textContent = c.name ?? ''
    byId<HTMLInputElement>('pay-amount').value = (ctx.batch.feeCents / 100).toFixed(2)
    byId<HTMLInputElement>('pay-date').value = today()
    payDialog.showModal()
  }
  payForm.addEventListener('submit', async (ev) => {
    ev.preventDefault()
    if (!payFor) return
    const c = payFor
    const amount = Math.round(Number(byId<HTMLInputElement>('pay-amount').value.trim()) * 100)
    try {
      await busy(byId<HTMLButtonElement>('pay-submit'), () =>
        api('POST /api/candidates/{id}/payment', {
          params: { id: c.id },
          json: {
            invoiceNumber: byId<HTMLInputElement>('pay-invoice').value.trim(),
            amountCents: amount,
            paidOn: byId<HTMLInputElement>('pay-date').value.trim(),
          },
        }),
      )
      payDialog.close()
      await reloadCandidates()
    } catch (err) {
      showProblem(byId('pay-alert'), err)
    }
  })
  for (const b of document.querySelectorAll<HTMLButtonElement>('[data-close]')) {
    b.addEventListener('click', () => (b.closest('dialog') as HTMLDialogElement | null)?.close())
  }
  ctx.reloadCandidates = reloadCandidates
  return {
    async load() {
      if (!candidatesOpen(ctx)) return
      try {
        await reloadCandidates()
      } catch (err) {
        showProblem(candAlert, err)
      }
    },
  }
}

// ---- registration: desk and CSV import (R3.1) -------------------------------------------------------
function registerCard(ctx: Ctx): Card {
  const deskForm = byId<HTMLFormElement>('desk-form')
  const photoInput = byId<HTMLInputElement>('r-photo')
  const preview = byId<HTMLImageElement>('r-photo-preview')
  photoInput.addEventListener('change', () => {
    const f = photoInput.files?.[0]
    if (preview.src) URL.revokeObjectURL(preview.src)
    preview.hidden = !f
    if (f) preview.src = URL.createObjectURL(f)
  })
  deskForm.addEventListener('submit', async (ev) => {
    ev.preventDefault()
    const box = byId('desk-alert')
    hideAlert(box)
    const d = new FormData(deskForm)
    const photo = photoInput.files?.[0]
    const kind = byId<HTMLSelectElement>('r-files-kind').value as Attachment['kind']
    const files = [...(byId<HTMLInputElement>('r-files').files ?? [])]
    try {
      const c = await busy(byId<HTMLButtonElement>('desk-submit'), async () =>
        api('POST /api/batches/{id}/candidates', {
          params: { id: batchId },
          json: {
            name: text(d.get('name')),
            residentId: text(d.get('residentId')),
            ...(text(d.get('phone')) && { phone: text(d.get('phone')) }),
            ...(text(d.get('education')) && { education: text(d.get('education')) }),
            ...(text(d.get('trainingUnit')) && { trainingUnit: text(d.get('trainingUnit')) }),
            ...(text(d.get('workYears')) && { workYears: text(d.get('workYears')) }),
            ...((text(d.get('certNumber')) || text(d.get('certLevel'))) && {
              earlierCertificate: { number: text(d.get('certNumber')) || undefined, level: text(d.get('certLevel')) || undefined },
            }),
            ...(photo && { photoBase64: await fileBase64(photo) }),
            attachments: await Promise.all(
              files.map(async (f) => ({ kind, filename: f.name, contentType: f.type as Attachment['contentType'], base64: await fileBase64(f) })),
            ),
          },
        }),
      )
      deskForm.reset()
      preview.hidden = true
      showAlert(box, 'ok', T(`已登记 ${c.name ?? ''}，待审核`, `Registered ${c.name ?? ''}; to be reviewed`))
      await ctx.reloadCandidates()
    } catch (err) {
      showProblem(box, err)
    }
  })

  const importForm = byId<HTMLFormElement>('import-form')
  importForm.addEventListener('submit', async (ev) => {
    ev.preventDefault()
    const box = byId('import-alert')
    hideAlert(box)
    byId('import-report').hidden = true
    const f = byId<HTMLInputElement>('i-file').files?.[0]
    if (!f) {
      showAlert(box, 'error', T('请选择 CSV 文件', 'Choose a CSV file'))
      return
    }
    try {
      const r = await busy(byId<HTMLButtonElement>('import-submit'), () =>
        api('POST /api/batches/{id}/candidates/import', { params: { id: batchId }, body: f, contentType: 'text/csv' }),
      )
      importForm.reset()
      showAlert(
        box,
        'ok',
        T(`已导入 ${r.imported} 名考生`, `Imported ${r.imported} candidates`),
        r.ignoredColumns.length > 0 ? T(`未使用的列：${r.ignoredColumns.join('、')}`, `Columns not used: ${r.ignoredColumns.join(', ')}`) : undefined,
      )
      await ctx.reloadCandidates()
    } catch (err) {
      showAlert(box, 'error', problemText(err))
      const errors = err instanceof ApiError && err.code === 'import.invalid' ? (err.details as { errors: ImportRowError[] }).errors : []
      if (errors.length > 0) {
        byId('import-errors').replaceChildren(
          ...errors.map((e) =>
            el(
              'tr',
              {},
              el('td', { class: 'mono' }, e.row === 0 ? '—' : String(e.row)),
              el('td', { class: 'nowrap' }, e.column || '—'),
              el('td', {}, tx(T(e.message, e.messageEn))),
              el('td', { class: 'mono' }, e.code),
            ),
          ),
        )
        byId('import-report').hidden = false
      }
    }
  })
  return {}
}
