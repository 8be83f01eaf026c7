// /login: username and password. A refusal shows the server's message (Chinese, English beneath);
// too many failures show how long to wait and hold the button until then.
import { ApiError, api } from './_api.ts'
import { busy, byId, hideAlert, problemText, showAlert } from './_dom.ts'
import { T } from './_i18n.ts'
import { safeNext, startPublicPage } from './_shell.ts'

startPublicPage()
const next = safeNext(new URLSearchParams(location.search).get('next'))
const form = byId<HTMLFormElement>('login-form')
const username = byId<HTMLInputElement>('username')
const password = byId<HTMLInputElement>('password')
const submit = byId<HTMLButtonElement>('login-submit')
const alertBox = byId('login-alert')

// Someone already logged in on this device goes straight on.
api.session.get().then(({ user }) => { if (user) location.replace(next) }, () => {})

let holdUntil = 0
let holdTimer: ReturnType<typeof setInterval> | undefined

function hold(seconds: number): void {
  holdUntil = Date.now() + seconds * 1000
  submit.disabled = true
  clearInterval(holdTimer)
  holdTimer = setInterval(() => {
    if (Date.now() >= holdUntil) { holdUntil = 0; clearInterval(holdTimer); submit.disabled = false }
  }, 500)
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
    await busy(submit, () => api.session.login(name, password.value))
    location.assign(next)
  } catch (err) {
    password.value = ''
    if (err instanceof ApiError && err.code === 'auth.rate_limited') {
      const seconds = Number((err.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds) || 60
      const minutes = Math.ceil(seconds / 60)
      const wait = seconds < 120
        ? T(`请在 ${seconds} 秒后再试。`, `Try again in ${seconds} seconds.`)
        : T(`请在约 ${minutes} 分钟后再试。`, `Try again in about ${minutes} minutes.`)
      showAlert(alertBox, 'error', err.text, wait)
      hold(seconds)
    } else {
      showAlert(alertBox, 'error', problemText(err))
    }
    password.focus()
  }
})
