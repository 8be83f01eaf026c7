// /custody/packets/{id}: one packet, reached by scanning its label. Its state, holder and seal, its timeline
// from the custody log, the handover waiting on it (the receiver confirms here with the seal number they
// see), and a button for exactly each next move the server offers this user, with the form that move needs:
// a seal number, a witness or second invigilator signing in with their own password, a receiver, counts.
import type { Role } from '../../server/domain/accounts/index.ts'
import { OUTCOMES, actionName } from './_actions.ts'
import { ApiError, type JsonOf, type OutputOf, type SessionUser, type Without, api, url } from './_client.ts'
import { busy, byId, el, hideAlert, problemText, showAlert, tx } from './_dom.ts'
import { T, type Text, setAttrText, setText, tr } from './_i18n.ts'
import type { Actor, LogEvent } from '../../audit/index.ts'
import type { Condition, HandoverAction, PacketAction, PacketMove, Paper } from '../../server/domain/custody/index.ts'
import {
  CONDITIONS,
  MOVES,
  PACKET_STATES,
  PAPER_KINDS,
  People,
  type Packet,
  copyRange,
  credentialFields,
  paperPage,
  roomName,
  sealNode,
  sessionRoomNames,
  stateBadge,
  when,
  takeCredentials,
} from './_custody-ui.ts'
import { pageProblem, showWhenLoaded, startStaffPage } from './_shell.ts'
import { formatCst } from './_time.ts'

type RawView = OutputOf<'GET /api/packets/{id}'>
/** A move the server says the caller may start now (or just its action name). */
type OfferedMove = PacketMove | PacketAction
/**
 * GET /api/packets/{id} as this page reads it. Where the route's schema leaves a part `unknown` (the paper, the
 * recovery and retention records) or loose (a move's `to`), the page reads the domain's own types for it.
 */
type PacketView = Without<RawView, 'packet' | 'paper' | 'moves'> & {
  packet: Packet
  paper: Paper | null
  moves: OfferedMove[]
}
const packetView = async (id: string): Promise<PacketView> => (await api('GET /api/packets/{id}', { params: { id } })) as PacketView
type PacketPlace = PacketView['place']
type Receiver = OutputOf<'GET /api/packets/{id}/receivers'>['receivers'][number]
/** A report's event; its actor and outcome are the log's (the report schema leaves them `unknown`). */
type ReportEvent = Without<OutputOf<'GET /api/reports/packets/{id}'>['events'][number], 'actor' | 'outcome'> & {
  actor: Actor
  outcome: LogEvent['outcome']
}
type MoveBody = JsonOf<'POST /api/packets/{id}/moves'>

const packetId = decodeURIComponent(location.pathname.split('/').pop() ?? '')
const HANDOVERS: readonly string[] = ['issue', 'hand_over', 'receive', 'send_back', 'return']
/** Moves made elsewhere: freezing and thawing follow leak reports, disposal goes by a witnessed list. */
const NOT_HERE: readonly string[] = ['freeze', 'unfreeze', 'dispose']
/** Who may read a packet's custody report (its timeline). */
const REPORT_READERS: readonly Role[] = ['custodian', 'supervisor', 'admin']
const ROLE_WORDS: Record<string, Text> = {
  custodian: T('保密管理员', 'custodian'),
  invigilator: T('监考人员', 'invigilator'),
  supervisor: T('督导人员', 'supervisor'),
}
const rolesText = (roles: readonly string[] | undefined): Text => {
  const list = (roles ?? []).map((r) => ROLE_WORDS[r] ?? T(r, r))
  return T(list.map((t) => t.zh).join('或'), list.map((t) => t.en).join(' or '))
}

const page = await startStaffPage()
if (page) await main(page.user)

/** What the cards of this page share: who is looking, the packet as last read, and the names learnt so far. */
interface Ctx {
  packetId: string
  user: SessionUser
  people: People
  rooms: Map<string, string>
  /** Refusal codes in words, from the custody report. */
  refusals: Map<string, Text>
  view: PacketView
  /** Reads the packet again, redraws every card and says `done` on the page. */
  reload(done: Text): Promise<void>
  /** The same after a refusal, saying nothing (the refusal shown is what matters). */
  refreshQuietly(): Promise<void>
}
/** One card of the page: drawn from ctx.view (render), or reading more of its own (load). */
interface Card {
  render?(): void
  load?(): Promise<void>
}

async function main(user: SessionUser): Promise<void> {
  const view = await firstView()
  if (!view) return
  const ctx: Ctx = {
    packetId,
    user,
    people: new People(user.id, user.displayName, user.username),
    rooms: new Map(),
    refusals: new Map(),
    view,
    reload: async (done) => {
      await refresh()
      showAlert(byId('page-alert'), 'ok', done)
    },
    refreshQuietly: () => refresh().catch(() => undefined),
  }
  learnFrom(ctx)
  ctx.rooms = await sessionRoomNames(user.roles, view.packet.examSessionId)
  const cards: Card[] = [headCard(ctx), factsCard(ctx), handoverCard(ctx), movesCard(ctx), timelineCard(ctx), leakCard(ctx)]
  const render = (): void => {
    for (const c of cards) c.render?.()
  }
  const load = async (): Promise<void> => {
    for (const c of cards) await c.load?.()
  }
  async function refresh(): Promise<void> {
    ctx.view = await packetView(packetId)
    learnFrom(ctx)
    render()
    await load()
  }
  await showWhenLoaded(async () => {
    render()
    await load()
  })
}

/** The packet as the server shows this user, or null when the page says why it cannot. */
async function firstView(): Promise<PacketView | null> {
  try {
    return await packetView(packetId)
  } catch (err) {
    // Say why in words: a packet of someone else's room is not theirs to see.
    pageProblem(
      err instanceof ApiError && err.code === 'scope.not_assigned'
        ? T(
            '这个试卷袋不属于您负责的考场，也不在您手中，因此不能查看。如需接收它，请交出人在交接时选择您。',
            'This packet is not of your rooms and not in your hands, so you cannot see it. To receive it, ask the giver to choose you in the handover.',
          )
        : err instanceof ApiError && err.code === 'packet.not_found'
          ? T('没有这个试卷袋：请重新扫描试卷袋标签上的二维码。', 'No such packet: scan the QR code on its label again.')
          : problemText(err),
    )
    return null
  }
}

function learnFrom(ctx: Ctx): void {
  const extra = ctx.view as unknown as { names?: unknown; people?: unknown }
  ctx.people.learn(extra.names)
  ctx.people.learn(extra.people)
}

// ---- the heading: the packet by its room and copy numbers, its paper, its label and report ----------------------
function headCard(ctx: Ctx): Card {
  return {
    render() {
      const { packet: p, paper, place } = ctx.view
      // The server names the packet's own room, so custodians (who cannot list a session's rooms) see it too.
      if (place?.room) ctx.rooms.set(place.room.id, place.site ? `${place.site.name} ${place.room.name}` : place.room.name)
      document.title = `${copyRange(p.copies)} · ${document.title.split(' · ').slice(-1)[0]}`
      // The packet by its room and copy numbers; its id stays in the address and the label's QR code.
      const head = byId('packet-id')
      head.dataset.packet = p.id
      head.replaceChildren(
        p.roomId ? roomName(p.roomId, ctx.rooms) : tx(T('备用袋', 'Spare packet')),
        ' · ',
        el('span', { class: 'mono' }, copyRange(p.copies)),
      )
      byId('packet-state').replaceChildren(stateBadge(p.state, PACKET_STATES))
      byId('packet-sub').replaceChildren(
        ...[
          paper ? el('a', { attrs: { href: paperPage(paper.id) } }, paper.title) : el('a', { attrs: { href: paperPage(p.paperId) }, text: T('试卷', 'Paper') }),
          paper ? tx(T(`（${PAPER_KINDS[paper.kind]?.zh ?? paper.kind}）`, ` (${PAPER_KINDS[paper.kind]?.en ?? paper.kind})`)) : null,
          paper && paper.state !== 'active'
            ? stateBadge(paper.state, { frozen: T('试卷已冻结', 'Paper frozen'), retired: T('试卷已停用', 'Paper retired') })
            : null,
        ].filter((n): n is HTMLElement => n !== null),
      )
      const label = byId<HTMLAnchorElement>('label-link')
      label.href = url('GET /packets/{id}/label', { params: { id: p.id } })
      label.hidden = !ctx.user.roles.some((r) => REPORT_READERS.includes(r)) // labels are printed in the custodians' office
      const reportLink = byId<HTMLAnchorElement>('report-link')
      reportLink.href = url('GET /reports/packets/{id}', { params: { id: p.id } })
      reportLink.hidden = !ctx.user.roles.some((r) => REPORT_READERS.includes(r))
    },
  }
}

// ---- the packet's facts ------------------------------------------------------------------------------------------
function factsCard(ctx: Ctx): Card {
  return {
    render() {
      const p = ctx.view.packet
      const place = ctx.view.place
      const fact = (label: Text, value: Node | string, id: string) => el('div', {}, el('dt', { text: label }), el('dd', { attrs: { id } }, value))
      const c = p.contents
      byId('packet-facts').replaceChildren(
        ...[
          fact(T('当前保管', 'Held by'), ctx.people.holder(p.holder, ctx.rooms), 'fact-holder'),
          fact(T('封条编号', 'Seal number'), sealNode(p), 'fact-seal'),
          fact(T('考场', 'Room'), p.roomId ? roomName(p.roomId, ctx.rooms) : '—', 'fact-room'),
          fact(T('份号', 'Copy numbers'), el('span', { class: 'mono' }, copyRange(p.copies)), 'fact-copies'),
          fact(
            T('内装', 'Contents'),
            tx(
              T(
                `试卷 ${c.copies} 份 · 答题卡 ${c.answerSheets} · 草稿纸 ${c.scratchPaper}`,
                `${c.copies} copies · ${c.answerSheets} answer sheets · ${c.scratchPaper} scratch paper`,
              ),
            ),
            'fact-contents',
          ),
          fact(T('场次', 'Session'), sessionText(place), 'fact-session'),
          fact(T('印制', 'Printed'), el('span', {}, ctx.people.show(p.printedBy), ' · ', when(p.printedAt)), 'fact-printed'),
          p.openedAt !== null
            ? fact(
                T('启封', 'Opened'),
                el('span', {}, ...p.openedBy.flatMap((id, i) => [i > 0 ? '、' : '', ctx.people.show(id)]), ' · ', when(p.openedAt)),
                'fact-opened',
              )
            : null,
          p.recovery ? fact(T('回收清点', 'Recovery'), recoveryText(p.recovery), 'fact-recovery') : null,
          p.seals.length > 1 ? fact(T('历次封条', 'Seals used'), el('span', { class: 'mono' }, p.seals.join(' → ')), 'fact-seals') : null,
          p.retention
            ? fact(
                T('保管期限', 'Kept until'),
                tx(
                  T(
                    `${p.retention.keptUntil}（${p.retention.disposableFrom} 起可销毁）`,
                    `${p.retention.keptUntil} (disposable from ${p.retention.disposableFrom})`,
                  ),
                ),
                'fact-retention',
              )
            : null,
          p.voidReason ? fact(T('作废原因', 'Void reason'), p.voidReason, 'fact-void') : null,
        ].filter((n): n is HTMLDivElement => n !== null),
      )
    },
  }
}

function sessionText(place: PacketPlace | undefined): HTMLElement {
  const s = place?.session
  if (!s) return el('span', { class: 'muted' }, '—')
  // The server's level name is "四级/中级工": the grade alone reads well beside the occupation.
  const grade = s.levelName.split('/')[0]
  return el(
    'span',
    { attrs: { title: s.id } },
    tx(T(`${s.occupationName}${grade} ${s.subjectName}`, `${s.occupationName}, level ${s.level}, ${s.subjectName}`)),
    el('span', { class: 'muted' }, ' · ', when(s.startsAt)),
  )
}

function recoveryText(r: NonNullable<Packet['recovery']>): HTMLElement {
  const k = r.counts
  const d = r.difference
  const counted = T(
    `已用 ${k.used} · 空白 ${k.blank} · 作废 ${k.spoiled} · 答题卡 ${k.answerSheets} · 草稿纸 ${k.scratchPaper}`,
    `used ${k.used} · blank ${k.blank} · spoiled ${k.spoiled} · answer sheets ${k.answerSheets} · scratch ${k.scratchPaper}`,
  )
  return el(
    'span',
    {},
    tx(counted),
    ' ',
    r.balanced
      ? el('span', { class: 'badge badge--ok', text: T('相符', 'Balanced') })
      : el('span', {
          class: 'badge badge--refused',
          text: T(
            `不符：试卷 ${d.copies}，答题卡 ${d.answerSheets}，草稿纸 ${d.scratchPaper}`,
            `Mismatch: copies ${d.copies}, sheets ${d.answerSheets}, scratch ${d.scratchPaper}`,
          ),
        }),
  )
}

// ---- a pending handover: the receiver confirms with the seal number they see (R5.3) ---------------------------
function handoverCard(ctx: Ctx): Card {
  const handoverAlert = byId('handover-alert')
  function render(): void {
    const h = ctx.view.pendingHandover
    byId('handover-card').hidden = !h
    if (!h) return
    const fact = (label: Text, value: Node | string) => el('div', {}, el('dt', { text: label }), el('dd', {}, value))
    byId('handover-facts').replaceChildren(
      fact(T('交接', 'Handover'), tx(MOVES[h.action])),
      fact(T('交出人', 'From'), ctx.people.show(h.giver)),
      fact(T('接收人', 'To'), ctx.people.show(h.receiver)),
      fact(T('地点', 'Place'), h.place),
      fact(T('发起时间', 'Offered'), when(h.offeredAt)),
      fact(T('交出人所见外观', 'Condition seen by the giver'), tx(CONDITIONS[h.giverCondition] ?? T(h.giverCondition, h.giverCondition))),
    )
    const receiving = h.receiver === ctx.user.id
    const giving = h.giver === ctx.user.id
    // The receiver confirms or declines; the giver may withdraw the offer (same route, R5.3).
    byId('confirm-form').hidden = !receiving && !giving
    byId('receiver-part').hidden = !receiving
    byId('confirm-submit').hidden = !receiving
    setText(byId('decline-label'), receiving ? T('原因（仅拒绝时填写）', 'Reason (only to decline)') : T('撤回原因', 'Reason to withdraw'))
    setText(byId('decline-submit'), receiving ? T('拒绝接收', 'Decline') : T('撤回交接', 'Withdraw the offer'))
    if (!receiving) showAlert(handoverAlert, 'info', T('等待接收人在其本人账号中确认', 'Waiting for the receiver to confirm on their own login'))
    else hideAlert(handoverAlert)
  }
  byId<HTMLFormElement>('confirm-form').addEventListener('submit', async (ev) => {
    ev.preventDefault()
    const h = ctx.view.pendingHandover
    if (!h) return
    hideAlert(handoverAlert)
    try {
      await busy(byId<HTMLButtonElement>('confirm-submit'), () =>
        api('POST /api/handovers/{id}/confirm', {
          params: { id: h.id },
          json: { sealSeen: byId<HTMLInputElement>('confirm-seal').value.trim(), condition: byId<HTMLSelectElement>('confirm-condition').value as Condition },
        }),
      )
      byId<HTMLFormElement>('confirm-form').reset()
      await ctx.reload(T('已确认接收', 'Receipt confirmed'))
    } catch (err) {
      showAlert(handoverAlert, 'error', problemText(err))
      await ctx.refreshQuietly() // a seal mismatch raised an alert; the packet did not move
    }
  })
  byId('decline-submit').addEventListener('click', async (ev) => {
    const h = ctx.view.pendingHandover
    if (!h) return
    hideAlert(handoverAlert)
    try {
      await busy(ev.currentTarget as HTMLButtonElement, () =>
        api('POST /api/handovers/{id}/decline', { params: { id: h.id }, json: { reason: byId<HTMLInputElement>('decline-reason').value.trim() } }),
      )
      await ctx.reload(T('已拒绝接收', 'Declined'))
    } catch (err) {
      showAlert(handoverAlert, 'error', problemText(err))
    }
  })
  return { render }
}

// ---- the next moves the server offers, each with its form ---------------------------------------------------------
function movesCard(ctx: Ctx): Card {
  setAttrText(byId('moves'), 'aria-label', T('可进行的操作', 'Moves you can make'))
  const moveAlert = byId('move-alert')
  const moveForm = byId<HTMLFormElement>('move-form')
  const fields = byId('move-fields')
  let chosen: { action: PacketAction; move: PacketMove | null } | null = null
  const actionOf = (m: OfferedMove): PacketAction => (typeof m === 'string' ? m : m.action)

  function render(): void {
    const offered = ctx.view.moves.filter((m) => !NOT_HERE.includes(actionOf(m)))
    // A packet with a pending handover waits for it: only the receiver's confirmation moves it on.
    const usable = ctx.view.pendingHandover ? [] : offered
    byId('moves-none').hidden = usable.length > 0
    byId('moves').replaceChildren(
      ...usable.map((m) => {
        const action = actionOf(m)
        const b = el('button', { class: 'btn btn--ghost', attrs: { type: 'button', 'data-move': action }, text: MOVES[action] ?? T(action, action) })
        b.addEventListener('click', () => choose(action, typeof m === 'string' ? null : m))
        // Opening waits for its time (R5.3): the button says when rather than failing when pressed.
        const opensAt = ctx.view.opensAt ?? null
        if (action === 'open' && opensAt !== null && Date.now() < opensAt) {
          b.disabled = true
          const at = formatCst(opensAt).slice(0, 16)
          return el(
            'span',
            { class: 'move-wait' },
            b,
            el('span', { class: 'hint', attrs: { 'data-opens': String(opensAt) }, text: T(`${at} 起可启封`, `May be opened from ${at}`) }),
          )
        }
        return b
      }),
    )
    if (chosen && !usable.some((m) => actionOf(m) === chosen!.action)) closeForm()
  }

  function choose(action: PacketAction, move: PacketMove | null): void {
    chosen = { action, move }
    hideAlert(moveAlert)
    const title = MOVES[action] ?? T(action, action)
    setText(byId('move-form-title'), title)
    setText(byId('move-submit'), T(`确认${title.zh}`, title.en))
    const { hint, parts } = moveFields(ctx, action, move, moveAlert)
    setText(byId('move-form-hint'), hint)
    byId('move-form-hint').hidden = hint.zh === ''
    fields.replaceChildren(...parts)
    moveForm.hidden = false
    moveForm.querySelector<HTMLInputElement>('input')?.focus()
  }
  function closeForm(): void {
    chosen = null
    moveForm.hidden = true
    fields.replaceChildren()
  }
  byId('move-cancel').addEventListener('click', closeForm)

  const val = (id: string) => (moveForm.querySelector<HTMLInputElement>(`#${id}`)?.value ?? '').trim()
  const num = (id: string) => (val(id) === '' ? Number.NaN : Number(val(id)))
  moveForm.addEventListener('submit', async (ev) => {
    ev.preventDefault()
    if (!chosen) return
    const { action } = chosen
    hideAlert(moveAlert)
    hideAlert(byId('page-alert')) // the last step's confirmation is not this one's
    const submit = byId<HTMLButtonElement>('move-submit')
    const move = (json: MoveBody) => api('POST /api/packets/{id}/moves', { params: { id: ctx.packetId }, json })
    const withWitness = () => (moveForm.querySelector('#mv-witness-username') ? { witness: takeCredentials(moveForm, 'mv-witness') } : {})
    try {
      await busy(submit, async () => {
        if (HANDOVERS.includes(action)) {
          await api('POST /api/packets/{id}/handovers', {
            params: { id: ctx.packetId },
            json: {
              action: action as HandoverAction,
              receiver: moveForm.querySelector<HTMLSelectElement>('#mv-receiver')?.value ?? '',
              place: val('mv-place'),
              sealSeen: val('mv-seal-seen'),
              condition: (moveForm.querySelector<HTMLSelectElement>('#mv-condition')?.value ?? 'intact') as Condition,
            },
          })
        } else if (action === 'open') {
          await api('POST /api/packets/{id}/open', {
            params: { id: ctx.packetId },
            json: { sealSeen: val('mv-seal-seen'), second: takeCredentials(moveForm, 'mv-second') },
          })
        } else if (action === 'recover') {
          await api('POST /api/packets/{id}/recover', {
            params: { id: ctx.packetId },
            json: {
              counts: {
                used: num('mv-used'),
                blank: num('mv-blank'),
                spoiled: num('mv-spoiled'),
                answerSheets: num('mv-sheets'),
                scratchPaper: num('mv-scratch'),
              },
            },
          })
        } else if (action === 'seal' || action === 'reseal') {
          await move({ action, sealNumber: val('mv-seal-number'), ...withWitness() })
        } else if (action === 'store') {
          await move({ action, sealSeen: val('mv-seal-seen'), ...withWitness() })
        } else if (action === 'reconcile') {
          await move({ action, sealSeen: val('mv-seal-seen') })
        } else if (action === 'void') {
          await move({ action, reason: val('mv-reason'), ...withWitness() })
        } else {
          await move({ action: action as MoveBody['action'], ...withWitness() })
        }
      })
      const title = MOVES[action] ?? T(action, action)
      closeForm()
      await ctx.reload(
        HANDOVERS.includes(action)
          ? T(`已发起${title.zh}，等待接收人确认`, `${title.en}: offered; waiting for the receiver to confirm`)
          : T(`已完成：${title.zh}`, `Done: ${title.en}`),
      )
    } catch (err) {
      showAlert(moveAlert, 'error', problemText(err))
      await ctx.refreshQuietly()
    }
  })
  return { render }
}

function input(id: string, label: Text, attrs: Record<string, string> = {}): HTMLElement {
  return el('div', { class: 'field' }, el('label', { attrs: { for: id }, text: label }), el('input', { attrs: { id, autocomplete: 'off', ...attrs } }))
}
function sealInput(id: string, label: Text): HTMLElement {
  return input(id, label, { class: 'mono', autocapitalize: 'characters', spellcheck: 'false' })
}
function conditionSelect(): HTMLElement {
  return el(
    'div',
    { class: 'field' },
    el('label', { attrs: { for: 'mv-condition' }, text: T('外观', 'Condition') }),
    el(
      'select',
      { attrs: { id: 'mv-condition' } },
      el('option', { attrs: { value: 'intact' }, text: CONDITIONS.intact! }),
      el('option', { attrs: { value: 'damaged' }, text: CONDITIONS.damaged! }),
    ),
  )
}
/** A second person signs the move with their own username and password (R5.3). */
function witness(m: PacketMove | null): HTMLElement {
  return credentialFields(
    'mv-witness',
    T('见证人', 'Witness'),
    T(
      `另一名${m?.witnessRoles ? rolesText(m.witnessRoles).zh : '工作人员'}在此输入本人用户名和密码（不会在本设备上登录）`,
      `Another ${m?.witnessRoles ? rolesText(m.witnessRoles).en : 'staff member'} types their own username and password here (they are not logged in on this device)`,
    ),
  )
}

/** The fields and the hint of a move's form: what that move needs from the people in front of the packet. */
function moveFields(ctx: Ctx, action: PacketAction, move: PacketMove | null, alertBox: HTMLElement): { hint: Text; parts: HTMLElement[] } {
  let hint: Text = T('', '')
  const parts: HTMLElement[] = []
  if (HANDOVERS.includes(action)) {
    hint = T(
      `交出后须由接收人（${rolesText(move?.receiver).zh || '工作人员'}）在其本人账号中核对封条并确认。`,
      `The receiver (${rolesText(move?.receiver).en || 'staff'}) then checks the seal and confirms on their own login.`,
    )
    parts.push(
      receiverSelect(ctx, action as HandoverAction, alertBox),
      input('mv-place', T('交接地点', 'Place')),
      sealInput('mv-seal-seen', T('您看到的封条编号', 'Seal number you see')),
      conditionSelect(),
    )
  } else if (action === 'seal' || action === 'reseal') {
    hint = T('贴上新的一次性封条并输入其编号；封条编号不可重复使用。', 'Apply a new single-use seal and type its number; seal numbers are never reused.')
    parts.push(sealInput('mv-seal-number', T('封条编号', 'Seal number')), witness(move))
  } else if (action === 'store') {
    hint = T('入库须两名保密管理员在场（两把钥匙分别保管）。', 'Storing needs two custodians (two locks, keys with different people).')
    parts.push(sealInput('mv-seal-seen', T('您看到的封条编号', 'Seal number you see')), witness(move))
  } else if (action === 'reconcile') {
    hint = T('核对封条并接收回收清点记录。', 'Check the seal and accept the recovery count.')
    parts.push(sealInput('mv-seal-seen', T('您看到的封条编号', 'Seal number you see')))
  } else if (action === 'archive') {
    hint = T('归档后保管至考试之日起满三年（依据 R5.5）。', 'Archived material is kept for 3 years after the exam (rule R5.5).')
    parts.push(witness(move))
  } else if (action === 'void') {
    parts.push(input('mv-reason', T('作废原因', 'Reason')))
    if (move?.witnesses || !move) parts.push(witness(move))
  } else if (action === 'open') {
    hint = T(
      '启封须本考场两名监考人员共同进行，且不早于规定时间；请核对封条编号。',
      'Two invigilators of this room open it together, not before the set time; check the seal number.',
    )
    parts.push(
      sealInput('mv-seal-seen', T('您看到的封条编号', 'Seal number you see')),
      credentialFields(
        'mv-second',
        T('第二名监考人员', 'Second invigilator'),
        T('本考场另一名监考人员在此输入本人用户名和密码', 'The other invigilator of this room types their own username and password here'),
      ),
    )
  } else if (action === 'recover') {
    hint = T(
      `已用 + 空白 + 作废须等于 ${ctx.view.packet.contents.copies} 份；不符将记录为事件并通知督导人员。`,
      `Used + blank + spoiled must equal ${ctx.view.packet.contents.copies}; a difference is recorded as an incident and supervisors are alerted.`,
    )
    parts.push(
      el(
        'div',
        { class: 'checks' },
        input('mv-used', T('已用试卷', 'Used copies'), { inputmode: 'numeric' }),
        input('mv-blank', T('空白试卷', 'Blank copies'), { inputmode: 'numeric' }),
        input('mv-spoiled', T('作废试卷', 'Spoiled copies'), { inputmode: 'numeric' }),
        input('mv-sheets', T('答题卡', 'Answer sheets'), { inputmode: 'numeric' }),
        input('mv-scratch', T('草稿纸', 'Scratch paper'), { inputmode: 'numeric' }),
      ),
    )
  }
  return { hint, parts }
}

/** The receiver is picked from the people who may receive this step (R5.3), the room's invigilators first. */
function receiverSelect(ctx: Ctx, action: HandoverAction, alertBox: HTMLElement): HTMLElement {
  const select = el(
    'select',
    { attrs: { id: 'mv-receiver', name: 'receiver', required: '' } },
    el('option', { attrs: { value: '' }, text: T('正在读取可接收的人员…', 'Loading who may receive it…') }),
  )
  const hint = el('p', { class: 'hint', attrs: { id: 'mv-receiver-hint' }, hidden: true })
  const label = (r: Receiver) => `${r.displayName}（${r.username}）`
  api('GET /api/packets/{id}/receivers', { params: { id: ctx.packetId }, query: { action } })
    .then(({ receivers }) => {
      if (receivers.length === 0) {
        select.replaceChildren(el('option', { attrs: { value: '' }, text: T('没有可接收的人员', 'Nobody may receive it') }))
        setText(
          hint,
          T(
            '没有其他可接收此试卷袋的账号：请联系系统管理员为接收人开设账号并分配角色。',
            'No other account may receive this packet: ask the administrator to set up the receiver’s account and role.',
          ),
        )
        hint.hidden = false
        return
      }
      const assigned = receivers.filter((r) => r.assigned)
      const others = receivers.filter((r) => !r.assigned)
      const option = (r: Receiver) => el('option', { attrs: { value: r.username, 'data-user': r.id } }, label(r))
      select.replaceChildren(
        el('option', { attrs: { value: '' }, text: T('请选择接收人…', 'Choose the receiver…') }),
        ...(assigned.length > 0 && others.length > 0
          ? [
              el('optgroup', { attrs: { label: tr(T('本考场监考人员', "This room's invigilators")) } }, ...assigned.map(option)),
              el('optgroup', { attrs: { label: tr(T('其他可接收人员', 'Others who may receive it')) } }, ...others.map(option)),
            ]
          : receivers.map(option)),
      )
      if (receivers.length === 1) select.value = receivers[0]!.username
    })
    .catch((err: unknown) => {
      select.replaceChildren(el('option', { attrs: { value: '' }, text: T('无法读取可接收的人员', 'Cannot load who may receive it') }))
      showAlert(alertBox, 'error', problemText(err))
    })
  return el('div', { class: 'field' }, el('label', { attrs: { for: 'mv-receiver' }, text: T('接收人', 'Receiver') }), select, hint)
}

// ---- the timeline: this packet's events in the custody log, each with its inclusion proof ------------------------
function timelineCard(ctx: Ctx): Card {
  async function load(): Promise<void> {
    const box = byId('timeline-alert')
    if (!ctx.user.roles.some((r) => REPORT_READERS.includes(r))) {
      showAlert(box, 'info', T('保管记录由保密管理员和督导人员查看', 'The timeline is for custodians and supervisors'))
      byId('timeline-table').hidden = true
      return
    }
    // The timeline names the seal: not before this person has checked it blind (R5.3, decision record 006).
    if (ctx.view.packet.sealHidden) {
      showAlert(
        box,
        'info',
        T(
          '请先核对实物封条（确认接收或启封）后再查看保管记录',
          'The timeline shows once you have checked the seal yourself (confirmed the handover, or opened the packet)',
        ),
      )
      byId('timeline-table').hidden = true
      return
    }
    byId('timeline-table').hidden = false
    try {
      const report = await api('GET /api/reports/packets/{id}', { params: { id: ctx.packetId } })
      const events = report.events as ReportEvent[]
      ctx.people.learn(events.flatMap((e) => ('user' in e.actor && e.actor.name ? [{ id: e.actor.user, displayName: e.actor.name }] : [])))
      ctx.people.learn(report.people) // display names (the actor's `name` in the log is the username)
      for (const [code, t] of Object.entries(report.refusals ?? {})) ctx.refusals.set(code, t)
      for (const [id, name] of Object.entries(report.rooms ?? {})) if (!ctx.rooms.has(id)) ctx.rooms.set(id, name.replace(/ 考场$/, ''))
      byId('timeline-count').textContent = String(events.length)
      byId('timeline-checkpoint').replaceChildren(tx(T(`已签名检查点：${report.size} 条`, `Signed checkpoint: ${report.size} entries`)))
      byId('timeline-body').replaceChildren(
        ...(events.length > 0
          ? [...events].reverse().map((e) => eventRow(ctx, e))
          : [el('tr', {}, el('td', { class: 'empty', attrs: { colspan: '5' }, text: T('尚无记录', 'No events yet') }))]),
      )
      hideAlert(box)
    } catch (err) {
      showAlert(box, 'error', problemText(err))
    }
  }
  return { load }
}

/** The facts of an event a person checks: seals, who witnessed or received, where, counts, why refused. */
function details(ctx: Ctx, e: ReportEvent): Array<Node | string> {
  const d = e.data
  const str = (k: string) => (typeof d[k] === 'string' && d[k] !== '' ? (d[k] as string) : null)
  const parts: Array<Array<Node | string>> = []
  const part = (label: Text, ...value: Array<Node | string>) => parts.push([tx(label, 'muted'), ...value])
  const code = str('code')
  const why = code ? ctx.refusals.get(code) : undefined
  if (code) part(T('原因 ', 'Why '), why ? tx(why) : el('span', { class: 'mono' }, code))
  if (str('expected') || str('seen'))
    part(T('应为/所见 ', 'Expected/seen '), el('span', { class: 'mono' }, `${str('expected') ?? '—'} / ${str('seen') ?? '—'}`))
  if (e.action.endsWith('.sealed') || e.action.endsWith('.resealed')) {
    if (str('seal')) part(T('封条 ', 'Seal '), el('span', { class: 'mono' }, str('seal')!))
  } else if (str('sealSeen')) {
    part(T('所见封条 ', 'Seal seen '), el('span', { class: 'mono' }, str('sealSeen')!))
  }
  if (str('witness')) part(T('见证人 ', 'Witness '), ctx.people.show(str('witness')!))
  if (str('giver') && str('receiver')) part(T('交接 ', 'From/to '), ctx.people.show(str('giver')!), ' → ', ctx.people.show(str('receiver')!))
  if (Array.isArray(d.openedBy)) part(T('启封人 ', 'Opened by '), ...(d.openedBy as string[]).flatMap((id, i) => [i > 0 ? '、' : '', ctx.people.show(id)]))
  if (str('place')) part(T('地点 ', 'Place '), str('place')!)
  const counts = d.counts as Record<string, number> | undefined
  if (counts && typeof counts === 'object') {
    part(
      T('清点 ', 'Counted '),
      tx(
        T(
          `已用 ${counts.used} 空白 ${counts.blank} 作废 ${counts.spoiled} 答题卡 ${counts.answerSheets} 草稿纸 ${counts.scratchPaper}`,
          `used ${counts.used}, blank ${counts.blank}, spoiled ${counts.spoiled}, sheets ${counts.answerSheets}, scratch ${counts.scratchPaper}`,
        ),
      ),
    )
  }
  if (typeof d.copies === 'number') part(T('份数 ', 'Copies '), String(d.copies))
  if (str('keptUntil')) part(T('保管至 ', 'Kept until '), str('keptUntil')!)
  if (str('reason')) part(T('理由 ', 'Reason '), str('reason')!)
  if (parts.length === 0) return ['—']
  return parts.flatMap((p, i) => (i > 0 ? [el('br'), ...p] : p))
}
function eventRow(ctx: Ctx, e: ReportEvent): HTMLTableRowElement {
  // A refused attempt is logged under the move it tried (custody.packet.seal): name it by the move.
  const move = /^custody\.packet\.([a-z_]+)$/.exec(e.action)?.[1] as PacketAction | undefined
  const name = actionName(e.action) ?? (move && MOVES[move] ? MOVES[move] : null)
  const refused = e.outcome === 'refused'
  return el(
    'tr',
    { attrs: { 'data-index': String(e.index), 'data-action': e.action, 'data-outcome': e.outcome }, ...(refused ? { class: 'row--off' } : {}) },
    el('td', { class: 'mono' }, String(e.index)),
    el('td', { class: 'nowrap' }, when(e.time)),
    el('td', { class: 'nowrap' }, 'user' in e.actor ? ctx.people.show(e.actor.user) : el('span', { class: 'mono' }, e.actor.system)),
    el(
      'td',
      {},
      el('span', { class: 'action' }, name ? tx(name) : el('span', { class: 'action__code' }, e.action)),
      refused ? el('span', { class: 'badge badge--refused', text: OUTCOMES.refused }) : null,
    ),
    el('td', { class: 'hint' }, ...details(ctx, e)),
  )
}

// ---- leak report (R5.4) ------------------------------------------------------------------------------------------
function leakCard(ctx: Ctx): Card {
  byId<HTMLFormElement>('leak-form').addEventListener('submit', async (ev) => {
    ev.preventDefault()
    const box = byId('leak-alert')
    hideAlert(box)
    const copy = byId<HTMLInputElement>('leak-copy').value.trim()
    try {
      await busy(byId<HTMLButtonElement>('leak-submit'), () =>
        api('POST /api/leaks', {
          json: {
            packetId: ctx.packetId,
            level: byId<HTMLSelectElement>('leak-level').value as 'suspected' | 'confirmed',
            description: byId<HTMLTextAreaElement>('leak-description').value.trim(),
            ...(copy !== '' ? { copyNumber: Number(copy) } : {}),
          },
        }),
      )
      byId<HTMLFormElement>('leak-form').reset()
      await ctx.reload(T('泄密报告已提交，试卷已冻结，督导人员已收到告警', 'Report filed: the paper is frozen and the supervisors are alerted'))
    } catch (err) {
      showAlert(box, 'error', problemText(err))
    }
  })
  return {}
}
