// Cards for the second person of a two-person role change and for the security record (decision 005):
// role changes awaiting confirmation (custodian, supervisor: proposed by one administrator, confirmed or
// rejected by another administrator or a supervisor, never the proposer or the account's holder), and the
// failed logins. Shown on /supervisor and /admin/users; the server decides every verdict.
import type { Role } from '../../server/domain/accounts/index.ts'
import { type OutputOf, api } from './_client.ts'
import { busy, el, hideAlert, problemText, showAlert, tx } from './_dom.ts'
import { T, type Text } from './_i18n.ts'
import { formatCst } from './_time.ts'

type RoleChange = OutputOf<'GET /api/role-changes'>['roleChanges'][number]

type RoleName = (r: Role) => Text
/** The roles a second person grants only with the holder present (server: TWO_PERSON_ROLES). */
const TWO_PERSON: readonly Role[] = ['admin', 'custodian', 'supervisor']

const roleBadges = (roles: readonly Role[], roleName: RoleName, highlight: readonly Role[] = []): HTMLElement =>
  el(
    'span',
    { class: 'badges' },
    ...(roles.length > 0
      ? roles.map((r) => el('span', { class: highlight.includes(r) ? 'badge badge--warn' : 'badge badge--role' }, tx(roleName(r))))
      : [tx(T('无', 'none'))]),
  )

function card(id: string, title: Text): { section: HTMLElement; body: HTMLElement; alert: HTMLElement; count: HTMLElement } {
  const count = el('span', { class: 'count' })
  const alert = el('div', { hidden: true })
  const body = el('div', {})
  const section = el(
    'section',
    { class: 'card', attrs: { id, 'aria-labelledby': `${id}-title` } },
    el('div', { class: 'card__head' }, el('h2', { attrs: { id: `${id}-title` } }, tx(title), ' ', count)),
    alert,
    body,
  )
  return { section, body, alert, count }
}

/** Role changes awaiting a second person; `onDecided` runs after a confirmation or rejection. */
export function roleChangesCard(opts: { selfId: string; roleName: RoleName; onDecided?: () => void | Promise<void> }): {
  card: HTMLElement
  load(): Promise<void>
} {
  const c = card('role-changes', T('待确认的角色变更', 'Role changes awaiting confirmation'))
  const hint = el('p', {
    class: 'hint',
    text: T(
      '授予或撤销系统管理员、试卷保密管理员、督导人员角色（含重设密码后的恢复）须由第二人确认：提出人和账号本人都不能确认；恢复前请当面核实本人。',
      'Granting or removing administrator, custodian or supervisor (including restoring them after a password reset) needs a second person: neither the proposer nor the account holder can confirm; before restoring, check with the person face to face.',
    ),
  })
  c.section.insertBefore(hint, c.alert)

  function row(rc: RoleChange): HTMLTableRowElement {
    const changed = [...rc.fromRoles.filter((r) => !rc.toRoles.includes(r)), ...rc.toRoles.filter((r) => !rc.fromRoles.includes(r))]
    const mine = rc.proposedBy === opts.selfId || rc.userId === opts.selfId
    const actions = el('div', { class: 'row-actions' })
    if (mine) {
      actions.append(
        el('span', {
          class: 'muted',
          text:
            rc.userId === opts.selfId
              ? T('针对您本人的账号，须由他人处理', 'Your own account: someone else decides')
              : T('由您提出，须由他人确认', 'Proposed by you: someone else confirms'),
        }),
      )
    }
    // Granting administrator, custodian or supervisor needs the holder present: they type the password they
    // chose themself, here, in front of the second person (decision 005).
    const grants = rc.toRoles.some((r) => TWO_PERSON.includes(r) && !rc.fromRoles.includes(r))
    const holderField =
      grants && rc.userId !== opts.selfId && rc.proposedBy !== opts.selfId
        ? el('input', {
            attrs: {
              type: 'password',
              autocomplete: 'off',
              'data-field': 'holder-password',
              'aria-label': `${rc.displayName}：本人当面输入自己的密码 / ${rc.displayName} types their own password`,
              placeholder: '本人当面输入密码 · holder types password',
            },
          })
        : null
    if (holderField) actions.append(holderField)
    for (const verdict of ['confirm', 'reject'] as const) {
      if (rc.userId === opts.selfId || (verdict === 'confirm' && rc.proposedBy === opts.selfId)) continue
      const b = el('button', {
        class: `btn btn--small ${verdict === 'confirm' ? 'btn--primary' : 'btn--ghost'}`,
        attrs: { type: 'button', 'data-action': verdict },
        text: verdict === 'confirm' ? T('确认', 'Confirm') : rc.proposedBy === opts.selfId ? T('撤回', 'Withdraw') : T('驳回', 'Reject'),
      })
      b.addEventListener('click', async () => {
        hideAlert(c.alert)
        try {
          const holderPassword = verdict === 'confirm' && holderField ? holderField.value : undefined
          await busy(b, () => api(`POST /api/role-changes/{id}/${verdict}`, { params: { id: rc.id }, json: holderPassword ? { holderPassword } : undefined }))
          showAlert(
            c.alert,
            'ok',
            verdict === 'confirm'
              ? T(`已确认：${rc.displayName} 的角色已变更`, `Confirmed: ${rc.displayName}'s roles have changed`)
              : T(`已驳回 ${rc.displayName} 的角色变更`, `Rejected the role change of ${rc.displayName}`),
          )
          await load()
          await opts.onDecided?.()
        } catch (err) {
          showAlert(c.alert, 'error', problemText(err))
        }
      })
      actions.append(b)
    }
    return el(
      'tr',
      { attrs: { 'data-role-change': rc.id, 'data-for': rc.username } },
      el('td', {}, el('strong', {}, rc.displayName), el('div', { class: 'muted mono' }, rc.username)),
      el('td', {}, roleBadges(rc.fromRoles, opts.roleName)),
      el('td', {}, roleBadges(rc.toRoles, opts.roleName, changed)),
      el(
        'td',
        { class: 'nowrap' },
        rc.proposedByName,
        el('div', { class: 'muted', text: T(formatCst(rc.proposedAt, 'zh-CN'), formatCst(rc.proposedAt, 'en')) }),
      ),
      el('td', {}, actions),
    )
  }

  async function load(): Promise<void> {
    const { roleChanges } = await api('GET /api/role-changes')
    c.count.textContent = String(roleChanges.length)
    const head = el(
      'tr',
      {},
      ...[T('账号', 'Account'), T('现有角色', 'Roles now'), T('申请后的角色', 'Roles proposed'), T('提出人', 'Proposed by'), T('操作', 'Actions')].map((t) =>
        el('th', { attrs: { scope: 'col' }, text: t }),
      ),
    )
    c.body.replaceChildren(
      roleChanges.length === 0
        ? el('p', { class: 'empty', text: T('没有待确认的角色变更', 'No role change is waiting') })
        : el(
            'div',
            { class: 'table-wrap' },
            el('table', { class: 'grid', attrs: { id: 'role-changes-table' } }, el('thead', {}, head), el('tbody', {}, ...roleChanges.map(row))),
          ),
    )
  }
  return { card: c.section, load }
}

const OUTCOMES: Record<string, Text> = {
  invalid_credentials: T('用户名或密码错误', 'wrong username or password'),
  busy: T('服务器繁忙，未核验', 'server busy, not checked'),
  disabled: T('账号已停用', 'account disabled'),
}
const KINDS: Record<string, Text> = {
  login: T('登录', 'login'),
  witness: T('见证人核验', 'witness check'),
  password_change: T('本人修改密码', 'own password change'),
}

/** The security record: failed logins and witness checks of the last 24 hours (not custody events). */
export function loginFailuresCard(): { card: HTMLElement; load(): Promise<void> } {
  const c = card('login-failures', T('登录失败记录（24 小时）', 'Failed logins (24 hours)'))
  c.section.insertBefore(
    el('p', {
      class: 'hint',
      text: T(
        '失败的登录和见证人核验记录在安全记录中，不写入审计日志（任何人都能造成失败）。',
        'Failed logins and witness checks are kept in the security record, not the custody log (anyone can cause a failure).',
      ),
    }),
    c.alert,
  )
  async function load(): Promise<void> {
    const { events } = await api('GET /api/security/login-failures', { query: { hours: 24 } })
    c.count.textContent = String(events.length)
    const head = el(
      'tr',
      {},
      ...[T('时间', 'Time'), T('类型', 'Kind'), T('所用用户名', 'Username tried'), T('地址', 'Address'), T('结果', 'Outcome')].map((t) =>
        el('th', { attrs: { scope: 'col' }, text: t }),
      ),
    )
    c.body.replaceChildren(
      events.length === 0
        ? el('p', { class: 'empty', text: T('没有失败的登录', 'No failed login') })
        : el(
            'div',
            { class: 'table-wrap' },
            el(
              'table',
              { class: 'grid', attrs: { id: 'login-failures-table' } },
              el('thead', {}, head),
              el(
                'tbody',
                {},
                ...events.map((e) =>
                  el(
                    'tr',
                    {},
                    el('td', { class: 'nowrap', text: T(formatCst(e.time, 'zh-CN'), formatCst(e.time, 'en')) }),
                    el('td', {}, tx(KINDS[e.kind] ?? T(e.kind, e.kind))),
                    el('td', { class: 'mono' }, e.username),
                    el('td', { class: 'mono' }, e.address),
                    el('td', {}, tx(OUTCOMES[e.outcome] ?? T(e.outcome, e.outcome))),
                  ),
                ),
              ),
            ),
          ),
    )
  }
  return { card: c.section, load }
}

/** Appends both cards to `container` and loads them; a failure shows in the card, not the page. */
export async function mountAccountOversight(container: HTMLElement, selfId: string, roleName: RoleName): Promise<void> {
  const changes = roleChangesCard({ selfId, roleName })
  const failures = loginFailuresCard()
  container.append(changes.card, failures.card)
  await Promise.all(
    [changes, failures].map(async (x) => {
      try {
        await x.load()
      } catch (err) {
        x.card.append(el('p', { class: 'empty' }, tx(problemText(err))))
      }
    }),
  )
}
