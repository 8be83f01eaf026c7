// /admin/users: the administrator's list of accounts; create, edit roles, disable/enable, set a password.
// Every refusal is the server's (shown inline, Chinese with English beneath); the page never decides access.
// Separation of duties (decision 005): custodian and supervisor are granted or removed by a role change a
// second person confirms (the card of pending changes is here and on /supervisor); one's own roles are not
// editable; administrator and custodian cannot be combined; a password set here is one-time.
import type { Role } from '../../server/domain/accounts/index.ts'
import { type OutputOf, api } from './_client.ts'
import { busy, byId, el, hideAlert, problemText, showAlert, tx } from './_dom.ts'
import { T, type Text } from './_i18n.ts'
import { pageProblem, showWhenLoaded, startStaffPage } from './_shell.ts'
import { loginFailuresCard, roleChangesCard } from './_role-changes.ts'
import { formatCst, formatCstDate } from './_time.ts'

type RoleInfo = OutputOf<'GET /api/roles'>['roles'][number]
type UserRecord = OutputOf<'GET /api/users/{id}'>

const page = await startStaffPage()
if (page) await main(page.user.id, page.roleName)

async function main(selfId: string, roleName: (r: Role) => Text): Promise<void> {
  let roles: RoleInfo[]
  let users: UserRecord[]
  try {
    ;[roles, users] = await Promise.all([api('GET /api/roles').then((r) => r.roles), api('GET /api/users').then((r) => r.users)])
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
    tbody.replaceChildren(
      ...(shown.length > 0
        ? shown.map(row)
        : [el('tr', {}, el('td', { class: 'empty', attrs: { colspan: '6' }, text: T('没有符合条件的用户', 'No user matches') }))]),
    )
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
    // One's own password is changed with the current one (the top bar's link), not reset here.
    const pw =
      u.id === selfId
        ? null
        : el('button', { class: 'btn btn--small btn--ghost', attrs: { type: 'button', 'data-action': 'password' }, text: T('重设密码', 'Set password') })
    pw?.addEventListener('click', () => openPassword(u))
    return el(
      'tr',
      { attrs: { 'data-username': u.username }, ...(u.disabled ? { class: 'row--off' } : {}) },
      el('td', { class: 'nowrap' }, u.displayName, u.id === selfId ? tx(T('您', 'you'), 'you') : null),
      el('td', { class: 'mono nowrap muted' }, u.username),
      el(
        'td',
        {},
        u.roles.length > 0
          ? el('span', { class: 'badges' }, ...u.roles.map((r) => el('span', { class: 'badge badge--role' }, tx(roleName(r)))))
          : el('span', { class: 'muted', text: T('暂无角色（待确认）', 'No role yet (awaiting confirmation)') }),
        u.mustChangePassword ? el('div', { class: 'muted', text: T('初始密码未更换', 'Initial password not yet replaced') }) : null,
      ),
      el('td', {}, status),
      el('td', { class: 'nowrap', attrs: { title: formatCst(u.createdAt) } }, formatCstDate(u.createdAt)),
      // One's own account cannot be disabled (the server refuses it), so the button is not offered.
      el('td', { class: 'no-print' }, el('div', { class: 'row-actions' }, edit, pw, u.id === selfId ? null : toggle)),
    )
  }

  function replace(next: UserRecord): void {
    users = users.map((u) => (u.id === next.id ? next : u))
    render()
  }

  async function change(u: UserRecord, ch: { disabled: boolean }, button: HTMLButtonElement): Promise<void> {
    hideAlert(listAlert)
    try {
      const next = await busy(button, () => api('PATCH /api/users/{id}', { params: { id: u.id }, json: ch }))
      replace(next)
      showAlert(
        listAlert,
        'ok',
        next.disabled
          ? T(`已停用 ${next.username}，其登录会话已结束`, `Disabled ${next.username}; their sessions have ended`)
          : T(`已启用 ${next.username}`, `Enabled ${next.username}`),
      )
    } catch (err) {
      showAlert(listAlert, 'error', problemText(err))
    }
  }

  // Role checkboxes, shared by the create form and the edit dialog. The server refuses these pairs (decision
  // 005): administrator or supervisor with custodian or invigilator (they read every seal on the log; an
  // administrator-custodian could approve a print alone). Checking one disables the other, with the reason.
  const EXCLUSIVE: ReadonlyArray<readonly [Role, Role]> = [
    ['admin', 'custodian'],
    ['admin', 'invigilator'],
    ['supervisor', 'custodian'],
    ['supervisor', 'invigilator'],
  ]
  function roleChecks(box: HTMLElement, prefix: string, checked: readonly Role[] = [], locked = false): void {
    const inputs = new Map<Role, HTMLInputElement>()
    const why = el('p', {
      class: 'hint',
      attrs: { id: `${prefix}-why` },
      hidden: true,
      text: T(
        '职责分离：系统管理员、督导人员不能兼任试卷保密管理员或监考人员：他们可查阅全部日志与封条编号，管理员兼保密员可一人批准并解密试卷。',
        'Separation of duties: an administrator or a supervisor cannot also be a paper custodian or an invigilator: they read the whole log and every seal number, and an administrator-custodian could approve and decrypt a paper alone.',
      ),
    })
    const sync = () => {
      const blockedRoles = new Set<Role>()
      for (const [a, b] of EXCLUSIVE) {
        if (inputs.get(a)?.checked) blockedRoles.add(b)
        if (inputs.get(b)?.checked) blockedRoles.add(a)
      }
      for (const [r, input] of inputs) input.disabled = locked || (blockedRoles.has(r) && !input.checked)
      why.hidden = blockedRoles.size === 0
    }
    box.replaceChildren(
      ...roles.map((r) => {
        const input = el('input', { attrs: { type: 'checkbox', name: 'roles', value: r.id, id: `${prefix}-${r.id}`, 'aria-describedby': `${prefix}-why` } })
        input.checked = checked.includes(r.id)
        input.disabled = locked
        input.addEventListener('change', sync)
        inputs.set(r.id, input)
        return el(
          'label',
          { class: 'check', attrs: { for: input.id } },
          input,
          el('span', { class: 'check__text' }, el('span', {}, r.zh), el('span', { class: 'check__en', attrs: { lang: 'en' } }, r.en)),
        )
      }),
      why,
    )
    sync()
  }
  const TWO_PERSON: readonly Role[] = ['admin', 'custodian', 'supervisor']
  const twoPersonChange = (from: readonly Role[], to: readonly Role[]) => TWO_PERSON.some((r) => from.includes(r) !== to.includes(r))
  const sameSet = (a: readonly Role[], b: readonly Role[]) => a.length === b.length && a.every((r) => b.includes(r))

  // Role changes waiting for a second person, and the failed logins.
  const pending = roleChangesCard({ selfId, roleName, onDecided: reloadUsers })
  const failures = loginFailuresCard()
  byId('users-area').after(pending.card, failures.card)
  async function reloadUsers(): Promise<void> {
    users = (await api('GET /api/users')).users
    render()
  }
  async function reloadPending(): Promise<void> {
    try {
      await pending.load()
    } catch (err) {
      showAlert(listAlert, 'error', problemText(err))
    }
  }
  const checkedRoles = (box: HTMLElement): Role[] => [...box.querySelectorAll<HTMLInputElement>('input[name="roles"]:checked')].map((i) => i.value as Role)

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
      const created = await busy(byId<HTMLButtonElement>('create-submit'), () =>
        api('POST /api/users', {
          json: {
            username: String(data.get('username') ?? '').trim(),
            displayName: String(data.get('displayName') ?? '').trim(),
            password: String(data.get('password') ?? ''),
            roles: picked,
          },
        }),
      )
      users = [...users, created]
      render()
      createForm.reset()
      roleChecks(createRoles, 'new-role')
      if (picked.some((r) => !created.roles.includes(r))) {
        await reloadPending()
        showAlert(
          createAlert,
          'ok',
          T(`已创建用户 ${created.username}`, `Created user ${created.username}`),
          T(
            '系统管理员、试卷保密管理员、督导人员角色须由另一名管理员或督导人员确认后生效；初始密码仅可使用一次。',
            'The administrator, custodian or supervisor role takes effect once another administrator or a supervisor confirms it; the initial password works once.',
          ),
        )
      } else {
        showAlert(
          createAlert,
          'ok',
          T(`已创建用户 ${created.username}`, `Created user ${created.username}`),
          T('初始密码仅可使用一次：本人首次登录时须设置自己的密码。', 'The initial password works once: the user chooses their own at first login.'),
        )
      }
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
    byId('edit-user').textContent = `${u.displayName}（${u.username}）`
    editName.value = u.displayName
    roleChecks(editRoles, 'edit-role', u.roles, u.id === selfId)
    byId('edit-self-note').hidden = u.id !== selfId
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
      const displayName = editName.value.trim()
      const rolesChange = !sameSet(picked, u.roles)
      const needsSecond = rolesChange && twoPersonChange(u.roles, picked)
      const submit = byId<HTMLButtonElement>('edit-submit')
      // A two-person role change is proposed; the rest (name, other roles) is saved at once.
      const next = await busy(submit, () =>
        api('PATCH /api/users/{id}', { params: { id: u.id }, json: { displayName, ...(rolesChange && !needsSecond ? { roles: picked } : {}) } }),
      )
      replace(next)
      if (needsSecond) {
        await busy(submit, () => api('POST /api/users/{id}/role-changes', { params: { id: u.id }, json: { roles: picked } }))
        await reloadPending()
      }
      editDialog.close()
      showAlert(
        listAlert,
        'ok',
        needsSecond
          ? T(
              `已提交 ${next.username} 的角色变更，待另一名管理员或督导人员确认`,
              `Proposed a role change for ${next.username}; another administrator or a supervisor must confirm it`,
            )
          : T(`已保存 ${next.username} 的修改`, `Saved the changes to ${next.username}`),
      )
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
    byId('password-user').textContent = `${u.displayName}（${u.username}）`
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
      const next = await busy(byId<HTMLButtonElement>('password-submit'), () =>
        api('PUT /api/users/{id}/password', { params: { id: u.id }, json: { password: first } }),
      )
      pwDialog.close()
      // A reset suspends administrator, custodian and supervisor until a second person restores them (decision 005).
      const suspended = u.roles.filter((r) => !next.roles.includes(r))
      await reloadUsers()
      await reloadPending()
      showAlert(
        listAlert,
        'ok',
        suspended.length === 0
          ? T(`已为 ${u.username} 设置新密码，其登录会话已结束`, `Set a new password for ${u.username}; their sessions have ended`)
          : T(
              `已为 ${u.username} 设置新密码，其登录会话已结束；${suspended.map((r) => roleName(r).zh).join('、')}角色已暂停，待第二人确认后恢复`,
              `Set a new password for ${u.username}; their sessions have ended. Their ${suspended.map((r) => roleName(r).en).join(', ')} role is suspended until a second person restores it`,
            ),
      )
    } catch (err) {
      showAlert(pwAlert, 'error', problemText(err))
    }
  })

  for (const b of document.querySelectorAll<HTMLButtonElement>('[data-close]')) {
    b.addEventListener('click', () => (b.closest('dialog') as HTMLDialogElement | null)?.close())
  }

  await showWhenLoaded(async () => {
    render()
    await reloadPending()
    try {
      await failures.load()
    } catch {
      failures.card.hidden = true
    }
  }, 'users-area')
}
