// /tickets: a session's admission tickets — issue them to the seated candidates, print them (one A4 page
// each), revoke one with a reason, and check a scanned QR text as a door would. Supervisors read only.
import { busy, byId, el, hideAlert, problemText, showAlert, tx } from './_dom.ts'
import { T, applyLang } from './_i18n.ts'
import { type OutputOf, api, url } from './_client.ts'
import { pageProblem, showWhenLoaded, startStaffPage } from './_shell.ts'
import { formatCst } from './_time.ts'

type PrepSession = OutputOf<'GET /api/preparation/sessions'>['sessions'][number]
type Ticket = OutputOf<'GET /api/sessions/{id}/tickets'>['tickets'][number]
type Room = OutputOf<'GET /api/sessions/{id}/rooms'>['rooms'][number]

const CHECK: Record<string, ReturnType<typeof T>> = {
  ok: T('有效：签名正确，未作废', 'Valid: signature good, not revoked'),
  'ticket.malformed': T('不是本系统的准考证二维码', 'Not a ticket QR code of this system'),
  'ticket.bad_signature': T('签名无效：二维码被篡改或伪造', 'Bad signature: the code was altered or forged'),
  'ticket.unsupported_version': T('不支持的二维码版本', 'Unsupported code version'),
  'ticket.not_found': T('签名有效，但本系统没有这张准考证', 'Signed, but no such ticket here'),
  'ticket.revoked': T('该准考证已作废', 'This ticket is revoked'),
  'ticket.identity_mismatch': T('姓名或身份证号与准考证不符', 'Name or ID number does not match the ticket'),
}

const page = await startStaffPage()
if (page) await main(page.user.roles)

async function main(roles: readonly string[]): Promise<void> {
  const manages = roles.includes('registrar') // administrators read; the registrar's writes are not theirs (README roles)
  let sessions: PrepSession[] = []
  const loaded = await showWhenLoaded(async () => {
    sessions = (await api('GET /api/preparation/sessions')).sessions
    const key = await api('GET /api/tickets/key')
    byId('key-facts').replaceChildren(
      el('dt', { text: T('算法', 'Algorithm') }),
      el('dd', {}, key.algorithm),
      el('dt', { text: T('密钥编号', 'Key id') }),
      el('dd', { class: 'mono' }, key.keyId),
      el('dt', { text: T('公钥（base64）', 'Public key (base64)') }),
      el('dd', { class: 'mono hash' }, key.publicKey),
      el('dt', { text: T('核验密钥（供离线核验程序使用）', 'Verifier key (for offline checking tools)') }),
      el('dd', { class: 'mono hash' }, key.vkey),
    )
  })
  if (!loaded) return

  const select = byId<HTMLSelectElement>('session')
  select.replaceChildren(
    ...sessions.map((s) =>
      el('option', { attrs: { value: s.id } }, `${formatCst(s.startsAt).slice(0, 16)} · ${s.batchTitle} · ${s.subjectName || s.subjectKind}`),
    ),
  )
  if (sessions.length === 0) {
    // Empty state: say where sessions come from.
    select.disabled = true
    const box = byId('no-sessions')
    box.replaceChildren(
      el(
        'p',
        { class: 'empty' },
        tx(T('还没有考试场次。场次在认定批次报备后生成：', 'No exam sessions yet. Sessions are created when a batch is filed: ')),
        el('a', { attrs: { href: '/registrar' }, text: T('前往认定批次', 'go to the batches') }),
      ),
    )
    box.hidden = false
  }
  const wanted = new URLSearchParams(location.search).get('session')
  if (wanted && sessions.some((s) => s.id === wanted)) select.value = wanted
  const issueButton = byId<HTMLButtonElement>('issue')
  const printAll = byId<HTMLAnchorElement>('print-all')
  issueButton.hidden = !manages
  printAll.hidden = !manages

  let tickets: Ticket[] = []
  let rooms: Room[] = []

  async function show(): Promise<void> {
    const id = select.value
    if (!id) {
      draw()
      return
    }
    history.replaceState(null, '', `?session=${encodeURIComponent(id)}`)
    printAll.href = url('GET /api/sessions/{id}/tickets/print', { params: { id } })
    try {
      ;[tickets, rooms] = await Promise.all([
        api('GET /api/sessions/{id}/tickets', { params: { id } }).then((r) => r.tickets),
        api('GET /api/sessions/{id}/rooms', { params: { id } }).then((r) => r.rooms),
      ])
    } catch (err) {
      pageProblem(problemText(err))
      return
    }
    drawPrints(id)
    draw()
  }

  /** Print buttons for what can be printed: the session, and each room that has live tickets. */
  function drawPrints(id: string): void {
    const live = tickets.filter((t) => !t.revokedAt)
    printAll.hidden = !manages || live.length === 0
    issueButton.disabled = rooms.length === 0
    const box = byId('room-prints')
    const perRoom = rooms.map((r) => ({ room: r, n: live.filter((t) => t.roomId === r.id).length })).filter((x) => x.n > 0)
    box.replaceChildren(
      ...(perRoom.length > 0
        ? [
            tx(T('按考场打印：', 'Print per room: '), 'muted'),
            ...perRoom.map(({ room, n }) =>
              el('a', {
                class: 'btn btn--ghost btn--small',
                attrs: {
                  href: url('GET /api/sessions/{id}/rooms/{roomId}/tickets/print', { params: { id, roomId: room.id } }),
                  target: '_blank',
                  rel: 'noopener',
                  'data-room': room.id,
                },
                text: T(`${room.name}（${n} 张）`, `${room.name} (${n})`),
              }),
            ),
          ]
        : []),
    )
    box.hidden = !manages || perRoom.length === 0
    const hint = byId('issue-hint')
    hint.replaceChildren(
      ...(manages && rooms.length === 0
        ? [
            tx(
              T(
                '本场次还没有考场：先在“考场与座位”页安排考场并编排座位，再发放准考证。',
                'This session has no rooms yet: attach rooms and seat the candidates on the Rooms page first, then issue tickets.',
              ),
            ),
            ' ',
            el('a', { attrs: { href: `/rooms?session=${encodeURIComponent(id)}` }, text: T('前往考场与座位', 'Go to rooms') }),
          ]
        : []),
    )
    hint.hidden = hint.childElementCount === 0
  }

  function draw(): void {
    const q = byId<HTMLInputElement>('filter').value.trim()
    const shown = tickets.filter((t) => !q || t.number.includes(q) || (t.name ?? '').includes(q))
    byId('ticket-count').textContent = `${tickets.filter((t) => !t.revokedAt).length} / ${tickets.length}`
    const roomName = (id: string) => rooms.find((r) => r.id === id)?.name ?? id
    byId('tickets-body').replaceChildren(
      ...(shown.length
        ? shown.map((t) => {
            const actions = el('div', { class: 'row-actions' })
            if (manages && !t.revokedAt) {
              actions.append(
                el('a', {
                  class: 'btn btn--small btn--ghost',
                  attrs: { href: url('GET /api/tickets/{number}/print', { params: { number: t.number } }), target: '_blank', rel: 'noopener' },
                  text: T('打印', 'Print'),
                }),
              )
              const revoke = el('button', { class: 'btn btn--small btn--danger-ghost', attrs: { type: 'button' }, text: T('作废', 'Revoke') })
              revoke.addEventListener('click', () => openRevoke(t))
              actions.append(revoke)
            }
            return el(
              'tr',
              { class: t.revokedAt ? 'row--off' : '' },
              el('td', { class: 'mono nowrap' }, t.number),
              el('td', {}, t.name ?? '—'),
              el('td', {}, roomName(t.roomId)),
              el('td', {}, String(t.seat)),
              el('td', { class: 'nowrap' }, formatCst(t.issuedAt)),
              el(
                'td',
                {},
                t.revokedAt
                  ? el('span', { class: 'badge badge--refused', attrs: { title: t.revokeReason ?? '' }, text: T('已作废', 'Revoked') })
                  : el('span', { class: 'badge badge--ok', text: T('有效', 'Live') }),
              ),
              el('td', { class: 'no-print' }, actions),
            )
          })
        : [
            el(
              'tr',
              {},
              el('td', {
                class: 'empty',
                attrs: { colspan: '7' },
                text:
                  q && tickets.length > 0
                    ? T('没有符合筛选条件的准考证', 'No ticket matches the filter')
                    : T(
                        '本场次尚未发放准考证：考生审核通过、缴费并编排座位后，点击上方“发放准考证”。',
                        'No tickets for this session yet: once candidates are approved, paid and seated, press “Issue tickets” above.',
                      ),
              }),
            ),
          ]),
    )
    applyLang(byId('tickets-body'))
  }
  byId('filter').addEventListener('input', draw)

  issueButton.addEventListener('click', async () => {
    const box = byId('issue-alert')
    hideAlert(box)
    try {
      const r = await busy(issueButton, () => api('POST /api/sessions/{id}/tickets', { params: { id: select.value }, json: {} }))
      showAlert(
        box,
        'ok',
        T(`已发放 ${r.issued.length} 张准考证`, `Issued ${r.issued.length} tickets`),
        r.skipped.length
          ? T(
              `${r.skipped.length} 名已编排座位的考生不符合发证条件（未缴费或未通过审核），请核查后重新编排`,
              `${r.skipped.length} seated candidates may not have a ticket (unpaid or not approved); check and re-seat`,
            )
          : undefined,
      )
      await show()
    } catch (err) {
      showAlert(box, 'error', problemText(err))
    }
  })

  const dialog = byId<HTMLDialogElement>('revoke-dialog')
  dialog.querySelector('[data-close]')!.addEventListener('click', () => dialog.close())
  function openRevoke(t: Ticket): void {
    byId('revoke-number').textContent = t.number
    byId<HTMLInputElement>('revoke-reason').value = ''
    hideAlert(byId('revoke-alert'))
    byId<HTMLFormElement>('revoke-form').onsubmit = async (ev) => {
      ev.preventDefault()
      try {
        await busy(byId<HTMLButtonElement>('revoke-submit'), () =>
          api('POST /api/tickets/{number}/revoke', { params: { number: t.number }, json: { reason: byId<HTMLInputElement>('revoke-reason').value } }),
        )
        dialog.close()
        await show()
      } catch (err) {
        showAlert(byId('revoke-alert'), 'error', problemText(err))
      }
    }
    dialog.showModal()
  }

  byId<HTMLFormElement>('check-form').addEventListener('submit', async (ev) => {
    ev.preventDefault()
    const box = byId('check-result')
    hideAlert(box)
    const name = byId<HTMLInputElement>('check-name').value.trim()
    const residentId = byId<HTMLInputElement>('check-id').value.trim()
    try {
      const r = await busy(byId<HTMLButtonElement>('check-submit'), () =>
        api('POST /api/tickets/check', {
          json: { text: byId<HTMLTextAreaElement>('check-text').value.trim(), ...(name && residentId ? { name, residentId } : {}) },
        }),
      )
      const verdict = CHECK[r.code] ?? T(r.code, r.code)
      const where = r.ticket ? T(`准考证号 ${r.ticket.number}，座位 ${r.ticket.seat}`, `Ticket ${r.ticket.number}, seat ${r.ticket.seat}`) : undefined
      showAlert(box, r.code === 'ok' ? 'ok' : 'error', verdict, where)
      box.prepend(tx(r.code === 'ok' ? T('✓ ', '✓ ') : T('✗ ', '✗ ')))
    } catch (err) {
      showAlert(box, 'error', problemText(err))
    }
  })

  select.addEventListener('change', () => void show())
  await show()
}
