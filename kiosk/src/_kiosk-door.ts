// The door screen (入场): a scan (camera, handheld scanner + Enter) or a typed ticket number gives a verdict at
// once (pure, _door-verdict.ts; nothing awaited before it is shown), in a big element with a stable
// data-verdict="<code>", its colour and a short sound. Admitted shows photo, name and seat; then the ID check:
// the invigilator compares the photo and types or scans the ID number, which must match the ticket's identity
// bytes; a mismatch is shown and nobody is admitted; an override needs a reason and is flagged. Only a confirmed
// admission makes a record; a refused scan uses nothing up.
import { type DoorDecision, type KnownAdmission, decideByNumber, decideVerdict, idMatches } from './_door-verdict.ts'
import { byId, hideAlert, problemText, showAlert } from './_dom.ts'
import { T, type Text, setText } from './_i18n.ts'
import type { RoomPackage, Verdict } from './_kiosk-types.ts'
import { type CameraScan, startCamera, watchScanField } from './_scanner.ts'
import { formatCst } from './_time.ts'

/** The same text again within this time is the same scan (a scanner or camera reading one ticket twice). */
export const SAME_SCAN_MS = 4_000

const hhmm = (ms: number): string => formatCst(ms).slice(11, 16)

/** Each verdict's headline and whether it lets the person in. */
export const VERDICT_TEXT: Record<Verdict, Text> = {
  admitted: T('准予入场', 'Admitted'),
  already_admitted: T('已入场，不可重复入场', 'Already admitted'),
  wrong_room: T('考场不符', 'Wrong room'),
  wrong_session: T('非本场次准考证', 'Not this session'),
  not_on_roster: T('不在本考场名单中', 'Not on this room’s roster'),
  forged: T('准考证签名无效（疑似伪造）', 'Invalid signature (possibly forged)'),
  revoked: T('准考证已作废', 'Ticket revoked'),
  unknown_key: T('无法识别的签名密钥', 'Unknown signing key'),
  malformed: T('无法识别的准考证', 'Not a ticket'),
  too_early: T('尚未开始入场', 'Too early'),
  too_late: T('已过迟到截止时间', 'Too late'),
  suspended: T('本场考试已停考', 'Session suspended'),
}

/** The line under the headline: what the invigilator tells the person. */
export function verdictDetail(d: DoorDecision, pkg: RoomPackage): Text | null {
  switch (d.verdict) {
    case 'already_admitted':
      return T(`已于 ${hhmm(d.admittedAt!)} 在「${d.door}」入场`, `Admitted at ${hhmm(d.admittedAt!)} at “${d.door}”`)
    case 'wrong_room':
      return T(`请前往 ${d.rightRoom!.name} 考场`, `Go to room ${d.rightRoom!.name}`)
    case 'too_early':
      return T(`${hhmm(pkg.session.doorsOpenAt)} 开始入场`, `Doors open at ${hhmm(pkg.session.doorsOpenAt)}`)
    case 'too_late':
      return T(`迟到截止时间为 ${hhmm(pkg.session.lateUntil)}`, `The late cut-off was ${hhmm(pkg.session.lateUntil)}`)
    case 'unknown_key':
      return T('请联网更新考场数据后重试，或请督导人员处理', 'Update the room data online and try again, or call the supervisor')
    case 'forged':
    case 'revoked':
    case 'suspended':
      return T('请督导人员处理', 'Call the supervisor')
    case 'admitted':
      return d.typed ? T('手工输入准考证号：未核验二维码签名', 'Ticket number typed by hand: no QR signature checked') : null
    default:
      return null
  }
}

let audio: AudioContext | null = null
/** Makes the audio context ahead (inside a tap: browsers start audio only after one), so the first beep is quick. */
export function primeAudio(): void {
  try {
    audio ??= new AudioContext()
    void audio.resume()
  } catch {
    // no audio on this device
  }
}

/** A short beep: one high tone for admitted, two low ones for a refusal. Silent where audio is not allowed. */
export function beep(ok: boolean): void {
  try {
    audio ??= new AudioContext()
    const t0 = audio.currentTime
    for (const [i, f] of (ok ? [880] : [240, 240]).entries()) {
      const osc = audio.createOscillator()
      const gain = audio.createGain()
      osc.frequency.value = f
      osc.type = ok ? 'sine' : 'square'
      gain.gain.value = 0.15
      osc.connect(gain).connect(audio.destination)
      osc.start(t0 + i * 0.2)
      osc.stop(t0 + i * 0.2 + (ok ? 0.15 : 0.12))
    }
  } catch {
    // no audio on this device: the colour and the text still say it
  }
}

export interface DoorDeps {
  pkg: () => RoomPackage
  /** The admissions known now (package + this kiosk), read synchronously. */
  admissions: () => KnownAdmission[]
  now: () => number
  /** Records a confirmed admission; resolves once it is stored (then the screen says so). */
  admit(d: DoorDecision, check: { idCheck: 'matched' | 'override'; idNumberTyped: boolean; override?: { reason: string; note: string } }): Promise<void>
}

export function mountDoor(deps: DoorDeps): { scan(text: string): DoorDecision | null } {
  const verdictBox = byId('verdict')
  const title = byId('verdict-title')
  const detail = byId('verdict-detail')
  const card = byId('candidate')
  const idForm = byId<HTMLFormElement>('id-form')
  const idNumber = byId<HTMLInputElement>('id-number')
  const idResult = byId('id-result')
  const admitAlert = byId('admit-alert')
  const scanField = byId<HTMLInputElement>('scan-field')
  const reason = byId<HTMLSelectElement>('override-reason')
  const note = byId<HTMLInputElement>('override-note')
  let pending: DoorDecision | null = null
  let last = { text: '', at: 0 }
  let saving = false

  const show = (d: DoorDecision) => {
    verdictBox.dataset.verdict = d.verdict
    verdictBox.className = `kiosk-verdict kiosk-verdict--${d.verdict === 'admitted' ? 'ok' : 'refused'}`
    setText(title, VERDICT_TEXT[d.verdict])
    const line = verdictDetail(d, deps.pkg())
    if (line) setText(detail, line)
    else detail.replaceChildren()
    setTimeout(() => beep(d.verdict === 'admitted'), 0) // after the verdict is on the screen
    hideAlert(admitAlert)
    delete admitAlert.dataset.state
    idResult.hidden = true
    idResult.dataset.idcheck = ''
    if (d.verdict === 'admitted' && d.entry) {
      pending = d
      const photo = byId<HTMLImageElement>('cand-photo')
      if (d.entry.photo) photo.src = d.entry.photo
      else photo.removeAttribute('src')
      photo.hidden = !d.entry.photo
      byId('cand-name').textContent = d.entry.name
      byId('cand-seat').textContent = String(d.entry.seat)
      byId('cand-number').textContent = d.entry.ticketNumber
      idNumber.value = ''
      reason.value = ''
      note.value = ''
      byId<HTMLDetailsElement>('override').open = false
      card.hidden = false
      idNumber.focus()
    } else {
      pending = null
      card.hidden = true
    }
  }

  const scan = (raw: string): DoorDecision | null => {
    const text = raw.trim()
    if (!text) return null
    const now = deps.now()
    if (text === last.text && now - last.at < SAME_SCAN_MS) return null // one scan fires once
    last = { text, at: now }
    const d = /^CT\d/i.test(text) ? decideVerdict(text, deps.pkg(), deps.admissions(), now) : decideByNumber(text, deps.pkg(), deps.admissions(), now)
    show(d)
    return d
  }

  const finish = async (check: Parameters<DoorDeps['admit']>[1]) => {
    const d = pending
    if (!d || saving) return
    // Admitted meanwhile (another scan, a sync)? The verdict is taken again before anything is recorded.
    const again = deps.admissions().find((a) => a.ticketNumber === d.entry!.ticketNumber)
    if (again) {
      show({ ...d, verdict: 'already_admitted', admittedAt: again.at, door: again.door })
      return
    }
    saving = true
    try {
      await deps.admit(d, check)
      pending = null
      card.hidden = true
      showAlert(admitAlert, 'ok', T(`已记录入场：${d.entry!.name}，座位 ${d.entry!.seat}`, `Admission recorded: ${d.entry!.name}, seat ${d.entry!.seat}`))
      admitAlert.dataset.state = 'recorded'
      scanField.focus()
    } catch (err) {
      showAlert(admitAlert, 'error', T('未能保存入场记录，请重试', 'The admission could not be saved; try again'), problemText(err))
      admitAlert.dataset.state = 'failed'
    } finally {
      saving = false
    }
  }

  idForm.addEventListener('submit', (ev) => {
    ev.preventDefault()
    if (!pending) return
    const typed = idNumber.value.trim()
    const match = idMatches(pending, typed)
    idResult.hidden = false
    if (match === null) {
      idResult.dataset.idcheck = 'unavailable'
      setText(
        idResult,
        T(
          '没有可比对的身份信息（请重新下载考场数据）：请扫描准考证二维码，或选择放行原因',
          'Nothing to compare the ID number with (download the room again): scan the QR code, or give an override reason',
        ),
      )
      return
    }
    if (!typed || !match) {
      idResult.dataset.idcheck = 'mismatch'
      setText(idResult, T('身份证号码与准考证不符：不予入场', 'The ID number does not match the ticket: not admitted'))
      beep(false)
      return
    }
    idResult.dataset.idcheck = 'matched'
    void finish({ idCheck: 'matched', idNumberTyped: true })
  })
  byId('override-confirm').addEventListener('click', () => {
    if (!pending) return
    if (!reason.value || (reason.value === 'other' && !note.value.trim())) {
      idResult.hidden = false
      idResult.dataset.idcheck = 'reason_needed'
      setText(idResult, T('放行须选择原因（“其他”须填写说明）', 'An override needs a reason (and a note for “Other”)'))
      return
    }
    void finish({ idCheck: 'override', idNumberTyped: idNumber.value.trim() !== '', override: { reason: reason.value, note: note.value.trim() } })
  })
  byId('id-cancel').addEventListener('click', () => {
    pending = null
    card.hidden = true
    scanField.focus()
  })

  watchScanField(scanField, (text) => scan(text))
  byId<HTMLFormElement>('scan-form').addEventListener('submit', (ev) => {
    ev.preventDefault()
    const text = scanField.value
    scanField.value = ''
    scan(text)
  })

  let camera: CameraScan | null = null
  const cameraBox = byId('camera-box')
  const cameraAlert = byId('camera-alert')
  byId<HTMLButtonElement>('camera-toggle').addEventListener('click', async () => {
    hideAlert(cameraAlert)
    if (camera) {
      await camera.stop().catch(() => {})
      camera = null
      cameraBox.hidden = true
      return
    }
    cameraBox.hidden = false
    try {
      camera = await startCamera('camera-box', (text) => scan(text), { repeatAfterMs: SAME_SCAN_MS })
    } catch (err) {
      cameraBox.hidden = true
      showAlert(
        cameraAlert,
        'error',
        T('无法使用摄像头：请用扫码枪或手工输入', 'The camera is not available: use the scanner or type the number'),
        problemText(err),
      )
    }
  })
  return { scan }
}

/** The empty verdict element (waiting for a ticket). */
export function resetVerdict(): void {
  const box = byId('verdict')
  box.dataset.verdict = ''
  box.className = 'kiosk-verdict'
  setText(byId('verdict-title'), T('等待核验准考证', 'Waiting for a ticket'))
  byId('verdict-detail').replaceChildren()
}
