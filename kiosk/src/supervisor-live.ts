// /supervisor/live: what the room doors have recorded, per room, as it arrives (督导, R6.4). The page loads the
// session's view once, then listens to the server's event stream: `snapshot` on connect, `changed` after every
// stored kiosk sync batch (each carries the whole view, so a missed event costs nothing). The browser's
// EventSource reconnects by itself; the state line says when it is not connected.
import { api, type OutputOf } from './_client.ts'
import { byId, clear, el, problemText, showAlert, tx } from './_dom.ts'
import { T, setText } from './_i18n.ts'
import { PACKET_STATES, stateBadge, when } from './_custody-ui.ts'
import { showWhenLoaded, startStaffPage } from './_shell.ts'
import { formatCst } from './_time.ts'

type Live = OutputOf<'GET /api/kiosk/live'>
type Sessions = OutputOf<'GET /api/kiosk/live/sessions'>['sessions']

const CONFLICTS = {
  two_doors: T('同一考生在两处入场', 'One candidate admitted at two doors'),
  opened_twice: T('试卷袋重复开启', 'Packet opened twice'),
  revoked_device: T('已吊销平板的记录', 'Record from a revoked device'),
  seal_mismatch: T('离线输入的封条号不符', 'Seal typed offline did not match'),
} as Record<string, { zh: string; en: string }>

const page = await startStaffPage()
if (page) await showWhenLoaded(main)

async function main(): Promise<void> {
  const pick = byId<HTMLSelectElement>('session-pick')
  const sessions: Sessions = (await api('GET /api/kiosk/live/sessions')).sessions
  for (const s of sessions) {
    const o = el('option', { attrs: { value: s.id } }, `${s.today ? '【今日】' : ''}${s.name} · ${formatCst(s.startsAt, 'zh-CN').slice(0, 16)}`)
    pick.append(o)
  }
  if (sessions.length === 0) {
    showAlert(byId('page-alert'), 'info', T('暂无考试场次', 'No exam sessions yet'))
    return
  }
  const wanted = new URLSearchParams(location.search).get('session')
  if (wanted && sessions.some((s) => s.id === wanted)) pick.value = wanted
  let source: EventSource | null = null
  const watch = async () => {
    source?.close()
    const id = pick.value
    history.replaceState(null, '', `?session=${encodeURIComponent(id)}`)
    try {
      render(await api('GET /api/kiosk/live', { query: { session: id } }))
    } catch (err) {
      showAlert(byId('page-alert'), 'error', problemText(err))
      return
    }
    source = listen(id)
  }
  pick.addEventListener('change', () => void watch())
  await watch()
}

function listen(sessionId: string): EventSource {
  const state = byId('live-state')
  const mark = (s: 'live' | 'waiting') => {
    state.dataset.state = s
    setText(state, s === 'live' ? T('● 实时更新中', '● Live') : T('○ 连接中断，正在重连…', '○ Disconnected; reconnecting…'))
  }
  const es = new EventSource(`/api/kiosk/live/stream?session=${encodeURIComponent(sessionId)}`)
  const onView = (ev: MessageEvent<string>) => {
    mark('live')
    render(JSON.parse(ev.data) as Live)
  }
  es.addEventListener('snapshot', onView)
  es.addEventListener('changed', onView)
  es.addEventListener('open', () => mark('live'))
  es.addEventListener('error', () => mark('waiting'))
  return es
}

function render(v: Live): void {
  const body = byId('rooms-body')
  clear(body)
  setText(byId('room-count'), T(String(v.rooms.length), String(v.rooms.length)))
  byId('generated-at').replaceChildren(tx(T('更新于 ', 'Updated ')), when(v.generatedAt))
  for (const r of v.rooms) {
    const record = `/api/kiosk/rooms/record?session=${encodeURIComponent(v.session.id)}&room=${encodeURIComponent(r.room.id)}`
    body.append(
      el(
        'tr',
        { attrs: { 'data-room': r.room.id } },
        el('th', { attrs: { scope: 'row' } }, r.room.name),
        el('td', { attrs: { 'data-admitted': String(r.admitted) } }, `${r.admitted} / ${r.expected}`),
        el('td', {}, r.overrides ? el('span', { class: 'badge badge--warn' }, String(r.overrides)) : '0'),
        el(
          'td',
          { attrs: { 'data-incidents': String(r.incidents.total) } },
          `${r.incidents.total}`,
          r.incidents.violations ? tx(T(`（违规 ${r.incidents.violations}）`, ` (${r.incidents.violations} violations)`)) : '',
        ),
        el('td', {}, r.incidents.awaitingSecond ? el('span', { class: 'badge badge--warn' }, String(r.incidents.awaitingSecond)) : '0'),
        el('td', {}, r.conflicts ? el('span', { class: 'badge badge--refused' }, String(r.conflicts)) : '0'),
        el('td', {}, ...(r.packets.length ? r.packets.map((p) => stateBadge(p.state, PACKET_STATES)) : [tx(T('无', 'none'))])),
        el('td', {}, when(r.finishesAt)),
        el('td', {}, el('a', { attrs: { href: record, target: '_blank', rel: 'noopener' }, text: T('打印', 'Print') })),
      ),
    )
  }
  const list = byId('conflicts-list')
  clear(list)
  setText(byId('conflict-count'), T(String(v.conflicts.length), String(v.conflicts.length)))
  const roomName = new Map(v.rooms.map((r) => [r.room.id, r.room.name]))
  for (const c of v.conflicts) {
    list.append(
      el(
        'li',
        { attrs: { 'data-kind': c.kind } },
        when(c.at),
        ' ',
        tx(CONFLICTS[c.kind] ?? T(c.kind, c.kind)),
        c.roomId ? ` · ${roomName.get(c.roomId) ?? ''}` : '',
        c.resolved ? tx(T('（已处理）', ' (resolved)')) : '',
      ),
    )
  }
  if (v.conflicts.length === 0) list.append(el('li', { class: 'muted', text: T('无冲突', 'No conflicts') }))
}
