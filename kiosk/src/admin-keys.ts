// /admin/keys: the server's keys as an administrator sees them, public halves only. The log signing key can be
// rotated; the paper key is split among custodians by a key ceremony the administrator starts (decision 008),
// and a plain master key (a data folder from before the split) is shown until that ceremony deletes it; the
// ticket key ring (decision 011) lists its keys and rotates: an old key stays valid for sessions with live tickets it signed;
// so does the certificate key ring (R8.2): an old key stays published while a valid certificate it signed remains.
import { type OutputOf, api } from './_client.ts'
import { formatCst } from './_time.ts'
import { busy, byId, el, hideAlert, problemText, showAlert, tx } from './_dom.ts'
import { T, type Text, setText } from './_i18n.ts'
import { showWhenLoaded, startStaffPage } from './_shell.ts'

type PaperKeyState = OutputOf<'GET /api/keys/paper-key'>
type UserRecord = OutputOf<'GET /api/users'>['users'][number]

/** A time in Beijing time, in both languages (the page can switch language after it is drawn). */
const when = (t: string): Text => T(formatCst(t, 'zh-CN'), formatCst(t, 'en'))

/** One key of a signing ring (tickets or certificates): id, made, retired, and how many live documents it signed. */
interface RingKey {
  keyId: string
  active: boolean
  createdAt: string
  retiredAt: string | null
}
const ringKeyRow = (k: RingKey, live: number): HTMLTableRowElement =>
  el(
    'tr',
    { attrs: { 'data-key': k.keyId, 'data-active': String(k.active) } },
    el('td', { class: 'mono' }, k.keyId, k.active ? el('span', { class: 'muted' }, ' ', tx(T('（当前）', '(active)'))) : null),
    el('td', {}, tx(when(k.createdAt))),
    el('td', {}, k.retiredAt ? tx(when(k.retiredAt)) : '—'),
    el('td', {}, String(live)),
  )
const page = await startStaffPage()
if (page) await main()

async function main(): Promise<void> {
  async function load(): Promise<void> {
    const [logKeys, master, ticket, paperKey, users, ring, certRing] = await Promise.all([
      api('GET /api/log/key'),
      api('GET /api/admin/master-keys'),
      api('GET /api/tickets/key'),
      api('GET /api/keys/paper-key'),
      api('GET /api/users'),
      api('GET /api/keys/tickets'),
      api('GET /api/keys/certificates'),
    ])
    renderPaperKey(paperKey, users.users)
    byId('master-card').hidden = master.keys.length === 0
    byId<HTMLButtonElement>('master-rotate').hidden = paperKey.key !== null
    const lines = logKeys.split('\n').filter((l) => l.trim() !== '')
    byId('log-keys').replaceChildren(
      ...lines.map((k, i) =>
        el(
          'li',
          { attrs: { 'data-current': i === 0 ? 'true' : 'false' } },
          k,
          i === 0 ? el('span', { class: 'muted' }, ' ', tx(T('（当前）', '(current)'))) : null,
        ),
      ),
    )
    byId('master-body').replaceChildren(
      ...master.keys.map((k) =>
        el(
          'tr',
          { attrs: { 'data-key': k.id, 'data-current': String(k.current) } },
          el('td', { class: 'mono' }, k.id),
          el('td', {}, k.current ? tx(T('当前', 'Current')) : tx(T('旧密钥', 'Older'))),
          el('td', {}, String(k.files)),
        ),
      ),
    )
    const fact = (label: Text, value: string) => el('div', {}, el('dt', { text: label }), el('dd', { class: 'mono' }, value))
    byId('ticket-facts').replaceChildren(
      fact(T('名称', 'Name'), ticket.name),
      fact(T('密钥编号', 'Key id'), ticket.keyId),
      el('div', { class: 'facts__wide' }, el('dt', { text: T('公钥（Base64）', 'Public key (base64)') }), el('dd', { class: 'mono' }, ticket.publicKey)),
    )
    byId('ticket-keys-body').replaceChildren(...ring.keys.map((k) => ringKeyRow(k, k.liveTickets)))
    // The certificate key ring (R8.2): newest first, like a list of what is in force now.
    // An empty ring: the first key is made with the body's first certificate.
    if (certRing.keys.length === 0) {
      byId('cert-keys-body').replaceChildren(
        el(
          'tr',
          {},
          el('td', {
            attrs: { colspan: '4' },
            class: 'muted',
            text: T('尚无证书签名密钥：颁发第一张证书时自动生成。', 'No certificate key yet: one is made with the first certificate.'),
          }),
        ),
      )
      return
    }
    byId('cert-keys-body').replaceChildren(...[...certRing.keys].reverse().map((k) => ringKeyRow(k, k.liveCertificates)))
  }

  // The split paper key (decision 008): its state, the open ceremony, and the form that starts one.
  function renderPaperKey(st: PaperKeyState, users: UserRecord[]): void {
    const fact = (label: Text, ...value: Array<Node | string>) => el('div', {}, el('dt', { text: label }), el('dd', {}, ...value))
    const names = (hs: Array<{ displayName: string }>) => hs.map((h) => h.displayName).join('、')
    byId('paper-key-facts').replaceChildren(
      ...(st.key
        ? [
            fact(
              T('状态', 'State'),
              tx(
                T(
                  `已拆分：${st.key.threshold}/${st.key.holders.length}（任意 ${st.key.threshold} 名持有人可共同解密）`,
                  `Split ${st.key.threshold} of ${st.key.holders.length} (any ${st.key.threshold} holders decrypt together)`,
                ),
              ),
            ),
            fact(T('份额持有人', 'Share holders'), names(st.key.holders)),
            el(
              'div',
              { class: 'facts__wide' },
              el('dt', { text: T('公钥指纹（SHA-256）', 'Public key fingerprint (SHA-256)') }),
              el('dd', { class: 'mono', attrs: { 'data-fingerprint': '' } }, st.key.fingerprint),
            ),
          ]
        : [
            fact(
              T('状态', 'State'),
              tx(
                st.legacyMasterKeys.length > 0
                  ? T(
                      '尚未拆分：试卷仍由单一主密钥封装。请发起密钥仪式，完成后该主密钥文件将被删除。',
                      'Not split yet: papers are still wrapped under a plain master key. Start a key ceremony; it deletes that key file when done.',
                    )
                  : T('尚未分发：发起首次密钥仪式之前不能上传试卷。', 'Not dealt yet: papers cannot be uploaded before the first key ceremony.'),
              ),
            ),
          ]),
    )
    const area = byId('ceremony-area')
    const c = st.ceremony
    if (c) {
      const cancel = el('button', {
        class: 'btn btn--ghost btn--small',
        attrs: { type: 'button', id: 'ceremony-cancel' },
        text: T('取消仪式', 'Cancel the ceremony'),
      })
      cancel.addEventListener('click', async () => {
        try {
          await busy(cancel, () => api('POST /api/keys/ceremonies/current/cancel'))
          await load()
        } catch (err) {
          showAlert(byId('page-alert'), 'error', problemText(err))
        }
      })
      area.replaceChildren(
        el(
          'div',
          { class: 'alert alert--info', attrs: { 'data-ceremony': c.id } },
          el('h3', {
            text:
              c.kind === 'initial'
                ? T(`进行中的密钥仪式：首次分发，${c.threshold}/${c.holders.length}`, `Open key ceremony: first dealing, ${c.threshold} of ${c.holders.length}`)
                : T(`进行中的密钥仪式：重新分发，${c.threshold}/${c.holders.length}`, `Open key ceremony: re-deal, ${c.threshold} of ${c.holders.length}`),
          }),
          el('p', {
            class: 'hint',
            text: T(
              `由 ${c.startedBy.displayName} 发起。每位被指定的保密员须用自己的账号在“密钥份额”页设定份额口令。`,
              `Started by ${c.startedBy.displayName}. Each named custodian sets their share passphrase with their own login on the "Key shares" page.`,
            ),
          }),
          el(
            'ul',
            {},
            ...c.holders.map((h) =>
              el(
                'li',
                { attrs: { 'data-holder': h.userId } },
                h.displayName,
                ' — ',
                tx(h.registered ? T('已设定口令', 'passphrase set') : T('等待设定口令', 'waiting for their passphrase'), h.registered ? '' : 'muted'),
              ),
            ),
          ),
          c.kind === 'redeal' && st.key
            ? el('p', {
                class: 'hint',
                text: T(
                  `现有持有人已解锁 ${c.currentHoldersUnlocked}/${st.key.threshold} 份（重新分发需要 ${st.key.threshold} 名现有持有人解锁）`,
                  `Current holders unlocked ${c.currentHoldersUnlocked} of ${st.key.threshold} (a re-deal needs ${st.key.threshold} current holders)`,
                ),
              })
            : null,
          cancel,
        ),
      )
    } else area.replaceChildren()
    const form = byId<HTMLFormElement>('ceremony-form')
    form.hidden = c !== null
    setText(
      byId('ceremony-form-title'),
      st.key ? T('重新分发份额（增减持有人）', 'Re-deal the shares (add or remove holders)') : T('发起首次密钥仪式', 'Start the first key ceremony'),
    )
    setText(
      byId('ceremony-form-hint'),
      st.key
        ? T(
            '公钥不变，试卷无需重新封装；需要 k 名现有持有人解锁份额后，新份额才会分发。',
            'The public key stays and no paper is re-wrapped; the new shares are dealt once k current holders unlock theirs.',
          )
        : T(
            '服务器在内存中生成密钥对并拆分；每份用持有人自己的份额口令封装。系统管理员不能持有份额。',
            "The server makes the key pair in memory and splits it; each share is sealed under its holder's own passphrase. An administrator cannot hold a share.",
          ),
    )
    const custodians = users.filter((u) => !u.disabled && u.roles.includes('custodian') && !u.roles.includes('admin'))
    const current = new Set(st.key?.holders.map((h) => h.userId) ?? [])
    byId('ceremony-holders').replaceChildren(
      ...(custodians.length > 0
        ? custodians.map((u) => {
            const input = el('input', { attrs: { type: 'checkbox', id: `holder-${u.id}`, value: u.id } })
            input.checked = st.key ? current.has(u.id) : true
            return el('label', { class: 'check', attrs: { for: input.id } }, input, el('span', {}, u.displayName))
          })
        : [tx(T('没有在职的保密员账号', 'No active custodian accounts'), 'muted')]),
    )
  }
  byId<HTMLFormElement>('ceremony-form').addEventListener('submit', async (ev) => {
    ev.preventDefault()
    const box = byId('ceremony-alert')
    hideAlert(box)
    const holders = [...document.querySelectorAll<HTMLInputElement>('#ceremony-holders input:checked')].map((i) => i.value)
    try {
      await busy(byId<HTMLButtonElement>('ceremony-submit'), () =>
        api('POST /api/keys/ceremonies', { json: { holders, threshold: Number(byId<HTMLInputElement>('ceremony-k').value.trim()) } }),
      )
      await load()
      showAlert(
        byId('page-alert'),
        'ok',
        T('密钥仪式已发起：请通知被指定的保密员设定各自的份额口令', 'Key ceremony started: ask the named custodians to set their share passphrases'),
      )
    } catch (err) {
      showAlert(box, 'error', problemText(err))
    }
  })

  // One dialog for both rotations: it says what will happen, and the server does it when confirmed.
  const dialog = byId<HTMLDialogElement>('rotate-dialog')
  const alert = byId('rotate-alert')
  let pending: (() => Promise<Text>) | null = null
  function ask(title: Text, text: Text, run: () => Promise<Text>): void {
    setText(byId('rotate-title'), title)
    setText(byId('rotate-text'), text)
    hideAlert(alert)
    pending = run
    dialog.showModal()
  }
  for (const b of document.querySelectorAll<HTMLButtonElement>('[data-close]')) b.addEventListener('click', () => b.closest('dialog')?.close())
  byId<HTMLFormElement>('rotate-form').addEventListener('submit', async (ev) => {
    ev.preventDefault()
    if (!pending) return
    const run = pending
    try {
      const done = await busy(byId<HTMLButtonElement>('rotate-submit'), run)
      pending = null
      dialog.close()
      showAlert(byId('page-alert'), 'ok', done)
      await load()
    } catch (err) {
      showAlert(alert, 'error', problemText(err))
    }
  })

  byId('log-rotate').addEventListener('click', () =>
    ask(
      T('更换审计日志签名密钥', 'Rotate the log signing key'),
      T(
        '将生成新的签名密钥。更换记录由新旧两把密钥共同签署并写入日志，此后的检查点由新密钥签名。已固定旧密钥的验证方可经由该记录继续验证。',
        'A new signing key is generated. The rotation entry, signed by both the old and the new key, goes into the log; later checkpoints are signed by the new key. Verifiers that pinned the old key follow the rotation entry.',
      ),
      async () => {
        const r = await api('POST /api/log/key/rotate')
        return T(`日志签名密钥已更换（日志第 ${r.index} 条）：${r.vkey}`, `Log signing key rotated (log entry ${r.index}): ${r.vkey}`)
      },
    ),
  )
  byId('ticket-rotate').addEventListener('click', () =>
    ask(
      T('轮换准考证签名密钥', 'Rotate the ticket key'),
      T(
        '将生成新的准考证签名密钥（保存在服务器数据目录），此后新签发的准考证、工作证和作废名单都由新密钥签名。旧密钥不再签发，但对仍有其签发的有效准考证的场次继续有效：已打印的准考证照常可用。考场平板须重新下载考场数据包才能核验新密钥签发的准考证。此操作记入审计日志，不能撤销。',
        'A new ticket key is generated (kept in the server’s data folder); from now on new tickets, staff badges and revocation lists are signed by it. The old key signs nothing new but stays valid for sessions that still have live tickets it signed: printed tickets keep working. Room tablets must download their room package again to check tickets signed by the new key. This is recorded in the custody log and cannot be undone.',
      ),
      async () => {
        const k = await api('POST /api/keys/tickets/rotate')
        return T(`准考证签名密钥已轮换，当前密钥编号 ${k.keyId}`, `Ticket key rotated; the active key is now ${k.keyId}`)
      },
    ),
  )
  byId('cert-rotate').addEventListener('click', () =>
    ask(
      T('轮换证书签名密钥', 'Rotate the certificate key'),
      T(
        '将生成新的证书签名密钥（保存在服务器数据目录），此后新签发的电子证书都由新密钥签名。旧密钥不再签发，但只要仍有其签发的有效证书就继续公开，已发证书的二维码照常可验。离线核验方须重新获取公钥列表才能核验新密钥签发的证书。此操作记入审计日志，不能撤销。',
        'A new certificate key is generated (kept in the server’s data folder); from now on new e-certificates are signed by it. The old key signs nothing new but stays published while any valid certificate it signed remains, so issued certificates keep verifying. Offline verifiers must fetch the public keys again to check certificates signed by the new key. This is recorded in the custody log and cannot be undone.',
      ),
      async () => {
        const k = await api('POST /api/keys/certificates/rotate')
        return T(`证书签名密钥已轮换，当前密钥编号 ${k.keyId}`, `Certificate key rotated; the active key is now ${k.keyId}`)
      },
    ),
  )
  byId('master-rotate').addEventListener('click', () =>
    ask(
      T('更换试卷主密钥', 'Rotate the paper master key'),
      T(
        '将生成新的主密钥，并用它重新封装每份试卷的数据密钥；试卷文件本身不变。',
        "A new master key is generated and every paper's data key is re-wrapped under it; the paper files themselves do not change.",
      ),
      async () => {
        const r = await api('POST /api/admin/master-keys/rotate')
        const failed =
          r.failed.length > 0
            ? T(`，${r.failed.length} 份未能重新封装（仍由旧密钥封装）`, `; ${r.failed.length} could not be re-wrapped (still under the old key)`)
            : T('', '')
        return T(
          `主密钥已更换为 ${r.keyId}：重新封装 ${r.rewrapped} 份数据密钥${failed.zh}`,
          `Master key rotated to ${r.keyId}: ${r.rewrapped} data key${r.rewrapped === 1 ? '' : 's'} re-wrapped${failed.en}`,
        )
      },
    ),
  )

  await showWhenLoaded(load)
}
