// /rooms: one exam session's preparation. Everyone with a part sees the session's rooms they may see
// (scope: invigilators and examiners only their own), the seating of those rooms and their checklists;
// registrars also seat, attach rooms, assign staff and manage sites; administrators and supervisors read.
import { ApiError, type JsonOf, type OutputOf, api, url } from './_client.ts'
import { busy, byId, el, gridTable, hideAlert, problemText, showAlert, tx } from './_dom.ts'
import { T, type Text, applyLang } from './_i18n.ts'
import { DUTY, ISSUE, ITEM_STATE, ROOM_KIND } from './_registrar-ui.ts'
import { pageProblem, showWhenLoaded, startStaffPage } from './_shell.ts'
import { formatCst } from './_time.ts'

type PrepSession = OutputOf<'GET /api/preparation/sessions'>['sessions'][number]
type Site = OutputOf<'GET /api/sites'>['sites'][number]
type Room = OutputOf<'GET /api/sessions/{id}/rooms'>['rooms'][number]
type Assignment = OutputOf<'GET /api/sessions/{id}/staff'>['staff'][number]
type Duty = Assignment['duty']
type Inspection = OutputOf<'GET /api/sessions/{id}/rooms/{roomId}/inspection'>
type InspectionItem = Inspection['items'][number]

const page = await startStaffPage()
if (page) await main(page.user.roles)

/** What the cards share: what this person may do, the chosen session and its rooms. */
interface Ctx {
  /** A registrar: seats, attaches rooms, assigns staff, manages sites (administrators read; README roles). */
  manages: boolean
  /** A registrar or supervisor: sees readiness and staff. */
  oversees: boolean
  /** The rooms of the chosen session that this person may see. */
  rooms: Room[]
  sessionId(): string
  /** Reads the chosen session again and redraws every card. */
  show(): Promise<void>
}
/** A card drawn for one session. */
interface Card {
  show(id: string): Promise<void>
}

async function main(roles: readonly string[]): Promise<void> {
  let sessions: PrepSession[] = []
  if (
    !(await showWhenLoaded(async () => {
      sessions = (await api('GET /api/preparation/sessions')).sessions
    }))
  )
    return
  const select = sessionPicker(sessions)
  const manages = roles.includes('registrar') // administrators read; the registrar's writes are not theirs (README roles)
  const ctx: Ctx = { manages, oversees: manages || roles.includes('supervisor'), rooms: [], sessionId: () => select.value, show }
  const sites = sitesCard(ctx)
  const readiness = readinessCard(ctx)
  const cards: Card[] = [
    seatingCard(ctx),
    inspectionCard(ctx, readiness),
    ...(ctx.oversees ? [readiness, staffCard(ctx)] : []),
    ...(manages ? [attachCard(ctx, sites)] : []),
  ]

  async function show(): Promise<void> {
    const s = sessions.find((x) => x.id === select.value)
    if (!s) return
    history.replaceState(null, '', `?session=${encodeURIComponent(s.id)}`)
    showFacts(s)
    try {
      ctx.rooms = (await api('GET /api/sessions/{id}/rooms', { params: { id: s.id } })).rooms
    } catch (err) {
      pageProblem(problemText(err))
      return
    }
    await Promise.all(cards.map((c) => c.show(s.id)))
    applyLang()
  }
  select.addEventListener('change', () => void show())
  await show()
}

/** The session select, filled and set to the session in the address. */
function sessionPicker(sessions: PrepSession[]): HTMLSelectElement {
  const select = byId<HTMLSelectElement>('session')
  select.replaceChildren(
    ...sessions.map((s) =>
      el('option', { attrs: { value: s.id } }, `${formatCst(s.startsAt).slice(0, 16)} · ${s.batchTitle} · ${s.subjectName || s.subjectKind}`),
    ),
  )
  select.disabled = sessions.length === 0
  byId('no-sessions').hidden = sessions.length > 0
  const wanted = new URLSearchParams(location.search).get('session')
  if (wanted && sessions.some((s) => s.id === wanted)) select.value = wanted
  return select
}

function showFacts(s: PrepSession): void {
  // One <div> per term and its value: the facts grid lays out pairs, never loose dt/dd cells.
  const fact = (label: Text, ...value: Array<Node | string | null>) => el('div', {}, el('dt', { text: label }), el('dd', {}, ...value))
  byId('session-facts').replaceChildren(
    fact(T('认定批次', 'Batch'), s.batchTitle),
    fact(
      T('职业（工种）', 'Occupation'),
      s.occupationName,
      s.hazardous ? el('span', { class: 'badge badge--refused', text: T('危险作业', 'Hazardous') }) : null,
    ),
    fact(T('科目', 'Subject'), s.subjectName || s.subjectKind),
    fact(
      T('时间', 'Time'),
      `${formatCst(s.startsAt).slice(0, 16)} – ${formatCst(s.endsAt).slice(11, 16)}`,
      el('span', { class: 'muted' }, tx(T('（北京时间）', ' (Beijing time)'))),
    ),
    fact(
      T('我的职责', 'My duties'),
      ...(s.duties ? s.duties.map((d) => tx(DUTY[d.duty as Duty] ?? T(d.duty, d.duty), 'badge badge--role')) : [tx(T('全部考场', 'All rooms'))]),
    ),
  )
}

// ---------- seating ----------
function seatingCard(ctx: Ctx): Card {
  async function show(id: string): Promise<void> {
    const plan = await api('GET /api/sessions/{id}/seating', { params: { id } })
    byId('plan-count').textContent = String(plan.rooms.reduce((n, r) => n + r.seats.length, 0))
    const run = byId('plan-run')
    run.replaceChildren(
      plan.run
        ? tx(
            T(
              `最近一次编排：${formatCst(plan.run.createdAt)}，编排码 ${plan.run.seed}（用同一编排码可复核结果）`,
              `Last seated ${formatCst(plan.run.createdAt)}, seating code ${plan.run.seed} (the same code reproduces it)`,
            ),
          )
        : tx(
            T(
              ctx.rooms.length === 0 ? '尚未编排座位：先在下方添加考场，再编排座位。' : '尚未编排座位：点击“编排座位”。',
              ctx.rooms.length === 0 ? 'Not seated yet: add rooms below first, then seat the candidates.' : 'Not seated yet: press “Seat the candidates”.',
            ),
          ),
    )
    const ticketed = (r: (typeof plan.rooms)[number]) => r.seats.filter((x) => x.ticketNumber !== null).length
    byId('plan').replaceChildren(
      ...plan.rooms.map((r) =>
        el(
          'details',
          { class: 'card' },
          el(
            'summary',
            {},
            `${r.room.name} · `,
            tx(ROOM_KIND[r.room.kind]),
            ` · ${r.seats.length}/${r.room.capacity}`,
            r.nonstandard ? el('span', { class: 'badge badge--off', text: T('非标准考场', 'Non-standard') }) : null,
            ctx.manages && ticketed(r) > 0
              ? el('a', {
                  class: 'btn btn--ghost btn--small no-print',
                  attrs: {
                    href: url('GET /api/sessions/{id}/rooms/{roomId}/tickets/print', { params: { id, roomId: r.room.id } }),
                    target: '_blank',
                    rel: 'noopener',
                    'data-room-print': r.room.id,
                  },
                  text: T(`打印本考场准考证（${ticketed(r)} 张）`, `Print this room's tickets (${ticketed(r)})`),
                })
              : null,
          ),
          gridTable(
            [T('座位号', 'Seat'), T('姓名', 'Name'), T('准考证号', 'Ticket')],
            r.seats.map((seat) =>
              el('tr', {}, el('td', {}, String(seat.seat)), el('td', {}, seat.name ?? '—'), el('td', { class: 'mono' }, seat.ticketNumber ?? '—')),
            ),
          ),
        ),
      ),
    )
  }

  const seatForm = byId<HTMLFormElement>('seat-form')
  seatForm.hidden = !ctx.manages
  seatForm.addEventListener('submit', async (ev) => {
    ev.preventDefault()
    const box = byId('seat-alert')
    hideAlert(box)
    const seed = byId<HTMLInputElement>('seat-seed').value.trim()
    try {
      const r = await busy(byId<HTMLButtonElement>('seat-submit'), () =>
        api('POST /api/sessions/{id}/seating', {
          params: { id: ctx.sessionId() },
          json: { ...(seed ? { seed } : {}), keepTicketed: byId<HTMLInputElement>('seat-keep').checked },
        }),
      )
      showAlert(
        box,
        'ok',
        T(
          `已编排 ${r.candidates} 名考生（${r.moved} 人座位变动），编排码 ${r.seed}`,
          `Seated ${r.candidates} candidates (${r.moved} moved), seating code ${r.seed}`,
        ),
        r.ticketsRevoked.length > 0
          ? T(
              `${r.ticketsRevoked.length} 张准考证因座位变动已作废，请重新发放`,
              `${r.ticketsRevoked.length} tickets were revoked because seats moved; issue them again`,
            )
          : undefined,
      )
      await ctx.show()
    } catch (err) {
      showAlert(box, 'error', problemText(err))
    }
  })
  return { show }
}

function attachCard(ctx: Ctx, sitesCard: { show(sites: Site[]): void }): Card {
  async function show(id: string): Promise<void> {
    const form = byId<HTMLFormElement>('attach-form')
    const sites: Site[] = (await api('GET /api/sites')).sites
    const attached = new Set(ctx.rooms.map((r) => r.id))
    const free = sites.flatMap((site) => site.rooms.filter((r) => !attached.has(r.id)).map((r) => ({ site, r })))
    byId<HTMLSelectElement>('attach-room').replaceChildren(
      ...free.map(({ site, r }) => el('option', { attrs: { value: r.id } }, `${site.name} · ${r.name}（${r.capacity}）`)),
    )
    form.hidden = free.length === 0
    const none = byId('attach-none')
    none.hidden = free.length > 0
    if (free.length === 0)
      none.replaceChildren(
        tx(
          T(
            '没有可添加的考场：先在下方“考点与考场”新建考点和考场，再回到这里添加。',
            'No room to add: create a site and rooms under “Sites and rooms” below, then add them here.',
          ),
        ),
      )
    form.onsubmit = async (ev) => {
      ev.preventDefault()
      const box = byId('attach-alert')
      hideAlert(box)
      try {
        await busy(byId<HTMLButtonElement>('attach-submit'), () =>
          api('PUT /api/sessions/{id}/rooms/{roomId}', { params: { id, roomId: byId<HTMLSelectElement>('attach-room').value } }),
        )
        await ctx.show()
      } catch (err) {
        showAlert(box, 'error', problemText(err))
      }
    }
    sitesCard.show(sites)
  }
  return { show }
}

// ---------- readiness ----------
function readinessCard(ctx: Ctx): Card {
  async function show(id: string): Promise<void> {
    const card = byId('readiness-card')
    try {
      const r = await api('GET /api/sessions/{id}/readiness', { params: { id } })
      const roomName = (roomId?: string) => ctx.rooms.find((x) => x.id === roomId)?.name ?? ''
      card.hidden = false
      const head = r.ready
        ? el('p', { class: 'verdict verdict--ok', text: T('可以开考：座位、人员与考前检查均已就绪', 'Ready: seated, staffed and inspected') })
        : el('p', { class: 'verdict verdict--bad', text: T('尚未就绪', 'Not ready yet') })
      byId('readiness').replaceChildren(
        head,
        el(
          'ul',
          {},
          ...r.issues.map((i) => {
            const label: Text = ISSUE[i.code] ?? T(i.code, i.code)
            const extra = typeof i.roomId === 'string' && i.roomId ? ` · ${roomName(i.roomId)}` : ''
            const n = i.count !== undefined ? ` (${i.count}${i.needed !== undefined ? `/${i.needed}` : ''})` : ''
            return el('li', { class: i.severity === 'blocker' ? '' : 'muted' }, tx(label), `${extra}${n}`)
          }),
        ),
      )
    } catch (err) {
      if (err instanceof ApiError && err.status === 403) card.hidden = true
      else throw err
    }
  }
  return { show }
}

// ---------- staff ----------
function staffCard(ctx: Ctx): Card {
  async function show(id: string): Promise<void> {
    const card = byId('staff-card')
    card.hidden = false
    const staff: Assignment[] = (await api('GET /api/sessions/{id}/staff', { params: { id } })).staff
    const roomName = (roomId: string | null) => (roomId ? (ctx.rooms.find((r) => r.id === roomId)?.name ?? roomId) : T('全场次', 'Whole session'))
    byId('staff-body').replaceChildren(
      ...(staff.length
        ? staff.map((a) => {
            const remove = el('button', { class: 'btn btn--small btn--danger-ghost', attrs: { type: 'button' }, text: T('移除', 'Remove') })
            remove.hidden = !ctx.manages
            remove.addEventListener('click', async () => {
              try {
                await busy(remove, () => api('DELETE /api/sessions/{id}/staff/{assignmentId}', { params: { id, assignmentId: a.id } }))
                await ctx.show()
              } catch (err) {
                showAlert(byId('assign-alert'), 'error', problemText(err))
              }
            })
            const room = roomName(a.roomId)
            return el(
              'tr',
              {},
              el('td', {}, a.displayName ?? a.username ?? '—', a.displayName && a.username ? el('span', { class: 'muted' }, `（${a.username}）`) : null),
              el('td', { text: DUTY[a.duty] }),
              typeof room === 'string' ? el('td', {}, room) : el('td', { text: room }),
              el('td', { class: 'no-print' }, remove),
            )
          })
        : [el('tr', {}, el('td', { class: 'empty', attrs: { colspan: '4' }, text: T('尚未分配工作人员', 'No staff assigned') }))]),
    )
    if (!ctx.manages) return
    const form = byId<HTMLFormElement>('assign-form')
    form.hidden = false
    byId<HTMLAnchorElement>('badges-link').href = url('GET /api/sessions/{id}/badges/print', { params: { id } })
    const people = (await api('GET /api/staff/people')).people
    byId<HTMLSelectElement>('assign-user').replaceChildren(...people.map((p) => el('option', { attrs: { value: p.id } }, `${p.displayName}（${p.username}）`)))
    byId<HTMLSelectElement>('assign-duty').replaceChildren(...(Object.keys(DUTY) as Duty[]).map((d) => el('option', { attrs: { value: d }, text: DUTY[d] })))
    byId<HTMLSelectElement>('assign-room').replaceChildren(
      el('option', { attrs: { value: '' }, text: T('全场次', 'Whole session') }),
      ...ctx.rooms.map((r) => el('option', { attrs: { value: r.id } }, r.name)),
    )
    form.onsubmit = async (ev) => {
      ev.preventDefault()
      const box = byId('assign-alert')
      hideAlert(box)
      const roomId = byId<HTMLSelectElement>('assign-room').value
      try {
        await busy(byId<HTMLButtonElement>('assign-submit'), () =>
          api('POST /api/sessions/{id}/staff', {
            params: { id },
            json: { userId: byId<HTMLSelectElement>('assign-user').value, duty: byId<HTMLSelectElement>('assign-duty').value as Duty, roomId: roomId || null },
          }),
        )
        await ctx.show()
      } catch (err) {
        showAlert(box, 'error', problemText(err))
      }
    }
  }
  return { show }
}

// ---------- inspection ----------
function inspectionCard(ctx: Ctx, readiness: Card): Card {
  let inspectionRoom = ''
  const inspSelect = byId<HTMLSelectElement>('insp-room')
  async function showInspectionRooms(id: string): Promise<void> {
    inspSelect.replaceChildren(...ctx.rooms.map((r) => el('option', { attrs: { value: r.id } }, r.name)))
    if (ctx.rooms.some((r) => r.id === inspectionRoom)) inspSelect.value = inspectionRoom
    await showInspection(id)
  }
  inspSelect.addEventListener('change', () => void showInspection(ctx.sessionId()))

  async function showInspection(id: string): Promise<void> {
    inspectionRoom = inspSelect.value
    const body = byId('insp-body')
    if (!inspectionRoom) {
      body.replaceChildren()
      return
    }
    const insp: Inspection = await api('GET /api/sessions/{id}/rooms/{roomId}/inspection', { params: { id, roomId: inspectionRoom } })
    body.replaceChildren(
      ...insp.items.map((item) =>
        el(
          'tr',
          {},
          el('td', {}, tx(T(item.zh, item.en)), tx(T(`（依据 ${item.rule}）`, ` (${item.rule})`), 'muted hint')),
          el(
            'td',
            {},
            el('span', {
              class: `badge ${item.state === 'defect' ? 'badge--refused' : item.state === 'pending' ? 'badge--off' : 'badge--ok'}`,
              text: ITEM_STATE[item.state],
            }),
          ),
          el('td', {}, [item.defect, item.rectification && `→ ${item.rectification}`, item.rectifiedBy && `（${item.rectifiedBy}）`].filter(Boolean).join(' ')),
          el('td', { class: 'no-print' }, el('div', { class: 'row-actions' }, ...actionsFor(id, item))),
        ),
      ),
    )
    applyLang(body)
  }

  function actionsFor(id: string, item: InspectionItem): HTMLButtonElement[] {
    const button = (label: Text, state: 'ok' | 'defect' | 'rectified') => {
      const b = el('button', { class: 'btn btn--small btn--ghost', attrs: { type: 'button' }, text: label })
      b.addEventListener('click', () => (state === 'ok' ? void record(id, item, { state }, b) : openItemDialog(id, item, state)))
      return b
    }
    if (item.state === 'defect') return [button(T('整改完成', 'Rectified'), 'rectified')]
    return [...(item.state === 'pending' ? [button(T('合格', 'OK'), 'ok')] : []), button(T('有问题', 'Defect'), 'defect')]
  }

  async function record(
    id: string,
    item: InspectionItem,
    body: JsonOf<'PUT /api/sessions/{id}/rooms/{roomId}/inspection/{item}'>,
    button: HTMLButtonElement,
  ): Promise<boolean> {
    const box = byId('insp-alert')
    hideAlert(box)
    try {
      await busy(button, () =>
        api('PUT /api/sessions/{id}/rooms/{roomId}/inspection/{item}', { params: { id, roomId: inspectionRoom, item: item.item }, json: body }),
      )
      await showInspection(id)
      if (ctx.oversees) await readiness.show(id)
      return true
    } catch (err) {
      showAlert(box, 'error', problemText(err))
      return false
    }
  }

  const dialog = byId<HTMLDialogElement>('item-dialog')
  dialog.querySelector('[data-close]')!.addEventListener('click', () => dialog.close())
  function openItemDialog(id: string, item: InspectionItem, state: 'defect' | 'rectified'): void {
    byId('item-title').replaceChildren(tx(T(item.zh, item.en)))
    byId('item-defect-field').hidden = state !== 'defect'
    byId('item-rect-field').hidden = state !== 'rectified'
    byId('item-by-field').hidden = state !== 'rectified'
    for (const f of ['item-defect', 'item-rect', 'item-by']) byId<HTMLInputElement>(f).value = ''
    hideAlert(byId('item-alert'))
    byId<HTMLFormElement>('item-form').onsubmit = async (ev) => {
      ev.preventDefault()
      const body =
        state === 'defect'
          ? { state, defect: byId<HTMLTextAreaElement>('item-defect').value }
          : { state, rectification: byId<HTMLTextAreaElement>('item-rect').value, rectifiedBy: byId<HTMLInputElement>('item-by').value }
      try {
        await busy(byId<HTMLButtonElement>('item-submit'), () =>
          api('PUT /api/sessions/{id}/rooms/{roomId}/inspection/{item}', { params: { id, roomId: inspectionRoom, item: item.item }, json: body }),
        )
        dialog.close()
        await showInspection(id)
        if (ctx.oversees) await readiness.show(id)
      } catch (err) {
        showAlert(byId('item-alert'), 'error', problemText(err))
      }
    }
    dialog.showModal()
  }
  return { show: showInspectionRooms }
}

// ---------- sites ----------
function sitesCard(ctx: Ctx): { show(sites: Site[]): void } {
  function show(sites: Site[]): void {
    byId('sites-card').hidden = false
    byId('sites').replaceChildren(
      ...sites.map((site) =>
        el(
          'div',
          {},
          el('h3', {}, `${site.name}`, el('span', { class: 'muted' }, ` ${site.address}`)),
          el(
            'ul',
            {},
            ...site.rooms.map((r) =>
              el(
                'li',
                {},
                `${r.name} · `,
                tx(ROOM_KIND[r.kind]),
                ` · ${r.capacity}`,
                r.hazardous ? el('span', { class: 'badge badge--refused', text: T('危险', 'Hazard') }) : null,
              ),
            ),
          ),
        ),
      ),
    )
    byId<HTMLSelectElement>('room-site').replaceChildren(...sites.map((site) => el('option', { attrs: { value: site.id } }, site.name)))
  }

  if (ctx.manages) {
    byId<HTMLFormElement>('site-form').addEventListener('submit', async (ev) => {
      ev.preventDefault()
      const box = byId('site-alert')
      hideAlert(box)
      try {
        await busy(byId<HTMLButtonElement>('site-submit'), () =>
          api('POST /api/sites', { json: { name: byId<HTMLInputElement>('site-name').value, address: byId<HTMLInputElement>('site-address').value } }),
        )
        await ctx.show()
      } catch (err) {
        showAlert(box, 'error', problemText(err))
      }
    })
    byId<HTMLFormElement>('room-form').addEventListener('submit', async (ev) => {
      ev.preventDefault()
      const box = byId('room-alert')
      hideAlert(box)
      const equipment = byId<HTMLTextAreaElement>('room-equipment')
        .value.split('\n')
        .map((x) => x.trim())
        .filter(Boolean)
      try {
        await busy(byId<HTMLButtonElement>('room-submit'), () =>
          api('POST /api/sites/{id}/rooms', {
            params: { id: byId<HTMLSelectElement>('room-site').value },
            json: {
              name: byId<HTMLInputElement>('room-name').value,
              kind: byId<HTMLSelectElement>('room-kind').value as Room['kind'],
              capacity: Number(byId<HTMLInputElement>('room-capacity').value),
              layout: byId<HTMLInputElement>('room-layout').value,
              equipment,
              hazardous: byId<HTMLInputElement>('room-hazardous').checked,
            },
          }),
        )
        showAlert(box, 'ok', T('考场已创建', 'Room created'))
        await ctx.show()
      } catch (err) {
        showAlert(box, 'error', problemText(err))
      }
    })
  }
  return { show }
}
