// The frame every page shares: the top bar (name of the system, the pages this user may open, who is
// logged in, language switch, logout) and the login check of pages that need one. The server decides
// access on every API call; the check here only sends a logged-out visitor to the login page.
import type { Role } from '../../server/domain/accounts/index.ts'
import { ApiError, api, type SessionUser } from './_client.ts'
import { byId, el, problemText, showAlert, tx } from './_dom.ts'
import { LANG_EVENT, T, type Text, applyLang, currentLang, setAttrText, setLang } from './_i18n.ts'
import { featuresFor } from './_nav.ts'
import { safeNext as sameOriginNext } from './_next.ts'

export interface StaffPage {
  user: SessionUser
  /** Role names for display (from the server's role table). */
  roleName(role: Role): Text
}

const BRAND = T('试卷保密管理系统', 'Exam Paper Custody')

/** Where the login page sends a user afterwards: only a path on this origin (decision 005). */
export const safeNext = (raw: string | null): string => sameOriginNext(raw, location.origin)

function langToggle(): HTMLButtonElement {
  const button = el('button', { class: 'btn btn--ghost btn--small lang-toggle', attrs: { type: 'button', id: 'lang-toggle' } })
  const label = () => {
    // The button names the other language in that language, as language switches do.
    const en = currentLang() === 'en'
    button.textContent = en ? '中文' : 'English'
    button.setAttribute('lang', en ? 'zh-CN' : 'en')
    button.setAttribute('aria-label', en ? '切换到中文' : 'Switch to English')
  }
  label()
  button.addEventListener('click', () => setLang(currentLang() === 'en' ? 'zh-CN' : 'en'))
  document.addEventListener(LANG_EVENT, label)
  return button
}

function brand(): HTMLAnchorElement {
  return el(
    'a',
    { class: 'brand', attrs: { href: '/' } },
    el('img', { class: 'brand__mark', attrs: { src: '/assets/icon.svg', alt: '', width: '32', height: '32' } }),
    tx(BRAND, 'brand__name'),
  )
}

/** Top bar with the name and the language switch only (the login page). */
export function startPublicPage(): void {
  applyLang()
  byId('topbar').replaceChildren(brand(), el('div', { class: 'topbar__end' }, langToggle()))
}

/**
 * Starts a page that needs a logged-in user: sends visitors to /login (and back here afterwards),
 * draws the top bar for this user. Resolves to null when the page should stop (redirecting, or the
 * server unreachable, which is then shown).
 */
export async function startStaffPage(): Promise<StaffPage | null> {
  startPublicPage()
  let user: SessionUser | null
  try {
    user = (await api('GET /api/session')).user
  } catch (err) {
    pageProblem(problemText(err))
    return null
  }
  // Logged out, or holding a one-time password (decision 005): the login page, and back here afterwards.
  if (!user || user.mustChangePassword) {
    location.replace(`/login?next=${encodeURIComponent(location.pathname + location.search)}`)
    return null
  }
  const names = new Map<string, Text>()
  try {
    for (const r of (await api('GET /api/roles')).roles) names.set(r.id, { zh: r.zh, en: r.en })
  } catch {
    // Names are a nicety; the role ids still say what they are.
  }
  const roleName = (role: Role): Text => names.get(role) ?? { zh: role, en: role }
  drawTopbar(user, roleName)
  return { user, roleName }
}

function drawTopbar(user: SessionUser, roleName: (r: Role) => Text): void {
  const here = location.pathname
  const links = [{ href: '/home', title: T('首页', 'Home') }, ...featuresFor(user.roles).filter((f) => !f.href.startsWith('/api/'))]
  const nav = setAttrText(
    el(
      'nav',
      { class: 'topbar__nav' },
      ...links.map((l) => el('a', { attrs: { href: l.href, ...(l.href === here ? { 'aria-current': 'page' } : {}) }, text: l.title })),
    ),
    'aria-label',
    T('主导航', 'Main navigation'),
  )
  const logout = el('button', { class: 'btn btn--ghost btn--small', attrs: { type: 'button', id: 'logout' }, text: T('退出登录', 'Log out') })
  logout.addEventListener('click', async () => {
    logout.disabled = true
    try {
      await api('DELETE /api/session')
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 401)) {
        logout.disabled = false
        pageProblem(problemText(err))
        return
      }
    }
    location.assign('/login')
  })
  const who = el(
    'span',
    { class: 'whoami', attrs: { id: 'whoami' } },
    el('strong', {}, user.displayName),
    el('span', { class: 'whoami__roles' }, ...user.roles.map((r) => tx(roleName(r), 'whoami__role'))),
  )
  const password = el('a', {
    class: 'btn btn--ghost btn--small',
    attrs: { href: `/login?change=1&next=${encodeURIComponent(here)}`, id: 'change-password' },
    text: T('修改密码', 'Change password'),
  })
  byId('topbar').replaceChildren(brand(), nav, el('div', { class: 'topbar__end' }, who, langToggle(), password, logout))
}

/** A problem that stops the whole page, shown under the page heading with a way back home. */
export function pageProblem(t: Text): void {
  document.getElementById('loading')?.remove()
  let box = document.getElementById('page-problem')
  if (!box) {
    box = el('div', { attrs: { id: 'page-problem' } })
    // A heading inside the still-hidden page area would hide the problem too (a blank page): only a visible one.
    const head = [...document.querySelectorAll('.page__head')].find((h) => !h.closest('[hidden]'))
    if (head) head.after(box)
    else (document.querySelector('main') ?? document.body).prepend(box)
    box.after(el('p', {}, el('a', { class: 'btn btn--ghost', attrs: { href: '/home' }, text: T('返回首页', 'Back to home') })))
  }
  showAlert(box, 'error', t)
}

/**
 * Runs the page's first load, then shows its area (#area, or the id given) in place of the loading line; a
 * failure stops the page with pageProblem. Resolves to whether the page is up: every page starts this way.
 * `if (!(await showWhenLoaded(load))) return`
 */
export async function showWhenLoaded(load: () => Promise<unknown> | void, areaId = 'area'): Promise<boolean> {
  try {
    await load()
  } catch (err) {
    pageProblem(problemText(err))
    return false
  }
  byId(areaId).hidden = false
  document.getElementById('loading')?.remove()
  return true
}
