// /admin/keys: the server's three keys as an administrator sees them, public halves only. The log signing
// key and the paper master key can be rotated (each rotation is a custody log event, written by the server);
// the ticket key is shown but not rotated here, since every printed ticket would stop verifying.
import { api } from './_api.ts'
import { busy, byId, el, hideAlert, problemText, showAlert, tx } from './_dom.ts'
import { T, type Text, setText } from './_i18n.ts'
import { showWhenLoaded, startStaffPage } from './_shell.ts'

const page = await startStaffPage()
if (page) await main()

async function main(): Promise<void> {
  async function load(): Promise<void> {
    const [logKeys, master, ticket] = await Promise.all([api.log.keys(), api.keys.master(), api.keys.ticket()])
    const lines = logKeys.split('\n').filter((l) => l.trim() !== '')
    byId('log-keys').replaceChildren(...lines.map((k, i) => el('li', { attrs: { 'data-current': i === 0 ? 'true' : 'false' } }, k,
      i === 0 ? el('span', { class: 'muted' }, ' ', tx(T('（当前）', '(current)'))) : null)))
    byId('master-body').replaceChildren(...master.keys.map((k) => el('tr', { attrs: { 'data-key': k.id, 'data-current': String(k.current) } },
      el('td', { class: 'mono' }, k.id),
      el('td', {}, k.current ? tx(T('当前', 'Current')) : tx(T('旧密钥', 'Older'))),
      el('td', {}, String(k.files)))))
    const fact = (label: Text, value: string) => el('div', {}, el('dt', { text: label }), el('dd', { class: 'mono' }, value))
    byId('ticket-facts').replaceChildren(fact(T('名称', 'Name'), ticket.name), fact(T('密钥编号', 'Key id'), ticket.keyId),
      el('div', { class: 'facts__wide' }, el('dt', { text: T('公钥（Base64）', 'Public key (base64)') }), el('dd', { class: 'mono' }, ticket.publicKey)))
  }

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

  byId('log-rotate').addEventListener('click', () => ask(
    T('更换审计日志签名密钥', 'Rotate the log signing key'),
    T('将生成新的签名密钥。更换记录由新旧两把密钥共同签署并写入日志，此后的检查点由新密钥签名。已固定旧密钥的验证方可经由该记录继续验证。',
      'A new signing key is generated. The rotation entry, signed by both the old and the new key, goes into the log; later checkpoints are signed by the new key. Verifiers that pinned the old key follow the rotation entry.'),
    async () => {
      const r = await api.log.rotateKey()
      return T(`日志签名密钥已更换（日志第 ${r.index} 条）：${r.vkey}`, `Log signing key rotated (log entry ${r.index}): ${r.vkey}`)
    }))
  byId('master-rotate').addEventListener('click', () => ask(
    T('更换试卷主密钥', 'Rotate the paper master key'),
    T('将生成新的主密钥，并用它重新封装每份试卷的数据密钥；试卷文件本身不变。', 'A new master key is generated and every paper\'s data key is re-wrapped under it; the paper files themselves do not change.'),
    async () => {
      const r = await api.keys.rotateMaster()
      const failed = r.failed.length > 0 ? T(`，${r.failed.length} 份未能重新封装（仍由旧密钥封装）`, `; ${r.failed.length} could not be re-wrapped (still under the old key)`) : T('', '')
      return T(`主密钥已更换为 ${r.keyId}：重新封装 ${r.rewrapped} 份数据密钥${failed.zh}`, `Master key rotated to ${r.keyId}: ${r.rewrapped} data key${r.rewrapped === 1 ? '' : 's'} re-wrapped${failed.en}`)
    }))

  await showWhenLoaded(load)
}
