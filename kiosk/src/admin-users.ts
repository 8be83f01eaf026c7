// /admin/users: the administrator's list of accounts; create, edit roles, disable/enable, set a password.
// Every refusal is the server's (shown inline, Chinese with English beneath); the page never decides access.
import type { Role } from '../../server/domain/accounts/index.ts'
import { type RoleInfo, type UserRecord, api } from './_api.ts'
import { busy, byId, el, hideAlert, problemText, showAlert, tx } from './_dom.ts'
import { T, type Text } from './_i18n.ts'
import { pageProblem, startStaffPage } from './_shell.ts'
import { formatCst, formatCstDate } from './_time.ts'

const page = await startStaffPage()
if (page) await main(page.user.id, page.roleName)

async function main(selfId: string, roleName: (r: Role) => Text): Promise<void> {
  let roles: RoleInfo[]
  let users: UserRecord[]
  try {
    ;[roles, users] = await Promise.all([api.roles().then((r) => r.roles), api.users.list().then((r) => r.users)])
  } catch (err) {
    pageProblem(problemText(err)) // e.g. 403 for a role other than admin: the message, and no data
    return
  }

  const listAlert = byId('list-alert')
  const tbody = byId('users-body')

  const filter = byId<HTMLInputElement>('user-filter')
  const byName = (a: UserRecord, b: UserRecord) => a.username.localeCompare(b.username, 'en', { numeric: true })

  function render(): void {
    byId('user-count').textContent = String(users.length)
    const words = filter.value.trim().toLowerCase().split(/\s+/).filter(Boolean)
    const matches = (u: UserRecord) => {
      const hay = [u.username, u.displayName, ...u.roles.flatMap((r) => [r, roleName(r).zh, roleName(r).en])].join(' ').toLowerCase()
      return words.every((w) => hay.includes(w))
    }
    const shown = [...users].sort(byName).filter(matches)
    tbody.replaceChildren(...(shown.length > 0
      ? shown.map(row)
      : [el('tr', {}, el('td', { class: 'empty', attrs: { colspan: '6' }, text: T('没有符合条件的用户', 'No user matches') }))]))
  }
  filter.addEventListener('input', render)

  function row(u: UserRecord): HTMLTableRowElement {
    const status = u.disabled
      ? el('span', { class: 'badge badge--off', text: T('已停用', 'Disabled') })
      : el('span', { class: 'badge badge--ok', text: T('正常', 'Active') })
    const toggle = el('button', {
      class: `btn btn--small ${u.disabled ? 'btn--ghost' : 'btn--danger-ghost'}`,
      attrs: { type: 'button', 'data-action': u.disabled ? 'enable' : 'disable' },
      text: u.disabled ? T('启用', 'Enable') : T('停用', 'Disable'),
    })
    toggle.addEventListener('click', () => change(u, { disabled: !u.disabled }, toggle))
    const edit = el('button', { class: 'btn btn--small btn--ghost', attrs: { type: 'button', 'data-action': 'edit' }, text: T('编辑', 'Edit') })
    edit.addEventListener('click', () => openEdit(u))
    const pw = el('button', { class: 'btn btn--small btn--ghost', attrs: { type: 'button', 'data-action': 'password' }, text: T('重设密码', 'Set password') })
    pw.addEventListener('click', () => openPassword(u))
    return el('tr', { attrs: { 'data-username': u.username }, ...(u.disabled ? { class: 'row--off' } : {}) },
      el('td', { class: 'mono nowrap' }, u.username, u.id === selfId ? tx(T('您', 'you'), 'you') : null),
      el('td', { class: 'nowrap' }, u.displayName),
      el('td', {}, el('span', { class: 'badges' }, ...u.roles.map((r) => el('span', { class: 'badge badge--role' }, tx(roleName(r)))))),
      el('td', {}, status),
      el('td', { class: 'nowrap', attrs: { title: formatCst(u.createdAt) } }, formatCstDate(u.createdAt)),
      // One's own account cannot be disabled (the server refuses it), so the button is not offered.
      el('td', { class: 'no-print' }, el('div', { class: 'row-actions' }, edit, pw, u.id === selfId ? null : toggle)))
  }

  function replace(next: UserRecord): void {
    users = users.map((u) => (u.id === next.id ? next : u))
    render()
  }

  async function change(u: UserRecord, ch: { disabled: boolean }, button: HTMLButtonElement): Promise<void> {
    hideAlert(listAlert)
    try {
      const next = await busy(button, () => api.users.update(u.id, ch))
      replace(next)
      showAlert(listAlert, 'ok', next.disabled
        ? T(`已停用 ${next.username}，其登录会话已结束`, `Disabled ${next.username}; their sessions have ended`)
        : T(`已启用 ${next.username}`, `Enabled ${next.username}`))
    } catch (err) {
      showAlert(listAlert, 'error', problemText(err))
    }
  }

  // Role checkboxes, shared by the create form and the edit dialog.
  function roleChecks(box: HTMLElement, prefix: string, checked: readonly Role[] = []): void {
    box.replaceChildren(...roles.map((r) => {
      const input = el('input', { attrs: { type: 'checkbox', name: 'roles', value: r.id, id: `${prefix}-${r.id}` } })
      input.checked = checked.includes(r.id)
      return el('label', { class: 'check', attrs: { for: input.id } }, input,
        el('span', { class: 'check__text' }, el('span', {}, r.zh), el('span', { class: 'check__en', attrs: { lang: 'en' } }, r.en)))
    }))
  }
  const checkedRoles = (box: HTMLElement): Role[] =>
    [...box.querySelectorAll<HTMLInputElement>('input[name="roles"]:checked')].map((i) => i.value as Role)

  // Create.
  const createForm = byId<HTMLFormElement>('create-form')
  const createAlert = byId('create-alert')
  const createRoles = byId('create-roles')
  roleChecks(createRoles, 'new-role')
  createForm.addEventListener('submit', async (ev) => {
    ev.preventDefault()
    hideAlert(createAlert)
    const data = new FormData(createForm)
    const picked = checkedRoles(createRoles)
    if (picked.length === 0) {
      showAlert(createAlert, 'error', T('请至少选择一个角色', 'Choose at least one role'))
      return
    }
    try {
      const created = await busy(byId<HTMLButtonElement>('create-submit'), () => api.users.create({
        username: String(data.get('username') ?? '').trim(),
        displayName: String(data.get('displayName') ?? '').trim(),
        password: String(data.get('password') ?? ''),
        roles: picked,
      }))
      users = [...users, created]
      render()
      createForm.reset()
      showAlert(createAlert, 'ok', T(`已创建用户 ${created.username}`, `Created user ${created.username}`))
    } catch (err) {
      showAlert(createAlert, 'error', problemText(err))
    }
  })

  // Edit name and roles.
  const editDialog = byId<HTMLDialogElement>('edit-dialog')
  const editForm = byId<HTMLFormElement>('edit-form')
  const editAlert = byId('edit-alert')
  const editRoles = byId('edit-roles')
  const editName = byId<HTMLInputElement>('edit-display-name')
  let editing: UserRecord | null = null
  function openEdit(u: UserRecord): void {
    editing = u
    hideAlert(editAlert)
    byId('edit-user').textContent = u.username
    editName.value = u.displayName
    roleChecks(editRoles, 'edit-role', u.roles)
    editDialog.showModal()
  }
  editForm.addEventListener('submit', async (ev) => {
    ev.preventDefault()
    if (!editing) return
    hideAlert(editAlert)
    const picked = checkedRoles(editRoles)
    if (picked.length === 0) {
      showAlert(editAlert, 'error', T('请至少选择一个角色', 'Choose at least one role'))
      return
    }
    try {
      const u = editing
      const next = await busy(byId<HTMLButtonElement>('edit-submit'), () => api.users.update(u.id, { displayName: editName.value.trim(), roles: picked }))
      replace(next)
      editDialog.close()
      showAlert(listAlert, 'ok', T(`已保存 ${next.username} 的修改`, `Saved the changes to ${next.username}`))
    } catch (err) {
      showAlert(editAlert, 'error', problemText(err))
    }
  })

  // Set a password.
  const pwDialog = byId<HTMLDialogElement>('password-dialog')
  const pwForm = byId<HTMLFormElement>('password-form')
  const pwAlert = byId('password-alert')
  let pwUser: UserRecord | null = null
  function openPassword(u: UserRecord): void {
    pwUser = u
    pwForm.reset()
    hideAlert(pwAlert)
    byId('password-user').textContent = u.username
    byId<HTMLInputElement>('password-username').value = u.username // for password managers
    pwDialog.showModal()
  }
  pwForm.addEventListener('submit', async (ev) => {
    ev.preventDefault()
    if (!pwUser) return
    hideAlert(pwAlert)
    const first = byId<HTMLInputElement>('new-password').value
    if (first !== byId<HTMLInputElement>('new-password-again').value) {
      showAlert(pwAlert, 'error', T('两次输入的密码不一致', 'The two passwords differ'))
      return
    }
    try {
      const u = pwUser
      await busy(byId<HTMLButtonElement>('password-submit'), () => api.users.setPassword(u.id, first))
      pwDialog.close()
      showAlert(listAlert, 'ok', T(`已为 ${u.username} 设置新密码，其登录会话已结束`, `Set a new password for ${u.username}; their sessions have ended`))
    } catch (err) {
      showAlert(pwAlert, 'error', problemText(err))
    }
  })

  for (const b of document.querySelectorAll<HTMLButtonElement>('[data-close]')) {
    b.addEventListener('click', () => (b.closest('dialog') as HTMLDialogElement | null)?.close())
  }

  render()
  byId('users-area').hidden = false
  document.getElementById('loading')?.remove()
}
