// The room-door kiosk (/kiosk; docs/decisions/011-door-kiosk.md): a tablet app that keeps working with no network
// for a whole session. Screens: enrolment (the device makes its own key), login, the choice of room (the
// person's own assignments), then the room: Door 入场 / Incidents 违纪与事件 / Packets 试卷袋 / Scores 实操评分 /
// Attendance 考勤. The status bar always shows online/offline (seen, never switched), the last sync and how many
// records wait. Everything it records is signed and in IndexedDB before the screen says so (_kiosk-sync.ts).
import { ApiError, api as client } from './_client.ts'
import { type DoorDecision, type KnownAdmission, warmUp } from './_door-verdict.ts'
import { busy, byId, el, hideAlert, problemText, showAlert, tx } from './_dom.ts'
import { LANG_EVENT, T, type Text, applyLang, currentLang, setLang, setText } from './_i18n.ts'
import { attendance, renderAttendance } from './_kiosk-attendance.ts'
import { type Assignment, type DeviceKey, NetState, type SessionInfo, kioskApi } from './_kiosk-api.ts'
import { makeDeviceKey, rawPublicKey } from './_kiosk-device.ts'
import { type SessionTimes, doorChoices } from './_kiosk-pick.ts'
import { mountDoor, primeAudio, resetVerdict } from './_kiosk-door.ts'
import { mountIncidents } from './_kiosk-room-incidents.ts'
import { mountPackets } from './_kiosk-room-packets.ts'
import { mountScores } from './_kiosk-room-scores.ts'
import { checkOffline, rememberPerson } from './_kiosk-people.ts'
import { type DeviceRow, KioskStore } from './_kiosk-store.ts'
import { SyncLoop, type SyncState, makeRecord } from './_kiosk-sync.ts'
import type { Confirmation, KioskContext, KioskRecord, RecordKind, RoomPackage } from './_kiosk-types.ts'
import { startCamera, type CameraScan } from './_scanner.ts'
import { showWhenLoaded } from './_shell.ts'
import { formatCst } from './_time.ts'

/** The service worker (decision 011, "Service worker"): its script and scope. */
const WORKER = { url: '/kiosk-sw.js', scope: '/kiosk' }
const PING_MS = 15_000
const BRAND = T('考场门口核验', 'Room door')

interface KioskUser {
  id: string
  username: string
  displayName: string
}

const net = new NetState()
const api = kioskApi(net)
let store: KioskStore
let device: DeviceRow | null = null
let user: KioskUser | null = null
let pkg: RoomPackage | null = null
let localAdmissions: KnownAdmission[] = []
let loop: SyncLoop | null = null

const VIEWS = ['enrol-view', 'login-view', 'pick-view', 'room-view'] as const
function showView(id: (typeof VIEWS)[number]): void {
  for (const v of VIEWS) byId(v).hidden = v !== id
}
const pageAlert = (t: Text, kind: 'error' | 'info' = 'error', extra?: Text) => showAlert(byId('page-alert'), kind, t, extra)
const deviceKey = (): DeviceKey => ({ deviceId: device!.deviceId, privateKey: device!.keyPair.privateKey })
const isNetworkError = (err: unknown) => err instanceof ApiError && (err.code === 'network.unreachable' || err.status >= 502)

// ---------- top bar and status bar ----------

function drawTopbar(): void {
  const lang = el('button', { class: 'btn btn--ghost btn--small lang-toggle', attrs: { type: 'button', id: 'lang-toggle' } })
  const label = () => {
    const en = currentLang() === 'en'
    lang.textContent = en ? '中文' : 'English'
    lang.setAttribute('lang', en ? 'zh-CN' : 'en')
  }
  label()
  lang.addEventListener('click', () => setLang(currentLang() === 'en' ? 'zh-CN' : 'en'))
  document.addEventListener(LANG_EVENT, label)
  const who = el('span', { class: 'whoami', attrs: { id: 'whoami' } }, user ? el('strong', {}, user.displayName) : null)
  const logout = el('button', { class: 'btn btn--ghost btn--small', attrs: { type: 'button', id: 'logout' }, text: T('退出登录', 'Log out') })
  logout.hidden = !user
  logout.addEventListener('click', async () => {
    try {
      await api.logout()
    } catch {
      // offline: the server's session ends by itself; this tablet forgets the person now
    }
    await store.setMeta('user', null)
    location.reload()
  })
  byId('topbar').replaceChildren(
    el(
      'a',
      { class: 'brand', attrs: { href: '/kiosk' } },
      el('img', { class: 'brand__mark', attrs: { src: '/assets/icon.svg', alt: '', width: '32', height: '32' } }),
      tx(BRAND, 'brand__name'),
    ),
    el('div', { class: 'topbar__end' }, who, lang, logout),
  )
}

function drawNet(): void {
  const box = byId('net-state')
  box.dataset.state = net.online ? 'online' : 'offline'
  box.replaceChildren(
    tx(net.online ? T('在线', 'Online') : T('离线 — 记录保存在本设备，联网后自动上传', 'Offline — records are kept here and uploaded when back online')),
  )
  byId('kiosk-status').dataset.online = String(net.online)
}

let lastState: SyncState | null = null
function drawSync(s: SyncState): void {
  lastState = s
  byId('queue-count').textContent = String(s.queued)
  byId('last-sync').textContent = s.lastSyncAt ? formatCst(s.lastSyncAt).slice(0, 19) : '—'
  byId('refused-count').textContent = String(s.refused)
  byId('refused-open').hidden = s.refused === 0
  const problem = byId('sync-problem')
  problem.hidden = !s.problem || s.problem.code === 'network.unreachable'
  if (s.problem) setText(problem, { zh: s.problem.message, en: s.problem.messageEn })
  if (s.problem?.code === 'kiosk.device_revoked' || s.problem?.code === 'kiosk.device_unknown') deviceGone({ zh: s.problem.message, en: s.problem.messageEn })
}

/**
 * The server no longer accepts this tablet (revoked, or unknown): said plainly, with the way to enrol it again.
 * Its records stay on the tablet (and in the queue) either way.
 */
function deviceGone(t: Text): void {
  if (document.getElementById('reenrol')) return
  pageAlert(t, 'error', T('本设备的记录仍保存在本设备上；请联系管理员重新登记', 'This tablet’s records stay on it; ask an administrator to enrol it again'))
  const button = el('button', { class: 'btn btn--ghost', attrs: { type: 'button', id: 'reenrol' }, text: T('重新登记本设备', 'Enrol this tablet again') })
  button.addEventListener('click', async () => {
    await store.forgetDevice()
    location.reload()
  })
  byId('page-alert').append(button)
}

function tickClock(): void {
  byId('kiosk-clock').textContent = formatCst(Date.now())
}

async function ping(): Promise<void> {
  try {
    const r = await api.session()
    if (user && !r.user)
      pageAlert(T('登录已过期：记录仍保存在本设备，请重新登录后上传', 'Your login expired: records stay on this tablet; log in again to upload them'), 'info')
  } catch {
    // net.track noted it: the status bar says offline
  }
}

// ---------- enrolment ----------

function showEnrol(): void {
  showView('enrol-view')
  const form = byId<HTMLFormElement>('enrol-form')
  const code = byId<HTMLInputElement>('enrol-code')
  const label = byId<HTMLInputElement>('enrol-label')
  const alert = byId('enrol-alert')
  let camera: CameraScan | null = null
  const fill = (text: string) => {
    code.value = text.replace(/^custody-enrol:/i, '').trim()
    void camera?.stop()
    camera = null
    byId('enrol-camera-box').hidden = true
    label.focus()
  }
  byId('enrol-camera').addEventListener('click', async () => {
    byId('enrol-camera-box').hidden = false
    try {
      camera = await startCamera('enrol-camera-box', fill)
    } catch (err) {
      byId('enrol-camera-box').hidden = true
      showAlert(alert, 'error', T('无法使用摄像头，请手工输入', 'The camera is not available; type the code'), problemText(err))
    }
  })
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault()
    hideAlert(alert)
    const typed = code.value.replace(/^custody-enrol:/i, '').trim()
    if (!typed || !label.value.trim()) {
      showAlert(alert, 'error', T('请填写登记码和设备名称', 'Fill in the code and the tablet’s name'))
      return
    }
    await busy(byId<HTMLButtonElement>('enrol-submit'), async () => {
      try {
        const keyPair = await makeDeviceKey()
        const r = await api.enrol(typed, await rawPublicKey(keyPair), label.value.trim())
        device = { ...r, keyPair, enrolledAt: Date.now() }
        await store.putDevice(device) // the key pair stays in this browser only
        location.reload()
      } catch (err) {
        showAlert(alert, 'error', problemText(err))
      }
    })
  })
}

// ---------- login ----------

function showLogin(): void {
  showView('login-view')
  setText(byId('login-device'), T(`本设备：${device!.label}（${device!.siteName}）`, `This tablet: ${device!.label} (${device!.siteName})`))
  const form = byId<HTMLFormElement>('login-form')
  const alert = byId('login-alert')
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault()
    hideAlert(alert)
    const username = byId<HTMLInputElement>('login-username').value.trim()
    const password = byId<HTMLInputElement>('login-password').value
    await busy(byId<HTMLButtonElement>('login-submit'), async () => {
      try {
        const r = await api.login(username, password)
        if (r.user.mustChangePassword) {
          showAlert(alert, 'error', T('请先在登录页修改一次性密码', 'Change your one-time password on the login page first'))
          return
        }
        user = { id: r.user.id, username: r.user.username, displayName: r.user.displayName }
        await store.setMeta('user', user)
        void rememberPerson(store, device!.deviceId, { userId: user.id, username: user.username, displayName: user.displayName }, password, Date.now())
        drawTopbar()
        await showPick()
      } catch (err) {
        if (isNetworkError(err)) {
          // Offline: the verifier kept when this person last logged in here online.
          const v = await checkOffline(store, device!.deviceId, username, password)
          const current = await store.getMeta<{ sessionId: string; roomId: string }>('current')
          const row = current ? await store.getPackage(current.sessionId, current.roomId) : undefined
          if (v && row) {
            user = { id: v.userId, username: v.username, displayName: v.displayName }
            await store.setMeta('user', user)
            drawTopbar()
            await openRoom(row.pkg)
            return
          }
        }
        showAlert(alert, 'error', problemText(err))
      }
    })
  })
  byId<HTMLInputElement>('login-username').focus()
}

// ---------- choosing the room ----------

async function showPick(): Promise<void> {
  showView('pick-view')
  const list = byId('pick-list')
  const alert = byId('pick-alert')
  list.replaceChildren()
  let mine: Assignment[]
  try {
    mine = (await api.assignments()).assignments.filter((a) => a.roomId && (a.duty === 'invigilator' || a.duty === 'examiner'))
  } catch (err) {
    showAlert(alert, 'error', problemText(err))
    return
  }
  if (mine.length === 0) {
    showAlert(alert, 'info', T('您没有被分配到任何考场', 'You are not assigned to any room'))
    return
  }
  // Names for the buttons (best effort: the package has them all anyway).
  const names = new Map<string, string>()
  const times = new Map<string, SessionTimes>()
  const rooms = new Map<string, string>()
  const sessionIds = [...new Set(mine.map((a) => a.examSessionId))]
  await Promise.all([
    net
      .track(() => client('GET /api/preparation/sessions'))
      .then(
        (r) => {
          for (const s of r.sessions) {
            names.set(s.id, `${s.batchTitle} · ${s.subjectName} · ${formatCst(s.startsAt).slice(0, 16)}`)
            times.set(s.id, s)
          }
        },
        () => {},
      ),
    ...sessionIds.map((id) =>
      net
        .track(() => client('GET /api/sessions/{id}/rooms', { params: { id } }))
        .then(
          (r) => {
            for (const room of r.rooms) rooms.set(room.id, room.name)
          },
          () => {},
        ),
    ),
  ])
  const { current, earlier } = doorChoices(mine, times, Date.now())
  const pickButton = (a: Assignment) => {
    const b = el(
      'button',
      { class: 'btn kiosk-pick', attrs: { type: 'button', 'data-session': a.examSessionId, 'data-room': a.roomId! } },
      el('strong', {}, rooms.get(a.roomId!) ?? a.roomId!),
      el('span', { class: 'muted' }, names.get(a.examSessionId) ?? a.examSessionId),
    )
    b.addEventListener('click', () =>
      busy(b, async () => {
        primeAudio()
        hideAlert(alert)
        try {
          await openRoom(await download(a.examSessionId, a.roomId!))
        } catch (err) {
          const row = await store.getPackage(a.examSessionId, a.roomId!)
          if (row && isNetworkError(err)) await openRoom(row.pkg)
          else if (err instanceof ApiError && (err.code === 'kiosk.device_revoked' || err.code === 'kiosk.device_unknown')) deviceGone(err.text)
          else showAlert(alert, 'error', T('无法下载考场数据', 'Could not download the room data'), problemText(err))
        }
      }),
    )
    return b
  }
  list.append(...current.map(pickButton))
  if (current.length === 0) showAlert(alert, 'info', T('您今天及以后没有考场任务', 'You have no room today or later'))
  if (earlier.length > 0) {
    const summary = el('summary', { text: T(`更早的场次（${earlier.length}）`, `Earlier sessions (${earlier.length})`) })
    list.append(
      el('details', { class: 'kiosk-earlier', attrs: { id: 'pick-earlier' } }, summary, el('div', { class: 'kiosk-picks' }, ...earlier.map(pickButton))),
    )
  }
}

async function download(sessionId: string, roomId: string): Promise<RoomPackage> {
  const p = await api.package(deviceKey(), sessionId, roomId)
  await store.savePackage(p, user!.id, Date.now())
  return p
}

// ---------- the room ----------

const knownAdmissions = (): KnownAdmission[] => [...(pkg?.admissions ?? []), ...localAdmissions]

async function refreshAdmissions(): Promise<void> {
  if (!pkg) return
  localAdmissions = (await store.admissions(pkg.session.id)).map((a) => ({ ticketNumber: a.ticketNumber, at: a.at, door: a.door }))
  renderAttendance(attendance(pkg, knownAdmissions(), Date.now()))
}

async function record<B extends Record<string, unknown>>(
  kind: RecordKind,
  body: B,
  admission?: { ticketNumber: string; candidateId: string; door: string },
): Promise<KioskRecord<B>> {
  const p = pkg!
  const rec = await makeRecord(
    store,
    {
      deviceId: device!.deviceId,
      privateKey: device!.keyPair.privateKey,
      sessionId: p.session.id,
      roomId: p.room.id,
      userId: user!.id,
      online: () => net.online,
      now: () => Date.now(),
    },
    kind,
    body,
    admission,
  )
  if (loop) drawSync(await loop.state())
  void loop?.kick()
  return rec
}

let doorMounted = false
async function openRoom(p: RoomPackage): Promise<void> {
  pkg = p
  await store.setMeta('current', { sessionId: p.session.id, roomId: p.room.id })
  showView('room-view')
  setText(byId('room-title'), T(`${p.room.name} 考场 · ${p.session.subject}`, `Room ${p.room.name} · ${p.session.subject}`))
  const hm = (ms: number) => formatCst(ms).slice(11, 16)
  setText(
    byId('room-times'),
    T(
      `${p.site.name} · ${formatCst(p.session.startsAt).slice(0, 10)} · 入场 ${hm(p.session.doorsOpenAt)} · 开考 ${hm(p.session.startsAt)} · 迟到截止 ${hm(p.session.lateUntil)} · 结束 ${hm(p.session.endsAt)}（北京时间）`,
      `${p.site.name} · ${formatCst(p.session.startsAt).slice(0, 10)} · doors ${hm(p.session.doorsOpenAt)} · start ${hm(p.session.startsAt)} · late cut-off ${hm(p.session.lateUntil)} · end ${hm(p.session.endsAt)} (Beijing time)`,
    ),
  )
  await refreshAdmissions()
  resetVerdict()
  setTimeout(() => warmUp(p), 0)
  if (!doorMounted) {
    doorMounted = true
    mountDoor({
      pkg: () => pkg!,
      admissions: knownAdmissions,
      now: () => Date.now(),
      admit: async (d: DoorDecision, check) => {
        const e = d.entry!
        await record(
          'admission',
          {
            ticketNumber: e.ticketNumber,
            candidateId: e.candidateId,
            idCheck: check.idCheck,
            idNumberTyped: check.idNumberTyped,
            ...(check.override ? { override: check.override } : {}),
            verdict: d.verdict,
          },
          { ticketNumber: e.ticketNumber, candidateId: e.candidateId, door: device!.label },
        )
        await refreshAdmissions()
      },
    })
    mountTabs()
    startSync()
  }
  mountRoomScreens()
  byId<HTMLInputElement>('scan-field').focus()
}

function mountTabs(): void {
  const tabs = [...document.querySelectorAll<HTMLButtonElement>('#kiosk-tabs [role="tab"]')]
  for (const t of tabs)
    t.addEventListener('click', () => {
      for (const o of tabs) {
        o.setAttribute('aria-selected', String(o === t))
        byId(`panel-${o.dataset.tab}`).hidden = o !== t
      }
      if (t.dataset.tab === 'attendance') void refreshAdmissions()
      if (t.dataset.tab === 'door') byId<HTMLInputElement>('scan-field').focus()
    })
  byId('room-switch').addEventListener('click', () => void showPick())
  byId<HTMLButtonElement>('room-refresh').addEventListener('click', (ev) =>
    busy(ev.currentTarget as HTMLButtonElement, async () => {
      try {
        await openRoom(await download(pkg!.session.id, pkg!.room.id))
        pageAlert(T('考场数据已更新', 'Room data updated'), 'info')
      } catch (err) {
        pageAlert(
          T('无法更新考场数据，继续使用本设备保存的数据', 'Could not update the room data; the copy on this tablet stays in use'),
          'error',
          problemText(err),
        )
      }
    }),
  )
  setInterval(() => {
    if (pkg && !byId('panel-attendance').hidden) renderAttendance(attendance(pkg, knownAdmissions(), Date.now()))
  }, 10_000)
}

/** The in-room screens (kiosk/src/_kiosk-room-*.ts): each gets its tab's panel and the context, anew for each room. */
function mountRoomScreens(): void {
  const ctx = context()
  const screens: Record<string, (el: HTMLElement, ctx: KioskContext) => void> = { incidents: mountIncidents, packets: mountPackets, scores: mountScores }
  for (const [tab, mount] of Object.entries(screens)) {
    const panel = byId(`panel-${tab}`)
    panel.replaceChildren()
    try {
      mount(panel, ctx)
    } catch (err) {
      panel.append(el('p', { class: 'alert alert--error', text: problemText(err) }))
    }
  }
}

function context(): KioskContext {
  return {
    pkg: pkg!,
    user: { id: user!.id, displayName: user!.displayName },
    deviceId: device!.deviceId,
    record: (kind, body) => record(kind, body),
    confirmPerson,
    online: () => net.online,
    records: async (kind) => (await store.recordsOf(kind, pkg!.session.id)).map((r) => r.record),
  }
}

/** A second person confirms with their own username and password: online at the server, offline against this device's verifier. */
function confirmPerson(purpose: 'packet_open' | 'incident_confirm' | 'score_sign', allowed: readonly string[]): Promise<Confirmation | null> {
  const dialog = byId<HTMLDialogElement>('confirm-dialog')
  const form = byId<HTMLFormElement>('confirm-form')
  const alert = byId('confirm-alert')
  const username = byId<HTMLInputElement>('confirm-username')
  const password = byId<HTMLInputElement>('confirm-password')
  const purposes: Record<typeof purpose, Text> = {
    packet_open: T('启封试卷袋须第二名监考人员确认', 'Opening a packet needs a second invigilator'),
    incident_confirm: T('违纪记录须第二名监考人员确认', 'A violation record needs a second invigilator'),
    score_sign: T('评分表须考评人员签名确认', 'The score sheet needs the examiner’s signature'),
  }
  setText(byId('confirm-purpose'), purposes[purpose])
  username.value = ''
  password.value = ''
  hideAlert(alert)
  dialog.showModal()
  return new Promise((resolve) => {
    const done = (c: Confirmation | null) => {
      form.removeEventListener('submit', submit)
      byId('confirm-cancel').removeEventListener('click', cancel)
      dialog.close()
      resolve(c)
    }
    const cancel = () => done(null)
    const refuse = (t: Text, extra?: Text) => showAlert(alert, 'error', t, extra)
    // A second person is someone else; a score sheet is signed by the examiner, who may be the one logged in (R7.1).
    const selfAllowed = purpose === 'score_sign'
    const notAllowed = T('此人不能为本事项确认（须为本考场的其他工作人员）', 'This person cannot confirm this (another staff member of this room is needed)')
    const submit = async (ev: Event) => {
      ev.preventDefault()
      await busy(byId<HTMLButtonElement>('confirm-submit'), async () => {
        const u = username.value.trim()
        try {
          const r = await api.confirm(deviceKey(), u, password.value, purpose)
          if (!allowed.includes(r.userId) || (!selfAllowed && r.userId === user!.id)) return refuse(notAllowed)
          void rememberPerson(store, device!.deviceId, { userId: r.userId, username: u, displayName: r.displayName }, password.value, Date.now())
          done({ userId: r.userId, check: 'online', token: r.token })
        } catch (err) {
          if (!isNetworkError(err)) return refuse(problemText(err))
          const v = await checkOffline(store, device!.deviceId, u, password.value)
          if (!v)
            return refuse(
              T(
                '离线时只能由曾在本设备上登录或确认过的人员确认；用户名或密码不符',
                'Offline, only people who logged in or confirmed on this tablet before can confirm; the username or password does not match',
              ),
            )
          if (!allowed.includes(v.userId) || (!selfAllowed && v.userId === user!.id)) return refuse(notAllowed)
          done({ userId: v.userId, check: 'offline' })
        }
      })
    }
    form.addEventListener('submit', submit)
    byId('confirm-cancel').addEventListener('click', cancel)
  })
}

function startSync(): void {
  loop = new SyncLoop(
    store,
    async (records) => (await api.sync(deviceKey(), records)).results,
    () => net.online,
    () => Date.now(),
    drawSync,
  )
  void loop.state().then(drawSync)
  loop.start()
  net.onChange((online) => {
    if (online) void loop?.kick()
  })
}

async function showRefused(): Promise<void> {
  const rows = await store.refused()
  byId('refused-list').replaceChildren(
    ...rows.map((r) =>
      el(
        'li',
        { attrs: { 'data-record': r.id } },
        el('strong', {}, r.record.kind),
        ' ',
        el('span', { class: 'muted' }, formatCst(r.record.madeAt).slice(11, 19)),
        ' ',
        el('span', { text: { zh: r.message ?? r.code ?? '', en: r.messageEn ?? r.code ?? '' } }),
        ' ',
        el('code', { class: 'mono small' }, r.id),
      ),
    ),
  )
  byId<HTMLDialogElement>('refused-dialog').showModal()
}

// ---------- start ----------

async function registerWorker(): Promise<void> {
  if (!('serviceWorker' in navigator)) return
  try {
    await navigator.serviceWorker.register(WORKER.url, { scope: WORKER.scope })
  } catch (err) {
    console.warn('[kiosk] service worker', err) // the kiosk works online without it
  }
}

async function start(): Promise<void> {
  applyLang()
  store = await KioskStore.open()
  user = (await store.getMeta<KioskUser | null>('user')) ?? null
  drawTopbar()
  drawNet()
  net.onChange(() => drawNet())
  tickClock()
  setInterval(tickClock, 1_000)
  byId('refused-open').addEventListener('click', () => void showRefused())
  document.addEventListener(LANG_EVENT, () => {
    if (lastState) drawSync(lastState)
    drawNet()
  })
  void registerWorker()
  device = (await store.getDevice()) ?? null
  if (!device) return showEnrol()

  let online: SessionInfo | null | undefined
  try {
    online = (await api.session()).user
  } catch (err) {
    if (!isNetworkError(err)) throw err
    online = undefined // offline: decide from what this tablet holds
  }
  setInterval(() => void ping(), PING_MS)
  if (online === null || (online && user && online.id !== user.id)) {
    // Logged out at the server (or another person's cookie): a fresh login.
    user = null
    await store.setMeta('user', null)
    drawTopbar()
    return showLogin()
  }
  if (online) {
    user = { id: online.id, username: online.username, displayName: online.displayName }
    await store.setMeta('user', user)
    drawTopbar()
  }
  if (!user) return showLogin()
  // Offline start, or a reload: the room this tablet was on, from its stored package (renewed when online).
  const current = await store.getMeta<{ sessionId: string; roomId: string }>('current')
  const row = current ? await store.getPackage(current.sessionId, current.roomId) : undefined
  if (row) {
    await openRoom(row.pkg)
    if (online)
      download(row.pkg.session.id, row.pkg.room.id).then(
        async (p) => {
          pkg = p // renewed quietly: a verdict on the screen stays
          await refreshAdmissions()
        },
        () => {},
      )
    return
  }
  if (online) return showPick()
  showView('login-view')
  pageAlert(T('离线且本设备没有考场数据：请联网后下载', 'Offline and no room data on this tablet: connect to download it'))
}

void showWhenLoaded(start, 'kiosk-area')
