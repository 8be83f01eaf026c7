// /admin/kiosks: door tablets (decision 011). An administrator makes a single-use enrolment code for a site and
// shows it large with its QR code (custody-enrol:<code>), once; administrators and supervisors see every tablet
// and revoke one with a reason.
import QRCode from 'qrcode'
import { type OutputOf, api } from './_client.ts'
import { busy, byId, el, hideAlert, problemText, showAlert, tx } from './_dom.ts'
import { T, type Text, setText } from './_i18n.ts'
import { showWhenLoaded, startStaffPage } from './_shell.ts'
import { formatCst } from './_time.ts'

type Device = OutputOf<'GET /api/kiosk/devices'>['devices'][number]

/** A time in Beijing time, in both languages (the page can switch language after it is drawn). */
const when = (t: string): Text => T(formatCst(t, 'zh-CN'), formatCst(t, 'en'))

const page = await startStaffPage()
if (page) await main(page.user.roles)

async function main(roles: readonly string[]): Promise<void> {
  const enrols = roles.includes('admin')
  byId('enrol-card').hidden = !enrols

  async function load(): Promise<void> {
    const [{ devices }, sites] = await Promise.all([api('GET /api/kiosk/devices'), enrols ? api('GET /api/sites') : Promise.resolve({ sites: [] })])
    if (enrols) {
      const select = byId<HTMLSelectElement>('enrol-site')
      const chosen = select.value
      select.replaceChildren(...sites.sites.map((s) => el('option', { attrs: { value: s.id } }, s.name)))
      if (chosen) select.value = chosen
    }
    renderDevices(devices)
  }

  function renderDevices(devices: Device[]): void {
    byId('devices-empty').hidden = devices.length > 0
    byId('devices-body').replaceChildren(
      ...devices.map((d) => {
        const revoke =
          d.state === 'active'
            ? el('button', { class: 'btn btn--danger-ghost btn--small', attrs: { type: 'button', 'data-revoke': d.id }, text: T('吊销…', 'Revoke…') })
            : null
        revoke?.addEventListener('click', () => askRevoke(d))
        const state =
          d.state === 'active'
            ? tx(T('使用中', 'Active'))
            : el(
                'span',
                {},
                tx(T('已吊销', 'Revoked'), 'muted'),
                el('br'),
                el('small', { class: 'muted' }, tx(when(d.revokedAt!)), ` · ${d.revokedBy?.displayName ?? '—'} · ${d.revokeReason ?? ''}`),
              )
        return el(
          'tr',
          { attrs: { 'data-device': d.id, 'data-state': d.state } },
          el('td', {}, d.siteName),
          el('td', {}, d.label),
          el('td', {}, tx(when(d.enrolledAt))),
          el('td', {}, d.lastSeenAt ? tx(when(d.lastSeenAt)) : tx(T('尚未联系', 'Not yet'), 'muted')),
          el('td', {}, state),
          el('td', {}, revoke),
        )
      }),
    )
  }

  byId<HTMLFormElement>('enrol-form').addEventListener('submit', async (ev) => {
    ev.preventDefault()
    const box = byId('enrol-alert')
    hideAlert(box)
    byId('enrol-code').hidden = true
    try {
      const e = await busy(byId<HTMLButtonElement>('enrol-submit'), () =>
        api('POST /api/kiosk/enrolments', {
          json: { siteId: byId<HTMLSelectElement>('enrol-site').value, label: byId<HTMLInputElement>('enrol-label').value.trim() },
        }),
      )
      byId('enrol-code-text').textContent = e.code
      const img = byId<HTMLImageElement>('enrol-code-qr')
      img.src = await QRCode.toDataURL(e.qr, { errorCorrectionLevel: 'M', margin: 2, width: 280 })
      img.alt = `custody-enrol:${e.code}`
      const until = when(e.expiresAt)
      setText(byId('enrol-code-meta'), T(`${e.siteName} · ${e.label} · ${until.zh}前有效`, `${e.siteName} · ${e.label} · valid until ${until.en}`))
      byId('enrol-code').hidden = false
      byId<HTMLInputElement>('enrol-label').value = ''
    } catch (err) {
      showAlert(box, 'error', problemText(err))
    }
  })

  // Revocation: a clear confirmation with a reason; the tablet is refused from its next request on.
  const dialog = byId<HTMLDialogElement>('revoke-dialog')
  const alert = byId('revoke-alert')
  let target: Device | null = null
  function askRevoke(d: Device): void {
    target = d
    setText(
      byId('revoke-text'),
      T(
        `吊销“${d.siteName} · ${d.label}”后，它此后发出的每个请求都会被拒绝；吊销之后才上传的离线记录会被保留并标记为冲突。此操作不能撤销。`,
        `Once “${d.siteName} · ${d.label}” is revoked, every later request it makes is refused; offline records it uploads afterwards are kept and flagged as a conflict. This cannot be undone.`,
      ),
    )
    byId<HTMLTextAreaElement>('revoke-reason').value = ''
    hideAlert(alert)
    dialog.showModal()
  }
  for (const b of document.querySelectorAll<HTMLButtonElement>('[data-close]')) b.addEventListener('click', () => b.closest('dialog')?.close())
  byId<HTMLFormElement>('revoke-form').addEventListener('submit', async (ev) => {
    ev.preventDefault()
    if (!target) return
    const d = target
    const reason = byId<HTMLTextAreaElement>('revoke-reason').value.trim()
    if (!reason) {
      showAlert(alert, 'error', T('请填写吊销原因', 'Give a reason'))
      return
    }
    try {
      await busy(byId<HTMLButtonElement>('revoke-submit'), () => api('POST /api/kiosk/devices/{id}/revoke', { params: { id: d.id }, json: { reason } }))
      target = null
      dialog.close()
      showAlert(byId('page-alert'), 'ok', T(`已吊销：${d.siteName} · ${d.label}`, `Revoked: ${d.siteName} · ${d.label}`))
      await load()
    } catch (err) {
      showAlert(alert, 'error', problemText(err))
    }
  })

  await showWhenLoaded(load)
}
