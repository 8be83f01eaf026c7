// /custody: the custody console. Anyone who carries packets scans one (a handheld scanner typing into the
// field, or the camera) to reach its page, and confirms the handovers waiting for them with the seal number
// they see (R5.3). Custodians also pick an exam session to see and create its papers (R5.1, R5.2);
// invigilators see the packets of their rooms. The server decides every rule; this page shows its answers.
import type { Role } from '../../server/domain/accounts/index.ts'
import { ApiError, type OutputOf, type SessionUser, api } from './_client.ts'
import { busy, byId, el, hideAlert, problemText, showAlert, tx } from './_dom.ts'
import { T, setText } from './_i18n.ts'
import type { PaperKind } from '../../server/domain/custody/index.ts'
import {
  CONDITIONS,
  MOVES,
  PACKET_STATES,
  PAPER_KINDS,
  PAPER_STATES,
  People,
  copyRange,
  packetLabel,
  packetPage,
  paperPage,
  roomName,
  sealNode,
  stateBadge,
  when,
} from './_custody-ui.ts'
import { type CameraScan, packetIdFrom, startCamera, watchScanField } from './_scanner.ts'
import { pageProblem, showWhenLoaded, startStaffPage } from './_shell.ts'
import { formatCst } from './_time.ts'

type Handover = OutputOf<'GET /api/handovers'>['handovers'][number]
type Packet = OutputOf<'GET /api/packets'>['packets'][number]

/** Roles that may list exam sessions (GET /api/preparation/sessions); asking with another role is a 403. */
const SESSION_READERS: readonly Role[] = ['registrar', 'admin', 'supervisor', 'invigilator', 'examiner', 'custodian']
const PAPER_ROLES: readonly Role[] = ['custodian', 'supervisor', 'admin']

const page = await startStaffPage()
if (page) await main(page.user)

/** What the cards share: who is looking, the names learnt so far, and the chosen session. */
interface Ctx {
  user: SessionUser
  has(roles: readonly Role[]): boolean
  people: People
  /** The session whose papers and packets are shown ('' before one is chosen). */
  sessionId: string
  loadPackets(): Promise<void>
}

async function main(user: SessionUser): Promise<void> {
  const ctx: Ctx = {
    user,
    has: (roles) => user.roles.some((r) => roles.includes(r)),
    people: new People(user.id, user.displayName, user.username),
    sessionId: new URLSearchParams(location.search).get('session') ?? '',
    loadPackets: () => packets.load(),
  }
  const scan = scanCard()
  const handovers = handoversCard(ctx)
  const papers = await papersCard(ctx)
  const packets = packetsCard(ctx)
  try {
    await handovers.load()
  } catch (err) {
    if (!(err instanceof ApiError)) throw err
    if (err.status === 401) {
      pageProblem(problemText(err))
      return
    }
    handovers.problem(err)
  }
  byId('session-card').hidden = !ctx.has(PAPER_ROLES)
  byId('archive-card').hidden = !ctx.has(PAPER_ROLES) // the roles that may read the due list (GET /api/disposals/due)
  if (!(await showWhenLoaded(() => Promise.all([papers.load(), packets.load()])))) return
  scan.focus() // ready for the handheld scanner
}

// ---- scanning: a handheld scanner types into the field and sends Enter; the camera reads the QR ----------
function scanCard(): { focus(): void } {
  const scanInput = byId<HTMLInputElement>('scan-input')
  const scanAlert = byId('scan-alert')
  function go(text: string): void {
    const id = packetIdFrom(text)
    if (!id) {
      showAlert(scanAlert, 'error', T(`无法识别的试卷袋编码：${text.trim().slice(0, 60)}`, `Not a packet code: ${text.trim().slice(0, 60)}`))
      return
    }
    location.assign(packetPage(id))
  }
  watchScanField(scanInput, go)
  byId<HTMLFormElement>('scan-form').addEventListener('submit', (ev) => {
    ev.preventDefault()
    hideAlert(scanAlert)
    if (scanInput.value.trim() !== '') go(scanInput.value)
  })
  let camera: CameraScan | null = null
  const cameraArea = byId('camera-area')
  const stopCamera = async () => {
    const c = camera
    camera = null
    cameraArea.hidden = true
    await c?.stop().catch(() => {})
  }
  byId<HTMLButtonElement>('camera-start').addEventListener('click', async (ev) => {
    hideAlert(scanAlert)
    cameraArea.hidden = false
    try {
      camera = await busy(ev.currentTarget as HTMLButtonElement, () =>
        startCamera('camera-view', (text) => {
          void stopCamera()
          go(text)
        }),
      )
    } catch (err) {
      cameraArea.hidden = true
      // html5-qrcode rejects with a plain string; no camera is an ordinary case on a desk computer
      const why = err instanceof Error ? err.message : String(err)
      showAlert(
        scanAlert,
        'error',
        T('无法使用摄像头，请改用扫码枪或手动输入编号', 'The camera cannot be used; use a handheld scanner or type the number'),
        T(why, why),
      )
    }
  })
  byId('camera-stop').addEventListener('click', () => void stopCamera())
  addEventListener('pagehide', () => void stopCamera())
  return { focus: () => scanInput.focus() }
}

// ---- handovers waiting for me (R5.3: the receiver confirms on their own login) -----------------------------
function handoversCard(ctx: Ctx): { load(): Promise<void>; problem(err: unknown): void } {
  const handoverAlert = byId('handovers-alert')
  async function loadHandovers(): Promise<void> {
    const { handovers, offered = [], people: names, packets = {}, rooms = {} } = await api('GET /api/handovers', { query: { mine: '1' } })
    ctx.people.learn(names)
    for (const [id, name] of Object.entries(rooms)) handoverRooms.set(id, name)
    for (const [id, p] of Object.entries(packets)) handoverPackets.set(id, p)
    const waiting = handovers.filter((h) => h.receiver === ctx.user.id)
    const mine = offered.filter((h) => h.giver === ctx.user.id)
    byId('handover-count').textContent = String(waiting.length)
    byId('handovers-body').replaceChildren(
      ...(waiting.length + mine.length > 0
        ? [...waiting.flatMap(handoverRows), ...mine.map(offeredRow)]
        : [el('tr', {}, el('td', { class: 'empty', attrs: { colspan: '5' }, text: T('没有等待您确认的交接', 'No handover is waiting for you') }))]),
    )
  }
  const handoverRooms = new Map<string, string>()
  const handoverPackets = new Map<string, { roomId: string | null; copies: { first: number; last: number } }>()
  /** A packet of a handover by its room and copy numbers, linked to its page (the id stays in the link). */
  const packetLink = (packetId: string) => {
    const p = handoverPackets.get(packetId)
    return el('a', { attrs: { href: packetPage(packetId) } }, p ? packetLabel(p, handoverRooms) : tx(T('试卷袋', 'Packet')))
  }
  /** An offer I made that the receiver has not confirmed yet: I may withdraw it. */
  function offeredRow(h: Handover): HTMLTableRowElement {
    const withdraw = el('button', { class: 'btn btn--ghost btn--small', attrs: { type: 'button', 'data-action': 'withdraw' }, text: T('撤回', 'Withdraw') })
    withdraw.addEventListener('click', () => openDecline(h))
    return el(
      'tr',
      { class: 'row--off', attrs: { 'data-handover': h.id, 'data-packet': h.packetId, 'data-offered': '' } },
      el('td', { class: 'nowrap' }, packetLink(h.packetId)),
      el('td', {}, tx(MOVES[h.action]), el('div', { class: 'hint', text: T('等待对方确认', 'Waiting for the receiver') })),
      el('td', {}, ctx.people.show(h.giver), ' → ', ctx.people.show(h.receiver)),
      el('td', {}, h.place),
      el('td', {}, el('div', { class: 'nowrap' }, when(h.offeredAt)), el('div', { class: 'no-print' }, withdraw)),
    )
  }
  /** A handover waiting for me: what it is, then (on a row of its own) the seal I see and my confirmation. */
  function handoverRows(h: Handover): HTMLTableRowElement[] {
    const field = (label: ReturnType<typeof T>, control: HTMLElement) =>
      el('div', { class: 'field' }, el('label', { attrs: { for: control.id }, text: label }), control)
    const seal = el('input', {
      class: 'mono',
      attrs: { id: `seal-${h.id}`, name: 'sealSeen', autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false' },
    })
    const condition = el(
      'select',
      { attrs: { id: `condition-${h.id}`, name: 'condition' } },
      el('option', { attrs: { value: 'intact' }, text: CONDITIONS.intact! }),
      el('option', { attrs: { value: 'damaged' }, text: CONDITIONS.damaged! }),
    )
    const confirm = el('button', { class: 'btn btn--primary', attrs: { type: 'submit', 'data-action': 'confirm' }, text: T('确认接收', 'Confirm receipt') })
    const decline = el('button', { class: 'btn btn--danger-ghost', attrs: { type: 'button', 'data-action': 'decline' }, text: T('拒绝', 'Decline') })
    const form = el(
      'form',
      { class: 'checks', attrs: { novalidate: '' } },
      field(T('您看到的封条编号', 'Seal number you see'), seal),
      field(T('外观', 'Condition'), condition),
      el('div', { class: 'row-actions' }, confirm, decline),
    )
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault()
      hideAlert(handoverAlert)
      try {
        await busy(confirm, () =>
          api('POST /api/handovers/{id}/confirm', {
            params: { id: h.id },
            json: { sealSeen: seal.value.trim(), condition: condition.value as 'intact' | 'damaged' },
          }),
        )
        const p = handoverPackets.get(h.packetId)
        const copies = p ? ` ${copyRange(p.copies)}` : ''
        showAlert(handoverAlert, 'ok', T(`已接收试卷袋${copies}`, `Packet${copies} received`))
        await Promise.all([loadHandovers(), ctx.loadPackets()])
      } catch (err) {
        showAlert(handoverAlert, 'error', problemText(err))
      }
    })
    decline.addEventListener('click', () => openDecline(h))
    return [
      el(
        'tr',
        { attrs: { 'data-handover': h.id, 'data-packet': h.packetId } },
        el('td', { class: 'nowrap' }, packetLink(h.packetId)),
        el('td', {}, tx(MOVES[h.action])),
        el('td', {}, ctx.people.show(h.giver)),
        el('td', {}, h.place),
        el('td', { class: 'nowrap' }, when(h.offeredAt)),
      ),
      el('tr', { class: 'no-print', attrs: { 'data-confirm': h.packetId } }, el('td', { attrs: { colspan: '5' } }, form)),
    ]
  }
  const declineDialog = byId<HTMLDialogElement>('decline-dialog')
  let declining: Handover | null = null
  function openDecline(h: Handover): void {
    declining = h
    byId<HTMLFormElement>('decline-form').reset()
    setText(byId('decline-title'), h.giver === ctx.user.id ? T('撤回交接', 'Withdraw the offer') : T('拒绝接收', 'Decline the handover'))
    hideAlert(byId('decline-alert'))
    declineDialog.showModal()
  }
  byId<HTMLFormElement>('decline-form').addEventListener('submit', async (ev) => {
    ev.preventDefault()
    if (!declining) return
    const h = declining
    try {
      await busy(byId<HTMLButtonElement>('decline-submit'), () =>
        api('POST /api/handovers/{id}/decline', { params: { id: h.id }, json: { reason: byId<HTMLTextAreaElement>('decline-reason').value.trim() } }),
      )
      declineDialog.close()
      showAlert(
        handoverAlert,
        'info',
        h.giver === ctx.user.id ? T('已撤回交接', 'Offer withdrawn') : T('已拒绝接收，交出人将看到原因', 'Declined; the giver will see the reason'),
      )
      await loadHandovers()
    } catch (err) {
      showAlert(byId('decline-alert'), 'error', problemText(err))
    }
  })
  for (const b of document.querySelectorAll<HTMLButtonElement>('[data-close]')) b.addEventListener('click', () => b.closest('dialog')?.close())
  byId('handovers-refresh').addEventListener('click', () => loadHandovers().catch((err) => showAlert(handoverAlert, 'error', problemText(err))))
  return { load: loadHandovers, problem: (err) => showAlert(handoverAlert, 'error', problemText(err)) }
}

// ---- a session's papers (custodians create and manage them; supervisors read) -----------------------------
async function papersCard(ctx: Ctx): Promise<{ load(): Promise<void> }> {
  const sessionSelect = byId<HTMLSelectElement>('session-select')
  const papersAlert = byId('papers-alert')
  async function loadPapers(): Promise<void> {
    hideAlert(papersAlert)
    byId('papers-wrap').hidden = ctx.sessionId === ''
    byId('paper-new-card').hidden = ctx.sessionId === '' || !ctx.user.roles.includes('custodian')
    if (ctx.sessionId === '') return
    try {
      const sp = await api('GET /api/sessions/{id}/papers', { params: { id: ctx.sessionId } })
      const info = byId('session-info')
      info.replaceChildren(
        tx(
          T(
            `开考 ${formatCst(sp.startsAt, 'zh-CN')} · 解密时段 ${formatCst(sp.window.opensAt, 'zh-CN')} 至 ${formatCst(sp.window.closesAt, 'zh-CN')} · 启封不早于开考前 ${sp.settings.openMinutesBefore} 分钟`,
            `Starts ${formatCst(sp.startsAt, 'en')} · decryption from ${formatCst(sp.window.opensAt, 'en')} to ${formatCst(sp.window.closesAt, 'en')} · opening from ${sp.settings.openMinutesBefore} min before the start`,
          ),
        ),
      )
      info.hidden = false
      byId('papers-body').replaceChildren(
        ...(sp.papers.length > 0
          ? sp.papers.map((p) =>
              el(
                'tr',
                { attrs: { 'data-paper': p.id } },
                el('td', {}, el('a', { attrs: { href: paperPage(p.id) } }, p.title)),
                el('td', {}, tx(PAPER_KINDS[p.kind] ?? T(p.kind, p.kind))),
                el('td', {}, p.file ? el('span', { class: 'mono' }, p.file.filename) : tx(T('未上传', 'Not uploaded'), 'muted')),
                el('td', {}, stateBadge(p.state, PAPER_STATES)),
                el('td', { class: 'nowrap' }, when(p.updatedAt)),
              ),
            )
          : [
              el(
                'tr',
                {},
                el('td', {
                  class: 'empty',
                  attrs: { colspan: '5' },
                  text: ctx.user.roles.includes('custodian')
                    ? T('本场次还没有试卷：请在「为本场次新建试卷」中新建', 'No papers for this session yet: create one under “New paper for this session”')
                    : T('本场次还没有试卷', 'No papers for this session yet'),
                }),
              ),
            ]),
      )
    } catch (err) {
      byId('papers-wrap').hidden = true
      byId('paper-new-card').hidden = true
      byId('session-info').hidden = true
      showAlert(papersAlert, 'error', problemText(err))
    }
  }
  function chooseSession(id: string): void {
    ctx.sessionId = id.trim()
    const url = new URL(location.href)
    if (ctx.sessionId) url.searchParams.set('session', ctx.sessionId)
    else url.searchParams.delete('session')
    history.replaceState(null, '', url)
    void loadPapers()
    void ctx.loadPackets()
  }
  byId<HTMLFormElement>('session-form').addEventListener('submit', (ev) => ev.preventDefault())
  sessionSelect.addEventListener('change', () => chooseSession(sessionSelect.value))
  if (ctx.has(PAPER_ROLES) && ctx.has(SESSION_READERS)) {
    // The session is picked by its time, batch and subject, never typed as an id.
    try {
      {
        const { sessions } = await api('GET /api/preparation/sessions')
        sessionSelect.replaceChildren(
          el('option', { attrs: { value: '' }, text: T('选择场次…', 'Choose a session…') }),
          ...sessions.map((x) => el('option', { attrs: { value: x.id } }, `${formatCst(x.startsAt).slice(0, 16)} ${x.batchTitle} · ${x.subjectName}`)),
        )
        if (ctx.sessionId === '' && sessions.length > 0) {
          // Nothing chosen yet: show the nearest session still to come (else the latest), so that a newcomer
          // sees papers and packets at once rather than an empty page.
          const at = (x: { startsAt: string }) => new Date(x.startsAt).getTime()
          const byStart = [...sessions].sort((a, b) => at(a) - at(b))
          ctx.sessionId = (byStart.find((x) => at(x) >= Date.now()) ?? byStart[byStart.length - 1]!).id
        }
        sessionSelect.value = ctx.sessionId
        sessionSelect.hidden = sessions.length === 0
        byId('session-none').hidden = sessions.length > 0
      }
    } catch (err) {
      showAlert(papersAlert, 'error', T('无法读取考试场次列表', 'The list of exam sessions cannot be read'), problemText(err))
    }
  }

  const paperForm = byId<HTMLFormElement>('paper-form')
  paperForm.addEventListener('submit', async (ev) => {
    ev.preventDefault()
    const box = byId('paper-alert')
    hideAlert(box)
    const kind = byId<HTMLSelectElement>('paper-kind').value as PaperKind
    const title = byId<HTMLInputElement>('paper-title').value.trim()
    try {
      const p = await busy(byId<HTMLButtonElement>('paper-submit'), () =>
        api('POST /api/sessions/{id}/papers', { params: { id: ctx.sessionId }, json: { kind, title } }),
      )
      location.assign(paperPage(p.id))
    } catch (err) {
      showAlert(box, 'error', problemText(err))
    }
  })
  return { load: loadPapers }
}

// ---- packets: a session's (custodians, supervisors) or my rooms' (invigilators) ----------------------------
function packetsCard(ctx: Ctx): { load(): Promise<void> } {
  const packetsAlert = byId('packets-alert')
  async function loadPackets(): Promise<void> {
    const mine = !ctx.has(PAPER_ROLES)
    byId('packets-card').hidden = !mine && ctx.sessionId === ''
    if (!mine && ctx.sessionId === '') return
    hideAlert(packetsAlert)
    let packets: Packet[]
    let rooms: Map<string, string>
    try {
      const r = await api('GET /api/packets', { query: mine ? {} : { sessionId: ctx.sessionId } })
      packets = r.packets
      rooms = new Map(Object.entries(r.rooms ?? {})) // the server names the rooms of the packets it lists
      ctx.people.learn(r.people)
    } catch (err) {
      showAlert(packetsAlert, 'error', problemText(err))
      return
    }
    byId('packet-count').textContent = String(packets.length)
    byId('packets-body').replaceChildren(
      ...(packets.length > 0
        ? packets.map((p) =>
            el(
              'tr',
              { attrs: { 'data-packet': p.id } },
              el(
                'td',
                { class: 'nowrap' },
                el('a', { attrs: { href: packetPage(p.id) } }, p.roomId ? roomName(p.roomId, rooms) : tx(T('备用袋', 'Spare packet'))),
              ),
              el('td', { class: 'mono nowrap' }, copyRange(p.copies)),
              el('td', {}, stateBadge(p.state, PACKET_STATES)),
              el('td', {}, sealNode(p)),
              el('td', {}, ctx.people.holder(p.holder, rooms)),
            ),
          )
        : [
            el(
              'tr',
              {},
              el('td', {
                class: 'empty',
                attrs: { colspan: '5' },
                text: mine
                  ? T(
                      '您负责的考场还没有试卷袋；保密管理员发放后会出现在上方「待我确认的交接」中',
                      'No packets for your rooms yet; when a custodian issues one it appears above under “Handovers waiting for you”',
                    )
                  : T(
                      '本场次还没有试卷袋：打开一份试卷，经两名保密管理员审批后印制即生成试卷袋',
                      'No packets for this session yet: open a paper, and printing after two custodians approve makes its packets',
                    ),
              }),
            ),
          ]),
    )
  }
  return { load: loadPackets }
}
