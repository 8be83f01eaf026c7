// /custody/keys: a custodian's own part of the split paper key (decision 008). A named holder sets their share
// passphrase for an open key ceremony; during a re-deal a current holder unlocks their share. The passphrase goes
// to the server once, over this page's own request, and is never shown or stored in the browser.
import { type OutputOf, api } from './_client.ts'
import { busy, byId, el, hideAlert, problemText, showAlert, tx } from './_dom.ts'
import { T, type Text, setText } from './_i18n.ts'
import { showWhenLoaded, startStaffPage } from './_shell.ts'

type PaperKeyState = OutputOf<'GET /api/keys/paper-key'>

const page = await startStaffPage()
if (page) await main()

async function main(): Promise<void> {
  function render(st: PaperKeyState): void {
    const fact = (label: Text, value: Text | string) => el('div', {}, el('dt', { text: label }), el('dd', {}, typeof value === 'string' ? value : tx(value)))
    const c = st.ceremony
    byId('key-facts').replaceChildren(
      fact(
        T('状态', 'State'),
        st.key
          ? T(`已拆分 ${st.key.threshold}/${st.key.holders.length}`, `Split ${st.key.threshold} of ${st.key.holders.length}`)
          : T('尚未分发', 'Not dealt yet'),
      ),
      ...(st.key
        ? [
            fact(T('份额持有人', 'Share holders'), st.key.holders.map((h) => h.displayName).join('、')),
            fact(T('我持有份额', 'I hold a share'), st.me.holder ? T('是', 'Yes') : T('否', 'No')),
            el(
              'div',
              { class: 'facts__wide' },
              el('dt', { text: T('公钥指纹（SHA-256）', 'Public key fingerprint (SHA-256)') }),
              el('dd', { class: 'mono' }, st.key.fingerprint),
            ),
          ]
        : []),
      ...(c
        ? [
            fact(
              T('进行中的密钥仪式', 'Open key ceremony'),
              T(
                `${c.kind === 'initial' ? '首次分发' : '重新分发'} ${c.threshold}/${c.holders.length}，已设定口令：${
                  c.holders
                    .filter((h) => h.registered)
                    .map((h) => h.displayName)
                    .join('、') || '无'
                }`,
                `${c.kind === 'initial' ? 'first dealing' : 're-deal'} ${c.threshold} of ${c.holders.length}; passphrases set: ${
                  c.holders
                    .filter((h) => h.registered)
                    .map((h) => h.displayName)
                    .join(', ') || 'none'
                }`,
              ),
            ),
          ]
        : []),
    )
    byId('register-card').hidden = !(c && st.me.named && !st.me.registered)
    if (c) {
      setText(
        byId('register-hint'),
        T(
          `${c.startedBy.displayName} 发起了密钥仪式并指定您为份额持有人。所有持有人设定口令后，服务器分发份额；此后审批印制时需要输入此口令。`,
          `${c.startedBy.displayName} started a key ceremony naming you as a share holder. Once every holder has set a passphrase the server deals the shares; you will enter it when you approve a print.`,
        ),
      )
    }
    byId('unlock-card').hidden = !(c && c.kind === 'redeal' && st.me.holder && !st.me.unlocked)
  }
  async function load(): Promise<void> {
    render(await api('GET /api/keys/paper-key'))
  }

  byId<HTMLFormElement>('register-form').addEventListener('submit', async (ev) => {
    ev.preventDefault()
    const box = byId('register-alert')
    hideAlert(box)
    const a = byId<HTMLInputElement>('register-passphrase'),
      b = byId<HTMLInputElement>('register-again')
    if (a.value !== b.value) {
      showAlert(box, 'error', T('两次输入的口令不一致', 'The two passphrases differ'))
      return
    }
    try {
      const st = await busy(byId<HTMLButtonElement>('register-submit'), () =>
        api('POST /api/keys/ceremonies/current/register', { json: { passphrase: a.value } }),
      )
      a.value = ''
      b.value = ''
      render(st)
      showAlert(
        byId('page-alert'),
        'ok',
        st.ceremony
          ? T('口令已设定，等待其他持有人', 'Passphrase set; waiting for the other holders')
          : T('口令已设定，份额已分发', 'Passphrase set; the shares are dealt'),
      )
    } catch (err) {
      showAlert(box, 'error', problemText(err))
    }
  })
  byId<HTMLFormElement>('unlock-form').addEventListener('submit', async (ev) => {
    ev.preventDefault()
    const box = byId('unlock-alert')
    hideAlert(box)
    const input = byId<HTMLInputElement>('unlock-passphrase')
    try {
      const st = await busy(byId<HTMLButtonElement>('unlock-submit'), () =>
        api('POST /api/keys/ceremonies/current/unlock', { json: { passphrase: input.value } }),
      )
      input.value = ''
      render(st)
      showAlert(
        byId('page-alert'),
        'ok',
        st.ceremony ? T('份额已解锁，等待其他持有人', 'Share unlocked; waiting for the other holders') : T('份额已重新分发', 'The shares are re-dealt'),
      )
    } catch (err) {
      input.value = ''
      showAlert(box, 'error', problemText(err))
    }
  })

  await showWhenLoaded(load)
}
