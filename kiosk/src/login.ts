// /login: username and password. A refusal shows the server's message (Chinese, English beneath);
// too many failures show how long to wait and hold the button until then. A password an administrator
// set works once: after it, this page asks for the user's own (decision 005); `?change=1` offers the same
// change to anyone logged in. `next` is followed only to a path on this origin (_next.ts).
import { ApiError, api, type SessionUser } from './_client.ts'
import { busy, byId, hideAlert, problemText, showAlert } from './_dom.ts'
import { T, setText } from './_i18n.ts'
import { safeNext, startPublicPage } from './_shell.ts'

startPublicPage()
const params = new URLSearchParams(location.search)
const next = safeNext(params.get('next'))
const form = byId<HTMLFormElement>('login-form')
const username = byId<HTMLInputElement>('username')
const password = byId<HTMLInputElement>('password')
const submit = byId<HTMLButtonElement>('login-submit')
const alertBox = byId('login-alert')

// Someone already logged in on this device goes straight on, unless they must (or asked to) change their password.
api('GET /api/session').then(
  ({ user }) => {
    if (!user) return
    if (user.mustChangePassword || params.get('change') === '1') showChange(user, null)
    else location.replace(next)
  },
  () => {},
)

let holdUntil = 0
let holdTimer: ReturnType<typeof setInterval> | undefined

/** Holds the button of `button` for `seconds` (a 429 or 503 said when to try again). */
function hold(button: HTMLButtonElement, seconds: number): void {
  holdUntil = Date.now() + seconds * 1000
  button.disabled = true
  clearInterval(holdTimer)
  holdTimer = setInterval(() => {
    if (Date.now() >= holdUntil) {
      holdUntil = 0
      clearInterval(holdTimer)
      button.disabled = false
    }
  }, 500)
}

/** A refusal that says when to try again, shown with the wait; true when it was one. */
function showWait(box: HTMLElement, button: HTMLButtonElement, err: unknown): boolean {
  if (!(err instanceof ApiError) || (err.code !== 'auth.rate_limited' && err.code !== 'auth.busy')) return false
  const seconds = Number((err.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds) || 60
  const minutes = Math.ceil(seconds / 60)
  const wait =
    seconds < 120
      ? T(`请在 ${seconds} 秒后再试。`, `Try again in ${seconds} seconds.`)
      : T(`请在约 ${minutes} 分钟后再试。`, `Try again in about ${minutes} minutes.`)
  showAlert(box, 'error', err.text, wait)
  hold(button, seconds)
  return true
}

// The wait is per account on the server: another username may try at once.
username.addEventListener('input', () => {
  if (!holdUntil) return
  holdUntil = 0
  clearInterval(holdTimer)
  submit.disabled = false
})

form.addEventListener('submit', async (ev) => {
  ev.preventDefault()
  hideAlert(alertBox)
  const name = username.value.trim()
  if (!name || !password.value) {
    showAlert(alertBox, 'error', T('请输入用户名和密码', 'Enter your username and password'))
    ;(name ? password : username).focus()
    return
  }
  try {
    const { user } = await busy(submit, () => api('POST /api/session', { json: { username: name, password: password.value } }))
    if (user.mustChangePassword) showChange(user, password.value)
    else location.assign(next)
  } catch (err) {
    password.value = ''
    if (!showWait(alertBox, submit, err)) showAlert(alertBox, 'error', problemText(err))
    password.focus()
  }
})

// ---- choosing one's own password ----------------------------------------------------------------------------
const changeForm = byId<HTMLFormElement>('change-form')
const current = byId<HTMLInputElement>('current-password')
const fresh = byId<HTMLInputElement>('new-password')
const again = byId<HTMLInputElement>('new-password-again')
const changeSubmit = byId<HTMLButtonElement>('change-submit')
const changeAlert = byId('change-alert')
/** The one-time password just typed at login, so it is not asked for twice. */
let oneTime: string | null = null

function showChange(user: SessionUser, justTyped: string | null): void {
  oneTime = justTyped
  password.value = ''
  byId('login-card').hidden = true
  byId('change-card').hidden = false
  byId<HTMLInputElement>('change-username').value = user.username
  byId('current-field').hidden = justTyped !== null
  current.required = justTyped === null
  if (!user.mustChangePassword) {
    setText(byId('change-title'), T('修改密码', 'Change password'))
    byId('change-why').hidden = true
  }
  ;(justTyped === null ? current : fresh).focus()
}

changeForm.addEventListener('submit', async (ev) => {
  ev.preventDefault()
  hideAlert(changeAlert)
  const currentPassword = oneTime ?? current.value
  if (!currentPassword || !fresh.value) {
    showAlert(changeAlert, 'error', T('请填写当前密码和新密码', 'Enter your current and new password'))
    return
  }
  if (fresh.value !== again.value) {
    showAlert(changeAlert, 'error', T('两次输入的新密码不一致', 'The two new passwords differ'))
    again.focus()
    return
  }
  try {
    await busy(changeSubmit, () => api('PUT /api/session/password', { json: { currentPassword, newPassword: fresh.value } }))
    location.assign(next)
  } catch (err) {
    if (!showWait(changeAlert, changeSubmit, err)) showAlert(changeAlert, 'error', problemText(err))
    if (err instanceof ApiError && err.code === 'user.current_password_wrong' && oneTime !== null) {
      oneTime = null // ask for it after all
      byId('current-field').hidden = false
      current.required = true
    }
  }
})
